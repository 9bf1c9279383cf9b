import { pathToFileURL } from 'node:url';
import { clipLength, mediaById, type Timeline } from '../timeline/model.js';
import { printableNames } from './text.js';
import { create } from './xml.js';

/** FCPXML 1.9: rational times ("1001/30000s") so frames stay exact; one asset per source, clips on the spine. */
export function toFcpxml(timeline: Timeline): string {
  const t = printableNames(timeline);
  const time = (frames: number) => (frames === 0 ? '0s' : `${frames * t.fps.den}/${t.fps.num}s`);
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  doc.dtd({ name: 'fcpxml' });
  const root = doc.ele('fcpxml', { version: '1.9' });
  const res = root.ele('resources');
  res.ele('format', {
    id: 'r1',
    name: 'FFVideoFormatRateUndefined',
    frameDuration: time(1),
    width: t.width,
    height: t.height,
  });
  t.media.forEach((m, i) => {
    res
      .ele('asset', {
        id: `r${i + 2}`,
        name: m.name,
        start: '0s',
        duration: time(m.length),
        hasVideo: m.hasVideo ? 1 : 0,
        hasAudio: m.hasAudio ? 1 : 0,
        format: 'r1',
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
    const clip = spine.ele('asset-clip', {
      ref: `r${t.media.indexOf(m) + 2}`,
      name: m.name,
      offset: time(c.start),
      start: time(c.in),
      duration: time(clipLength(c)),
      format: 'r1',
      tcFormat: 'NDF',
    });
    for (const mk of t.markers) {
      if (mk.frame >= c.start && mk.frame < c.start + clipLength(c))
        clip.ele('marker', { start: time(c.in + mk.frame - c.start), duration: time(1), value: mk.label });
    }
  }
  return doc.end({ prettyPrint: true });
}
