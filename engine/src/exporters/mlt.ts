import { clipLength, mediaById, type Timeline } from '../timeline/model.js';
import { clock } from '../timeline/timecode.js';
import { printableNames } from './text.js';
import { avformatProps, create, profile, props, type StreamUse } from './xml.js';

/**
 * Shotcut-flavoured MLT XML: a project Shotcut opens with its clips on the timeline (main_bin, black
 * background track, V1 with the pictures, A1 with the sound, mix transitions), and that `melt` renders.
 * Pure: timeline in, XML out. In/out points are integer frames, so nothing drifts.
 */
export function toMlt(timeline: Timeline): string {
  const t = printableNames(timeline);
  const last = Math.max(0, t.length - 1);
  const doc = create({ version: '1.0', encoding: 'utf-8' });
  const mlt = doc.ele('mlt', { LC_NUMERIC: 'C', version: '7.12.0', title: t.name, producer: 'main_bin' });
  profile(mlt, t);

  // One chain per use, as Shotcut writes them: each clip on the timeline can then be trimmed independently.
  let n = 0;
  const chain = (mediaId: string, kind: StreamUse): string => {
    const m = mediaById(t, mediaId);
    const id = `chain${n++}`;
    const el = mlt.ele('chain', { id, out: m.length - 1 });
    props(el, {
      ...avformatProps(m, kind),
      'shotcut:caption': m.name,
    });
    return id;
  };

  const bin = t.media.map((m) => ({ id: chain(m.id, 'bin'), m }));
  const mainBin = mlt.ele('playlist', { id: 'main_bin' });
  props(mainBin, { xml_retain: 1 });
  for (const b of bin) mainBin.ele('entry', { producer: b.id, in: 0, out: b.m.length - 1 });

  const black = mlt.ele('producer', { id: 'black', in: 0, out: last });
  props(black, {
    length: t.length,
    eof: 'pause',
    resource: 0,
    aspect_ratio: 1,
    mlt_service: 'color',
    mlt_image_format: 'rgba',
    'set.test_audio': 0,
  });
  mlt.ele('playlist', { id: 'background' }).ele('entry', { producer: 'black', in: 0, out: last });

  const track = (id: string, kind: 'video' | 'audio') => {
    const clips = t.clips
      .map((c) => ({ c, m: mediaById(t, c.media) }))
      .filter(({ m }) => (kind === 'video' ? m.hasVideo : m.hasAudio));
    const ids = clips.map(({ c }) => chain(c.media, kind));
    const pl = mlt.ele('playlist', { id });
    props(
      pl,
      kind === 'video'
        ? { 'shotcut:video': 1, 'shotcut:name': 'V1' }
        : { 'shotcut:audio': 1, 'shotcut:name': 'A1' },
    );
    let at = 0;
    clips.forEach(({ c }, i) => {
      if (c.start > at) pl.ele('blank', { length: c.start - at });
      pl.ele('entry', { producer: ids[i]!, in: c.in, out: c.out - 1 });
      at = c.start + clipLength(c);
    });
    return clips.length > 0;
  };
  const hasVideo = track('playlist0', 'video');
  const hasAudio = track('playlist1', 'audio');

  const tractor = mlt.ele('tractor', { id: 'tractor0', title: t.name, global_feed: 1, in: 0, out: last });
  props(tractor, { shotcut: 1, 'shotcut:projectAudioChannels': t.audioChannels, 'shotcut:projectFolder': 0 });
  if (t.markers.length) {
    const markers = tractor.ele('properties', { name: 'shotcut:markers' });
    t.markers.forEach((mk, i) => {
      props(markers.ele('properties', { name: String(i) }), {
        text: mk.label,
        start: clock(mk.frame, t.fps),
        end: clock(mk.frame, t.fps),
        color: '#00a0ff',
      });
    });
  }
  tractor.ele('track', { producer: 'background' });
  tractor.ele('track', { producer: 'playlist0', ...(hasVideo ? {} : { hide: 'video' }) });
  tractor.ele('track', { producer: 'playlist1', hide: 'video' });
  // Audio of every track is summed onto the background; V1 is the only picture, so its blend stays disabled.
  props(tractor.ele('transition', { id: 'transition0' }), {
    a_track: 0,
    b_track: 1,
    mlt_service: 'mix',
    always_active: 1,
    sum: 1,
  });
  props(tractor.ele('transition', { id: 'transition1' }), {
    a_track: 0,
    b_track: 1,
    version: '0.1',
    mlt_service: 'qtblend',
    disable: 1,
  });
  if (hasAudio)
    props(tractor.ele('transition', { id: 'transition2' }), {
      a_track: 0,
      b_track: 2,
      mlt_service: 'mix',
      always_active: 1,
      sum: 1,
    });
  return doc.end({ prettyPrint: true });
}
