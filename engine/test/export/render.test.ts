import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderArgs } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { renderSelection } from '../../src/render/render.js';
import { UserError } from '../../src/util/errors.js';
import { fixtures, keptSeconds, selection } from './fixtures.js';
import { clapperboard, flashesAndBeeps, probeRendered } from './media.js';

describe('ffmpeg render (real ffmpeg)', function () {
  this.timeout(240_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoedit-render-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lasts the sum of the kept ranges (±1 frame) for every fixture, sound included', async () => {
    const all = fixtures();
    for (const label of ['example', 'ntsc', 'anamorphic', 'audioOnly', 'mixed']) {
      const sel = all[label]!;
      const out = join(dir, `${label}.mp4`);
      const r = await renderSelection(sel, out);
      const got = await probeRendered(out);
      const [num, den] = got.fps.split('/').map(Number) as [number, number];
      const frame = den / num;
      assert.ok(
        Math.abs(got.videoFrames - r.frames) <= 1,
        `${label}: ${got.videoFrames} frames, want ${r.frames}`,
      );
      // Single-rate edits: exactly the kept seconds; mixed rates: the timeline's frames at the project rate.
      const want = label === 'mixed' ? r.seconds : keptSeconds(sel);
      for (const [what, s] of [
        ['container', got.formatSeconds],
        ['video', got.videoSeconds],
        ['audio', got.audioSeconds ?? -1],
      ] as const)
        assert.ok(
          Math.abs(s - want) <= frame + 1e-6,
          `${label}: ${what} lasts ${s} s, want ${want} s ±1 frame`,
        );
    }
    const ana = await probeRendered(join(dir, 'anamorphic.mp4'));
    assert.deepEqual([ana.width, ana.height, ana.sar, ana.fps], [704, 576, '16:11', '25/1']);
    const ntsc = await probeRendered(join(dir, 'ntsc.mp4'));
    assert.equal(ntsc.fps, '30000/1001');
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.partial')),
      [],
      'no temp files left behind',
    );
  });

  it('cuts on the exact frames and keeps sound in sync (flash and beep stay together)', async () => {
    for (const fps of [
      { num: 30000, den: 1001 },
      { num: 25, den: 1 },
    ]) {
      const src = await clapperboard(join(dir, 'clap'), fps, 300, [45, 150, 231, 290]);
      const before = await flashesAndBeeps(src.source);
      const sel = selection([
        [src, 30, 60],
        [src, 140, 170],
        [src, 220, 240],
        [src, 280, 300],
      ]);
      const out = join(dir, `clap-${fps.num}.mp4`);
      await renderSelection(sel, out);
      const got = await flashesAndBeeps(out);
      assert.deepEqual(
        got.flashes.map((s) => Math.round((s * fps.num) / fps.den)),
        [15, 40, 71, 90],
        'each flash on the frame the cut puts it on',
      );
      assert.equal(got.beeps.length, 4);
      got.beeps.forEach((b, i) => {
        const drift = b - got.flashes[i]! - (before.beeps[i]! - before.flashes[i]!);
        assert.ok(Math.abs(drift) < 0.005, `beep ${i} is ${(drift * 1000).toFixed(1)} ms off its flash`);
      });
    }
  });

  it('in passes (a few segments each, joined): the same exact frames and sound in sync', async () => {
    const fps = { num: 30000, den: 1001 };
    const src = await clapperboard(join(dir, 'clap'), fps, 300, [45, 150, 231, 290]);
    const before = await flashesAndBeeps(src.source);
    const sel = selection([
      [src, 30, 60],
      [src, 140, 170],
      [src, 220, 240],
      [src, 280, 300],
    ]);
    const out = join(dir, 'clap-passes.mp4');
    await renderSelection(sel, out, { segmentsPerPass: 1 });
    const got = await flashesAndBeeps(out);
    assert.deepEqual(
      got.flashes.map((s) => Math.round((s * fps.num) / fps.den)),
      [15, 40, 71, 90],
    );
    assert.equal(got.beeps.length, 4);
    got.beeps.forEach((b, i) => {
      const drift = b - got.flashes[i]! - (before.beeps[i]! - before.flashes[i]!);
      assert.ok(Math.abs(drift) < 0.005, `beep ${i} is ${(drift * 1000).toFixed(1)} ms off its flash`);
    });
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.partial')),
      [],
      'no intermediates or graph files left behind',
    );
  });

  it('in passes, mixed sources (rates, no sound, no picture) and real footage last what one pass gives', async () => {
    const all = fixtures();
    for (const label of ['mixed', 'example']) {
      const sel = all[label]!;
      const out = join(dir, `${label}-passes.mp4`);
      const r = await renderSelection(sel, out, { segmentsPerPass: 2 });
      const got = await probeRendered(out);
      const [num, den] = got.fps.split('/').map(Number) as [number, number];
      assert.ok(
        Math.abs(got.videoFrames - r.frames) <= 1,
        `${label}: ${got.videoFrames} frames, want ${r.frames}`,
      );
      const want = label === 'mixed' ? r.seconds : keptSeconds(sel);
      for (const s of [got.formatSeconds, got.videoSeconds, got.audioSeconds ?? -1])
        assert.ok(Math.abs(s - want) <= den / num + 1e-6, `${label}: lasts ${s} s, want ${want} s ±1 frame`);
    }
  });

  it('builds one ffmpeg graph: each input decoded once, segments joined by concat', () => {
    const { mixed } = fixtures();
    const args = renderArgs({
      inputs: mixed!.sources.map((s) => ({
        path: s.source,
        fps: s.fps,
        hasVideo: s.hasVideo,
        hasAudio: s.hasAudio,
      })),
      segments: mixed!.kept.map((k) => ({
        input: mixed!.sources.findIndex((s) => s.source === k.source),
        startFrame: k.startFrame,
        endFrame: k.endFrame,
      })),
      width: 1280,
      height: 720,
      sar: { num: 1, den: 1 },
      fps: { num: 25, den: 1 },
      output: 'out.mp4',
    });
    assert.equal(args.filter((a) => a === '-i').length, 4);
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    assert.match(graph, /concat=n=6:v=1:a=1\[vout\]\[aout\]$/);
    assert.match(graph, /\[0:v:0\][^;]*split=3/, 'the talk sample feeds three segments from one decode');
    assert.match(graph, /anullsrc/, 'a source without sound gets silence');
    assert.match(graph, /color=c=black/, 'a source without picture gets black');
  });

  it('refuses a selection that keeps nothing', async () => {
    await assert.rejects(renderSelection(selection([]), join(dir, 'none.mp4')), UserError);
  });
});
