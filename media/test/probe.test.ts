import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { sample } from '../../engine/test/helpers/samples.js';
import { fixture, hasShared, sharedFile } from '../../engine/test/helpers/shared.js';
import { type StandInName, standIn } from '../../engine/test/helpers/stand-ins.js';
import { mainVideo, probe, UnsupportedMediaError } from '../src/index.js';

/** The generated stand-in, and the real file too when shared/ has it: both must have the facts tested. */
const both = (rel: StandInName) => [standIn(rel), ...(hasShared(rel) ? [sharedFile(rel)] : [])];

describe('probe (real ffprobe)', () => {
  it('keeps 29.97 as the rational 30000/1001', async () => {
    for (const file of both('media/pyscenedetect/testvideo.mp4')) {
      const p = await probe(file);
      const v = mainVideo(p)!;
      assert.deepEqual(v.fps, { num: 30000, den: 1001 }, file);
      assert.equal(v.width, 1280);
      assert.equal(v.height, 720);
      assert.equal(v.vfr, false);
      assert.equal(p.audio.length, 0);
      assert.ok(Math.abs(p.duration - 24.0) < 0.05, `${file}: duration ${p.duration}`);
    }
  });

  it('flags variable frame rate (every third frame dropped)', async () => {
    const v = mainVideo(await probe(fixture('media/pyscenedetect/goldeneye-vfr-drop3.mp4')))!;
    assert.deepEqual(v.fps, { num: 24000, den: 1001 });
    assert.equal(v.vfr, true);
  });

  it('reads rotation metadata as clockwise degrees', async () => {
    for (const file of both('media/pyscenedetect/issue-134-rotate.mp4')) {
      const p = await probe(file);
      assert.equal(mainVideo(p)!.rotation, 90, file);
      assert.equal(p.audio[0]!.codec, 'aac');
      assert.equal(p.audio[0]!.sampleRate, 44100);
    }
  });

  it('reads the colour matrix tag (the scene pass converts YUV with it); untagged is absent', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'autoedit-probe-'));
    for (const [tag, want] of [
      ['bt709', 'bt709'],
      [undefined, undefined],
    ] as const) {
      const file = join(dir, `${tag ?? 'untagged'}.mp4`);
      execFileSync('ffmpeg', [
        ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=25', '-t', '0.2'],
        ...(tag ? ['-colorspace', tag] : []),
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', file],
      ]);
      assert.equal(mainVideo(await probe(file))!.colorSpace, want, file);
    }
  });

  it('reads non-square pixels and odd SARs', async () => {
    for (const file of both('media/pyscenedetect/issue-195-aspect-ratio.mp4'))
      assert.deepEqual(mainVideo(await probe(file))!.sar, { num: 16, den: 11 }, file);
    assert.deepEqual(mainVideo(await probe(fixture('media/auto-editor/SAR-2by3.mp4')))!.sar, {
      num: 2,
      den: 3,
    });
  });

  it('reads HEVC, mkv attachments and subtitle streams', async () => {
    assert.equal(mainVideo(await probe(fixture('media/auto-editor/testsrc-hevc.mp4')))!.codec, 'hevc');
    for (const file of both('media/pyscenedetect/issue-236-split-copy.mkv')) {
      const mkv = await probe(file);
      assert.equal(mkv.subtitleStreams, 3, file);
      assert.equal(mkv.attachments, 6);
      assert.deepEqual(mainVideo(mkv)!.fps, { num: 24000, den: 1001 });
    }
  });

  it('handles audio-only files', async () => {
    const p = await probe(fixture('media/auto-editor/mono.mp3'));
    assert.equal(mainVideo(p), undefined);
    assert.equal(p.audio[0]!.channels, 1);
    assert.equal(p.audio[0]!.sampleRate, 16000);
  });

  it('rejects a text file named .mp4 with a message naming the file', async () => {
    const file = sample('badText');
    await assert.rejects(
      probe(file),
      (e: unknown) => e instanceof UnsupportedMediaError && e.message.startsWith(file),
    );
  });
});
