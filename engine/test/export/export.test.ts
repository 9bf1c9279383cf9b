import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { meltRender } from '@autoedit/media';
import { XMLParser } from 'fast-xml-parser';
import { after, before, describe, it } from 'mocha';
import { EXPORTERS } from '../../src/exporters/index.js';
import { retimedCues, toSrt } from '../../src/exporters/subtitles.js';
import { writeOutput } from '../../src/project/outputs.js';
import { renderSelection } from '../../src/render/render.js';
import { RulesSchema } from '../../src/schemas/rules.js';
import type { Selection } from '../../src/schemas/selection.js';
import { loadAnalyses } from '../../src/select/load.js';
import { select } from '../../src/select/select.js';
import { timelineFromSelection } from '../../src/timeline/from-selection.js';
import { clipLength, type Timeline } from '../../src/timeline/model.js';
import { preparedRun, transcriptFromSpans } from '../helpers/run.js';
import { sample, samples } from '../helpers/samples.js';
import { sharedFile } from '../helpers/shared.js';

const run = promisify(execFile);

async function frames(file: string): Promise<{ video: number; duration: number; audio: boolean }> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-show_entries',
    'stream=codec_type,nb_read_frames:format=duration',
    '-of',
    'json',
    file,
  ]);
  const j = JSON.parse(stdout) as {
    streams: { codec_type: string; nb_read_frames?: string }[];
    format: { duration: string };
  };
  const v = j.streams.find((s) => s.codec_type === 'video');
  return {
    video: Number(v?.nb_read_frames ?? 0),
    duration: Number(j.format.duration),
    audio: j.streams.some((s) => s.codec_type === 'audio'),
  };
}

