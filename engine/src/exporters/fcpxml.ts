import { pathToFileURL } from 'node:url';
import { type Rational, sameRational } from '@autoedit/media';
import { clipLength, mediaById, type Timeline, type TimelineMedia } from '../timeline/model.js';
import { printableNames } from './text.js';
import { create } from './xml.js';

/** FCPXML rational time of `frames` at `fps` ("1001/30000s"), exact. */
const timeAt = (frames: number, fps: Rational) => (frames === 0 ? '0s' : `${frames * fps.den}/${fps.num}s`);

/**
 * FCPXML 1.9: rational times so frames stay exact; one asset per source, clips on the spine. The sequence
 * has the timeline's format; each asset has its source's own format (rate and displayed size), so a
 * 29.97 fps clip on a 25 fps timeline lasts 19.987 s, not 20 s: clip offsets and durations are in sequence
 * time, clip starts (and markers) in the source's own time, as Final Cut Pro writes them.
 */
export function toFcpxml(timeline: Timeline): string {
  const t = printableNames(timeline);
  const time = (frames: number) => timeAt(frames, t.fps);
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  doc.dtd({ name: 'fcpxml' });
  const root = doc.ele('fcpxml', { version: '1.9' });
  const res = root.ele('resources');
  const formats: { id: string; fps: Rational; width: number; height: number }[] = [
    { id: 'r1', fps: t.fps, width: t.width, height: t.height },
  ];
  const formatOf = (m: TimelineMedia): string => {
    // Sound-only sources have no picture format of their own: they take the sequence's.
    if (!m.hasVideo) return 'r1';
    const [width, height] = [m.width ?? t.width, m.height ?? t.height];
    const same = formats.find((f) => sameRational(f.fps, m.fps) && f.width === width && f.height === height);
    if (same) return same.id;
    const id = `r${t.media.length + 1 + formats.length}`;
    formats.push({ id, fps: m.fps, width, height });
    return id;
  };
  const assetFormat = t.media.map(formatOf);
  for (const f of formats)
    res.ele('format', {
      id: f.id,
      name: 'FFVideoFormatRateUndefined',
      frameDuration: timeAt(1, f.fps),
      width: f.width,
      height: f.height,
    });
  // An asset's time is its source's own: frames at the source rate (audio-only sources: the sequence's).
  const rateOf = (m: TimelineMedia) => (m.hasVideo ? m.fps : t.fps);
  const srcFrames = (m: TimelineMedia, c: { in: number; srcIn: number }) => (m.hasVideo ? c.srcIn : c.in);
  t.media.forEach((m, i) => {
    res
      .ele('asset', {
        id: `r${i + 2}`,
        name: m.name,
        start: '0s',
        duration: m.hasVideo ? timeAt(m.frames, m.fps) : time(m.length),
        hasVideo: m.hasVideo ? 1 : 0,
        hasAudio: m.hasAudio ? 1 : 0,
        format: assetFormat[i],
        audioSources: m.hasAudio ? 1 : 0,
        audioChannels: m.audioChannels ?? 2,
      })
      .ele('media-rep', { kind: 'original-media', src: pathToFileURL(m.path).href });
  });
  const seq = root
    .ele('library')
    .ele('event', { name: t.name })
    .ele('project', { name: t.name })
    .ele('sequence', {
      format: 'r1',
      duration: time(t.length),
      tcStart: '0s',
      tcFormat: 'NDF',
      audioLayout: 'stereo',
      audioRate: '48k',
    });
  const spine = seq.ele('spine');
  for (const c of t.clips) {
    const m = mediaById(t, c.media);
    const i = t.media.indexOf(m);
    const rate = rateOf(m);
    const clip = spine.ele('asset-clip', {
      ref: `r${i + 2}`,
      name: m.name,
      offset: time(c.start),
      start: timeAt(srcFrames(m, c), rate),
      duration: time(clipLength(c)),
      format: assetFormat[i],
      tcFormat: 'NDF',
    });
    for (const mk of t.markers) {
      if (mk.frame < c.start || mk.frame >= c.start + clipLength(c)) continue;
      // The marker's place in the clip, in the source's own frames (rounded to the nearest).
      const into = Math.round(((mk.frame - c.start) * t.fps.den * rate.num) / (t.fps.num * rate.den));
      clip.ele('marker', {
        start: timeAt(srcFrames(m, c) + into, rate),
        duration: timeAt(1, rate),
        value: mk.label,
      });
    }
  }
  return doc.end({ prettyPrint: true });
}
