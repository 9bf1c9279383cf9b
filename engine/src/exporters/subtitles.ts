import type { Transcript } from '../schemas/transcript.js';
import { mediaById, type Timeline } from '../timeline/model.js';
import { framesToSeconds, subtitleTime } from '../timeline/timecode.js';
import { oneLine } from './text.js';

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

/** The cost of breaking after `word` (line or cue): cheap after a sentence or clause, dear after "the". */
function breakCost(word: string): number {
  if (SENTENCE_END.test(word)) return -0.6;
  if (CLAUSE_END.test(word)) return -0.3;
  return WEAK.has(word.replace(/[^\p{L}']/gu, '')) ? 0.8 : 0;
}

/** Words [a, b) of a text, as line layouts see them: O(1) line lengths from prefix sums. */
interface WordRun {
  /** prefix[k]: characters of words before k (without spaces). */
  prefix: readonly number[];
  /** Break cost after word k. */
  brk: readonly number[];
}

const lineLen = (w: WordRun, i: number, j: number) => w.prefix[j]! - w.prefix[i]! + (j - i - 1);

/** A line of words [i, j): slack squared, an orphan word, a weak break at its end; Infinity when too long. */
function lineCost(w: WordRun, i: number, j: number, width: number, last: boolean): number {
  const l = lineLen(w, i, j);
  if (l > width && j - i > 1) return Number.POSITIVE_INFINITY;
  const slack = (width - Math.min(width, l)) / width;
  return slack * slack + (j - i === 1 ? 2 : 0) + (last ? 0 : 0.3 * w.brk[j - 1]!);
}

/**
 * Balanced line breaks of words [a, b): the fewest lines of at most `width` characters, then the breaks
 * that make lines even (bottom line the longer on a tie), never a one-word line when another break exists,
 * and not right after an article or preposition. undefined when they do not fit in `maxLines` lines (a
 * single word longer than a line gets a line of its own). Returns the index after each line.
 */
function layout(
  w: WordRun,
  a: number,
  b: number,
  width: number,
  maxLines: number,
): { cost: number; ends: number[] } | undefined {
  const n = b - a;
  if (n <= 1 || lineLen(w, a, b) <= width) return { cost: 0, ends: [b] };
  if (maxLines >= 2) {
    // Two lines, the common case: one scan over the break point.
    let cost = Number.POSITIVE_INFINITY;
    let at = -1;
    for (let k = a + 1; k < b; k++) {
      const c =
        lineCost(w, a, k, width, false) +
        lineCost(w, k, b, width, true) +
        (lineLen(w, a, k) > lineLen(w, k, b) ? 0.05 : 0);
      if (c < cost) {
        cost = c;
        at = k;
      }
    }
    if (at > 0 && cost < Number.POSITIVE_INFINITY) return { cost, ends: [at, b] };
  }
  // More lines: dynamic programming over line ends.
  for (let lines = 3; lines <= Math.min(maxLines, n); lines++) {
    const best: ({ cost: number; from: number } | undefined)[][] = [[{ cost: 0, from: -1 }]];
    for (let k = 1; k <= lines; k++) {
      best[k] = [];
      for (let j = k; j <= n; j++) {
        for (let i = k - 1; i < j; i++) {
          const prev = best[k - 1]![i];
          if (!prev) continue;
          const cost = prev.cost + lineCost(w, a + i, a + j, width, j === n);
          if (cost < (best[k]![j]?.cost ?? Number.POSITIVE_INFINITY)) best[k]![j] = { cost, from: i };
        }
      }
    }
    const end = best[lines]![n];
    if (!end) continue;
    const ends: number[] = [];
    for (let k = lines, j = n; k > 0; j = best[k]![j]!.from, k--) ends.unshift(a + j);
    return { cost: end.cost, ends };
  }
  return undefined;
}

/** layout()'s cost alone, without allocating for one or two lines (the cue search calls it per candidate). */
function layoutCost(w: WordRun, a: number, b: number, width: number, maxLines: number): number {
  if (b - a <= 1 || lineLen(w, a, b) <= width) return 0;
  if (maxLines >= 2) {
    let cost = Number.POSITIVE_INFINITY;
    for (let k = a + 1; k < b; k++) {
      const c =
        lineCost(w, a, k, width, false) +
        lineCost(w, k, b, width, true) +
        (lineLen(w, a, k) > lineLen(w, k, b) ? 0.05 : 0);
      if (c < cost) cost = c;
    }
    if (cost < Number.POSITIVE_INFINITY || maxLines === 2) return cost;
  }
  return layout(w, a, b, width, maxLines)?.cost ?? Number.POSITIVE_INFINITY;
}

const wordRun = (words: readonly string[]): WordRun => {
  const prefix = [0];
  for (const x of words) prefix.push(prefix.at(-1)! + x.length);
  return { prefix, brk: words.map(breakCost) };
};

const setLines = (words: readonly string[], a: number, ends: readonly number[]) =>
  ends.map((e, k) => words.slice(k === 0 ? a : ends[k - 1], e).join(' ')).join('\n');

/** Balanced line breaks (see `layout`); undefined when the text needs more than `maxLines` lines. */
export function layoutLines(
  text: string,
  width = DEFAULT_SUBTITLE_STYLE.maxLineChars,
  maxLines = DEFAULT_SUBTITLE_STYLE.maxLines,
): string[] | undefined {
  const words = text.split(/\s+/).filter(Boolean);
  const l = layout(wordRun(words), 0, words.length, width, maxLines);
  return l && setLines(words, 0, l.ends).split('\n');
}

/** Balanced line breaks for any length of text (as many lines as it takes). */
export function wrapLines(text: string, width = DEFAULT_SUBTITLE_STYLE.maxLineChars): string {
  return (layoutLines(text, width, Number.POSITIVE_INFINITY) ?? [text]).join('\n');
}

/** When a cue leaves the screen: held for min duration and reading speed, never into the next cue. */
function cueEnd(start: number, spokenEnd: number, next: number, chars: number, s: SubtitleStyle): number {
  const spoken = Math.max(spokenEnd, start);
  const wanted = Math.max(spoken, start + s.minDuration, start + chars / s.maxCps);
  const held = Math.min(wanted, Math.max(spoken, start + s.maxDuration), next - s.minGap);
  // Speech that runs right up to the next cue ends where that one starts (no gap to keep then).
  return Math.max(held, Math.min(spoken, next));
}

/** Punctuation a transcript gives as a word of its own goes with the word before it. */
function attachPunctuation(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const text = t.text.trim();
    if (!text) continue;
    const prev = out.at(-1);
    if (prev && /^[,.!?;:…]+$/.test(text)) {
      prev.text += text;
      prev.end = Math.max(prev.end, t.end);
    } else out.push({ ...t, text });
  }
  return out;
}

/**
 * Words → cues, choosing every cue boundary at once (dynamic programming over the word stream): cues fit
 * the lines, last at most maxDuration, hold no long pause, and cost more when they are one word long,
 * read faster than maxCps, stay less than minDuration, cross a sentence, or end after a weak word.
 */
function cuesFromTokens(unsorted: readonly Token[], s: SubtitleStyle): Cue[] {
  const tokens = attachPunctuation([...unsorted].sort((a, b) => a.start - b.start));
  const n = tokens.length;
  if (n === 0) return [];
  const words = tokens.map((t) => t.text);
  const run = wordRun(words);
  const best: ({ cost: number; from: number; end: number } | undefined)[] = [{ cost: 0, from: -1, end: 0 }];
  for (let j = 1; j <= n; j++) {
    const last = tokens[j - 1]!;
    const next = j < n ? tokens[j]!.start : Number.POSITIVE_INFINITY;
    const cueBreak = j < n ? run.brk[j - 1]! - (next - last.end >= 0.3 ? 0.3 : 0) : 0;
    let inside = 0; // crossed sentences and pauses of tokens [i, j)
    for (let i = j - 1; i >= 0; i--) {
      const count = j - i;
      const first = tokens[i]!;
      if (count > 1) {
        const gap = tokens[i + 1]!.start - first.end;
        if (last.end - first.start > s.maxDuration || gap > MAX_PAUSE_IN_CUE) break;
        inside += (tokens[i + 1]!.segment !== first.segment ? 1 : 0) + (gap > 0.5 ? gap : 0);
      }
      const lines = layoutCost(run, i, j, s.maxLineChars, s.maxLines);
      if (lines === Number.POSITIVE_INFINITY) break; // longer runs only get longer
      const prev = best[i];
      if (!prev) continue;
      const chars = run.prefix[j]! - run.prefix[i]! + count - 1;
      const end = cueEnd(first.start, last.end, next, chars, s);
      const shown = end - first.start;
      const cps = chars / Math.max(shown, 1e-3);
      let cost = prev.cost + 1 + lines + inside + cueBreak;
      if (count === 1 && n > 1) cost += 4; // an orphan cue
      if (cps > s.maxCps) cost += 3 * (cps / s.maxCps - 1);
      if (shown < s.minDuration) cost += (2 * (s.minDuration - shown)) / s.minDuration;
      if (cost < (best[j]?.cost ?? Number.POSITIVE_INFINITY)) best[j] = { cost, from: i, end };
    }
  }
  const cues: Cue[] = [];
  for (let j = n; j > 0; j = best[j]!.from) {
    const b = best[j]!;
    const ends = layout(run, b.from, j, s.maxLineChars, s.maxLines)?.ends ?? [j];
    cues.unshift({ start: tokens[b.from]!.start, end: b.end, text: setLines(words, b.from, ends) });
  }
  // Words with no time between them (clamped at a clip edge, or overlapping in the transcript) would give an
  // empty cue: its text goes to the next one.
  for (let k = cues.length - 2; k >= 0; k--) {
    const c = cues[k]!;
    if (c.end > c.start) continue;
    const next = cues[k + 1]!;
    const text = `${c.text.replace(/\n/g, ' ')} ${next.text.replace(/\n/g, ' ')}`;
    next.start = c.start;
    next.text = (layoutLines(text, s.maxLineChars, s.maxLines) ?? [text]).join('\n');
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

/**
 * Cue text as subtitle lines: a blank line would end the cue early and control characters show as garbage,
 * so each line is put on one line (oneLine) and empty lines are dropped.
 */
const cueLines = (text: string) =>
  text
    .split('\n')
    .map((l) => oneLine(l).trim())
    .filter(Boolean)
    .join('\n');

export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map(
      (c, i) =>
        `${i + 1}\n${subtitleTime(c.start, ',')} --> ${subtitleTime(c.end, ',')}\n${cueLines(c.text)}\n`,
    )
    .join('\n');
}

/** WebVTT cue text is HTML-like: &, < and > must be escaped. */
const vttText = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export function toVtt(cues: readonly Cue[]): string {
  return `WEBVTT\n\n${cues.map((c) => `${subtitleTime(c.start, '.')} --> ${subtitleTime(c.end, '.')}\n${vttText(cueLines(c.text))}\n`).join('\n')}`;
}

/** A transcript as SRT / VTT on its own clock (no edit applied). */
export const transcriptToSrt = (tr: Pick<Transcript, 'segments'>, style?: SubtitleStyle): string =>
  toSrt(transcriptCues(tr, style));
export const transcriptToVtt = (tr: Pick<Transcript, 'segments'>, style?: SubtitleStyle): string =>
  toVtt(transcriptCues(tr, style));
