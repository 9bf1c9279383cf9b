import { pathToFileURL } from 'node:url';
import { clipLength, mediaById, type Timeline } from '../timeline/model.js';
import { printableNames } from './text.js';

const rt = (value: number, rate: number) => ({ OTIO_SCHEMA: 'RationalTime.1', rate, value });
const range = (start: number, duration: number, rate: number) => ({
  OTIO_SCHEMA: 'TimeRange.1',
  duration: rt(duration, rate),
  start_time: rt(start, rate),
});

/**
 * OpenTimelineIO JSON (Timeline.1): a video and an audio track, gaps where a track has no clip, markers.
 * A clip's source and available ranges are at its source's own rate (OTIO mixes rates freely); gaps and
 * markers are at the timeline's.
 */
export function toOtio(timeline: Timeline): string {
  const t = printableNames(timeline);
  const rate = t.fps.num / t.fps.den;
  const track = (kind: 'Video' | 'Audio') => {
    const children: unknown[] = [];
    let at = 0;
    for (const c of t.clips) {
      const m = mediaById(t, c.media);
      if (kind === 'Video' ? !m.hasVideo : !m.hasAudio) continue;
      if (c.start > at)
        children.push({ OTIO_SCHEMA: 'Gap.1', name: '', source_range: range(0, c.start - at, rate) });
      // Sound-only sources have no frame rate of their own: their frames are the timeline's.
      const own = m.hasVideo;
      const srcRate = own ? m.fps.num / m.fps.den : rate;
      children.push({
        OTIO_SCHEMA: 'Clip.2',
        name: m.name,
        metadata: { autoedit: { reasons: c.reasons } },
        source_range: own ? range(c.srcIn, c.srcOut - c.srcIn, srcRate) : range(c.in, clipLength(c), rate),
        media_references: {
          DEFAULT_MEDIA: {
            OTIO_SCHEMA: 'ExternalReference.1',
            target_url: pathToFileURL(m.path).href,
            available_range: range(0, own ? m.frames : m.length, srcRate),
          },
        },
        active_media_reference_key: 'DEFAULT_MEDIA',
      });
      at = c.start + clipLength(c);
    }
    return { OTIO_SCHEMA: 'Track.1', name: kind === 'Video' ? 'V1' : 'A1', kind, children };
  };
  const doc = {
    OTIO_SCHEMA: 'Timeline.1',
    name: t.name,
    global_start_time: rt(0, rate),
    metadata: { autoedit: { fps: `${t.fps.num}/${t.fps.den}`, width: t.width, height: t.height } },
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      name: 'tracks',
      children: [track('Video'), track('Audio')],
      markers: t.markers.map((mk) => ({
        OTIO_SCHEMA: 'Marker.2',
        name: mk.label,
        color: 'RED',
        marked_range: range(mk.frame, 0, rate),
      })),
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
