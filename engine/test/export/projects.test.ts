import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { meltRender } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { EXPORTERS } from '../../src/exporters/index.js';
import type { Selection } from '../../src/schemas/selection.js';
import { timelineFromSelection } from '../../src/timeline/from-selection.js';
import { clipLength, mediaById, type Timeline } from '../../src/timeline/model.js';
import { clock } from '../../src/timeline/timecode.js';
import { fixtures, selection } from './fixtures.js';
import { clapperboard, flashesAndBeeps, probeRendered } from './media.js';
import { type MltDoc, playlistClips, readMlt } from './mlt-reader.js';

const none = { transcripts: new Map() };
const write = (f: 'mlt' | 'kdenlive', t: Timeline) => EXPORTERS[f].write(t, none);

/** The model's clips on one track kind, in the shape playlistClips() reads back. */
const modelClips = (t: Timeline, kind: 'video' | 'audio') =>
  t.clips
    .filter((c) => (kind === 'video' ? mediaById(t, c.media).hasVideo : mediaById(t, c.media).hasAudio))
    .map((c) => ({ resource: mediaById(t, c.media).path, in: c.in, out: c.out, start: c.start }));
const strip = (cs: ReturnType<typeof playlistClips>) => cs.map(({ producer: _, ...c }) => c);

/** What both MLT dialects promise: exact profile, tractors as long as the timeline, real absolute files. */
function checkCommon(doc: MltDoc, t: Timeline, label: string) {
  const p = doc.profile;
  assert.deepEqual(
    [p.width, p.height, p.frame_rate_num, p.frame_rate_den, p.sample_aspect_num, p.sample_aspect_den],
    [t.width, t.height, t.fps.num, t.fps.den, t.sar.num, t.sar.den].map(String),
    `${label}: profile`,
  );
  assert.equal(
    Number(p.display_aspect_num) * t.height * t.sar.den,
    Number(p.display_aspect_den) * t.width * t.sar.num,
  );
  assert.equal(p.colorspace, t.height < 720 ? '601' : '709');
  for (const tr of doc.tractors)
    assert.deepEqual([tr.attrs.in, tr.attrs.out], ['0', String(t.length - 1)], `${label}: ${tr.id} in/out`);
  for (const [id, pr] of doc.producers) {
    assert.ok(Number(pr.attrs.in ?? 0) >= 0, `${label}: ${id} has a negative in-point`);
    if (pr.props.mlt_service?.startsWith('avformat')) {
      assert.ok(isAbsolute(pr.props.resource!) && existsSync(pr.props.resource!), `${label}: ${id} resource`);
      assert.equal(Number(pr.props.length), Number(pr.attrs.out) + 1);
    }
  }
  for (const [id, pl] of doc.playlists)
    for (const it of pl.items)
      if ('producer' in it)
        assert.ok(it.in >= 0 && it.out >= it.in, `${label}: ${id} entry ${it.in}–${it.out}`);
}

