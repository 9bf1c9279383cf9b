import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { frameLayout, frameStreamArgs, probe } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { type DetectOptions, type DetectorName, detectScenes } from '../../src/scenes/detect.js';
import { partCount, planParts } from '../../src/scenes/parts.js';
import { psdVideos } from './psd-videos.js';

const execFileP = promisify(execFile);

describe('scene detection in parts decoded at once', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoedit-parts-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  /** Whole and in `parts`: scenes (warnings aside: they name ffmpeg's addresses) and the stats CSV. */
  const both = async (file: string, detector: DetectorName, parts: number) => {
    const p = await probe(file);
    const run = async (n: number) => {
      const how: { parts: number; mismatch?: string }[] = [];
      const statsFile = join(dir, `stats-${n}.csv`);
      const opts: DetectOptions = { detector, parts: n, statsFile, onDecode: (h) => how.push(h) };
      const { warnings, ...r } = await detectScenes(file, p, opts);
      return { r, warnings, stats: await readFile(statsFile, 'utf8'), how: how[0]! };
    };
    return { whole: await run(1), split: await run(parts) };
  };

  it("gives the whole decode's scores, frame for frame, on every PySceneDetect video and with each detector", async function () {
    this.timeout(180_000);
    const videos = psdVideos();
    let inParts = 0;
    for (const f of videos)
      for (const detector of ['content', 'adaptive', 'threshold'] as const) {
        const { whole, split } = await both(f, detector, 3);
        const what = `${f} (${detector}): ${JSON.stringify(split.how)}`;
        if (f.includes('vfr')) assert.deepEqual(split.how, { parts: 1 }, `${what}: no grid to seek on`);
        // The Matroska stand-in's video starts half a frame late (0.021 s at 23.976 fps): the whole decode
        // repeats its first frame, so frame 15 of the whole decode is not the part's frame 15, and the
        // check sends it back to the whole decode.
        else if (split.how.parts === 3) inParts++;
        else assert.match(split.how.mismatch ?? '', /differs between the two parts/, what);
        assert.deepEqual(split.r, whole.r, what);
        assert.equal(split.stats, whole.stats, `${what}: stats`);
      }
    assert.ok(inParts >= 18, `${inParts} of 21 constant-rate runs in parts`);
  });

  it('lines up in the middle of long GOPs with B-frames, at 29.97 fps in MP4 and in Matroska (millisecond timestamps)', async function () {
    this.timeout(120_000);
    for (const ext of ['mp4', 'mkv']) {
      const file = join(dir, `long-gop.${ext}`);
      // 12 s, a keyframe every 10 s, three B-frames; a hue sweep (every frame differs) and a hard cut at 7 s.
      await execFileP('ffmpeg', [
        ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i'],
        'testsrc2=size=320x180:rate=30000/1001,hue=H=2*PI*t/6,drawbox=enable=gte(t\\,7):c=red:t=fill',
        ...['-t', '12', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '300', '-bf', '3', file],
      ]);
      for (const parts of [2, 3, 5]) {
        const { whole, split } = await both(file, 'content', parts);
        assert.deepEqual(split.how, { parts }, `${ext}, ${parts} parts`);
        assert.deepEqual(split.r, whole.r);
        assert.equal(split.stats, whole.stats);
      }
      assert.deepEqual(
        (await both(file, 'content', 2)).split.r.scenes.map((s) => s.startFrame),
        [0, 210],
      );
    }
  });

  it('parts that do not line up are thrown away: the video is decoded whole, with the same result', async function () {
    this.timeout(60_000);
    // A truncated MP4 (index first, so it opens): the middle part ends early.
    const mp4 = join(dir, 'truncated.mp4');
    await execFileP('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-t', '12'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-movflags', '+faststart', mp4],
    ]);
    await truncate(mp4, Math.floor((await stat(mp4)).size * 0.6));
    const t = await both(mp4, 'content', 3);
    assert.match(t.split.how.mismatch ?? '', /part 2 of 3: \d+ frames decoded, 101 expected/);
    assert.equal(t.split.how.parts, 1);
    assert.deepEqual(t.split.r, t.whole.r);
    assert.equal(t.split.stats, t.whole.stats);
    assert.ok(t.split.warnings.some((w) => /truncated or corrupt/.test(w)));
    // MPEG-TS has no index: ffmpeg's seek lands near, not on, the frame asked for.
    const ts = join(dir, 'no-index.ts');
    await execFileP('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-t', '6'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-f', 'mpegts', ts],
    ]);
    const m = await both(ts, 'content', 2);
    assert.match(m.split.how.mismatch ?? '', /part 2 of 2: the seek to frame 74 landed/);
    assert.deepEqual(m.split.r, m.whole.r);
  });

  it('how many parts: two on 2 cores or more, for a constant-rate MP4/Matroska of a minute or more', () => {
    const mp4 = 'mov,mp4,m4a,3gp,3g2,mj2';
    const base = { cores: 2, seconds: 120, vfr: false, formatName: mp4 };
    assert.equal(partCount(base), 2);
    assert.equal(partCount({ ...base, cores: 16 }), 2);
    assert.equal(partCount({ ...base, formatName: 'matroska,webm' }), 2);
    assert.equal(partCount({ ...base, seconds: 59 }), 1, 'a GOP decoded twice is not worth it');
    assert.equal(partCount({ ...base, cores: 1 }), 1);
    assert.equal(partCount({ ...base, vfr: true }), 1);
    assert.equal(partCount({ ...base, formatName: 'mpegts' }), 1);
    assert.deepEqual(planParts(3000, 2), [{ first: 0, end: 1500 }, { first: 1500 }]);
    assert.deepEqual(planParts(10, 3), [{ first: 0, end: 3 }, { first: 3, end: 7 }, { first: 7 }]);
    assert.deepEqual(planParts(3, 5), [{ first: 0 }], 'at least two frames a part');
  });

  it('ffmpeg arguments for a part: a seek in whole microseconds, a frame count, showinfo on its first frame only', () => {
    const layout = frameLayout({ width: 256, height: 144 }, 'yuv420p');
    const fps = { num: 25, den: 1 };
    const args = frameStreamArgs('in.mp4', layout, 'sampled', fps, {
      threads: 2,
      segment: { seek: 59.958, frames: 1501 },
    });
    const at = (flag: string) => args[args.indexOf(flag) + 1];
    assert.equal(at('-ss'), '59958000us');
    assert.ok(args.indexOf('-ss') < args.indexOf('-i'), 'an input seek');
    assert.equal(at('-frames:v'), '1501');
    assert.equal(at('-threads'), '2');
    assert.match(
      at('-vf')!,
      /split\[out\]\[first\];\[first\]trim=end_frame=1,showinfo,nullsink;\[out\]null$/,
    );
    const first = frameStreamArgs('in.mp4', layout, 'sampled', fps, { segment: { frames: 1500 } });
    assert.ok(!first.includes('-ss') && !first.join(' ').includes('showinfo'));
    assert.throws(() => frameStreamArgs('in.mp4', layout, 'sampled', undefined, { segment: {} }), /grid/);
  });
});
