import { availableParallelism } from 'node:os';
import {
  type ColorPath,
  frameLayout,
  mainVideo,
  type PixelFormat,
  type Probe,
  streamFrames,
} from '@autoedit/media';
import type { SourceScenes } from '../schemas/sequence.js';
import { clock, subtitleTime } from '../timeline/timecode.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { UserError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import {
  ADAPTIVE_DEFAULTS,
  AdaptiveDetector,
  CONTENT_DEFAULTS,
  ContentDetector,
  type FrameInput,
  type FrameMetrics,
  pyRound,
  type SceneDetector,
  THRESHOLD_DEFAULTS,
  ThresholdDetector,
} from './detectors.js';
import { yuvMatrix } from './hsv.js';
import { partCount, planParts, scoreInParts } from './parts.js';

export const DETECTORS = ['content', 'adaptive', 'threshold'] as const;
export type DetectorName = (typeof DETECTORS)[number];

export interface DetectorChoice {
  detector: DetectorName;
  /** content: score threshold (27); adaptive: ratio (3); threshold: 8-bit intensity (12). */
  threshold?: number;
  /** Minimum scene length in frames (15). */
  minSceneLen?: number;
  /** A fixed downscale factor (PySceneDetect's --downscale); omitted: automatic, to 256 px. */
  downscale?: number;
  /** See ColorPath in media/src/frames.ts; `sampled` unless exactness matters more than speed. */
  colorPath?: ColorPath;
  /** content/adaptive: score only the brightness channel (PySceneDetect's --luma-only). */
  lumaOnly?: boolean;
  /** content: how cuts closer than minSceneLen are filtered (merge). */
  filterMode?: 'merge' | 'suppress';
  /** threshold: fades to black (floor, default) or to white (ceiling). */
  fadeMethod?: 'floor' | 'ceiling';
  /** threshold: -1 cuts where the fade out starts, 0 (default) midway, +1 where the fade in ends. */
  fadeBias?: number;
  /** threshold: a cut where a final fade out begins (false). */
  addFinalScene?: boolean;
}

const LUMA_ONLY = { hue: 0, sat: 0, lum: 1 };

/**
 * PySceneDetect's automatic downscale: factor = max(width, height) / 256 (none below 256), each side
 * rounded with Python's round(). 1280×720 → 256×144; portrait 1080×1920 → 144×256.
 */
export function analysisSize(
  width: number,
  height: number,
  rotation: number,
  downscale?: number,
): { width: number; height: number } {
  const [w, h] = rotation % 180 === 90 ? [height, width] : [width, height];
  const longest = Math.max(w, h);
  const f = downscale ?? (longest < 256 ? 1 : longest / 256);
  if (f <= 1) return { width: w, height: h };
  return { width: Math.max(1, pyRound(w / f)), height: Math.max(1, pyRound(h / f)) };
}

/** The effective parameters of a choice (defaults filled in): what the cache key and the artifact record. */
export function detectorParams(c: DetectorChoice): Record<string, unknown> {
  const minSceneLen = c.minSceneLen ?? 15;
  const colorPath = c.colorPath ?? 'sampled';
  if (c.detector === 'adaptive')
    return {
      ...ADAPTIVE_DEFAULTS,
      adaptiveThreshold: c.threshold ?? ADAPTIVE_DEFAULTS.adaptiveThreshold,
      minSceneLen,
      ...(c.lumaOnly ? { weights: LUMA_ONLY } : {}),
      colorPath,
      ...(c.downscale ? { downscale: c.downscale } : {}),
    };
  if (c.detector === 'threshold')
    return {
      ...THRESHOLD_DEFAULTS,
      threshold: c.threshold ?? THRESHOLD_DEFAULTS.threshold,
      minSceneLen,
      method: c.fadeMethod ?? THRESHOLD_DEFAULTS.method,
      fadeBias: c.fadeBias ?? THRESHOLD_DEFAULTS.fadeBias,
      addFinalScene: c.addFinalScene ?? THRESHOLD_DEFAULTS.addFinalScene,
      colorPath,
      ...(c.downscale ? { downscale: c.downscale } : {}),
    };
  return {
    ...CONTENT_DEFAULTS,
    threshold: c.threshold ?? CONTENT_DEFAULTS.threshold,
    minSceneLen,
    ...(c.lumaOnly ? { weights: LUMA_ONLY } : {}),
    filterMode: c.filterMode ?? CONTENT_DEFAULTS.filterMode,
    colorPath,
    ...(c.downscale ? { downscale: c.downscale } : {}),
  };
}