describe('Shotcut and Kdenlive projects', function () {
  this.timeout(240_000);
  let dir: string;
  let all: Record<string, Selection>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoedit-projects-'));
    all = fixtures();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('mlt: a Shotcut project whose tracks read back as the model', () => {
    for (const [label, sel] of Object.entries(all)) {
      const t = timelineFromSelection(sel, label);
      const doc = readMlt(write('mlt', t));
      checkCommon(doc, t, label);
      assert.equal(doc.root.producer, 'main_bin');
      assert.equal(doc.playlists.get('main_bin')!.props.xml_retain, '1');
      assert.equal(doc.playlists.get('main_bin')!.items.length, t.media.length);
      const main = doc.tractors.at(-1)!;
      assert.equal(main.props.shotcut, '1', 'Shotcut opens it as a project, not as a clip');
      assert.deepEqual(
        main.tracks.map((x) => x.producer),
        ['background', 'playlist0', 'playlist1'],
      );
      assert.equal(doc.producers.get('black')!.props.mlt_service, 'color');
      assert.equal(doc.playlists.get('playlist0')!.props['shotcut:video'], '1');
      assert.equal(doc.playlists.get('playlist1')!.props['shotcut:audio'], '1');
      assert.deepEqual(strip(playlistClips(doc, 'playlist0')), modelClips(t, 'video'), `${label}: V1`);
      assert.deepEqual(strip(playlistClips(doc, 'playlist1')), modelClips(t, 'audio'), `${label}: A1`);
      // V1 plays pictures only and A1 sound only, so nothing is heard twice.
      for (const c of playlistClips(doc, 'playlist0'))
        assert.equal(doc.producers.get(c.producer)!.props.audio_index, '-1');
      for (const c of playlistClips(doc, 'playlist1'))
        assert.equal(doc.producers.get(c.producer)!.props.video_index, '-1');
      assert.deepEqual(
        main.markers.map((m) => [m.text, m.start]),
        t.markers.map((m) => [m.label, clock(m.frame, t.fps)]),
      );
    }
  });

  it('kdenlive: docversion 1.04, tracks read back as the model, guides at the markers, A/V grouped', () => {
    for (const [label, sel] of Object.entries(all)) {
      const t = timelineFromSelection(sel, label);
      const doc = readMlt(write('kdenlive', t));
      checkCommon(doc, t, label);
      const bin = doc.playlists.get('main_bin')!.props;
      assert.equal(bin['kdenlive:docproperties.version'], '1.04');
      assert.deepEqual(
        JSON.parse(bin['kdenlive:docproperties.guides']!),
        t.markers.map((m) => ({ comment: m.label, pos: m.frame, type: 0 })),
      );
      const groups = JSON.parse(bin['kdenlive:docproperties.groups']!) as { children: { data: string }[] }[];
      const av = t.clips.filter((c) => mediaById(t, c.media).hasVideo && mediaById(t, c.media).hasAudio);
      assert.deepEqual(
        groups.map((g) => g.children.map((x) => x.data)),
        av.map((c) => [`0:${c.start}`, `1:${c.start}`]),
      );
      // Main tractor: black track, then one tractor per track (A1 then V1), each with two playlists.
      const main = doc.tractors.at(-1)!;
      assert.equal(main.tracks[0]!.producer, 'black_track');
      const [a1, v1] = main.tracks.slice(1).map((x) => doc.tractors.find((tr) => tr.id === x.producer)!);
      assert.equal(a1!.props['kdenlive:audio_track'], '1');
      assert.equal(v1!.props['kdenlive:audio_track'], undefined);
      assert.deepEqual(strip(playlistClips(doc, a1!.tracks[0]!.producer!)), modelClips(t, 'audio'));
      assert.deepEqual(strip(playlistClips(doc, v1!.tracks[0]!.producer!)), modelClips(t, 'video'));
      // Every timeline entry names its bin clip, which Kdenlive needs to attach it.
      const binIds = new Set(
        doc.playlists
          .get('main_bin')!
          .items.map((e) => 'producer' in e && doc.producers.get(e.producer)!.props['kdenlive:id']),
      );
      for (const tr of [a1!, v1!])
        for (const c of playlistClips(doc, tr.tracks[0]!.producer!))
          assert.ok(binIds.has(doc.producers.get(c.producer)!.props['kdenlive:id']));
    }
  });

  for (const format of ['mlt', 'kdenlive'] as const) {
    it(`${format}: melt renders each fixture to the selection's duration (±1 frame), with sound`, async () => {
      for (const [label, sel] of Object.entries(all)) {
        const t = timelineFromSelection(sel, label);
        const file = join(dir, `${label}.${format}`);
        await writeFile(file, write(format, t));
        const out = join(dir, `${label}-${format}.mp4`);
        await meltRender(file, out);
        const got = await probeRendered(out);
        const frame = t.fps.den / t.fps.num;
        const want = t.length * frame;
        assert.ok(
          Math.abs(got.videoFrames - t.length) <= 1,
          `${label}: ${got.videoFrames} frames, want ${t.length}`,
        );
        for (const [what, s] of [
          ['container', got.formatSeconds],
          ['video', got.videoSeconds],
          ['audio', got.audioSeconds ?? -1],
        ] as const)
          assert.ok(
            Math.abs(s - want) <= frame + 1e-6,
            `${label}: ${what} lasts ${s} s, want ${want} s ±1 frame`,
          );
        assert.deepEqual([got.width, got.height], [t.width, t.height]);
        assert.equal(got.fps, `${t.fps.num}/${t.fps.den}`);
      }
    });
  }

  it('melt keeps picture and sound in sync across every cut (flash and beep stay together)', async () => {
    const fps = { num: 30000, den: 1001 };
    const src = await clapperboard(join(dir, 'clap'), fps, 300, [45, 150, 231, 290]);
    const before = await flashesAndBeeps(src.source);
    const sel = selection([
      [src, 30, 60],
      [src, 140, 170],
      [src, 220, 240],
      [src, 280, 300],
    ]);
    const t = timelineFromSelection(sel);
    for (const format of ['mlt', 'kdenlive'] as const) {
      const file = join(dir, `clap.${format}`);
      await writeFile(file, write(format, t));
      await meltRender(file, join(dir, `clap-${format}.mp4`));
      const got = await flashesAndBeeps(join(dir, `clap-${format}.mp4`));
      // Flashes land on the frames the model puts them on: 15, 30+10, 60+11, 80+10.
      assert.deepEqual(
        got.flashes.map((s) => Math.round((s * fps.num) / fps.den)),
        [15, 40, 71, 90],
      );
      got.beeps.forEach((b, i) => {
        const drift = b - got.flashes[i]! - (before.beeps[i]! - before.flashes[i]!);
        assert.ok(Math.abs(drift) < 0.005, `${format}: beep ${i} is ${drift * 1000} ms off its flash`);
      });
      assert.equal(got.beeps.length, 4);
    }
    assert.equal(clipLength(t.clips[0]!), 30);
  });
});
