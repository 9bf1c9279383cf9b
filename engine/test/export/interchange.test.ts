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
      const framesAt = (s: string, fps: Timeline['fps']) => {
        const m = /^(\d+)(?:\/(\d+))?s$/.exec(s);
        assert.ok(m, `rational time ${s}`);
        const num = Number(m[1]) * fps.num;
        const den = Number(m[2] ?? 1) * fps.den;
        assert.equal(num % den, 0, `${s} is a whole number of frames at ${fps.num}/${fps.den}`);
        return num / den;
      };
      const frames = (s: string) => framesAt(s, t.fps);
      const formats = [].concat(x.fcpxml.resources.format) as Record<string, string>[];
      const fmt = formats.find((f) => f.id === 'r1')!;
      assert.equal(frames(fmt.frameDuration), 1);
      assert.deepEqual([fmt.width, fmt.height], [String(t.width), String(t.height)]);
      // Each asset's format is its source's own rate; its duration is whole frames at that rate.
      const rateOfFormat = new Map(
        formats.map((f) => {
          const [n, d] = f.frameDuration!.replace(/s$/, '').split('/').map(Number) as [number, number];
          return [f.id!, { num: d ?? 1, den: n }] as const;
        }),
      );
      for (const a of [].concat(x.fcpxml.resources.asset) as Record<string, string>[]) {
        const m = t.media[Number(a.id!.slice(1)) - 2]!;
        const rate = rateOfFormat.get(a.format!)!;
        if (m.hasVideo) {
          assert.equal(rate.num * m.fps.den, m.fps.num * rate.den, `${m.name}: asset format at its own rate`);
          assert.equal(framesAt(a.duration!, rate), m.frames, `${m.name}: asset duration`);
        }
      }
      const srcRate = (ref: string) => {
        const a = ([].concat(x.fcpxml.resources.asset) as Record<string, string>[]).find(
          (y) => y.id === ref,
        )!;
        return rateOfFormat.get(a.format!)!;
      };
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
          srcIn: framesAt(c.start, srcRate(c.ref)),
          length: frames(c.duration),
          start: frames(c.offset),
        })),
        t.clips.map((c) => {
          const m = mediaById(t, c.media);
          return { path: m.path, srcIn: m.hasVideo ? c.srcIn : c.in, length: clipLength(c), start: c.start };
        }),
        t.name,
      );
      const markers = clips.flatMap((c) =>
        ([] as { start: string; value: string }[]).concat((c.marker as never) ?? []).map((m) => {
          const r = srcRate(c.ref);
          const into = framesAt(m.start, r) - framesAt(c.start, r);
          return {
            frame: frames(c.offset) + Math.round((into * r.den * t.fps.num) / (r.num * t.fps.den)),
            label: m.value,
          };
        }),
      );
      assert.deepEqual(markers, t.markers);
    }
  });

  it('OTIO: video and audio tracks (gaps included) give back the clips, rate and markers', () => {
    for (const t of timelines()) {
      const o = JSON.parse(EXPORTERS.otio.write(t, none));
      assert.equal(o.OTIO_SCHEMA, 'Timeline.1');
      const rate = t.fps.num / t.fps.den;
      // Clips carry their source's own rate and frames; gaps the timeline's. Positions are read back in
      // seconds and rounded to timeline frames (a clip of another rate lasts within a frame of its slot).
      const read = (track: { kind: string; children: Record<string, never>[] }) => {
        let at = 0;
        const out: { path: string; srcIn: number; srcOut: number; start: number; rate: number }[] = [];
        for (const c of track.children) {
          const r = c.source_range as {
            start_time: { value: number; rate: number };
            duration: { value: number; rate: number };
          };
          if (c.OTIO_SCHEMA === 'Clip.2') {
            const ref = (c.media_references as Record<string, { target_url: string }>)[
              c.active_media_reference_key
            ]!;
            out.push({
              path: fileURLToPath(ref.target_url),
              srcIn: r.start_time.value,
              srcOut: r.start_time.value + r.duration.value,
              start: Math.round(at * rate),
              rate: r.start_time.rate,
            });
          } else assert.equal(r.start_time.rate, rate, 'gaps at the timeline rate');
          at += r.duration.value / r.duration.rate;
        }
        return out;
      };
      const want = (keep: (m: Timeline['media'][number]) => boolean) =>
        t.clips
          .filter((c) => keep(mediaById(t, c.media)))
          .map((c) => {
            const m = mediaById(t, c.media);
            return m.hasVideo
              ? {
                  path: m.path,
                  srcIn: c.srcIn,
                  srcOut: c.srcOut,
                  start: c.start,
                  rate: m.fps.num / m.fps.den,
                }
              : { path: m.path, srcIn: c.in, srcOut: c.out, start: c.start, rate };
          });
      const [v, a] = o.tracks.children;
      assert.deepEqual([v.kind, a.kind], ['Video', 'Audio']);
      assert.deepEqual(
        read(v),
        want((m) => m.hasVideo),
        `${t.name}: video`,
      );
      assert.deepEqual(
        read(a),
        want((m) => m.hasAudio),
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
