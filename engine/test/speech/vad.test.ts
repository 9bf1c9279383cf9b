import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { detectSpeech } from '../../src/speech/vad-stage.js';
import { cli } from '../helpers/cli.js';
import { sample, samples } from '../helpers/samples.js';
import { fixture, hasShared, requireShared, sharedFile } from '../helpers/shared.js';

const JFK_WAV = fixture('media/speech/jfk.wav');
const JFK = [
  [0.3, 2.3],
  [3.3, 4.4],
  [5.4, 7.6],
  [8.2, 10.6],
];

describe('voice activity detection (Silero VAD via onnxruntime-node, energy fallback)', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-vad-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('the default Silero model (from npm) is the v6.2 file (and the one in shared/models)', async () => {
    const { defaultSileroModel } = await import('../../src/speech/silero-vad.js');
    const digest = async (f: string) =>
      createHash('sha256')
        .update(await readFile(f))
        .digest('hex');
    // snakers4/silero-vad at tag v6.2, src/silero_vad/data/silero_vad.onnx (shared/models/README.md).
    const v62 = '1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3';
    assert.equal(await digest(defaultSileroModel()), v62);
    const shared = 'models/silero-vad/silero_vad.onnx';
    if (hasShared(shared)) assert.equal(await digest(sharedFile(shared)), v62);
  });

  it('Silero finds the four phrases of jfk.wav within 150 ms', async () => {
    const v = await detectSpeech(JFK_WAV, { detector: 'silero' });
    assert.equal(v.speech.length, 4, JSON.stringify(v.speech));
    v.speech.forEach((r, i) => {
      assert.ok(
        Math.abs(r.start - JFK[i]![0]!) <= 0.15 && Math.abs(r.end - JFK[i]![1]!) <= 0.15,
        `phrase ${i}: ${r.start}–${r.end}`,
      );
      assert.ok(r.probability > 0.5);
    });
  });

  it('on generated speech with known pauses, Silero ranges match the audible spans within 100 ms', async () => {
    const v = await detectSpeech(sample('talk'), { detector: 'silero' });
    const spans = samples().files.talk!.speech!;
    assert.equal(v.speech.length, spans.length, JSON.stringify(v.speech));
    v.speech.forEach((r, i) => {
      const s = spans[i]!;
      // Silero pads each range by its speech_pad (30 ms): the detection itself must be within 100 ms.
      const pad = 0.03;
      assert.ok(
        Math.abs(r.start + pad - s.voicedStart) <= 0.1,
        `start ${r.start} vs ${s.voicedStart} (${s.text})`,
      );
      assert.ok(Math.abs(r.end - pad - s.voicedEnd) <= 0.1, `end ${r.end} vs ${s.voicedEnd} (${s.text})`);
    });
  });

  it('energy detector: loud windows only, in raw ranges that selection rules merge', async () => {
    const v = await detectSpeech(sample('talk'), { detector: 'energy' });
    const spans = samples().files.talk!.speech!;
    for (const s of spans) {
      const inside = v.speech.filter((r) => r.end > s.voicedStart && r.start < s.voicedEnd);
      assert.ok(inside.length > 0, `sound found in "${s.text}"`);
      assert.ok(inside[0]!.start - s.voicedStart < 0.1 && s.voicedEnd - inside.at(-1)!.end < 0.1);
    }
    // Nothing in the 3 s pause.
    assert.ok(!v.speech.some((r) => r.start < 16 && r.end > 14));
  });

  it('jfk.wav: Silero and the energy detector agree on the four phrases; Silero gives whole phrases', async () => {
    const silero = (await detectSpeech(JFK_WAV, { detector: 'silero' })).speech;
    const energy = (await detectSpeech(JFK_WAV, { detector: 'energy' })).speech;
    // The energy detector breaks at every dip below 4 % between words; joined over gaps < 0.2 s it finds
    // the same four phrases, starting within 150 ms of Silero's.
    const joined = joinGaps(energy);
    assert.ok(energy.length > 3 * silero.length, `${energy.length} raw energy ranges`);
    assert.equal(silero.length, 4, JSON.stringify(silero));
    assert.equal(joined.length, silero.length, JSON.stringify(joined));
    joined.forEach((e, i) => {
      const s = silero[i]!;
      assert.ok(Math.abs(s.start - e.start) < 0.15, `start ${s.start} vs ${e.start}`);
      if (i < 3) assert.ok(s.end >= e.end - 0.05 && s.end - e.end < 0.3, `end ${s.end} vs ${e.end}`);
    });
    // After the last word the recording's noise stays above 4 %: a level keeps it to the end of the file,
    // Silero stops with the speech.
    assert.ok(joined[3]!.end > 10.9 && Math.abs(silero[3]!.end - JFK[3]![1]!) <= 0.15);
  });

  it('example.mp4: Silero and the energy detector agree on the phrases; Silero gives whole phrases', async function () {
    const file = requireShared(this, 'media/auto-editor/example.mp4');
    const silero = (await detectSpeech(file, { detector: 'silero' })).speech;
    const energy = (await detectSpeech(file, { detector: 'energy' })).speech;
    // The energy detector breaks at every dip below 4 % between words; joined over gaps < 0.2 s
    // (as the selection rules' min_silence does) it finds the same six phrases.
    const joined = joinGaps(energy);
    assert.ok(energy.length > 3 * silero.length, `${energy.length} raw energy ranges`);
    assert.equal(silero.length, 6, JSON.stringify(silero));
    assert.equal(joined.length, silero.length, JSON.stringify(joined));
    joined.forEach((e, i) => {
      const s = silero[i]!;
      // Starts agree within 150 ms (on the short last utterance, mean probability 0.61, Silero's probability
      // crosses 0.5 about 100 ms after the sound starts); Silero ends later: decays below 4 % are still
      // speech to it, not to a level.
      assert.ok(Math.abs(s.start - e.start) < 0.15, `start ${s.start} vs ${e.start}`);
      assert.ok(s.end >= e.end - 0.05 && s.end - e.end < 0.3, `end ${s.end} vs ${e.end}`);
    });
    const total = (rs: { start: number; end: number }[]) => rs.reduce((a, r) => a + r.end - r.start, 0);
    assert.ok(total(silero) > total(energy) + 2, 'Silero keeps the quiet parts between words');
  });

  it('CLI vad writes a valid artifact; audio-less input is a clear error', async () => {
    const out = join(dir, 'vad.json');
    const ok = await cli(['--json', 'vad', JFK_WAV, '-d', 'silero', '-o', out]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).ranges.length, 4);
    const bad = await cli(['vad', sample('videoOnly'), '-o', join(dir, 'x.json')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /ffmpeg|audio/i);
  });
});

