import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { TranscriptSchema } from '../../src/schemas/transcript.js';
import type { SpeechRange } from '../../src/schemas/vad.js';
import { planChunks } from '../../src/speech/chunks.js';
import { transcribeFile } from '../../src/speech/transcribe.js';
import type { Transcriber } from '../../src/speech/transcriber.js';
import { LocalWhisper } from '../../src/speech/whisper/local.js';
import { sample, samples } from '../helpers/samples.js';
import { tinyModel } from './tiny-model.js';

const r = (start: number, end: number): SpeechRange => ({ start, end, probability: 1 });

describe('long audio: windows at silences, worker pool, resumable', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-windows-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('plans windows no longer than asked, tiling the file, trimmed to speech, skipping long silences', () => {
    // 20 min: speech every 10 s for 9 min, a 2-minute silence, then speech again.
    const speech: SpeechRange[] = [];
    for (let t = 1; t < 540; t += 10) speech.push(r(t, t + 8));
    for (let t = 660; t < 1195; t += 10) speech.push(r(t, t + 8));
    const chunks = planChunks(1200, speech, { window: 300, overlap: 1 });
    // Keep ranges tile [0, 1200) with no gap: no word can fall between two windows.
    assert.equal(chunks[0]!.keepFrom, 0);
    assert.equal(chunks.at(-1)!.keepTo, 1200);
    for (let i = 1; i < chunks.length; i++) assert.equal(chunks[i]!.keepFrom, chunks[i - 1]!.keepTo);
    for (const c of chunks) {
      assert.ok(c.end - c.start <= 301, `window ${c.start}–${c.end} is too long`);
      // Seams fall in silences (here: the last 2 s of every 10 s).
      assert.ok(!speech.some((s) => s.start < c.keepTo && c.keepTo < s.end), `seam ${c.keepTo} cuts speech`);
    }
    // The 2-minute silence is a seam and is not decoded by any window.
    assert.ok(chunks.some((c) => c.keepTo === (539 + 660) / 2));
    assert.ok(!chunks.some((c) => c.start < 640 && c.end > 560), JSON.stringify(chunks));
    // Leading silence is trimmed (0.5 s margin before the first speech).
    assert.equal(chunks[0]!.start, 0.5);
    // Audio with no speech at all in a stretch gives no window; no speech ranges at all means "transcribe all".
    assert.deepEqual(planChunks(100, [r(10, 12)], { skipSilence: 30 }).length, 1);
    assert.deepEqual(planChunks(100, [], {}), [{ start: 0, end: 100, keepFrom: 0, keepTo: 100 }]);
    // A window shorter than its overlap still moves forward (windows of 3 × overlap, seams 2 s apart).
    const small = planChunks(10, [], { window: 0.5, overlap: 1 });
    assert.equal(small.length, 5);
    assert.equal(small.at(-1)!.keepTo, 10);
  });

  it('a windowed run with 2 workers equals the 1-worker run; a lost window is recomputed alone', async () => {
    const model = await tinyModel();
    // One minute of speech: the generated talk three times over.
    const minute = join(dir, 'minute.wav');
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-stream_loop',
      '2',
      '-i',
      sample('talk'),
      '-vn',
      '-ac',
      '1',
      minute,
    ]);
    let calls = 0;
    // The real local transcriber, counted.
    const open = async (p: string, id: string): Promise<Transcriber> => {
      const t = await LocalWhisper.open(p, { id });
      return {
        model: t.model,
        transcribe: (...a) => {
          calls++;
          return t.transcribe(...a);
        },
        close: () => t.close(),
      };
    };
    const cache = { dir: join(dir, 'cache') };
    const o = { modelPath: model, language: 'en', window: 25, open };
    const pooled = await transcribeFile(minute, { ...o, concurrency: 2, cache });
    const windows = readdirSync(cache.dir).filter((f) => f.startsWith('stt-chunk-'));
    assert.ok(windows.length >= 3, `${windows.length} windows`);
    assert.equal(calls, windows.length);
    assert.equal(TranscriptSchema.safeParse(pooled).success, true);
    const words = pooled.segments.flatMap((s) => s.words);
    assert.ok(words.length > 0);
    for (let i = 1; i < words.length; i++) assert.ok(words[i]!.start >= words[i - 1]!.start);
    const single = await transcribeFile(minute, { ...o, concurrency: 1 });
    assert.deepEqual(single.segments, pooled.segments, 'same words whatever the pool size');
    // Resume: with one finished window lost, only that window runs again, and the result is the same.
    await rm(join(cache.dir, windows[1]!));
    calls = 0;
    const resumed = await transcribeFile(minute, { ...o, concurrency: 2, cache });
    assert.equal(calls, 1);
    assert.deepEqual(resumed, pooled);
  });
});
