import type { Word } from '../schemas/transcript.js';
import type { SpeechRange } from '../schemas/vad.js';

/** One transcription window: audio [start, end) is decoded; words are kept in [keepFrom, keepTo). */
export interface Chunk {
  start: number;
  end: number;
  keepFrom: number;
  keepTo: number;
}

export interface ChunkPlanOptions {
  /** Longest window in seconds (5–10 min keeps memory flat and lets windows run in parallel). */
  window?: number;
  /** Audio shared by neighbouring windows around each seam, in seconds. */
  overlap?: number;
  /** Silences at least this long (seconds) always become seams, and are not transcribed. */
  skipSilence?: number;
  /** Audio kept around the speech when a window is trimmed to it, in seconds (Whisper likes some context). */
  margin?: number;
}

/** The middle of the longest silence in [lo, hi] (speech sorted by start), or undefined if none. */
function longestSilence(speech: readonly SpeechRange[], from: number, lo: number, hi: number) {
  let best: { at: number; len: number } | undefined;
  let prevEnd = from;
  for (const r of speech) {
    if (r.end <= from) continue;
    if (r.start > prevEnd) {
      const a = Math.max(prevEnd, lo);
      const b = Math.min(r.start, hi);
      if (b > a && (!best || b - a > best.len)) best = { at: (a + b) / 2, len: b - a };
    }
    prevEnd = Math.max(prevEnd, r.end);
    if (prevEnd >= hi) break;
  }
  if (prevEnd < hi && (!best || hi - Math.max(prevEnd, lo) > best.len))
    best = { at: (Math.max(prevEnd, lo) + hi) / 2, len: hi - Math.max(prevEnd, lo) };
  return best;
}

/**
 * Plan transcription windows over `duration` seconds of audio with known speech ranges (VAD). Seams go in
 * the middle of every long silence, and inside long stretches in the middle of the longest silence in the
 * last third of each window, so they rarely fall inside a word. Each window keeps the words whose midpoint is
 * in [keepFrom, keepTo) (keep ranges tile the whole file, so no word can fall between two windows), decodes
 * `overlap / 2` more on each side, and is trimmed to its speech plus `margin`: silence is not transcribed.
 * Windows with no speech are left out. With no speech ranges at all, everything is transcribed.
 */
export function planChunks(
  duration: number,
  speech: readonly SpeechRange[],
  opts: ChunkPlanOptions = {},
): Chunk[] {
  const { window = 300, overlap = 1, skipSilence = 30, margin = 0.5 } = opts;
  const sorted = [...speech].sort((a, b) => a.start - b.start);
  // 1. Long silences split the file into stretches.
  const stretches: [number, number][] = [];
  let from = 0;
  let prevEnd = 0;
  for (const r of sorted) {
    if (r.start - prevEnd >= skipSilence && prevEnd > 0) {
      const seam = (prevEnd + r.start) / 2;
      stretches.push([from, seam]);
      from = seam;
    }
    prevEnd = Math.max(prevEnd, r.end);
  }
  stretches.push([from, duration]);
  // 2. Stretches longer than a window are cut at silences.
  const bounds = [0];
  for (const [a, b] of stretches) {
    let at = a;
    // A window must be longer than its overlap, or seams would not move forward.
    const w = Math.max(window, 3 * overlap, 1);
    while (b - at > w) {
      const lo = at + (w * 2) / 3;
      const hi = at + w - overlap;
      at = longestSilence(sorted, at, lo, hi)?.at ?? hi;
      bounds.push(at);
    }
    bounds.push(b);
  }
  // 3. Windows, trimmed to their speech.
  const chunks: Chunk[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const keepFrom = bounds[i]!;
    const keepTo = bounds[i + 1]!;
    if (keepTo <= keepFrom) continue;
    let start = Math.max(0, keepFrom - overlap / 2);
    let end = Math.min(duration, keepTo + overlap / 2);
    if (sorted.length) {
      const heard = sorted.filter((r) => r.end > keepFrom && r.start < keepTo);
      if (!heard.length) continue;
      start = Math.max(start, heard[0]!.start - margin);
      end = Math.min(end, Math.max(...heard.map((r) => r.end)) + margin);
    }
    chunks.push({ start, end, keepFrom, keepTo });
  }
  return chunks;
}

/**
 * Merge per-window words (absolute times) into one list: each word belongs to exactly one window, the one
 * whose keep range holds its midpoint, so a word in an overlap is neither lost nor doubled.
 */
export function mergeChunkWords(results: readonly { chunk: Chunk; words: readonly Word[] }[]): Word[] {
  const out: Word[] = [];
  for (const { chunk, words } of results) {
    for (const w of words) {
      const mid = (w.start + w.end) / 2;
      if (mid >= chunk.keepFrom && mid < chunk.keepTo) out.push(w);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
