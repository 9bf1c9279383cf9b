import { pcmChunks } from '@autoedit/media';
import type { Vad } from '../schemas/vad.js';
import { UserError } from '../util/errors.js';
import { ENERGY_VAD_DEFAULTS, EnergyVad, type EnergyVadParams } from './energy-vad.js';
import {
  defaultSileroModel,
  SILERO_DEFAULTS,
  type SileroParams,
  sileroProbabilities,
  speechFromProbabilities,
} from './silero-vad.js';

const SAMPLE_RATE = 16000;
export type VadDetector = 'energy' | 'silero';

export interface DetectSpeechOptions {
  detector?: VadDetector;
  energy?: Partial<EnergyVadParams>;
  silero?: Partial<SileroParams> & { model?: string };
  source?: string;
  hash?: string;
  signal?: AbortSignal;
}

/** Detector + threshold → options (the threshold means a level for energy, a probability for Silero). */
export function vadChoice(detector: string, threshold?: number): DetectSpeechOptions {
  if (detector !== 'energy' && detector !== 'silero')
    throw new UserError(`unknown VAD detector "${detector}"`, 'Detectors: energy, silero.');
  if (threshold === undefined) return { detector };
  return detector === 'silero' ? { detector, silero: { threshold } } : { detector, energy: { threshold } };
}

/** Effective parameters (what the cache key and the artifact record). */
export function vadParams(o: DetectSpeechOptions): Record<string, unknown> {
  return (o.detector ?? 'energy') === 'silero'
    ? { ...SILERO_DEFAULTS, ...o.silero }
    : { ...ENERGY_VAD_DEFAULTS, ...o.energy };
}

/**
 * Decode a media or audio file and find its speech ranges, streaming: samples go through the detector in
 * pieces (read from the run's WAV, or decoded by ffmpeg) and are never all in memory, so memory stays flat
 * whatever the length.
 */
export async function detectSpeech(file: string, opts: DetectSpeechOptions = {}): Promise<Vad> {
  return detectSpeechStream(pcmChunks(file, { sampleRate: SAMPLE_RATE, signal: opts.signal }), opts);
}

/** Speech ranges of 16 kHz mono PCM already in memory. */
export async function detectSpeechPcm(pcm: Int16Array, opts: DetectSpeechOptions = {}): Promise<Vad> {
  return detectSpeechStream([pcm], opts);
}

/** Speech ranges of 16 kHz mono PCM arriving in pieces. */
async function detectSpeechStream(
  pieces: AsyncIterable<Int16Array> | Iterable<Int16Array>,
  opts: DetectSpeechOptions,
): Promise<Vad> {
  const detector = opts.detector ?? 'energy';
  const params = vadParams(opts);
  if (detector === 'energy') {
    const vad = new EnergyVad(SAMPLE_RATE, params as unknown as EnergyVadParams);
    for await (const p of pieces) vad.push(p);
    return vadArtifact(opts, params, vad.sampleCount, vad.finish());
  }
  const { probs, samples } = await sileroProbabilities(
    pieces,
    opts.silero?.model ?? defaultSileroModel(),
    opts.signal,
  );
  return vadArtifact(
    opts,
    params,
    samples,
    speechFromProbabilities(probs, samples, params as unknown as SileroParams),
  );
}

function vadArtifact(
  opts: DetectSpeechOptions,
  params: Record<string, unknown>,
  samples: number,
  speech: Vad['speech'],
): Vad {
  return {
    kind: 'vad',
    schemaVersion: 1,
    source: opts.source,
    hash: opts.hash,
    detector: opts.detector ?? 'energy',
    params,
    duration: samples / SAMPLE_RATE,
    speech,
  };
}

/**
 * A speech detector fed by ingest as it decodes. The energy detector does its work in `push` (it overlaps
 * the decode); Silero, which runs its model asynchronously, reads the written WAV in `finish`, in pieces.
 */
export function speechDetector(opts: DetectSpeechOptions = {}): {
  push?(samples: Int16Array): void;
  finish(audioFile: string): Promise<Vad>;
} {
  if ((opts.detector ?? 'energy') !== 'energy') return { finish: (file) => detectSpeech(file, opts) };
  const params = vadParams(opts);
  const energy = new EnergyVad(SAMPLE_RATE, params as unknown as EnergyVadParams);
  return {
    push: (samples) => energy.push(samples),
    finish: async () => vadArtifact(opts, params, energy.sampleCount, energy.finish()),
  };
}
