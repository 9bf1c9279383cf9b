import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { frameLayout, probe, streamFrames } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import {
  analysisSize,
  type DetectorChoice,
  type DetectorName,
  detectScenes,
} from '../../src/scenes/detect.js';
import { pyRound } from '../../src/scenes/detectors.js';
import { FlashFilter } from '../../src/scenes/flash-filter.js';
import { HsvDistance, Yuv420HsvDistance, yuvMatrix } from '../../src/scenes/hsv.js';
import { detectAll } from '../../src/scenes/stage.js';
import { cli } from '../helpers/cli.js';
import { sample, samples } from '../helpers/samples.js';
import { REPO, requireShared } from '../helpers/shared.js';
import { realOrStandIn, standIn } from '../helpers/stand-ins.js';
import { HsvDistanceJs, hsvOf, yuv420ToBgr } from './hsv-reference.js';
import { psd, psdVideos } from './psd-videos.js';

const cutsOf = async (
  file: string,
  detector: DetectorName = 'content',
  extra: Partial<DetectorChoice> = {},
) => {
  const r = await detectScenes(file, await probe(file), { detector, ...extra });
  return { r, cuts: r.scenes.slice(1).map((s) => s.startFrame) };
};
const execFileP = promisify(execFile);
const near = (got: number[], want: number[]) =>
  got.length === want.length && got.every((g, i) => Math.abs(g - want[i]!) <= 1);

