import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { sample, samples } from '../../engine/test/helpers/samples.js';
import { fixture } from '../../engine/test/helpers/shared.js';
import { decodePcm, extractAudio, parseWav, pcmChunks, run, wavHeader } from '../src/index.js';

function joinPieces(pieces: Int16Array[]): Int16Array {
  const out = new Int16Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('audio extraction and WAV (real ffmpeg)', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-audio-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes a 16 kHz mono WAV whose samples equal ffmpeg’s PCM decode, also when streamed in pieces', async () => {
    const wav = join(dir, 'talk.wav');
    const pieces: Int16Array[] = [];
    const count = await extractAudio(sample('talk'), wav, { onPcm: (p) => pieces.push(p) });
    // The pieces, in order, are exactly the samples (chunks from the pipe may split a sample in two).
    const pcm = joinPieces(pieces);
    assert.ok(pcm.length > 16000, 'samples handed over');
    assert.equal(count, pcm.length);
    const parsed = parseWav(await readFile(wav))!;
    assert.equal(parsed.sampleRate, 16000);
    assert.equal(parsed.channels, 1);
    assert.deepEqual(parsed.pcm, pcm);
    // ffmpeg reads our WAV back to the same samples (a valid file for every other tool too).
    const viaFfmpeg = await decodePcm(sample('talk'));
    assert.deepEqual(viaFfmpeg, pcm);
  });

  it('pcmChunks streams the same samples as decodePcm, from a WAV (read in pieces) and through ffmpeg', async () => {
    const wav = join(dir, 'chunks.wav');
    await extractAudio(sample('talk'), wav);
    const whole = await decodePcm(wav);
    const pieces: Int16Array[] = [];
    for await (const p of pcmChunks(wav)) pieces.push(p);
    assert.ok(pieces.length > 1, 'read in more than one piece');
    assert.deepEqual(joinPieces(pieces), whole);
    const decoded: Int16Array[] = [];
    for await (const p of pcmChunks(sample('talk'))) decoded.push(p);
    assert.deepEqual(joinPieces(decoded), whole);
  });

  it('reads WAVs written by ffmpeg directly, and falls back to ffmpeg for other rates and formats', async () => {
    const direct = join(dir, 'direct.wav');
    await extractAudio(fixture('media/speech/jfk.wav'), direct);
    const fromFile = await decodePcm(direct);
    const fromFfmpeg = await decodePcm(fixture('media/speech/jfk.wav'));
    assert.deepEqual(fromFile, fromFfmpeg);
    // 8 kHz asked of a 16 kHz WAV: resampled by ffmpeg, not misread.
    const eight = await decodePcm(direct, { sampleRate: 8000 });
    assert.ok(Math.abs(eight.length - fromFile.length / 2) <= 2, `${eight.length} vs ${fromFile.length / 2}`);
    // A float WAV is not ours to parse.
    const float = join(dir, 'float.wav');
    await run('ffmpeg', ['-v', 'error', '-i', direct, '-c:a', 'pcm_f32le', float]);
    assert.equal(parseWav(await readFile(float)), undefined);
    assert.deepEqual(await decodePcm(float), fromFile);
  });

  it('parses what wavHeader writes, and skips unknown chunks and pads odd chunk sizes', () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768]);
    const bytes = new Uint8Array(pcm.buffer);
    const plain = new Uint8Array([...wavHeader(pcm.length, 22050), ...bytes]);
    assert.deepEqual(parseWav(plain), { sampleRate: 22050, channels: 1, pcm });
    // RIFF header, fmt chunk, a 3-byte LIST chunk (+1 pad byte), then data.
    const head = wavHeader(pcm.length, 22050);
    const list = new Uint8Array([...'LIST'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 1, 2, 3, 0]));
    const withList = new Uint8Array([...head.subarray(0, 36), ...list, ...head.subarray(36), ...bytes]);
    assert.deepEqual(parseWav(withList)?.pcm, pcm);
    assert.equal(parseWav(new TextEncoder().encode('not a wav at all')), undefined);
  });
});
