import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { decodePcm } from '@autoedit/media';
import { z } from 'zod';
import { cached, cacheKey, type StageCache } from '../project/cache.js';
import { type Transcript, WordSchema } from '../schemas/transcript.js';
import type { SpeechRange } from '../schemas/vad.js';
import type { Progress } from '../util/progress.js';
import { type Chunk, mergeChunkWords, planChunks } from './chunks.js';
import { energyVad } from './energy-vad.js';
import { sileroProbabilities, speechFromProbabilities } from './silero-vad.js';
import { LocalWhisper, type Transcriber } from './whisper/local.js';
import { wordsToSegments } from './whisper/words.js';

const SR = 16000;

export interface TranscribeOptions {
  modelPath: string;
  language?: string;
  prompt?: string;
  /** Window length in seconds for long audio (5–10 min is a good range), and the overlap at seams. */
  window?: number;
  overlap?: number;
  /** Windows transcribed at once, each with its own model instance. */
  concurrency?: number;
  threads?: number;
  timeoutMs?: number;
  /** Speech ranges already known (vad.json); otherwise Silero runs (energy if Silero cannot). */
  speech?: SpeechRange[];
  cache?: StageCache;
  progress?: Progress;
  source?: string;
  /** Content hash of the audio (skips re-hashing when the caller knows it). */
  hash?: string;
  /** For tests: any Transcriber implementation. */
  open?: (modelPath: string) => Promise<Transcriber>;
}

const ChunkWordsSchema = z.object({
  kind: z.literal('chunk-words'),
  schemaVersion: z.literal(1),
  language: z.string().optional(),
  words: z.array(WordSchema),
});

async function fileDigest(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
  return `sha256:${h.digest('hex')}`;
}

async function findSpeech(pcm: Int16Array): Promise<SpeechRange[]> {
  try {
    return speechFromProbabilities(await sileroProbabilities(pcm), pcm.length);
  } catch {
    return energyVad(pcm, SR);
  }
}

/**
 * Transcribe a media or audio file with word timings: decode once (16 kHz mono, streamed), split long audio at
 * silences into windows, transcribe windows through a bounded pool of model instances, merge at the seams.
 * Finished windows are cached by (audio hash, model, window, options): an interrupted run resumes.
 */
export async function transcribeFile(file: string, o: TranscribeOptions): Promise<Transcript> {
  const pcm = await decodePcm(file, { sampleRate: SR });
  const duration = pcm.length / SR;
  const hash =
    o.hash ??
    `sha256:${createHash('sha256')
      .update(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength))
      .digest('hex')}`;
  const modelHash = await fileDigest(o.modelPath);
  const modelId = `${basename(o.modelPath)}@${modelHash.slice(7, 19)}`;
  const speech = o.speech ?? (await findSpeech(pcm));
  const chunks = planChunks(duration, speech, o.window ?? 300, o.overlap ?? 1);
  const open =
    o.open ??
    ((p: string) => LocalWhisper.open(p, { threads: o.threads, timeoutMs: o.timeoutMs, id: modelId }));
  const workers: Transcriber[] = [];
  const results: { chunk: Chunk; words: z.infer<typeof WordSchema>[]; language?: string }[] = [];
  let done = 0;
  o.progress?.start(`stt ${basename(file)}`, chunks.length);
  const t0 = performance.now();
  try {
    let next = 0;
    const worker = async () => {
      let t: Transcriber | undefined;
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        const key = cacheKey('stt-chunk', {
          hash,
          model: modelHash,
          chunk,
          language: o.language,
          prompt: o.prompt,
        });
        const { value } = await cached(o.cache, key, ChunkWordsSchema, async () => {
          if (!t) {
            t = await open(o.modelPath);
            workers.push(t);
          }
          const slice = pcm.subarray(Math.floor(chunk.start * SR), Math.ceil(chunk.end * SR));
          const r = await t.transcribe(slice, chunk.start, { language: o.language, prompt: o.prompt });
          return {
            kind: 'chunk-words' as const,
            schemaVersion: 1 as const,
            language: r.language,
            words: r.words,
          };
        });
        results.push({ chunk, words: value.words, language: value.language });
        done++;
        const elapsed = (performance.now() - t0) / 1000;
        o.progress?.update(done, `${(chunk.end / Math.max(elapsed, 1e-3)).toFixed(1)}× real time`);
      }
    };
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 1, chunks.length)) }, worker),
    );
  } finally {
    await Promise.all(workers.map((w) => w.close().catch(() => {})));
  }
  results.sort((a, b) => a.chunk.start - b.chunk.start);
  const words = mergeChunkWords(results);
  const segments = wordsToSegments(words);
  const language = o.language ?? results.find((r) => r.language)?.language ?? 'en';
  o.progress?.done(`stt: ${words.length} words in ${chunks.length} window(s) of ${basename(file)}`);
  return {
    kind: 'transcript',
    schemaVersion: 1,
    source: o.source ?? file,
    language,
    text: segments.map((s) => s.text).join(' '),
    segments,
    model: modelId,
    hash,
  };
}
