import { FlashFilter } from './flash-filter.js';
import { hsvAndDistance, meanIntensity } from './hsv.js';

/** Per-frame metrics written to the stats file, so every cut can be explained. */
export type FrameMetrics = Record<string, number>;

/** A detector consumes frames in decode order and returns cut frame numbers (decode indices). */
export interface SceneDetector {
  readonly name: string;
  readonly params: Record<string, unknown>;
  /** Metric names, in stats-file column order. */
  readonly metricKeys: readonly string[];
  processFrame(frame: number, bgr: Uint8Array): { cuts: number[]; metrics: FrameMetrics };
  /** Called once after the last frame. */
  postProcess(lastFrame: number): number[];
}

export type ContentParams = {
  threshold: number;
  minSceneLen: number;
  weights: { hue: number; sat: number; lum: number };
  filterMode: 'merge' | 'suppress';
};
export const CONTENT_DEFAULTS: ContentParams = {
  threshold: 27,
  minSceneLen: 15,
  weights: { hue: 1, sat: 1, lum: 1 },
  filterMode: 'merge',
};

/** HSV planes of the current and previous frame, swapped each frame (no per-frame allocation). */
class HsvScorer {
  private cur: Uint8Array[];
  private prev: Uint8Array[];
  private hasPrev = false;
  constructor(
    pixels: number,
    private readonly w: ContentParams['weights'],
  ) {
    this.cur = [new Uint8Array(pixels), new Uint8Array(pixels), new Uint8Array(pixels)];
    this.prev = [new Uint8Array(pixels), new Uint8Array(pixels), new Uint8Array(pixels)];
  }
  /** content_val and its components; 0 on the first frame, like PySceneDetect. */
  score(bgr: Uint8Array): { content_val: number; delta_hue: number; delta_sat: number; delta_lum: number } {
    const [h, s, v] = this.cur as [Uint8Array, Uint8Array, Uint8Array];
    const prev = this.hasPrev ? (this.prev as [Uint8Array, Uint8Array, Uint8Array]) : undefined;
    const [dh, ds, dv] = hsvAndDistance(bgr, h, s, v, prev);
    const total = Math.abs(this.w.hue) + Math.abs(this.w.sat) + Math.abs(this.w.lum);
    const out = {
      content_val: (dh * this.w.hue + ds * this.w.sat + dv * this.w.lum) / total,
      delta_hue: dh,
      delta_sat: ds,
      delta_lum: dv,
    };
    [this.cur, this.prev] = [this.prev, this.cur];
    this.hasPrev = true;
    return out;
  }
}

/** PySceneDetect's ContentDetector: a cut where the HSV difference to the previous frame reaches `threshold`. */
export class ContentDetector implements SceneDetector {
  readonly name = 'content';
  readonly metricKeys = ['content_val', 'delta_hue', 'delta_sat', 'delta_lum'];
  private readonly scorer: HsvScorer;
  private readonly flash: FlashFilter;
  constructor(
    pixels: number,
    readonly params: ContentParams = CONTENT_DEFAULTS,
  ) {
    this.scorer = new HsvScorer(pixels, params.weights);
    this.flash = new FlashFilter(params.filterMode, params.minSceneLen);
  }
  processFrame(frame: number, bgr: Uint8Array) {
    const metrics = this.scorer.score(bgr);
    return { cuts: this.flash.filter(frame, metrics.content_val >= this.params.threshold), metrics };
  }
  postProcess(): number[] {
    return [];
  }
}

export type AdaptiveParams = {
  adaptiveThreshold: number;
  minSceneLen: number;
  windowWidth: number;
  minContentVal: number;
  weights: ContentParams['weights'];
};
export const ADAPTIVE_DEFAULTS: AdaptiveParams = {
  adaptiveThreshold: 3,
  minSceneLen: 15,
  windowWidth: 2,
  minContentVal: 15,
  weights: CONTENT_DEFAULTS.weights,
};

/** PySceneDetect's AdaptiveDetector: a cut where a frame's score stands out from the rolling average around it. */
export class AdaptiveDetector implements SceneDetector {
  readonly name = 'adaptive';
  readonly metricKeys = ['content_val', 'adaptive_ratio'];
  private readonly scorer: HsvScorer;
  private buffer: { frame: number; score: number }[] = [];
  private lastCut: number | undefined;
  constructor(
    pixels: number,
    readonly params: AdaptiveParams = ADAPTIVE_DEFAULTS,
  ) {
    this.scorer = new HsvScorer(pixels, params.weights);
  }
  processFrame(frame: number, bgr: Uint8Array) {
    const { content_val } = this.scorer.score(bgr);
    const metrics: FrameMetrics = { content_val };
    if (this.lastCut === undefined) this.lastCut = frame;
    const w = this.params.windowWidth;
    this.buffer.push({ frame, score: content_val });
    if (this.buffer.length < 1 + 2 * w) return { cuts: [], metrics };
    this.buffer = this.buffer.slice(-(1 + 2 * w));
    const target = this.buffer[w]!;
    const avg = this.buffer.reduce((a, b, i) => (i === w ? a : a + b.score), 0) / (2 * w);
    let ratio = 0;
    if (Math.abs(avg) >= 0.00001) ratio = Math.min(target.score / avg, 255);
    else if (target.score >= this.params.minContentVal) ratio = 255;
    metrics.adaptive_ratio = ratio;
    const met = ratio >= this.params.adaptiveThreshold && target.score >= this.params.minContentVal;
    if (met && frame - this.lastCut >= this.params.minSceneLen) {
      this.lastCut = target.frame;
      return { cuts: [target.frame], metrics };
    }
    return { cuts: [], metrics };
  }
  postProcess(): number[] {
    return [];
  }
}

export type ThresholdParams = {
  threshold: number;
  minSceneLen: number;
  fadeBias: number;
  addFinalScene: boolean;
};
export const THRESHOLD_DEFAULTS: ThresholdParams = {
  threshold: 12,
  minSceneLen: 15,
  fadeBias: 0,
  addFinalScene: false,
};

/** PySceneDetect's ThresholdDetector: cuts at fades to and from black (mean intensity crossing `threshold`). */
export class ThresholdDetector implements SceneDetector {
  readonly name = 'threshold';
  readonly metricKeys = ['average_rgb'];
  private lastCut: number | undefined;
  private fade: { type: 'in' | 'out'; frame: number } | undefined;
  constructor(readonly params: ThresholdParams = THRESHOLD_DEFAULTS) {}
  processFrame(frame: number, bgr: Uint8Array) {
    const avg = meanIntensity(bgr);
    const cuts: number[] = [];
    if (this.lastCut === undefined) this.lastCut = frame;
    const below = avg < Math.trunc(this.params.threshold);
    if (!this.fade) {
      this.fade = { type: below ? 'out' : 'in', frame };
    } else if (this.fade.type === 'in' && below) {
      this.fade = { type: 'out', frame };
    } else if (this.fade.type === 'out' && !below) {
      if (frame - this.lastCut >= this.params.minSceneLen) {
        const duration = frame - this.fade.frame;
        cuts.push(this.fade.frame + Math.round((duration * (1 + this.params.fadeBias)) / 2));
        this.lastCut = frame;
      }
      this.fade = { type: 'in', frame };
    }
    return { cuts, metrics: { average_rgb: avg } };
  }
  postProcess(lastFrame: number): number[] {
    const elapsed = lastFrame - (this.lastCut ?? 0);
    if (this.fade?.type === 'out' && this.params.addFinalScene && elapsed >= this.params.minSceneLen)
      return [this.fade.frame];
    return [];
  }
}