describe('energy VAD fed in pieces', () => {
  // Real speech with many ranges, at the default window and at one that is no whole number of samples; the
  // second threshold is one that breaks each recording into many ranges (jfk.wav's noise floor is above 1 %).
  const cases = [
    { name: 'jfk.wav', file: () => JFK_WAV, odd: { threshold: 0.02, window: 0.0137 } },
    {
      name: 'example.mp4',
      file: (ctx: Mocha.Context) => requireShared(ctx, 'media/auto-editor/example.mp4'),
      odd: { threshold: 0.01, window: 0.0137 },
    },
  ];
  for (const c of cases)
    it(`gives the same ranges whatever the piece sizes (${c.name})`, async function () {
      const { decodePcm } = await import('@autoedit/media');
      const { EnergyVad, energyVad } = await import('../../src/speech/energy-vad.js');
      const pcm = await decodePcm(c.file(this));
      for (const params of [undefined, c.odd]) {
        const whole = energyVad(pcm, 16000, params);
        assert.ok(whole.length > 10, `${whole.length} ranges`);
        const vad = new EnergyVad(16000, params);
        for (let i = 0, step = 1; i < pcm.length; i += step, step = ((step * 7 + 3) % 5000) + 1)
          vad.push(pcm.subarray(i, i + step));
        assert.deepEqual(vad.finish(), whole);
      }
    });
});

/** Energy ranges joined over gaps shorter than 0.2 s, as the selection rules' min_silence does. */
function joinGaps(ranges: { start: number; end: number }[]): { start: number; end: number }[] {
  const joined: { start: number; end: number }[] = [];
  for (const r of ranges) {
    const last = joined.at(-1);
    if (last && r.start - last.end < 0.2) last.end = r.end;
    else joined.push({ start: r.start, end: r.end });
  }
  return joined;
}
