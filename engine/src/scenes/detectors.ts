import type { FrameLayout } from '@autoedit/media';
import { FlashFilter } from './flash-filter.js';
import { type FrameDistance, HsvDistance, meanIntensity, Yuv420HsvDistance, type YuvMatrix } from './hsv.js';

/** Per-frame metrics written to the stats file, so every cut can be explained. */
export type FrameMetrics = Record<string, number>;

/** Python's round(): halves go to the even neighbour (PySceneDetect's arithmetic, e.g. fade midpoints). */
export function pyRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export interface FrameResult {
  cuts: number[];
  /** Metrics of the frame just processed. */
  metrics: FrameMetrics;
  /** Metrics that belong to an earlier frame (the adaptive detector scores the middle of its window). */
  late?: { frame: number; metrics: FrameMetrics };
}

/**
 * Scores a run of consecutive frames (the part that sees pixels). A run's first frame has nothing to be
 * compared with; parts of a video decoded at once each get a scorer and start one frame early.
 */
export interface FrameScorer {
  /** `pixels`: the frame in the form the detector was built for (packed BGR unless it was given a layout). */
  score(pixels: Uint8Array): FrameMetrics;
}

/**
 * A detector turns frames into scores, then decides on the scores in decode order and returns cut frame
 * numbers (decode indices).
 */
export interface SceneDetector {
  readonly name: string;
  readonly params: Record<string, unknown>;
  /** Metric names (PySceneDetect's stats-file column names). */
  readonly metricKeys: readonly string[];
  /** A new scorer, for one run of consecutive frames. */
  scorer(): FrameScorer;
  /** The decision on frame `frame` from its metrics; frames in order, from the first. */
  processMetrics(frame: number, metrics: FrameMetrics): FrameResult;
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

const CONTENT_METRICS = ['content_val', 'delta_hue', 'delta_sat', 'delta_lum'] as const;

/** The frames the HSV detectors are fed: packed BGR of this many pixels, or planar YUV and its matrix. */
export type FrameInput = number | { layout: FrameLayout; matrix: YuvMatrix };

/** content_val from the HSV distance to the previous frame, weighted like PySceneDetect's Components. */
class HsvScorer implements FrameScorer {
  private readonly dist: FrameDistance;
  constructor(
    input: FrameInput,
    private readonly w: ContentParams['weights'],
  ) {
    this.dist =
      typeof input === 'number' ? new HsvDistance(input) : new Yuv420HsvDistance(input.layout, input.matrix);
  }
  /** content_val and its components; 0 on the first frame, like PySceneDetect. */
  score(pixels: Uint8Array): {
    content_val: number;
    delta_hue: number;
    delta_sat: number;
    delta_lum: number;
  } {
    const [dh, ds, dv] = this.dist.next(pixels);
    const total = Math.abs(this.w.hue) + Math.abs(this.w.sat) + Math.abs(this.w.lum);
    return {
      content_val: (dh * this.w.hue + ds * this.w.sat + dv * this.w.lum) / total,
      delta_hue: dh,
      delta_sat: ds,
      delta_lum: dv,
    };
  }
}

/** PySceneDetect's ContentDetector: a cut where the HSV difference to the previous frame reaches `threshold`. */
export class ContentDetector implements SceneDetector {
  readonly name = 'content';
  readonly metricKeys = CONTENT_METRICS;
  private readonly flash: FlashFilter;
  constructor(
    private readonly input: FrameInput,
    readonly params: ContentParams = CONTENT_DEFAULTS,
  ) {
    this.flash = new FlashFilter(params.filterMode, params.minSceneLen);
  }
  scorer(): FrameScorer {
    return new HsvScorer(this.input, this.params.weights);
  }
  processMetrics(frame: number, metrics: FrameMetrics) {
    return { cuts: this.flash.filter(frame, metrics.content_val! >= this.params.threshold), metrics };
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
  readonly metricKeys: readonly string[];
  private readonly ratioKey: string;
  private buffer: { frame: number; score: number }[] = [];
  private lastCut: number | undefined;
  constructor(
    private readonly input: FrameInput,
    readonly params: AdaptiveParams = ADAPTIVE_DEFAULTS,
  ) {
    this.ratioKey = `adaptive_ratio (w=${params.windowWidth})`;
    this.metricKeys = [...CONTENT_METRICS, this.ratioKey];
  }
  scorer(): FrameScorer {
    return new HsvScorer(this.input, this.params.weights);
  }
  processMetrics(frame: number, metrics: FrameMetrics): FrameResult {
    const { content_val } = metrics as { content_val: number };
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
    // The ratio belongs to the window's middle frame, which is also where the cut goes.
    const late = { frame: target.frame, metrics: { [this.ratioKey]: ratio } };
    const met = ratio >= this.params.adaptiveThreshold && target.score >= this.params.minContentVal;
    if (met && frame - this.lastCut >= this.params.minSceneLen) {
      this.lastCut = target.frame;
      return { cuts: [target.frame], metrics, late };
    }
    return { cuts: [], metrics, late };
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
  /** floor: a fade is frames darker than `threshold` (to black); ceiling: brighter (to white). */
  method: 'floor' | 'ceiling';
};
export const THRESHOLD_DEFAULTS: ThresholdParams = {
  threshold: 12,
  minSceneLen: 15,
  fadeBias: 0,
  addFinalScene: false,
  method: 'floor',
};

/** PySceneDetect's ThresholdDetector: cuts at fades to and from black (mean intensity crossing `threshold`). */
export class ThresholdDetector implements SceneDetector {
  readonly name = 'threshold';
  readonly metricKeys = ['average_rgb'] as const;
  private lastCut: number | undefined;
  private fade: { type: 'in' | 'out'; frame: number } | undefined;
  constructor(readonly params: ThresholdParams = THRESHOLD_DEFAULTS) {}
  scorer(): FrameScorer {
    return { score: (bgr) => ({ average_rgb: meanIntensity(bgr) }) };
  }
  processMetrics(frame: number, metrics: FrameMetrics) {
    const avg = metrics.average_rgb!;
    const cuts: number[] = [];
    if (this.lastCut === undefined) this.lastCut = frame;
    const t = Math.trunc(this.params.threshold);
    // "faded": past the threshold in the method's direction (below it for floor, at or above for ceiling).
    const below = this.params.method === 'ceiling' ? avg >= t : avg < t;
    if (!this.fade) {
      this.fade = { type: below ? 'out' : 'in', frame };
    } else if (this.fade.type === 'in' && below) {
      this.fade = { type: 'out', frame };
    } else if (this.fade.type === 'out' && !below) {
      if (frame - this.lastCut >= this.params.minSceneLen) {
        const duration = frame - this.fade.frame;
        cuts.push(this.fade.frame + pyRound((duration * (1 + this.params.fadeBias)) / 2));
        this.lastCut = frame;
      }
      this.fade = { type: 'in', frame };
    }
    return { cuts, metrics };
  }
  postProcess(lastFrame: number): number[] {
    const elapsed = lastFrame - (this.lastCut ?? 0);
    if (this.fade?.type === 'out' && this.params.addFinalScene && elapsed >= this.params.minSceneLen)
      return [this.fade.frame];
    return [];
  }
}