describe('scene detection (PySceneDetect semantics, real ffmpeg)', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-scenes-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("PySceneDetect's testvideo.mp4: content cuts at 30, 180, 394 on the 30000/1001 grid; threshold at 15, 198, 377", async function () {
    const file = requireShared(this, 'media/pyscenedetect/testvideo.mp4');
    const { r, cuts } = await cutsOf(file);
    assert.ok(near(cuts, [30, 180, 394]), `content cuts ${cuts}`);
    assert.deepEqual(r.fps, { num: 30000, den: 1001 });
    assert.equal(r.frameCount, 720);
    const s1 = r.scenes[1]!;
    assert.ok(Math.abs(s1.start - (30 * 1001) / 30000) < 1e-6, 'seconds from the rational rate, not 30 fps');
    assert.equal(r.scenes.at(-1)!.endFrame, 720);
    assert.ok(near((await cutsOf(file, 'threshold')).cuts, [15, 198, 377]));
  });

  it('a generated 29.97 fps clip: content cuts on its exact frames of the 30000/1001 grid', async () => {
    // The stand-in for testvideo.mp4: hard cuts at 30, 180 and 394, motion, a fade and a fractal zoom between.
    const { r, cuts } = await cutsOf(standIn('media/pyscenedetect/testvideo.mp4'));
    assert.deepEqual(cuts, [30, 180, 394]);
    assert.deepEqual(r.fps, { num: 30000, den: 1001 });
    assert.equal(r.frameCount, 720);
    const s1 = r.scenes[1]!;
    assert.ok(Math.abs(s1.start - (30 * 1001) / 30000) < 1e-6, 'seconds from the rational rate, not 30 fps');
    assert.equal(r.scenes.at(-1)!.endFrame, 720);
  });

  it('counter.mp4 and fades.mp4 have no content cuts; the threshold detector finds both fades', async () => {
    assert.deepEqual((await cutsOf(psd('counter.mp4'))).cuts, []);
    assert.deepEqual((await cutsOf(psd('fades.mp4'))).cuts, []);
    assert.deepEqual((await cutsOf(psd('fades.mp4'), 'adaptive')).cuts, []);
    assert.ok(near((await cutsOf(psd('fades.mp4'), 'threshold')).cuts, [84, 167]));
  });

  it("threshold detector: PySceneDetect's own floor and ceiling cases on fades.mp4 (final fade out included)", async () => {
    const floor = await cutsOf(psd('fades.mp4'), 'threshold', { threshold: 11, addFinalScene: true });
    assert.ok(near(floor.cuts, [84, 167, 245]), `floor ${floor.cuts}`);
    assert.equal(floor.r.scenes.at(-1)!.endFrame, 250);
    const ceiling = await cutsOf(psd('fades.mp4'), 'threshold', {
      threshold: 243,
      fadeMethod: 'ceiling',
      addFinalScene: true,
    });
    assert.ok(near(ceiling.cuts, [42, 126, 209]), `ceiling ${ceiling.cuts}`);
  });

  it('adaptive detector: the hard cuts of testvideo.mp4 (or its stand-in), nothing on fades', async () => {
    const { cuts } = await cutsOf(realOrStandIn('media/pyscenedetect/testvideo.mp4'), 'adaptive');
    for (const want of [30, 180, 394])
      assert.ok(
        cuts.some((c) => Math.abs(c - want) <= 1),
        `${cuts}`,
      );
    assert.deepEqual((await cutsOf(psd('fades.mp4'), 'adaptive', { lumaOnly: true })).cuts, []);
  });

  it('the sampled colour path (YUV from ffmpeg, converted in the kernel) gives the RGB-first cuts on every PySceneDetect video', async function () {
    this.timeout(120_000);
    const videos = psdVideos();
    for (const f of videos)
      for (const detector of ['content', 'adaptive'] as const)
        assert.deepEqual(
          (await cutsOf(f, detector)).cuts,
          (await cutsOf(f, detector, { colorPath: 'rgb-first' })).cuts,
          `${f} (${detector})`,
        );
  });

  it('a width that is not a multiple of 16 (4:5 portrait: 205×256, 204×256): padded rows, cuts on their frames', async () => {
    const layout = frameLayout({ width: 205, height: 256 }, 'yuv420p');
    assert.deepEqual(layout, {
      format: 'yuv420p',
      width: 205,
      height: 256,
      stride: 208,
      u: 208 * 256,
      v: 208 * 256 + 104 * 128,
      bytes: 208 * 256 + 2 * 104 * 128,
    });
    assert.equal(frameLayout({ width: 256, height: 107 }, 'yuv420p').bytes, 256 * 107 + 2 * 128 * 54);
    const file = join(dir, 'four-five.mp4');
    const shot = (src: string) => ['-f', 'lavfi', '-t', '2', '-i', `${src}=size=540x676:rate=25`];
    await execFileP('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', ...shot('testsrc2'), ...shot('smptebars'), ...shot('mandelbrot')],
      ...['-filter_complex', '[0:v][1:v][2:v]concat=n=3:v=1,format=yuv420p', '-c:v', 'libx264', '-preset'],
      ...['ultrafast', '-threads', '1', file],
    ]);
    assert.deepEqual(analysisSize(540, 676, 0), { width: 204, height: 256 });
    const { r, cuts } = await cutsOf(file);
    assert.deepEqual(cuts, [50, 100]);
    assert.equal(r.frameCount, 150);
    assert.deepEqual((await cutsOf(file, 'content', { colorPath: 'rgb-first' })).cuts, [50, 100]);
  });

  it('VFR: times come from presentation timestamps, frames from those times on the nominal grid', async () => {
    const { r, cuts } = await cutsOf(psd('goldeneye-vfr-drop3.mp4'));
    assert.equal(r.frameCount, 160, 'every decoded frame, not duration × rate');
    // PySceneDetect's ground truth for this clip (tests/test_vfr.py): cuts at 00:00:03.754 and 00:00:08.759.
    assert.deepEqual(
      r.scenes.slice(1).map((s) => s.startTimecode),
      ['00:00:03.754', '00:00:08.759'],
    );
    assert.deepEqual(cuts, [90, 210]);
    for (const s of r.scenes) assert.equal(s.startFrame, Math.round((s.start * 24000) / 1001));
    // Timestamps, not indices: with every third frame missing, index × rate would run a third short.
    assert.ok(Math.abs(r.decoded.end - 10) < 0.2, `decoded to ${r.decoded.end} s`);
  });

  it('handles rotation, non-square pixels, mkv with attachments and a delayed start', async () => {
    // The rotated, anamorphic and Matroska files from shared/, or their generated stand-ins.
    assert.ok((await cutsOf(realOrStandIn('media/pyscenedetect/issue-134-rotate.mp4'))).r.frameCount === 240);
    assert.ok(
      (await cutsOf(realOrStandIn('media/pyscenedetect/issue-195-aspect-ratio.mp4'))).cuts.length >= 3,
    );
    assert.ok((await cutsOf(realOrStandIn('media/pyscenedetect/issue-236-split-copy.mkv'))).r.frameCount > 0);
    const d = await cutsOf(psd('delayed_start.mp4'));
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

  it('corrupt packets mid-file: detection goes on past them, warns, and records what decoded', async () => {
    const clean = join(dir, 'clean.ts');
    await execFileP('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-t', '4'],
      ...['-c:v', 'libx264', '-g', '25', '-f', 'mpegts', clean],
    ]);
    // Overwrite 30 kB in the middle with noise (a deterministic pattern): packets there fail their checks.
    const bytes = await readFile(clean);
    for (let i = 0; i < 30000; i++) bytes[(bytes.length >> 1) + i] = (i * 7919 + 13) & 0xff;
    const bad = join(dir, 'corrupt.ts');
    await writeFile(bad, bytes);
    const r = await detectScenes(bad, await probe(bad), { detector: 'content' });
    // Frames lost to the damage are filled with the previous picture, so later frames keep their times.
    assert.ok(Math.abs(r.frameCount - 100) <= 2, `${r.frameCount} frames`);
    assert.ok(
      Math.abs(r.decoded.end - 4) < 0.1,
      `decoding continued past the damage (to ${r.decoded.end} s)`,
    );
    assert.deepEqual(
      r.scenes.slice(1).map((s) => s.startFrame),
      [],
      'a repeated picture is no cut',
    );
    assert.ok(
      r.warnings.some((w) => /corrupt/i.test(w)),
      r.warnings.join(' | '),
    );
    assert.equal(r.scenes.at(-1)!.endFrame, r.frameCount);
  });

  it('caches by (content hash, detector, parameters) and writes a stats file', async () => {
    const file = psd('counter.mp4');
    const job = { source: file, probe: await probe(file), hash: `sha256:${'a'.repeat(64)}` };
    const cache = { dir: join(dir, 'cache') };
    const first = await detectAll([job], { detector: 'content' }, { cache, statsDir: join(dir, 'stats') });
    assert.equal(first.hits, 0);
    const stats = await readFile(join(dir, 'stats', 'counter.mp4.content.stats.csv'), 'utf8');
    assert.match(
      stats,
      /^Frame Number,Timecode,content_val,delta_hue,delta_lum,delta_sat\n1,00:00:00\.000,0\.0,0\.0,0\.0,0\.0\n2,00:00:00\.100,/,
    );
    // Rows explain cuts and non-cuts: frame 11 scores above 27 but comes within 15 frames of the start.
    const row11 = stats.split('\n')[11]!.split(',');
    assert.equal(row11[0], '11');
    assert.ok(Number(row11[2]) > 27, `content_val ${row11[2]}`);
    assert.equal(stats.trim().split('\n').length, 31);
    assert.equal((await detectAll([job], { detector: 'content' }, { cache })).hits, 1);
    assert.equal((await detectAll([job], { detector: 'content', threshold: 30 }, { cache })).hits, 0);
    assert.equal(
      (await detectAll([job], { detector: 'content' }, { cache: { ...cache, disabled: true } })).hits,
      0,
    );
  });

  it("CLI on a run's raw/: hash and probe from media.db.json, the run's cache, stats beside the output", async () => {
    const run = join(dir, 'run');
    const ingest = await cli([
      '--quiet',
      'ingest',
      realOrStandIn('media/pyscenedetect/testvideo.mp4'),
      '-o',
      run,
    ]);
    assert.equal(ingest.code, 0, ingest.stderr);
    const out = join(run, 'artifacts', 'sequences.json');
    const first = await cli(['--json', 'cut', join(run, 'raw'), '-o', out]);
    assert.equal(first.code, 0, first.stderr);
    const j = JSON.parse(first.stdout);
    assert.equal(j.cached, 0);
    assert.ok(near(j.sources[0].cuts, [30, 180, 394]), `${j.sources[0].cuts}`);
    assert.equal(j.sources[0].stats, join(run, 'artifacts', 'stats', 'testvideo.mp4.content.stats.csv'));
    const seq = JSON.parse(await readFile(out, 'utf8'));
    const db = JSON.parse(await readFile(join(run, 'media.db.json'), 'utf8'));
    assert.equal(seq.sources[0].mediaHash, db.media[0].hash);
    assert.equal(seq.sources[0].scenes[0].source, join(run, 'raw', 'testvideo.mp4'));
    const again = JSON.parse((await cli(['--json', 'cut', join(run, 'raw'), '-o', out])).stdout);
    assert.equal(again.cached, 1, 'served from the run cache');
    const forced = JSON.parse(
      (await cli(['--json', '--no-cache', 'cut', join(run, 'raw'), '-o', out])).stdout,
    );
    assert.equal(forced.cached, 0);
    const bad = await cli(['cut', join(run, 'raw'), '-o', out, '--fade-method', 'sideways']);
    assert.equal(bad.code, 2, 'a usage error');
    assert.match(bad.stderr, /--fade-method <m>.*Allowed choices are floor, ceiling/);
  });

  it('CLI: a non-video input is a clear per-file error', async () => {
    const { code, stdout } = await cli([
      '--json',
      'cut',
      sample('audioOnly'),
      psd('counter.mp4'),
      '-o',
      join(dir, 'seq.json'),
    ]);
    assert.equal(code, 1);
    const out = JSON.parse(stdout);
    assert.match(out.failed[0].error, /no video stream/);
    assert.equal(out.sources.length, 1);
  });

  it("PySceneDetect's downscale: the longer side to 256 px, Python rounding", () => {
    assert.deepEqual(analysisSize(1280, 720, 0), { width: 256, height: 144 });
    assert.deepEqual(analysisSize(1920, 1080, 0), { width: 256, height: 144 });
    assert.deepEqual(analysisSize(704, 576, 0), { width: 256, height: 209 });
    assert.deepEqual(analysisSize(1080, 1920, 0), { width: 144, height: 256 });
    assert.deepEqual(analysisSize(1920, 1080, 90), { width: 144, height: 256 });
    assert.deepEqual(analysisSize(480, 320, 0), { width: 256, height: 171 });
    assert.deepEqual(analysisSize(200, 120, 0), { width: 200, height: 120 });
    assert.deepEqual([pyRound(2.5), pyRound(3.5), pyRound(-0.5), pyRound(2.4)], [2, 4, -0, 2]);
  });

  it('adaptive stats: the ratio sits on the frame it scores (the middle of the window)', async () => {
    const file = realOrStandIn('media/pyscenedetect/testvideo.mp4');
    const statsFile = join(dir, 'adaptive.csv');
    const r = await detectScenes(file, await probe(file), { detector: 'adaptive', statsFile });
    const lines = (await readFile(statsFile, 'utf8')).trim().split('\n');
    const head = lines[0]!.split(',');
    assert.deepEqual(head, [
      'Frame Number',
      'Timecode',
      'adaptive_ratio (w=2)',
      'content_val',
      'delta_hue',
      'delta_lum',
      'delta_sat',
    ]);
    assert.equal(lines.length, 721);
    const cut = r.scenes[1]!.startFrame;
    const row = lines[cut + 1]!.split(',');
    assert.equal(Number(row[0]), cut + 1, '1-based frame numbers');
    assert.ok(Number(row[2]) >= 3 && Number(row[3]) >= 15, `row ${row}`);
    assert.equal(lines.at(-1)!.split(',')[2], '', 'the last frames have no full window');
  });

  it('OpenCV-exact HSV and the flash filter', () => {
    const unpack = (x: number) => [x & 255, (x >> 8) & 255, x >> 16];
    // BGR: pure red, green, blue, grey, and a 5th pixel (not a multiple of 4: the tail path).
    const d = new HsvDistance(5);
    assert.deepEqual(
      d.next(new Uint8Array([0, 0, 255, 0, 255, 0, 255, 0, 0, 128, 128, 128, 10, 20, 30])),
      [0, 0, 0],
    );
    assert.deepEqual([...d.current].map(unpack), [
      [0, 255, 255],
      [60, 255, 255],
      [120, 255, 255],
      [0, 0, 128],
      [15, 170, 30],
    ]);
    // Against black: mean distance per channel.
    assert.deepEqual(d.next(new Uint8Array(15)), [
      (60 + 120 + 15) / 5,
      (255 * 3 + 170) / 5,
      (255 * 3 + 128 + 30) / 5,
    ]);
    // Unchanged groups are skipped, yet scores stay those of a full conversion.
    const frames = [0, 1, 2].map((k) =>
      Uint8Array.from({ length: 64 * 3 }, (_, i) => (i < 96 ? i * 7 : i * 7 + k * 50) & 255),
    );
    const fast = new HsvDistance(64);
    const full = (a: Uint8Array, b: Uint8Array) => {
      const sum = [0, 0, 0];
      for (let p = 0; p < 64; p++) {
        const x = unpack(hsvOf(a[3 * p]!, a[3 * p + 1]!, a[3 * p + 2]!));
        const y = unpack(hsvOf(b[3 * p]!, b[3 * p + 1]!, b[3 * p + 2]!));
        for (let c = 0; c < 3; c++) sum[c]! += Math.abs(x[c]! - y[c]!);
      }
      return sum.map((v) => v / 64);
    };
    fast.next(frames[0]!);
    assert.deepEqual(fast.next(frames[1]!), full(frames[0]!, frames[1]!));
    const unaligned = new Uint8Array(64 * 3 + 1);
    unaligned.set(frames[2]!, 1);
    assert.deepEqual(fast.next(unaligned.subarray(1)), full(frames[1]!, frames[2]!));
    const merge = new FlashFilter('merge', 15);
    const out: number[] = [];
    for (let f = 0; f < 100; f++) out.push(...merge.filter(f, f === 20 || f === 25 || f === 60));
    assert.deepEqual(out, [20, 60]);
  });

  it('the WebAssembly HSV kernel gives the JavaScript reference’s numbers exactly', async () => {
    // Every one of the 16.7 million BGR triples, as one frame, converted by the kernel.
    const n = 1 << 24;
    const all = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      all[3 * i] = i & 255;
      all[3 * i + 1] = (i >> 8) & 255;
      all[3 * i + 2] = i >> 16;
    }
    const kernel = new HsvDistance(n);
    kernel.next(all);
    const hsv = kernel.current;
    let mismatches = 0;
    for (let i = 0; i < n; i++) if (hsv[i] !== hsvOf(i & 255, (i >> 8) & 255, i >> 16)) mismatches++;
    assert.equal(mismatches, 0);
    // Distances, with groups that changed and groups that did not, and a pixel count not a multiple of 16.
    const pixels = 1000;
    const wasm = new HsvDistance(pixels);
    const js = new HsvDistanceJs(pixels);
    for (let k = 0; k < 6; k++) {
      const frame = Uint8Array.from(all.subarray(77_777 * 3, (77_777 + pixels) * 3), (v, i) =>
        i % 96 < 48 ? v : v ^ (k * 37),
      );
      assert.deepEqual(wasm.next(frame), js.next(frame), `frame ${k}`);
    }
    // Real decoded frames (fades, cuts, motion) through both.
    const file = realOrStandIn('media/pyscenedetect/testvideo.mp4');
    const size = analysisSize(1280, 720, 0);
    const a = new HsvDistance(size.width * size.height);
    const b = new HsvDistanceJs(size.width * size.height);
    let frames = 0;
    await streamFrames(file, size, (bgr) => {
      assert.deepEqual(a.next(bgr), b.next(bgr), `frame ${frames}`);
      frames++;
    });
    assert.ok(frames > 700, `${frames} frames`);
  });

  it('the YUV kernel: the numbers of the BGR reference on its own conversion, with padding, odd rows and skipped groups', () => {
    // 40×7 shown, rows padded to 48 (black in every frame, as ffmpeg's pad writes them), 4 chroma rows.
    const layout = frameLayout({ width: 40, height: 7 }, 'yuv420p');
    for (const matrix of [yuvMatrix(), yuvMatrix('bt709')]) {
      const kernel = new Yuv420HsvDistance(layout, matrix);
      const js = new HsvDistanceJs(layout.stride * layout.height);
      let seed = 7;
      const rand = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        return seed >> 16;
      };
      const frame = new Uint8Array(layout.bytes);
      for (let k = 0; k < 12; k++) {
        // Frame 0: everything new; then luma only, chroma only (both rows of a chroma row), one group, nothing.
        const change = k === 0 ? 'all' : ['luma', 'chroma', 'group', 'none'][k % 4]!;
        for (let row = 0; row < layout.height; row++)
          for (let x = 0; x < layout.stride; x++) {
            const pad = x >= layout.width;
            const yi = row * layout.stride + x;
            const ci = (row >> 1) * (layout.stride / 2) + (x >> 1);
            if (pad) {
              frame[yi] = 16;
              frame[layout.u + ci] = 128;
              frame[layout.v + ci] = 128;
            } else if (change === 'all' || change === 'luma' || (change === 'group' && row === 3 && x < 16))
              frame[yi] = rand() & 255;
            if (!pad && (change === 'all' || change === 'chroma')) {
              frame[layout.u + ci] = rand() & 255;
              frame[layout.v + ci] = rand() & 255;
            }
          }
        const got = kernel.next(frame);
        const want = js.next(yuv420ToBgr(frame, layout, matrix));
        // The kernel averages over the shown pixels, the reference over the padded frame.
        const scale = (layout.stride * layout.height) / (layout.width * layout.height);
        for (const [i, g] of got.entries())
          assert.ok(Math.abs(g - want[i]! * scale) < 1e-9, `frame ${k} (${change}): ${got} vs ${want}`);
      }
    }
  });

  it("the YUV conversion is ffmpeg's own, bit for bit (swscale on x86), for BT.601 and BT.709", async function () {
    if (process.arch !== 'x64') this.skip(); // other CPUs take swscale's C or NEON paths, which round differently
    const layout = frameLayout({ width: 64, height: 48 }, 'yuv420p');
    const yuv = join(dir, 'frames.yuv');
    await execFileP('ffmpeg', [
      ...[
        '-nostdin',
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=64x48:rate=25,hue=H=t*3',
        '-t',
        '1',
      ],
      ...['-vf', 'format=yuv420p', '-f', 'rawvideo', yuv],
    ]);
    const frames = await readFile(yuv);
    for (const [tag, matrix] of [
      ['bt601', yuvMatrix()],
      ['bt709', yuvMatrix('bt709')],
    ] as const) {
      const { stdout } = await execFileP(
        'ffmpeg',
        [
          ...['-nostdin', '-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', '64x48', '-i', yuv],
          ...['-vf', `scale=in_color_matrix=${tag},format=bgr24`, '-f', 'rawvideo', '-'],
        ],
        { encoding: 'buffer', maxBuffer: 1 << 26 },
      );
      const bgr = stdout as Buffer;
      assert.equal(bgr.length, (frames.length / layout.bytes) * 64 * 48 * 3);
      for (let i = 0; i < frames.length / layout.bytes; i++) {
        const mine = yuv420ToBgr(frames.subarray(i * layout.bytes, (i + 1) * layout.bytes), layout, matrix);
        assert.ok(
          Buffer.from(mine).equals(bgr.subarray(i * mine.length, (i + 1) * mine.length)),
          `${tag} frame ${i}`,
        );
      }
    }
  });

  it('engine/src/scenes/hsv-wasm.ts is compiled from hsv.wat (run `npm run gen:wasm` when this fails)', async () => {
    const { compileHsvWat } = await import(pathToFileURL(join(REPO, 'scripts', 'gen-wasm.mjs')).href);
    assert.equal(await readFile(join(REPO, 'engine/src/scenes/hsv-wasm.ts'), 'utf8'), await compileHsvWat());
  });
});
