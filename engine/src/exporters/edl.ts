import { clipLength, mediaById, type Timeline } from '../timeline/model.js';
import { smpte } from '../timeline/timecode.js';
import { oneLine, printableNames } from './text.js';

/** CMX3600 EDL: one event per clip, source and record timecodes (non-drop), clip names as comments. */
export function toEdl(timeline: Timeline): string {
  // A CMX3600 event is lines: a newline in a name or path would start a bare line, so none survive.
  const t = printableNames(timeline);
  const lines = [`TITLE: ${t.name}`, 'FCM: NON-DROP FRAME', ''];
  t.clips.forEach((c, i) => {
    const m = mediaById(t, c.media);
    const channels = m.hasVideo && m.hasAudio ? 'AA/V' : m.hasVideo ? 'V' : 'AA';
    const reel = `AX${String(t.media.indexOf(m) + 1).padStart(2, '0')}`.padEnd(8);
    const rec = c.start;
    lines.push(
      `${String(i + 1).padStart(3, '0')}  ${reel} ${channels.padEnd(5)} C        ${smpte(c.in, t.fps)} ${smpte(c.out, t.fps)} ${smpte(rec, t.fps)} ${smpte(rec + clipLength(c), t.fps)}`,
      `* FROM CLIP NAME: ${m.name}`,
      `* SOURCE FILE: ${oneLine(m.path)}`,
      '',
    );
  });
  return `${lines.join('\n')}\n`;
}