function makeDetector(c: DetectorChoice, input: FrameInput): SceneDetector {
  const p = detectorParams(c);
  if (c.detector === 'adaptive') return new AdaptiveDetector(input, p as typeof ADAPTIVE_DEFAULTS);
  if (c.detector === 'threshold') return new ThresholdDetector(p as typeof THRESHOLD_DEFAULTS);
  return new ContentDetector(input, p as typeof CONTENT_DEFAULTS);
}

/**
 * The HSV detectors on the sampled path read YUV 4:2:0 (half the bytes, no RGB pass in ffmpeg); the
 * threshold detector averages BGR bytes, and the rgb-first path is BGR by definition.
 */
const pixelFormatFor = (c: DetectorChoice): PixelFormat =>
  c.detector !== 'threshold' && (c.colorPath ?? 'sampled') === 'sampled' ? 'yuv420p' : 'bgr24';

export interface DetectOptions extends DetectorChoice {
  /** Where to write the per-frame stats CSV (PySceneDetect's stats file format). */
  statsFile?: string;
  /** Parts decoded at once (see parts.ts); by default chosen from the cores and the video's length. */
  parts?: number;
  /** How the video was decoded: in how many parts, and why not in parts when they did not line up. */
  onDecode?: (how: { parts: number; mismatch?: string }) => void;
  progress?: Progress;
  signal?: AbortSignal;
}

/**
 * Detect scenes in one video in a single streaming decode: ffmpeg converts and scales in native code,
 * frames arrive in one reused buffer, detectors keep O(1) state. Times come from presentation timestamps
 * (correct for VFR); frames are those times on the nominal rate grid.
 */
