import { basename } from 'node:path';
import { sameRational } from '@autoedit/media';
import type { Selection, SelectionSource } from '../schemas/selection.js';
import { UserError } from '../util/errors.js';
import type { Timeline, TimelineClip, TimelineMedia } from './model.js';
import { chooseProfile, type ProfileChoice } from './profile.js';

/** Source frame (at the source's rate) → project frame; identity when the rates match. */
function toProjectFrame(frame: number, src: SelectionSource, fps: Timeline['fps']): number {
  if (sameRational(src.fps, fps)) return frame;
  return Math.round((frame * src.fps.den * fps.num) / (src.fps.num * fps.den));
}

/**
 * Pure: selection → timeline. The project takes the first video source's displayed size, pixel aspect and
 * rate (Shotcut's automatic profile; see chooseProfile), or the `profile` choice where it says otherwise.
 */
export function timelineFromSelection(
  sel: Selection,
  name = 'AutoEdit',
  opts: { profile?: ProfileChoice } = {},
): Timeline {
  if (sel.kept.length === 0)
    throw new UserError(
      'the selection keeps nothing: there is no timeline to export or render',
      'Loosen the rules (e.g. a lower silence threshold or shorter minimum clip) and run `autoedit select` again.',
    );
  const project = chooseProfile(sel.sources, opts.profile);
  const fps = project.fps;
  const media: TimelineMedia[] = sel.sources.map((s, i) => ({
    id: `m${i}`,
    path: s.source,
    name: basename(s.source),
    length: Math.max(1, toProjectFrame(s.frameCount, s, fps)),
    hasVideo: s.hasVideo,
    hasAudio: s.hasAudio,
    audioChannels: s.audioChannels,
    fps: s.fps,
    frames: Math.max(1, s.frameCount),
    width: s.hasVideo ? s.width : undefined,
    height: s.hasVideo ? s.height : undefined,
  }));
  const idOf = new Map(sel.sources.map((s, i) => [s.source, `m${i}`] as const));
  const clips: TimelineClip[] = [];
  const markers: Timeline['markers'] = [];
  let start = 0;
  for (const k of sel.kept) {
    const src = sel.sources.find((s) => s.source === k.source);
    if (!src)
      throw new UserError(
        `selection keeps a range of ${k.source}, which is not among its "sources"`,
        'The selection file was edited by hand or is damaged: run `autoedit select` again.',
      );
    if (k.endFrame <= k.startFrame || k.endFrame > src.frameCount)
      throw new UserError(
        `selection keeps frames ${k.startFrame}–${k.endFrame} of ${k.source}, which has frames 0–${src.frameCount} (end exclusive)`,
        'Each kept range needs startFrame < endFrame <= the source frameCount: fix it or run `autoedit select` again.',
      );
    const m = media[sel.sources.indexOf(src)]!;
    const inF = Math.min(m.length - 1, toProjectFrame(k.startFrame, src, fps));
    const outF = Math.min(m.length, Math.max(inF + 1, toProjectFrame(k.endFrame, src, fps)));
    for (const mk of sel.markers) {
      if (mk.source !== k.source || mk.time < k.start || mk.time >= k.end) continue;
      const f = Math.round((mk.time * fps.num) / fps.den);
      // A marker on a clip's first or last source frame may round just outside it: keep it on the clip.
      markers.push({ frame: start + Math.min(outF - inF - 1, Math.max(0, f - inF)), label: mk.label });
    }
    clips.push({
      media: idOf.get(k.source)!,
      in: inF,
      out: outF,
      start,
      srcIn: k.startFrame,
      srcOut: k.endFrame,
      reasons: k.reasons,
    });
    start += outF - inF;
  }
  return {
    version: 1,
    name,
    fps,
    width: project.width,
    height: project.height,
    sar: project.sar,
    audioChannels: 2,
    sampleRate: 48000,
    media,
    clips,
    markers: markers.sort((a, b) => a.frame - b.frame),
    length: start,
  };
}
