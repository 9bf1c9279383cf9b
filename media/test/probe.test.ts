import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { sample } from '../../engine/test/helpers/samples.js';
import { sharedFile } from '../../engine/test/helpers/shared.js';
import { mainVideo, probe, UnsupportedMediaError } from '../src/index.js';

describe('probe (real ffprobe)', () => {
  it('keeps 29.97 as the rational 30000/1001', async () => {
    const p = await probe(sharedFile('media/pyscenedetect/testvideo.mp4'));
    const v = mainVideo(p)!;
    assert.deepEqual(v.fps, { num: 30000, den: 1001 });
    assert.equal(v.width, 1280);
    assert.equal(v.height, 720);
    assert.equal(v.vfr, false);
    assert.equal(p.audio.length, 0);
    assert.ok(Math.abs(p.duration - 24.0) < 0.05, `duration ${p.duration}`);
  });

  it('flags variable frame rate (every third frame dropped)', async () => {
    const v = mainVideo(await probe(sharedFile('media/pyscenedetect/goldeneye-vfr-drop3.mp4')))!;
    assert.deepEqual(v.fps, { num: 24000, den: 1001 });
    assert.equal(v.vfr, true);
  });

  it('reads rotation metadata as clockwise degrees', async () => {
    const p = await probe(sharedFile('media/pyscenedetect/issue-134-rotate.mp4'));
    assert.equal(mainVideo(p)!.rotation, 90);
    assert.equal(p.audio[0]!.codec, 'aac');
    assert.equal(p.audio[0]!.sampleRate, 44100);
  });

  it('reads non-square pixels and odd SARs', async () => {
    assert.deepEqual(
      mainVideo(await probe(sharedFile('media/pyscenedetect/issue-195-aspect-ratio.mp4')))!.sar,
      { num: 16, den: 11 },
    );
    assert.deepEqual(mainVideo(await probe(sharedFile('media/auto-editor/SAR-2by3.mp4')))!.sar, {
      num: 2,
      den: 3,
    });
  });

  it('reads HEVC, mkv attachments and subtitle streams', async () => {
    assert.equal(mainVideo(await probe(sharedFile('media/auto-editor/testsrc-hevc.mp4')))!.codec, 'hevc');
    const mkv = await probe(sharedFile('media/pyscenedetect/issue-236-split-copy.mkv'));
    assert.equal(mkv.subtitleStreams, 3);
    assert.equal(mkv.attachments, 6);
    assert.deepEqual(mainVideo(mkv)!.fps, { num: 24000, den: 1001 });
  });

  it('handles audio-only files', async () => {
    const p = await probe(sharedFile('media/auto-editor/mono.mp3'));
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
