import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { detectSpeech } from '../../src/speech/vad-stage.js';
import { cli } from '../helpers/cli.js';
import { sample, samples } from '../helpers/samples.js';
import { sharedFile } from '../helpers/shared.js';

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

  it('Silero finds the four phrases of jfk.wav within 150 ms', async () => {
    const v = await detectSpeech(sharedFile('media/speech/jfk.wav'), { detector: 'silero' });
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

  it('CLI vad writes a valid artifact; audio-less input is a clear error', async () => {
    const out = join(dir, 'vad.json');
    const ok = await cli(['--json', 'vad', sharedFile('media/speech/jfk.wav'), '-d', 'silero', '-o', out]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).ranges.length, 4);
    const bad = await cli(['vad', sample('videoOnly'), '-o', join(dir, 'x.json')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /ffmpeg|audio/i);
  });
});
