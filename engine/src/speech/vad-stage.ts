import { decodePcm } from '@autoedit/media';
import type { Vad } from '../schemas/vad.js';
import { ENERGY_VAD_DEFAULTS, type EnergyVadParams, energyVad } from './energy-vad.js';

const SAMPLE_RATE = 16000;

/** Decode a media or audio file (streamed, 16 kHz mono) and run the energy detector over it. */
export async function detectSpeechEnergy(
  file: string,
  opts: { params?: Partial<EnergyVadParams>; source?: string; hash?: string } = {},
): Promise<Vad> {
  const params = { ...ENERGY_VAD_DEFAULTS, ...opts.params };
  const pcm = await decodePcm(file, { sampleRate: SAMPLE_RATE });
  return {
    kind: 'vad',
    schemaVersion: 1,
    source: opts.source,
    hash: opts.hash,
    detector: 'energy',
    params: { ...params },
    duration: pcm.length / SAMPLE_RATE,
    speech: energyVad(pcm, SAMPLE_RATE, params),
  };
}
