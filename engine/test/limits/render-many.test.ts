import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { renderSelection } from '../../src/render/render.js';
import type { SelectionSource } from '../../src/schemas/selection.js';
import { selection } from '../export/fixtures.js';
import { probeRendered } from '../export/media.js';

describe('input limits: render of 10,000 kept clips (real ffmpeg)', function () {
  this.timeout(900_000);
  let dir: string;
  let src: SelectionSource;
  const CLIPS = 10_000;
  const fps = { num: 25, den: 1 };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoedit-many-'));
    // Tiny, so the test measures the number of clips, not decoding: 64x36, 25 fps, 2 frames per clip.
    const frames = 2 * CLIPS;
    const seconds = frames / 25;
    const file = join(dir, 'tiny.mp4');
    await run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=s=64x36:r=25:d=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=f=440:r=16000:d=${seconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-c:a',
      'aac',
      '-b:a',
      '32k',
      '-shortest',
      file,
    ]);
    src = {
      source: file,
      fps,
      width: 64,
      height: 36,
      sar: { num: 1, den: 1 },
      duration: seconds,
      frameCount: frames,
      hasVideo: true,
      hasAudio: true,
    };
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('renders every clip (a filter graph far past the command-line limit): 10,000 frames, sound as long', async () => {
    // Every other frame: 10,000 one-frame clips, each its own segment.
    const sel = selection(Array.from({ length: CLIPS }, (_, i) => [src, 2 * i, 2 * i + 1] as const));
    const out = join(dir, 'many.mp4');
    const r = await renderSelection(sel, out);
    assert.equal(r.frames, CLIPS);
    const got = await probeRendered(out);
    assert.equal(got.videoFrames, CLIPS);
    const want = CLIPS / 25;
    for (const [what, s] of [
      ['container', got.formatSeconds],
      ['video', got.videoSeconds],
      ['audio', got.audioSeconds ?? -1],
    ] as const)
      assert.ok(Math.abs(s - want) <= 1 / 25 + 1e-6, `${what} lasts ${s} s, want ${want} s ±1 frame`);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.endsWith('.partial')),
      [],
    );
  });
});
