import type { Transcript } from '../schemas/transcript.js';
import { mediaById, type Timeline } from '../timeline/model.js';
import { framesToSeconds, subtitleTime } from '../timeline/timecode.js';
import { oneLine } from './text.js';

export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** Readable cues: at most two lines of 42 characters, at most 7 s on screen (common broadcast guidance). */
const MAX_LINE = 42;
const MAX_LINES = 2;
const MAX_SECONDS = 7;

interface TimedWord {
  start: number;
  end: number;
  text: string;
}

const joinWords = (words: readonly { text: string }[]) =>
  words
    .map((w) => w.text.trim())
    .filter(Boolean)
    .join(' ')
    .replace(/\s+([,.!?;:])/g, '$1');

/** Greedy line breaks at spaces, lines of at most MAX_LINE characters (a longer word gets its own line). */
export function wrapLines(text: string, width = MAX_LINE): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Words → cues, split at word boundaries where a cue would grow past two lines or 7 s. */
function cuesFromWords(words: readonly TimedWord[]): Cue[] {
  const cues: Cue[] = [];
  let run: TimedWord[] = [];
  const flush = () => {
    if (run.length)
      cues.push({ start: run[0]!.start, end: run.at(-1)!.end, text: wrapLines(joinWords(run)) });
    run = [];
  };
  for (const w of words) {
    if (!w.text.trim()) continue;
    const next = [...run, w];
    const fits =
      wrapLines(joinWords(next)).split('\n').length <= MAX_LINES &&
      w.end - (run[0]?.start ?? w.start) <= MAX_SECONDS;
    if (!fits) flush();
    run.push(w);
  }
  flush();
  return cues;
}

/** Cues on the source's clock, straight from a transcript (what `autoedit stt --srt` writes). */
export function transcriptCues(tr: Pick<Transcript, 'segments'>): Cue[] {
  return tr.segments.flatMap((s) =>
    s.words.some((w) => w.text.trim())
      ? cuesFromWords(s.words)
      : s.text.trim()
        ? [{ start: s.start, end: s.end, text: wrapLines(s.text.trim()) }]
        : [],
  );
}

/**
 * Cues re-timed to the edited timeline: the words of each segment that fall inside a kept clip (by their
 * midpoint) are moved to the clip's timeline position; words that were cut disappear from the text.
 */
export function retimedCues(
  t: Timeline,
  transcripts: ReadonlyMap<string, Pick<Transcript, 'segments'>>,
): Cue[] {
  const cues: Cue[] = [];
  for (const c of t.clips) {
    const m = mediaById(t, c.media);
    const tr = transcripts.get(m.path);
    if (!tr) continue;
    const clipStart = framesToSeconds(c.in, t.fps);
    const clipEnd = framesToSeconds(c.out, t.fps);
    const offset = framesToSeconds(c.start, t.fps) - clipStart;
    // Clamp to the clip so a cue never outlives the picture it belongs to.
    const move = (s: number) => Math.min(clipEnd, Math.max(clipStart, s)) + offset;
    for (const seg of tr.segments) {
      if (seg.end <= clipStart || seg.start >= clipEnd) continue;
      if (seg.words.length === 0) {
        if (seg.text.trim())
          cues.push({ start: move(seg.start), end: move(seg.end), text: wrapLines(seg.text.trim()) });
        continue;
      }
      const kept = seg.words.filter((w) => {
        const mid = (w.start + w.end) / 2;
        return mid >= clipStart && mid < clipEnd;
      });
      cues.push(
        ...cuesFromWords(kept.map((w) => ({ start: move(w.start), end: move(w.end), text: w.text }))),
      );
    }
  }
  return cues;
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
export const transcriptToSrt = (tr: Pick<Transcript, 'segments'>): string => toSrt(transcriptCues(tr));
export const transcriptToVtt = (tr: Pick<Transcript, 'segments'>): string => toVtt(transcriptCues(tr));
