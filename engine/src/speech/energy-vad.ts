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
 * absolute sample exceeds `threshold`. Fed 16-bit PCM in pieces of any size (as ffmpeg decodes it, so the
 * work overlaps the decode); `finish` returns raw ranges, no margins or merging (those are selection rules,
 * so users can tune them without re-analysing audio).
 */
export class EnergyVad {
  private readonly win: number;
  private readonly limit: number;
  private readonly ranges: SpeechRange[] = [];
  /** Index of the current window, samples in it so far, and its peak. */
  private w = 0;
  private filled = 0;
  private peak = 0;
  private samples = 0;
  /** The open range: first window, and the sum and count of its windows' peaks. */
  private start = -1;
  private sum = 0;
  private count = 0;

  constructor(
    private readonly sampleRate: number,
    params: EnergyVadParams = ENERGY_VAD_DEFAULTS,
  ) {
    this.win = Math.max(1, Math.round(params.window * sampleRate));
    this.limit = params.threshold * 32768;
  }

  push(pcm: Int16Array): void {
    const win = this.win;
    let i = 0;
    while (i < pcm.length) {
      const end = Math.min(pcm.length, i + win - this.filled);
      let peak = this.peak;
      for (let k = i; k < end; k++) {
        const v = pcm[k]!;
        const a = v < 0 ? -v : v;
        if (a > peak) peak = a;
      }
      this.filled += end - i;
      this.samples += end - i;
      i = end;
      this.peak = peak;
      if (this.filled === win) this.closeWindow();
    }
  }

  /** Samples pushed so far. */
  get sampleCount(): number {
    return this.samples;
  }

  /** The ranges of everything pushed; a final partial window counts like a full one. */
  finish(): SpeechRange[] {
    if (this.filled > 0) this.closeWindow();
    this.closeRange(this.samples);
    return this.ranges;
  }

  private closeWindow(): void {
    if (this.peak > this.limit) {
      if (this.start < 0) this.start = this.w;
      this.sum += Math.min(1, this.peak / 32768);
      this.count++;
    } else {
      this.closeRange(this.w * this.win);
    }
    this.w++;
    this.filled = 0;
    this.peak = 0;
  }

  private closeRange(endSample: number): void {
    if (this.start < 0) return;
    this.ranges.push({
      start: (this.start * this.win) / this.sampleRate,
      end: endSample / this.sampleRate,
      probability: +(this.sum / this.count).toFixed(4),
    });
    this.start = -1;
    this.sum = 0;
    this.count = 0;
  }
}

/** Energy VAD over PCM already in memory. */
export function energyVad(
  pcm: Int16Array,
  sampleRate: number,
  params: EnergyVadParams = ENERGY_VAD_DEFAULTS,
): SpeechRange[] {
  const vad = new EnergyVad(sampleRate, params);
  vad.push(pcm);
  return vad.finish();
}