export async function detectScenes(
  file: string,
  probe: Probe,
  opts: DetectOptions,
): Promise<Omit<SourceScenes, 'mediaHash'>> {
  const video = mainVideo(probe);
  if (!video)
    throw new UserError(
      `${file}: has no video stream, so it has no scenes`,
      'Scene detection needs a video file; audio-only files are cut by speech rules.',
    );
  const size = analysisSize(video.width, video.height, video.rotation, opts.downscale);
  const format = pixelFormatFor(opts);
  const input: FrameInput =
    format === 'bgr24'
      ? size.width * size.height
      : { layout: frameLayout(size, format), matrix: yuvMatrix(video.colorSpace) };
  const fps = video.fps;
  const expected = video.frameCount ?? Math.round((probe.duration * fps.num) / fps.den);
  const constantRate = video.vfr ? undefined : { start: Math.max(0, video.startTime - probe.startTime), fps };
  const t0 = performance.now();
  opts.progress?.start(`scenes ${file.split('/').pop()}`, expected);
  const onProgress = (decoded: number) => {
    const rate = decoded / ((performance.now() - t0) / 1000);
    opts.progress?.update(decoded, `${rate.toFixed(0)} frames/s`);
  };
  const cores = availableParallelism();
  const parts = planParts(
    expected,
    opts.parts ??
      partCount({ cores, seconds: probe.duration, vfr: !constantRate, formatName: probe.formatName }),
  );
  // In parts when that is safe and worth it (see parts.ts); whole when the parts did not line up.
  let run = collector(opts, input);
  let result: { frames: number; warnings: string[]; error?: string } | undefined;
  if (constantRate && parts.length > 1) {
    const r = await scoreInParts(file, size, run.detector, parts, {
      format,
      colorPath: opts.colorPath,
      constantRate,
      threads: Math.max(2, Math.round((2 * cores) / parts.length)),
      signal: opts.signal,
      onFrame: run.onFrame,
      onProgress,
    });
    if ('mismatch' in r) opts.onDecode?.({ parts: 1, mismatch: r.mismatch });
    else {
      result = r;
      opts.onDecode?.({ parts: parts.length });
    }
  } else opts.onDecode?.({ parts: 1 });
  if (!result) {
    run = collector(opts, input);
    const scorer = run.detector.scorer();
    result = await streamFrames(
      file,
      size,
      (pixels, index, t) => {
        run.onFrame(index, t, scorer.score(pixels));
        if (index % 30 === 0) onProgress(index + 1);
      },
      { signal: opts.signal, colorPath: opts.colorPath, format, constantRate },
    );
  }
  const { detector, pts, cuts, stats } = run;
  const n = result.frames;
  if (n === 0) {
    throw new UserError(
      `${file}: no video frame could be decoded${result.error ? ` (${result.error})` : ''}`,
      'The file is corrupt or truncated before its first frame.',
    );
  }
  for (const c of detector.postProcess(n - 1)) cuts.push(c);
  const frameDur = fps.den / fps.num;
  const timeOf = (idx: number) => (idx < n ? pts[idx]! : pts[n - 1]! + frameDur);
  const toFrame = (t: number) => Math.max(0, Math.round((t * fps.num) / fps.den));
  const bounds = [0, ...[...new Set(cuts)].filter((c) => c > 0 && c < n).sort((a, b) => a - b), n];
  const scenes = bounds.slice(0, -1).map((s, i) => {
    const start = timeOf(s);
    const end = timeOf(bounds[i + 1]!);
    return {
      source: file,
      start,
      end,
      startFrame: toFrame(start),
      endFrame: toFrame(end),
      startTimecode: clock(toFrame(start), fps),
      endTimecode: clock(toFrame(end), fps),
    };
  });
  const warnings = [...result.warnings.slice(0, 5)];
  if (result.error) warnings.push(`decoding stopped early: ${result.error}`);
  if (expected > 0 && n < expected * 0.95)
    warnings.push(
      `decoded ${n} of ${expected} frames: the file looks truncated or corrupt; scenes cover what decoded`,
    );
  if (opts.statsFile && stats) await writeFileAtomic(opts.statsFile, statsCsv(detector, stats, pts));
  const seconds = (performance.now() - t0) / 1000;
  opts.progress?.done(
    `scenes: ${scenes.length} in ${file.split('/').pop()} (${n} frames, ${(n / seconds).toFixed(0)} frames/s)`,
  );
  return {
    source: file,
    fps,
    frameCount: n,
    decoded: { start: pts[0]!, end: timeOf(n), frames: n },
    warnings,
    scenes,
  };
}

/** A detector and what it found, fed metrics in frame order. */
function collector(opts: DetectOptions, input: FrameInput) {
  const detector = makeDetector(opts, input);
  const pts: number[] = [];
  const cuts: number[] = [];
  const stats: FrameMetrics[] | undefined = opts.statsFile ? [] : undefined;
  const onFrame = (index: number, t: number, metrics: FrameMetrics) => {
    pts.push(t);
    const r = detector.processMetrics(index, metrics);
    for (const c of r.cuts) cuts.push(c);
    if (stats) {
      stats.push(r.metrics);
      if (r.late) Object.assign(stats[r.late.frame]!, r.late.metrics);
    }
  };
  return { detector, pts, cuts, stats, onFrame };
}

/**
 * PySceneDetect's stats file: "Frame Number" (1-based), "Timecode" (the frame's presentation time), then the
 * metrics in sorted column order, one row per decoded frame. Cut frames are those whose score crosses the
 * threshold recorded in sequences.json (`detector.params`), so every cut can be traced to its row.
 */
function statsCsv(detector: SceneDetector, rows: readonly FrameMetrics[], pts: readonly number[]): string {
  const keys = [...detector.metricKeys].sort();
  const head = ['Frame Number', 'Timecode', ...keys.map((k) => (k.includes(',') ? `"${k}"` : k))].join(',');
  const lines = rows.map(
    (m, i) => `${i + 1},${subtitleTime(pts[i]!, '.')},${keys.map((k) => pyFloat(m[k])).join(',')}`,
  );
  return `${head}\n${lines.join('\n')}\n`;
}

/** A float as Python's str() writes it ("0.0", not "0"), so the CSV reads like PySceneDetect's. */
const pyFloat = (v: number | undefined) =>
  v === undefined ? '' : Number.isInteger(v) ? v.toFixed(1) : String(v);
