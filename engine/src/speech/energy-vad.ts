import type { SpeechRange } from '../schemas/vad.js';

export interface EnergyVadParams {
  /** Peak level (fraction of full scale) above which a window counts as sound; auto-editor's default is 0.04. */
  threshold: number;
  /** Analysis window in seconds (10 ms resolves cuts well below one video frame). */
  window: number;
}

export const ENERGY_VAD_DEFAULTS: EnergyVadParams = { threshold: 0.04, window: 0.01 };

/**
 * Loudness-threshold voice activity (auto-editor's audio method): a window is "sound" when its peak
 * absolute sample exceeds `threshold`. Pure over 16-bit PCM; returns raw ranges, no margins or merging
 * (those are selection rules, so users can tune them without re-analysing audio).
 */
export function energyVad(
  pcm: Int16Array,
  sampleRate: number,
  params: EnergyVadParams = ENERGY_VAD_DEFAULTS,
): SpeechRange[] {
  const win = Math.max(1, Math.round(params.window * sampleRate));
  const limit = params.threshold * 32768;
  const ranges: SpeechRange[] = [];
  let start = -1;
  let sum = 0;
  let count = 0;
  const windows = Math.ceil(pcm.length / win);
  for (let w = 0; w <= windows; w++) {
    let peak = 0;
    if (w < windows) {
      const end = Math.min(pcm.length, (w + 1) * win);
      for (let i = w * win; i < end; i++) {
        const v = pcm[i]!;
        const a = v < 0 ? -v : v;
        if (a > peak) peak = a;
      }
    }
    const loud = w < windows && peak > limit;
    if (loud) {
      if (start < 0) start = w;
      sum += Math.min(1, peak / 32768);
      count++;
    } else if (start >= 0) {
      ranges.push({
        start: (start * win) / sampleRate,
        end: Math.min(pcm.length, w * win) / sampleRate,
        probability: +(sum / count).toFixed(4),
      });
      start = -1;
      sum = 0;
      count = 0;
    }
  }
  return ranges;
}
