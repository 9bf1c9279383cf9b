import type { Word } from '../schemas/transcript.js';
import type { SpeechRange } from '../schemas/vad.js';

/** One transcription window: audio [start, end) is decoded; words are kept in [keepFrom, keepTo). */
export interface Chunk {
  start: number;
  end: number;
  keepFrom: number;
  keepTo: number;
}

/**
 * Split long audio into windows of at most `window` seconds, cutting in the middle of the longest silence
 * (from VAD) in the last third of each window, so seams rarely fall inside a word; windows overlap by
 * `overlap` seconds around each seam and words are assigned to the window their midpoint falls in. Windows
 * with no speech at all are left out (nothing to transcribe).
 */
export function planChunks(
  duration: number,
  speech: readonly SpeechRange[],
  window = 300,
  overlap = 1,
): Chunk[] {
  const seams: number[] = [];
  let from = 0;
  while (duration - from > window) {
    const lo = from + (window * 2) / 3;
    const hi = from + window - overlap;
    // Silences between speech ranges that lie inside [lo, hi].
    let best: { at: number; len: number } | undefined;
    let prevEnd = from;
    for (const r of speech) {
      if (r.start > prevEnd) {
        const a = Math.max(prevEnd, lo);
        const b = Math.min(r.start, hi);
        if (b > a && (!best || b - a > best.len)) best = { at: (a + b) / 2, len: b - a };
      }
      prevEnd = Math.max(prevEnd, r.end);
    }
    if (prevEnd < hi && (!best || hi - Math.max(prevEnd, lo) > best.len))
      best = { at: (Math.max(prevEnd, lo) + hi) / 2, len: hi - Math.max(prevEnd, lo) };
    const seam = best?.at ?? hi;
    seams.push(seam);
    from = seam;
  }
  const bounds = [0, ...seams, duration];
  const chunks: Chunk[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const keepFrom = bounds[i]!;
    const keepTo = bounds[i + 1]!;
    const hasSpeech = speech.length === 0 || speech.some((r) => r.end > keepFrom && r.start < keepTo);
    if (!hasSpeech) continue;
    chunks.push({
      start: Math.max(0, keepFrom - overlap / 2),
      end: Math.min(duration, keepTo + overlap / 2),
      keepFrom,
      keepTo,
    });
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
