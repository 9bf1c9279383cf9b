import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { describe, it } from 'mocha';
import { EXPORTERS } from '../../src/exporters/index.js';
import { timelineFromSelection } from '../../src/timeline/from-selection.js';
import { clipLength, mediaById, type Timeline } from '../../src/timeline/model.js';
import { fixtures } from './fixtures.js';

const none = { transcripts: new Map() };
const timelines = () => Object.entries(fixtures()).map(([name, sel]) => timelineFromSelection(sel, name));
/** Every clip as (file, source in, source out, timeline start): what each format must carry exactly. */
const modelClips = (t: Timeline, keep: (m: Timeline['media'][number]) => boolean = () => true) =>
  t.clips
    .filter((c) => keep(mediaById(t, c.media)))
    .map((c) => ({ path: mediaById(t, c.media).path, in: c.in, out: c.out, start: c.start }));

describe('EDL, FCPXML and OTIO read back as the model', () => {
  it('EDL (CMX3600): every event carries the exact source and record frames', () => {
    for (const t of timelines()) {
      const text = EXPORTERS.edl.write(t, none);
      assert.match(text, new RegExp(`^TITLE: ${t.name}\nFCM: NON-DROP FRAME\n`));
      const base = Math.round(t.fps.num / t.fps.den);
      const frames = (tc: string) => {
        const [h, m, s, f] = tc.split(':').map(Number) as [number, number, number, number];
        return ((h * 60 + m) * 60 + s) * base + f;
      };
      const lines = text.split('\n');
      const events = lines.flatMap((l, i) => {
        const m = /^(\d{3}) {2}(\S+) +(\S+) +C +(\S+) (\S+) (\S+) (\S+)$/.exec(l);
        if (!m) return [];
        const file = /^\* SOURCE FILE: (.*)$/.exec(lines[i + 2]!)![1]!;
        assert.ok(m[2]!.length <= 8, 'reel names fit CMX3600');
        const [sIn, sOut, rIn, rOut] = [m[4]!, m[5]!, m[6]!, m[7]!].map(frames) as [
          number,
          number,
          number,
          number,
        ];
        assert.equal(sOut - sIn, rOut - rIn, 'source and record durations agree');
        return [{ n: Number(m[1]), channels: m[3], path: file, in: sIn, out: sOut, start: rIn }];
      });
      assert.deepEqual(
        events.map(({ n: _, channels: __, ...e }) => e),
        modelClips(t),
        t.name,
      );
      assert.deepEqual(
        events.map((e) => e.n),
        t.clips.map((_, i) => i + 1),
      );
      const chans = t.clips.map((c) => {
        const m = mediaById(t, c.media);
        return m.hasVideo && m.hasAudio ? 'AA/V' : m.hasVideo ? 'V' : 'AA';
      });
      assert.deepEqual(
        events.map((e) => e.channels),
        chans,
      );
    }
  });

  it('FCPXML 1.9: rational times give back the exact frames, assets point at the files', () => {
    for (const t of timelines()) {
      const x = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '',
        parseAttributeValue: false,
      }).parse(EXPORTERS.fcpxml.write(t, none));
      assert.equal(x.fcpxml.version, '1.9');
      const frames = (s: string) => {
        const m = /^(\d+)(?:\/(\d+))?s$/.exec(s);
        assert.ok(m, `rational time ${s}`);
        const num = Number(m[1]) * t.fps.num;
        const den = Number(m[2] ?? 1) * t.fps.den;
        assert.equal(num % den, 0, `${s} is a whole number of frames`);
        return num / den;
      };
      const fmt = x.fcpxml.resources.format;
      assert.equal(frames(fmt.frameDuration), 1);
      assert.deepEqual([fmt.width, fmt.height], [String(t.width), String(t.height)]);
      const assets = new Map<string, string>(
        []
          .concat(x.fcpxml.resources.asset)
          .map((a: { id: string; 'media-rep': { src: string } }) => [
            a.id,
            fileURLToPath(a['media-rep'].src),
          ]),
      );
      const seq = x.fcpxml.library.event.project.sequence;
      assert.equal(frames(seq.duration), t.length);
      const clips = [].concat(seq.spine['asset-clip']) as {
        ref: string;
        offset: string;
        start: string;
        duration: string;
        marker?: unknown;
      }[];
      assert.deepEqual(
        clips.map((c) => ({
          path: assets.get(c.ref),
          in: frames(c.start),
          out: frames(c.start) + frames(c.duration),
          start: frames(c.offset),
        })),
        modelClips(t),
        t.name,
      );
      const markers = clips.flatMap((c) =>
        ([] as { start: string; value: string }[])
          .concat((c.marker as never) ?? [])
          .map((m) => ({ frame: frames(c.offset) + frames(m.start) - frames(c.start), label: m.value })),
      );
      assert.deepEqual(markers, t.markers);
    }
  });

  it('OTIO: video and audio tracks (gaps included) give back the clips, rate and markers', () => {
    for (const t of timelines()) {
      const o = JSON.parse(EXPORTERS.otio.write(t, none));
      assert.equal(o.OTIO_SCHEMA, 'Timeline.1');
      const rate = t.fps.num / t.fps.den;
      const read = (track: { kind: string; children: Record<string, never>[] }) => {
        let at = 0;
        const out: ReturnType<typeof modelClips> = [];
        for (const c of track.children) {
          const r = c.source_range as {
            start_time: { value: number; rate: number };
            duration: { value: number };
          };
          assert.equal(r.start_time.rate, rate);
          if (c.OTIO_SCHEMA === 'Clip.2') {
            const ref = (c.media_references as Record<string, { target_url: string }>)[
              c.active_media_reference_key
            ]!;
            out.push({
              path: fileURLToPath(ref.target_url),
              in: r.start_time.value,
              out: r.start_time.value + r.duration.value,
              start: at,
            });
          }
          at += r.duration.value;
        }
        return out;
      };
      const [v, a] = o.tracks.children;
      assert.deepEqual([v.kind, a.kind], ['Video', 'Audio']);
      assert.deepEqual(
        read(v),
        modelClips(t, (m) => m.hasVideo),
        `${t.name}: video`,
      );
      assert.deepEqual(
        read(a),
        modelClips(t, (m) => m.hasAudio),
        `${t.name}: audio`,
      );
      assert.deepEqual(
        o.tracks.markers.map((m: { name: string; marked_range: { start_time: { value: number } } }) => ({
          frame: m.marked_range.start_time.value,
          label: m.name,
        })),
        t.markers,
      );
      assert.equal(o.metadata.autoedit.fps, `${t.fps.num}/${t.fps.den}`);
      assert.ok(t.clips.every((c) => clipLength(c) > 0));
    }
  });
});
