import { decodePcm } from '@autoedit/media';
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

/** Decode a media or audio file (streamed, 16 kHz mono) and find its speech ranges. */
export async function detectSpeech(file: string, opts: DetectSpeechOptions = {}): Promise<Vad> {
  return detectSpeechPcm(await decodePcm(file, { sampleRate: SAMPLE_RATE, signal: opts.signal }), opts);
}

/** Speech ranges of 16 kHz mono PCM already in memory. */
export async function detectSpeechPcm(pcm: Int16Array, opts: DetectSpeechOptions = {}): Promise<Vad> {
  const vad = speechDetector(opts);
  vad.push(pcm);
  return vad.finish(pcm);
}

/**
 * A speech detector fed 16 kHz mono PCM in pieces, as it is decoded. The energy detector does its work in
 * `push` (it overlaps the decode); Silero runs in `finish`, over all the samples, which it batches for the
 * model.
 */
export function speechDetector(opts: DetectSpeechOptions = {}): {
  push(samples: Int16Array): void;
  finish(pcm: Int16Array): Promise<Vad>;
} {
  const detector = opts.detector ?? 'energy';
  const params = vadParams(opts);
  const energy =
    detector === 'energy' ? new EnergyVad(SAMPLE_RATE, params as unknown as EnergyVadParams) : undefined;
  return {
    push: (samples) => energy?.push(samples),
    async finish(pcm) {
      const speech = energy
        ? energy.finish()
        : speechFromProbabilities(
            await sileroProbabilities(pcm, opts.silero?.model ?? defaultSileroModel(), opts.signal),
            pcm.length,
            params as unknown as SileroParams,
          );
      return {
        kind: 'vad',
        schemaVersion: 1,
        source: opts.source,
        hash: opts.hash,
        detector,
        params,
        duration: pcm.length / SAMPLE_RATE,
        speech,
      };
    },
  };
}
