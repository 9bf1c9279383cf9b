import type { Transcript } from '../schemas/transcript.js';
import { mediaById, type Timeline } from '../timeline/model.js';
import { framesToSeconds, subtitleTime } from '../timeline/timecode.js';

export interface Cue {
  start: number;
  end: number;
  text: string;
}

/**
 * How cues are cut and timed (config.yaml `subtitles:`). The defaults follow common broadcast/streaming
 * guidance (Netflix, BBC): two lines of 42 characters, 5/6 s minimum, 7 s maximum, about 17 characters
 * per second, a small gap between cues.
 */
export interface SubtitleStyle {
  /** Characters per line. */
  maxLineChars: number;
  /** Lines per cue. */
  maxLines: number;
  /** Shortest time on screen (s): a shorter cue is held into the silence after it, never over the next cue. */
  minDuration: number;
  /** Longest time on screen (s). */
  maxDuration: number;
  /** Reading speed limit (characters per second, spaces included): cues are cut and held to respect it. */
  maxCps: number;
  /** Gap kept between a cue held past its speech and the next cue (s). */
  minGap: number;
}

export const DEFAULT_SUBTITLE_STYLE: SubtitleStyle = {
  maxLineChars: 42,
  maxLines: 2,
  minDuration: 0.8,
  maxDuration: 7,
  maxCps: 17,
  minGap: 0.08,
};

/** A word on the cue clock, with the sentence (segment) it belongs to. */
interface Token {
  start: number;
  end: number;
  text: string;
  segment: number;
}