describe('exporters and render (real melt and ffmpeg)', function () {
  this.timeout(300_000);
  let dir: string;
  let example: Selection;
  let mixed: Selection;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-export-'));
    const a = await preparedRun(join(dir, 'example'), [sharedFile('media/auto-editor/example.mp4')]);
    example = select((await loadAnalyses(a.layout.artifacts)).analyses, RulesSchema.parse({}));
    // Several sources: 25 fps speech, 29.97 fps without audio (whole), non-square pixels, and an audio-only file.
    const b = await preparedRun(join(dir, 'mixed'), [
      sample('talk'),
      sharedFile('media/pyscenedetect/testvideo.mp4'),
      sharedFile('media/pyscenedetect/issue-195-aspect-ratio.mp4'),
      sharedFile('media/auto-editor/aac.m4a'),
    ]);
    const all = select(
      (await loadAnalyses(b.layout.artifacts)).analyses,
      RulesSchema.parse({ shots: { max_length: 3, long_shots: 'trim' }, speech: { enabled: false } }),
    );
    mixed = { ...all, kept: all.kept.filter((_, i) => i < 8) };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  for (const format of ['mlt', 'kdenlive'] as const) {
    it(`${format}: melt renders exactly the selection's frames`, async () => {
      for (const [label, sel] of [
        ['example', example],
        ['mixed', mixed],
      ] as const) {
        const t = timelineFromSelection(sel, label);
        const file = join(dir, `${label}.${format}`);
        await writeFile(file, EXPORTERS[format].write(t, { transcripts: new Map() }));
        const out = join(dir, `${label}-${format}.mp4`);
        await meltRender(file, out);
        const got = await frames(out);
        assert.ok(
          Math.abs(got.video - t.length) <= 1,
          `${label}: melt rendered ${got.video} frames, timeline has ${t.length}`,
        );
        assert.ok(got.audio);
      }
    });
  }

  it('mlt: a Shotcut project (main_bin, background, V1/A1, integer in/out, absolute resources)', () => {
    const t = timelineFromSelection(example, 'example');
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      EXPORTERS.mlt.write(t, { transcripts: new Map() }),
    );
    const playlists = ([] as { id: string; entry?: unknown }[]).concat(xml.mlt.playlist);
    assert.deepEqual(
      playlists.map((p) => p.id),
      ['main_bin', 'background', 'playlist0', 'playlist1'],
    );
    assert.equal(xml.mlt.tractor.out, String(t.length - 1));
    const entries = ([] as { in: string; out: string }[]).concat((playlists[2] as { entry: never }).entry);
    assert.equal(entries.length, t.clips.length);
    entries.forEach((e, i) => {
      assert.equal(Number(e.in), t.clips[i]!.in);
      assert.equal(Number(e.out), t.clips[i]!.out - 1);
      assert.ok(Number(e.in) >= 0);
    });
    for (const c of [].concat(xml.mlt.chain) as { property: { name: string; '#text': string }[] }[]) {
      assert.match(c.property.find((p) => p.name === 'resource')!['#text'], /^\//);
    }
    assert.equal(xml.mlt.profile.frame_rate_num, '30');
  });

  it('kdenlive: document version 1.04 with guides at the markers', () => {
    const t: Timeline = {
      ...timelineFromSelection(example, 'example'),
      markers: [{ frame: 30, label: 'scene cut' }],
    };
    const text = EXPORTERS.kdenlive.write(t, { transcripts: new Map() });
    const xml = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
    }).parse(text);
    const bin = ([] as { id: string; property: { name: string; '#text'?: string }[] }[])
      .concat(xml.mlt.playlist)
      .find((p) => p.id === 'main_bin')!;
    const prop = (n: string) => bin.property.find((p) => p.name === n)?.['#text'];
    assert.equal(prop('kdenlive:docproperties.version'), '1.04');
    assert.deepEqual(JSON.parse(prop('kdenlive:docproperties.guides')!), [
      { comment: 'scene cut', pos: 30, type: 0 },
    ]);
  });

  it('EDL, FCPXML and OTIO parse back to the same clips', () => {
    const t = timelineFromSelection(mixed, 'mixed');
    const videoClips = t.clips.filter((c) => t.media.find((m) => m.id === c.media)!.hasVideo);
    // OTIO
    const otio = JSON.parse(EXPORTERS.otio.write(t, { transcripts: new Map() }));
    const vTrack = otio.tracks.children[0].children.filter(
      (c: { OTIO_SCHEMA: string }) => c.OTIO_SCHEMA === 'Clip.2',
    );
    assert.deepEqual(
      vTrack.map((c: { source_range: { start_time: { value: number }; duration: { value: number } } }) => [
        c.source_range.start_time.value,
        c.source_range.duration.value,
      ]),
      videoClips.map((c) => [c.in, clipLength(c)]),
    );
    // FCPXML: rational times back to frames
    const fx = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      EXPORTERS.fcpxml.write(t, { transcripts: new Map() }),
    );
    const toFrames = (s: string) => {
      const m = /^(\d+)(?:\/(\d+))?s$/.exec(s)!;
      return (Number(m[1]) / Number(m[2] ?? 1)) * (t.fps.num / t.fps.den);
    };
    const spine = [].concat(fx.fcpxml.library.event.project.sequence.spine['asset-clip']) as {
      offset: string;
      start: string;
      duration: string;
    }[];
    assert.deepEqual(
      spine.map((c) => [
        Math.round(toFrames(c.offset)),
        Math.round(toFrames(c.start)),
        Math.round(toFrames(c.duration)),
      ]),
      t.clips.map((c) => [c.start, c.in, clipLength(c)]),
    );
    assert.equal(fx.fcpxml.version, '1.9');
    // EDL: record timecodes are contiguous and sum to the timeline
    const edl = EXPORTERS.edl.write(t, { transcripts: new Map() });
    const events = edl.split('\n').filter((l) => /^\d{3} /.test(l));
    assert.equal(events.length, t.clips.length);
    assert.match(edl, /^TITLE: mixed\nFCM: NON-DROP FRAME/);
  });

  it('subtitles are re-timed to the edit, and cut words disappear', async () => {
    const b = await preparedRun(join(dir, 'subs'), [sample('talk')]);
    const spans = samples().files.talk!.speech!;
    const tr = transcriptFromSpans(spans, b.source('talk.mp4'));
    const sel = select(
      (await loadAnalyses(b.layout.artifacts)).analyses.map((a) => ({ ...a, transcript: tr })),
      RulesSchema.parse({}),
    );
    const t = timelineFromSelection(sel);
    const cues = retimedCues(t, new Map([[b.source('talk.mp4'), tr]]));
    assert.ok(!cues.some((c) => c.text === 'um'), 'filler removed from the subtitles');
    assert.equal(cues.length, 4);
    assert.ok(
      cues.every(
        (c, i) =>
          c.start >= 0 && c.end <= t.length / 25 + 1e-9 && (i === 0 || c.start >= cues[i - 1]!.end - 1e-9),
      ),
    );
    // The second phrase starts 2 s (minus margins) earlier than in the source: the pause was cut.
    assert.ok(cues[1]!.start < spans[1]!.voicedStart - 1.5);
    assert.match(
      toSrt(cues),
      /^1\n00:00:00,\d{3} --> 00:00:0\d,\d{3}\nWelcome to the automatic editing demo\.\n/,
    );
  });

  it('ffmpeg render: duration is the sum of kept ranges and audio stays in sync', async () => {
    for (const [label, sel] of [
      ['example', example],
      ['mixed', mixed],
    ] as const) {
      const out = join(dir, `${label}-render.mp4`);
      const r = await renderSelection(sel, out);
      const got = await frames(out);
      assert.ok(
        Math.abs(got.video - r.frames) <= 1,
        `${label}: ${got.video} frames rendered, expected ${r.frames}`,
      );
      assert.ok(
        Math.abs(got.duration - r.seconds) < 0.05,
        `${label}: container ${got.duration} s vs ${r.seconds} s`,
      );
    }
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.partial')),
      [],
    );
  });

  it('never destroys a hand-edited output: the edited version is backed up first', async () => {
    const out = join(dir, 'outputs');
    const first = await writeOutput(out, 'edit.mlt', '<mlt>v1</mlt>');
    assert.equal(first.backup, undefined);
    assert.equal(
      (await writeOutput(out, 'edit.mlt', '<mlt>v2</mlt>')).backup,
      undefined,
      'our own file is replaced silently',
    );
    await writeFile(join(out, 'edit.mlt'), '<mlt>edited by hand</mlt>');
    const third = await writeOutput(out, 'edit.mlt', '<mlt>v3</mlt>');
    assert.ok(third.backup);
    assert.equal(await readFile(third.backup!, 'utf8'), '<mlt>edited by hand</mlt>');
    assert.equal(await readFile(join(out, 'edit.mlt'), 'utf8'), '<mlt>v3</mlt>');
  });
});
