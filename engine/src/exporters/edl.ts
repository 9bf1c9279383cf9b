import { sameRational } from '@autoedit/media';
import { clipLength, mediaById, type Timeline } from '../timeline/model.js';
import { smpte } from '../timeline/timecode.js';
import { oneLine, printableNames } from './text.js';

const rateText = (r: Timeline['fps']) => `${+(r.num / r.den).toFixed(3)}`;

/**
 * What a CMX 3600 EDL of this timeline cannot say: it has one frame rate for every timecode, so a source at
 * another rate gets source timecodes at the timeline's rate (same times, not its own frame numbers).
 */
export function edlCaveats(t: Timeline): string[] {
  const other = t.media.filter((m) => m.hasVideo && !sameRational(m.fps, t.fps));
  return other.map(
    (m) =>
      `EDL: ${m.name} is ${rateText(m.fps)} fps on a ${rateText(t.fps)} fps timeline; CMX 3600 has one rate, so its source timecodes are at ${rateText(t.fps)} fps (its own-rate timecodes are in comment lines). FCPXML and OTIO keep each source's own rate.`,
  );
}

/**
 * CMX3600 EDL: one event per clip, source and record timecodes (non-drop), clip names as comments. Every
 * timecode is at the timeline's rate (the format has one); a source at another rate also gets a comment
 * with its source timecodes at its own rate, so nothing is silently re-based.
 */
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
    );
    if (m.hasVideo && !sameRational(m.fps, t.fps))
      lines.push(
        `* SOURCE RATE: ${rateText(m.fps)} FPS; SOURCE TC AT THAT RATE ${smpte(c.srcIn, m.fps)} ${smpte(c.srcOut, m.fps)} (CMX 3600 HAS ONE RATE: THE EVENT LINE IS AT ${rateText(t.fps)} FPS)`,
      );
    lines.push('');
  });
  return `${lines.join('\n')}\n`;
}