/** A cue never spans a silence longer than this: the text would stay on screen while nobody speaks. */
const MAX_PAUSE_IN_CUE = 2;
/** Words after which a line or cue should not break (they belong with what follows). */
const WEAK = new Set(
  'a an the of to and or but nor in on at for with from by as if that my your his her its our their I'.split(
    ' ',
  ),
);
const SENTENCE_END = /[.!?…]["')\]]*$/;
const CLAUSE_END = /[,;:—–-]["')\]]*$/;

const joinWords = (words: readonly { text: string }[]) =>
  words
    .map((w) => w.text.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+([,.!?;:])/g, '$1');

/** The cost of breaking after `word` (line or cue): cheap after a sentence or clause, dear after "the". */
function breakCost(word: string): number {
  if (SENTENCE_END.test(word)) return -0.6;
  if (CLAUSE_END.test(word)) return -0.3;
  return WEAK.has(word.replace(/[^\p{L}']/gu, '')) ? 0.8 : 0;
}

/**
 * Balanced line breaks: the fewest lines of at most `width` characters, then the break points that make
 * lines even (bottom line the longer on a tie), never a one-word line when another break exists, and not
 * right after an article or preposition. undefined when the text does not fit in `maxLines` lines (a
 * single word longer than a line gets a line of its own).
 */
export function layoutLines(
  text: string,
  width = DEFAULT_SUBTITLE_STYLE.maxLineChars,
  maxLines = DEFAULT_SUBTITLE_STYLE.maxLines,
): { lines: string[]; cost: number } | undefined {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length === 0) return { lines: [], cost: 0 };
  if (text.length <= width || words.length === 1) return { lines: [words.join(' ')], cost: 0 };
  const lineLen = (i: number, j: number) => words.slice(i, j).join(' ').length;
  // best[k][j]: the cheapest way to set words[0, j) in k lines.
  for (let lines = 2; lines <= Math.min(maxLines, words.length); lines++) {
    const best: { cost: number; from: number }[][] = [[{ cost: 0, from: -1 }]];
    for (let k = 1; k <= lines; k++) {
      best[k] = [];
      for (let j = 1; j <= words.length; j++) {
        for (let i = k - 1; i < j; i++) {
          const prev = best[k - 1]![i];
          if (!prev) continue;
          const len = lineLen(i, j);
          if (len > width && j - i > 1) continue;
          const slack = (width - Math.min(width, len)) / width;
          let cost = prev.cost + slack * slack;
          if (j - i === 1 && words.length > lines) cost += 2; // an orphan word on its own line
          if (j < words.length) cost += 0.3 * breakCost(words[j - 1]!);
          // Bottom-heavy: a longer first line of two costs a little.
          if (lines === 2 && k === 2 && len < lineLen(0, i)) cost += 0.05;
          if (!best[k]![j] || cost < best[k]![j]!.cost) best[k]![j] = { cost, from: i };
        }
      }
    }
    const end = best[lines]![words.length];
    if (!end) continue;
    const out: string[] = [];
    let j = words.length;
    for (let k = lines; k > 0; k--) {
      const i = best[k]![j]!.from;
      out.unshift(words.slice(i, j).join(' '));
      j = i;
    }
    return { lines: out, cost: end.cost };
  }
  return undefined;
}

/** Balanced line breaks for any length of text (as many lines as it takes). */
export function wrapLines(text: string, width = DEFAULT_SUBTITLE_STYLE.maxLineChars): string {
  return (layoutLines(text, width, Number.POSITIVE_INFINITY)?.lines ?? [text]).join('\n');
}

/** When a cue of tokens [i, j) leaves the screen: held for min duration and reading speed, never into the next. */
function cueEnd(tokens: readonly Token[], i: number, j: number, chars: number, s: SubtitleStyle): number {
  const start = tokens[i]!.start;
  const spoken = Math.max(tokens[j - 1]!.end, start);
  const next = j < tokens.length ? tokens[j]!.start : Number.POSITIVE_INFINITY;
  const wanted = Math.max(spoken, start + s.minDuration, start + chars / s.maxCps);
  const held = Math.min(wanted, Math.max(spoken, start + s.maxDuration), next - s.minGap);
  // Speech that runs right up to the next cue ends where that one starts (no gap to keep then).
  return Math.max(held, Math.min(spoken, next));
}

/**
 * Words → cues, choosing every cue boundary at once (dynamic programming over the word stream): cues fit
 * the lines, last at most maxDuration, hold no long pause, and cost more when they are one word long,
 * read faster than maxCps, stay less than minDuration, cross a sentence, or end after a weak word.
 */
function cuesFromTokens(unsorted: readonly Token[], s: SubtitleStyle): Cue[] {
  const tokens = [...unsorted].sort((a, b) => a.start - b.start);
  const n = tokens.length;
  if (n === 0) return [];
  const best: { cost: number; from: number; text: string; end: number }[] = [
    { cost: 0, from: -1, text: '', end: 0 },
  ];
  for (let j = 1; j <= n; j++) {
    for (let i = j - 1; i >= 0; i--) {
      const prev = best[i];
      const words = j - i;
      const span = tokens[j - 1]!.end - tokens[i]!.start;
      if (words > 1 && span > s.maxDuration) break;
      if (words > 1 && tokens[i + 1]!.start - tokens[i]!.end > MAX_PAUSE_IN_CUE) break;
      const text = joinWords(tokens.slice(i, j));
      const layout = layoutLines(text, s.maxLineChars, s.maxLines);
      if (!layout && words > 1) break; // longer runs only get longer
      if (!prev) continue;
      let cost = prev.cost + 1 + (layout?.cost ?? 1);
      if (words === 1 && n > 1) cost += 4; // an orphan cue
      for (let k = i + 1; k < j; k++) {
        if (tokens[k]!.segment !== tokens[k - 1]!.segment) cost += 1;
        const gap = tokens[k]!.start - tokens[k - 1]!.end;
        if (gap > 0.5) cost += gap;
      }
      if (j < n) {
        cost += breakCost(tokens[j - 1]!.text.trim());
        if (tokens[j]!.start - tokens[j - 1]!.end >= 0.3) cost -= 0.3;
      }
      const end = cueEnd(tokens, i, j, text.length, s);
      const shown = end - tokens[i]!.start;
      const cps = text.length / Math.max(shown, 1e-3);
      if (cps > s.maxCps) cost += 3 * (cps / s.maxCps - 1);
      if (shown < s.minDuration) cost += (2 * (s.minDuration - shown)) / s.minDuration;
      if (!best[j] || cost < best[j]!.cost) best[j] = { cost, from: i, text, end };
    }
  }
  const cues: Cue[] = [];
  for (let j = n; j > 0; j = best[j]!.from) {
    const b = best[j]!;
    const lines = layoutLines(b.text, s.maxLineChars, s.maxLines)?.lines ?? [b.text];
    cues.unshift({ start: tokens[b.from]!.start, end: b.end, text: lines.join('\n') });
  }
  // Words with no time between them (clamped at a clip edge, or overlapping in the transcript) would give an
  // empty cue: its text goes to the next one.
  for (let k = cues.length - 2; k >= 0; k--) {
    const c = cues[k]!;
    if (c.end > c.start) continue;
    const next = cues[k + 1]!;
    const text = `${c.text.replace(/\n/g, ' ')} ${next.text.replace(/\n/g, ' ')}`;
    next.start = c.start;
    next.text = (layoutLines(text, s.maxLineChars, s.maxLines)?.lines ?? [text]).join('\n');
    cues.splice(k, 1);
  }
  return cues;
}

/** A segment's timed words, or its text spread over its time by character count when it has none. */
function segmentTokens(seg: Transcript['segments'][number], segment: number): Token[] {
  const words = seg.words.filter((w) => w.text.trim());
  if (words.length) return words.map((w) => ({ start: w.start, end: w.end, text: w.text, segment }));
  const parts = seg.text.trim().split(/\s+/).filter(Boolean);
  const total = parts.reduce((a, p) => a + p.length + 1, 0);
  let t = seg.start;
  return parts.map((text) => {
    const d = ((seg.end - seg.start) * (text.length + 1)) / total;
    const tok = { start: t, end: t + d, text, segment };
    t += d;
    return tok;
  });
}

/** Cues on the source's clock, straight from a transcript (what `autoedit stt --srt` writes). */
export function transcriptCues(
  tr: Pick<Transcript, 'segments'>,
  style: SubtitleStyle = DEFAULT_SUBTITLE_STYLE,
): Cue[] {
  return cuesFromTokens(
    tr.segments.flatMap((seg, i) => segmentTokens(seg, i)),
    style,
  );
}

/**
 * Cues re-timed to the edited timeline: the words that fall inside a kept clip (by their midpoint) are moved
 * to the clip's timeline position; words that were cut disappear from the text. Cues are then cut from the
 * whole word stream, so a sentence split by an edit still reads as one when it fits.
 */
export function retimedCues(
  t: Timeline,
  transcripts: ReadonlyMap<string, Pick<Transcript, 'segments'>>,
  style: SubtitleStyle = DEFAULT_SUBTITLE_STYLE,
): Cue[] {
  const tokens: Token[] = [];
  let segment = 0;
  for (const c of [...t.clips].sort((a, b) => a.start - b.start)) {
    const m = mediaById(t, c.media);
    const tr = transcripts.get(m.path);
    if (!tr) continue;
    const clipStart = framesToSeconds(c.in, t.fps);
    const clipEnd = framesToSeconds(c.out, t.fps);
    const offset = framesToSeconds(c.start, t.fps) - clipStart;
    // Clamp to the clip so a word never outlives the picture it belongs to.
    const move = (s: number) => Math.min(clipEnd, Math.max(clipStart, s)) + offset;
    for (const seg of tr.segments) {
      segment++;
      if (seg.end <= clipStart || seg.start >= clipEnd) continue;
      for (const w of segmentTokens(seg, segment)) {
        const mid = (w.start + w.end) / 2;
        if (mid >= clipStart && mid < clipEnd)
          tokens.push({ start: move(w.start), end: move(w.end), text: w.text, segment });
      }
    }
  }
  return cuesFromTokens(tokens, style);
}

export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map((c, i) => `${i + 1}\n${subtitleTime(c.start, ',')} --> ${subtitleTime(c.end, ',')}\n${c.text}\n`)
    .join('\n');
}

/** WebVTT cue text is HTML-like: &, < and > must be escaped. */
const vttText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function toVtt(cues: readonly Cue[]): string {
  return `WEBVTT\n\n${cues.map((c) => `${subtitleTime(c.start, '.')} --> ${subtitleTime(c.end, '.')}\n${vttText(c.text)}\n`).join('\n')}`;
}

/** A transcript as SRT / VTT on its own clock (no edit applied). */
export const transcriptToSrt = (tr: Pick<Transcript, 'segments'>, style?: SubtitleStyle): string =>
  toSrt(transcriptCues(tr, style));
export const transcriptToVtt = (tr: Pick<Transcript, 'segments'>, style?: SubtitleStyle): string =>
  toVtt(transcriptCues(tr, style));
