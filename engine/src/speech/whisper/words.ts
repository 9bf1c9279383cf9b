import type { Segment, Word } from '../../schemas/transcript.js';

export interface TokenSegment {
  text: string;
  /** Milliseconds from the start of the transcribed audio. */
  t0: number;
  t1: number;
}

const SPECIAL = /^\s*\[[^\]]*\]\s*$|^\s*<\|[^|]*\|>\s*$/;

/**
 * whisper.cpp with token timestamps and max_len=1 returns one segment per token; sub-word tokens are joined
 * into words (a token starting with a space starts a new word; punctuation sticks to the previous word).
 * Times are clamped into the audio and made monotonic, so even a nonsense model yields a valid transcript.
 */
export function tokensToWords(tokens: readonly TokenSegment[], offset: number, duration: number): Word[] {
  const words: Word[] = [];
  let last = 0;
  for (const t of tokens) {
    if (!t.text || SPECIAL.test(t.text)) continue;
    const start = Math.min(duration, Math.max(last, t.t0 / 1000));
    const end = Math.min(duration, Math.max(start, t.t1 / 1000));
    last = start;
    const cur = words.at(-1);
    const joins = cur && !/^\s/.test(t.text);
    if (joins) {
      cur.text += t.text;
      cur.end = Math.max(cur.end, offset + end);
    } else {
      words.push({ start: offset + start, end: offset + end, text: t.text.trim() });
    }
  }
  return words.filter((w) => w.text.length > 0);
}

/** Group words into sentence-like segments: end at . ? ! or at a pause longer than `gap` seconds. */
export function wordsToSegments(words: readonly Word[], gap = 1.0, maxWords = 40): Segment[] {
  const segments: Segment[] = [];
  let cur: Word[] = [];
  const flush = () => {
    if (!cur.length) return;
    segments.push({
      start: cur[0]!.start,
      end: cur.at(-1)!.end,
      text: cur.map((w) => w.text).join(' '),
      words: cur,
    });
    cur = [];
  };
  words.forEach((w, i) => {
    cur.push(w);
    const next = words[i + 1];
    if (/[.?!]["')\]]?$/.test(w.text) || (next && next.start - w.end > gap) || cur.length >= maxWords)
      flush();
  });
  flush();
  return segments;
}
