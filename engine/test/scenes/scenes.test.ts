import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probe } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { type DetectorName, detectScenes } from '../../src/scenes/detect.js';
import { FlashFilter } from '../../src/scenes/flash-filter.js';
import { hsvAndDistance } from '../../src/scenes/hsv.js';
import { detectAll } from '../../src/scenes/stage.js';
import { cli } from '../helpers/cli.js';
import { sample, samples } from '../helpers/samples.js';
import { sharedFile } from '../helpers/shared.js';

const cutsOf = async (
  rel: string,
  detector: DetectorName = 'content',
  extra: { colorPath?: 'rgb-first' | 'sampled' } = {},
) => {
  const file = sharedFile(`media/pyscenedetect/${rel}`);
  const r = await detectScenes(file, await probe(file), { detector, ...extra });
  return { r, cuts: r.scenes.slice(1).map((s) => s.startFrame) };
};
const near = (got: number[], want: number[]) =>
  got.length === want.length && got.every((g, i) => Math.abs(g - want[i]!) <= 1);

describe('scene detection (PySceneDetect semantics, real ffmpeg)', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-scenes-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('testvideo.mp4: content cuts at 30, 180, 394 on the 30000/1001 grid; threshold at 15, 198, 377', async () => {
    const { r, cuts } = await cutsOf('testvideo.mp4');
    assert.ok(near(cuts, [30, 180, 394]), `content cuts ${cuts}`);
    assert.deepEqual(r.fps, { num: 30000, den: 1001 });
    assert.equal(r.frameCount, 720);
    const s1 = r.scenes[1]!;
    assert.ok(Math.abs(s1.start - (30 * 1001) / 30000) < 1e-6, 'seconds from the rational rate, not 30 fps');
    assert.equal(r.scenes.at(-1)!.endFrame, 720);
    assert.ok(near((await cutsOf('testvideo.mp4', 'threshold')).cuts, [15, 198, 377]));
  });

  it('counter.mp4 and fades.mp4 have no content cuts; the threshold detector finds both fades', async () => {
    assert.deepEqual((await cutsOf('counter.mp4')).cuts, []);
    assert.deepEqual((await cutsOf('fades.mp4')).cuts, []);
    assert.deepEqual((await cutsOf('fades.mp4', 'adaptive')).cuts, []);
    assert.ok(near((await cutsOf('fades.mp4', 'threshold')).cuts, [84, 167]));
  });

  it('the sampled colour path gives the same cuts as the RGB-first path', async () => {
    for (const f of ['testvideo.mp4', 'fades.mp4', 'issue-195-aspect-ratio.mp4']) {
      assert.deepEqual(
        (await cutsOf(f, 'content', { colorPath: 'rgb-first' })).cuts,
        (await cutsOf(f)).cuts,
        f,
      );
    }
  });

  it('VFR: times come from presentation timestamps, frames from those times on the nominal grid', async () => {
    const { r, cuts } = await cutsOf('goldeneye-vfr-drop3.mp4');
    assert.equal(r.frameCount, 160, 'every decoded frame, not duration × rate');
    assert.ok(cuts.length >= 1);
    for (const s of r.scenes) assert.equal(s.startFrame, Math.round((s.start * 24000) / 1001));
    // Timestamps, not indices: with every third frame missing, index × rate would run a third short.
    assert.ok(Math.abs(r.decoded.end - 10) < 0.2, `decoded to ${r.decoded.end} s`);
  });

  it('handles rotation, non-square pixels, mkv with attachments and a delayed start', async () => {
    assert.ok((await cutsOf('issue-134-rotate.mp4')).r.frameCount === 240);
    assert.ok((await cutsOf('issue-195-aspect-ratio.mp4')).cuts.length >= 3);
    assert.ok((await cutsOf('issue-236-split-copy.mkv')).r.frameCount > 0);
    const d = await cutsOf('delayed_start.mp4');
    assert.deepEqual(d.cuts, []);
    // Its only stream starts at 1.075 s: times are relative to the file's start, which editors call 0.
    assert.equal(d.r.decoded.start, 0);
    assert.equal(d.r.frameCount, 24);
  });

  it('generated hard cuts are found at the exact frames', async () => {
    const m = samples().files;
    for (const key of ['scenesA', 'scenesB']) {
      const file = sample(key);
      const r = await detectScenes(file, await probe(file), { detector: 'content' });
      assert.ok(
        near(
          r.scenes.slice(1).map((s) => s.startFrame),
          m[key]!.sceneCuts!,
        ),
        `${key}: ${r.scenes.map((s) => s.startFrame)}`,
      );
    }
  });

  it('a truncated file: detection finishes on what decodes, warns, and records the decoded range', async () => {
    const file = sample('badTruncated');
    const r = await detectScenes(file, await probe(file), { detector: 'content' });
    assert.ok(r.frameCount > 0 && r.frameCount < 200);
    assert.ok(r.warnings.some((w) => /truncated or corrupt/.test(w)));
    assert.ok(Math.abs(r.decoded.end - r.frameCount / 25) < 0.05);
    assert.equal(r.scenes.at(-1)!.endFrame, r.frameCount);
  });

  it('caches by (content hash, detector, parameters) and writes a stats file', async () => {
    const file = sharedFile('media/pyscenedetect/counter.mp4');
    const job = { source: file, probe: await probe(file), hash: `sha256:${'a'.repeat(64)}` };
    const cache = { dir: join(dir, 'cache') };
    const first = await detectAll([job], { detector: 'content' }, { cache, statsDir: join(dir, 'stats') });
    assert.equal(first.hits, 0);
    const stats = await readFile(join(dir, 'stats', 'counter.mp4.content.stats.csv'), 'utf8');
    assert.match(
      stats,
      /^Frame Number,Timecode,content_val,delta_hue,delta_sat,delta_lum\n0,0\.000000,0\.000/,
    );
    assert.equal(stats.trim().split('\n').length, 31);
    assert.equal((await detectAll([job], { detector: 'content' }, { cache })).hits, 1);
    assert.equal((await detectAll([job], { detector: 'content', threshold: 30 }, { cache })).hits, 0);
    assert.equal(
      (await detectAll([job], { detector: 'content' }, { cache: { ...cache, disabled: true } })).hits,
      0,
    );
  });

  it('CLI: a non-video input is a clear per-file error', async () => {
    const { code, stdout } = await cli([
      '--json',
      'cut',
      sample('audioOnly'),
      sharedFile('media/pyscenedetect/counter.mp4'),
      '-o',
      join(dir, 'seq.json'),
    ]);
    assert.equal(code, 1);
    const out = JSON.parse(stdout);
    assert.match(out.failed[0].error, /no video stream/);
    assert.equal(out.sources.length, 1);
  });

  it('OpenCV-exact HSV and the flash filter', () => {
    const h = new Uint8Array(4);
    const s = new Uint8Array(4);
    const v = new Uint8Array(4);
    // BGR: pure red, green, blue, grey.
    assert.deepEqual(
      hsvAndDistance(new Uint8Array([0, 0, 255, 0, 255, 0, 255, 0, 0, 128, 128, 128]), h, s, v, undefined),
      [0, 0, 0],
    );
    assert.deepEqual([...h], [0, 60, 120, 0]);
    assert.deepEqual([...s], [255, 255, 255, 0]);
    assert.deepEqual([...v], [255, 255, 255, 128]);
    // Against black: mean distance per channel.
    assert.deepEqual(
      hsvAndDistance(new Uint8Array(12), new Uint8Array(4), new Uint8Array(4), new Uint8Array(4), [h, s, v]),
      [45, 191.25, 223.25],
    );
    const merge = new FlashFilter('merge', 15);
    const out: number[] = [];
    for (let f = 0; f < 100; f++) out.push(...merge.filter(f, f === 20 || f === 25 || f === 60));
    assert.deepEqual(out, [20, 60]);
  });
});
