import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { decodePcm } from '@autoedit/media';
import * as z from 'zod';
import { cached, cacheKey, type StageCache } from '../project/cache.js';
import { type Transcript, WordSchema } from '../schemas/transcript.js';
import type { SpeechRange } from '../schemas/vad.js';
import { throwIfCancelled, UserError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import { type Chunk, mergeChunkWords, planChunks } from './chunks.js';
import { energyVad } from './energy-vad.js';
import { sileroProbabilities, speechFromProbabilities } from './silero-vad.js';
import type { Transcriber } from './transcriber.js';
import { LocalWhisper } from './whisper/local.js';
import { wordsToSegments } from './whisper/words.js';

const SR = 16000;

export interface TranscribeOptions {
  modelPath: string;
  /** Whisper language code, or 'auto' / undefined to detect it. */
  language?: string;
  /** Initial prompt: vocabulary hint (names, jargon) and style. */
  prompt?: string;
  /** Window length in seconds for long audio (5–10 min is a good range), and the overlap at seams. */
  window?: number;
  overlap?: number;
  /** Silences at least this long (seconds) are cut out and not transcribed. */
  skipSilence?: number;
  /** Windows transcribed at once, each by its own worker process (memory: one model copy each). */
  concurrency?: number;
  /** CPU threads per worker (default: the cores shared between the workers). */
  threads?: number;
  /** Per-window time limit: base + per audio second (ms). */
  timeout?: { baseMs: number; perSecondMs: number };
  /** Speech ranges already known (vad.json); otherwise Silero runs (energy if Silero cannot). */
  speech?: SpeechRange[];
  cache?: StageCache;
  progress?: Progress;
  source?: string;
  /** Content hash of the audio (skips re-hashing when the caller knows it). */
  hash?: string;
  /** The adapter: any Transcriber implementation (default: local whisper.cpp). */
  open?: (modelPath: string, id: string) => Promise<Transcriber>;
  /**
   * The model's identity when it is not the local file `modelPath` (a remote backend): recorded in the
   * transcript, and part of every window's cache key.
   */
  model?: { id: string; digest: string };
  /** Cancels the transcription: worker processes are killed, finished windows stay cached. */
  signal?: AbortSignal;
}

const ChunkWordsSchema = z.object({
  kind: z.literal('chunk-words'),
  schemaVersion: z.literal(1),
  language: z.string().optional(),
  words: z.array(WordSchema),
});

const DigestSchema = z.object({
  kind: z.literal('file-digest'),
  schemaVersion: z.literal(1),
  digest: z.string(),
});

/**
 * sha256 of the model file, remembered in the cache by (path, size, mtime): hashing a 500 MB model on every
 * run would cost more than transcribing a short clip.
 */
export async function modelDigest(path: string, cache?: StageCache): Promise<string> {
  const st = await stat(path).catch(() => undefined);
  if (!st?.isFile()) return 'sha256:unreadable';
  const key = cacheKey('model-digest', { path: resolve(path), size: st.size, mtime: st.mtimeMs });
  const { value } = await cached(cache && { dir: cache.dir }, key, DigestSchema, async () => {
    const h = createHash('sha256');
    for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(c as Buffer);
    return { kind: 'file-digest' as const, schemaVersion: 1 as const, digest: `sha256:${h.digest('hex')}` };
  });
  return value.digest;
}

async function findSpeech(pcm: Int16Array): Promise<SpeechRange[]> {
  try {
    return speechFromProbabilities((await sileroProbabilities(pcm)).probs, pcm.length);
  } catch {
    // No usable Silero model: the loudness detector still finds the long silences worth skipping.
    return energyVad(pcm, SR);
  }
}

/**
 * Transcribe a media or audio file with word timings: decode once (16 kHz mono, streamed from ffmpeg), find
 * speech (VAD), split long audio at silences into windows, transcribe the windows through a bounded pool of
 * worker processes, merge at the seams. Finished windows are cached by (audio hash, model hash, window,
 * options): an interrupted run resumes where it stopped. Nothing is written here; the caller writes the
 * artifact, so a failure leaves no partial transcript.
 */
export async function transcribeFile(file: string, o: TranscribeOptions): Promise<Transcript> {
  const pcm = await decodePcm(file, { sampleRate: SR, signal: o.signal });
  if (pcm.length === 0)
    throw new UserError(`${file}: the audio stream is empty (0 samples)`, 'Check the file plays.');
  const duration = pcm.length / SR;
  const hash =
    o.hash ??
    `sha256:${createHash('sha256')
      .update(new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength))
      .digest('hex')}`;
  const modelHash = o.model?.digest ?? (await modelDigest(o.modelPath, o.cache));
  const modelId = o.model?.id ?? `${basename(o.modelPath)}@${modelHash.slice(7, 19)}`;
  const speech = o.speech ?? (await findSpeech(pcm));
  const chunks = planChunks(duration, speech, {
    window: o.window,
    overlap: o.overlap,
    skipSilence: o.skipSilence,
  });
  const concurrency = Math.max(1, Math.min(o.concurrency ?? 1, chunks.length));
  // The cores are shared between the workers (whisper.cpp slows down when oversubscribed).
  const threads = o.threads ?? Math.max(1, Math.floor(availableParallelism() / concurrency));
  const open =
    o.open ??
    ((p: string, id: string) =>
      LocalWhisper.open(p, { threads, timeout: o.timeout, id, signal: o.signal }) as Promise<Transcriber>);
  const workers: Transcriber[] = [];
  const results: { chunk: Chunk; words: z.infer<typeof WordSchema>[]; language?: string }[] = [];
  // Progress in seconds of audio to transcribe, so the ETA moves within a window too.
  const total = chunks.reduce((a, c) => a + c.end - c.start, 0);
  let finished = 0;
  const running = new Map<Chunk, number>();
  const report = () => {
    const now = finished + [...running.entries()].reduce((a, [c, f]) => a + f * (c.end - c.start), 0);
    const elapsed = (performance.now() - t0) / 1000;
    o.progress?.update(now, `${(now / Math.max(elapsed, 1e-3)).toFixed(1)}× real time`);
  };
  o.progress?.start(`stt ${basename(file)}`, total);
  const t0 = performance.now();
  // Once one loop fails the others stop taking windows, and every loop is waited for before the workers are
  // closed: a worker still being opened when another loop failed would otherwise outlive the call.
  let failed = false;
  try {
    let next = 0;
    const worker = async () => {
      let t: Transcriber | undefined;
      while (next < chunks.length && !failed) {
        throwIfCancelled(o.signal);
        const chunk = chunks[next++]!;
        const key = cacheKey('stt-chunk', {
          hash,
          model: modelHash,
          chunk,
          language: o.language,
          prompt: o.prompt,
        });
        // A window the backend says not to keep (e.g. a remote run's local fallback on another model).
        let keep = true;
        const { value } = await cached(
          o.cache,
          key,
          ChunkWordsSchema,
          async () => {
            if (!t) {
              t = await open(o.modelPath, modelId);
              workers.push(t);
            }
            const slice = pcm.subarray(Math.floor(chunk.start * SR), Math.ceil(chunk.end * SR));
            running.set(chunk, 0);
            const r = await t.transcribe(slice, chunk.start, {
              language: o.language,
              prompt: o.prompt,
              signal: o.signal,
              onProgress: (f) => {
                running.set(chunk, f);
                report();
              },
            });
            keep = r.cache !== false;
            return {
              kind: 'chunk-words' as const,
              schemaVersion: 1 as const,
              language: r.language,
              words: r.words,
            };
          },
          () => keep,
        );
        running.delete(chunk);
        results.push({ chunk, words: value.words, language: value.language });
        finished += chunk.end - chunk.start;
        report();
      }
    };
    const loops = await Promise.allSettled(
      Array.from({ length: concurrency }, () =>
        worker().catch((e) => {
          failed = true;
          throw e;
        }),
      ),
    );
    const rejected = loops.find((l) => l.status === 'rejected');
    if (rejected) throw rejected.reason;
  } finally {
    await Promise.all(workers.map((w) => w.close().catch(() => {})));
  }
  results.sort((a, b) => a.chunk.start - b.chunk.start);
  const words = mergeChunkWords(results);
  const segments = wordsToSegments(words);
  const detected = results.find((r) => r.language)?.language;
  const language = o.language && o.language !== 'auto' ? o.language.toLowerCase() : (detected ?? 'und');
  o.progress?.done(
    `stt: ${words.length} words in ${chunks.length} window(s), ${total.toFixed(0)} of ${duration.toFixed(0)} s transcribed`,
  );
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

/** The programmatic entry point the pipeline calls. */
export const transcribe = transcribeFile;
