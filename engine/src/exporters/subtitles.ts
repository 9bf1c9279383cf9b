import type { Transcript } from '../schemas/transcript.js';
import { mediaById, type Timeline } from '../timeline/model.js';
import { framesToSeconds, subtitleTime } from '../timeline/timecode.js';

export interface Cue {
  start: number;
  end: number;
  text: string;
}

/** One cue per transcript segment, on the source's clock. */
export function transcriptCues(tr: Pick<Transcript, 'segments'>): Cue[] {
  return tr.segments
    .filter((s) => s.text.trim())
    .map((s) => ({ start: s.start, end: s.end, text: s.text.trim() }));
}

/**
 * Cues re-timed to the edited timeline: the words of each segment that fall inside a kept clip (by their
 * midpoint) become a cue at the clip's timeline position; words that were cut disappear from the text.
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
    for (const seg of tr.segments) {
      if (seg.end <= clipStart || seg.start >= clipEnd) continue;
      const words = seg.words.filter(
        (w) => (w.start + w.end) / 2 >= clipStart && (w.start + w.end) / 2 < clipEnd,
      );
      const text = words.length
        ? words
            .map((w) => w.text.trim())
            .join(' ')
            .replace(/\s+([,.!?;:])/g, '$1')
        : seg.words.length
          ? ''
          : seg.text.trim();
      if (!text) continue;
      const start = Math.max(clipStart, words[0]?.start ?? seg.start);
      const end = Math.min(clipEnd, words.at(-1)?.end ?? seg.end);
      cues.push({ start: start + offset, end: Math.max(start, end) + offset, text });
    }
  }
  return cues;
}

export function toSrt(cues: readonly Cue[]): string {
  return cues
    .map((c, i) => `${i + 1}\n${subtitleTime(c.start, ',')} --> ${subtitleTime(c.end, ',')}\n${c.text}\n`)
    .join('\n');
}

export function toVtt(cues: readonly Cue[]): string {
  return `WEBVTT\n\n${cues.map((c) => `${subtitleTime(c.start, '.')} --> ${subtitleTime(c.end, '.')}\n${c.text}\n`).join('\n')}`;
}
