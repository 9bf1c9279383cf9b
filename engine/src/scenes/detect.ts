import { type ColorPath, mainVideo, type Probe, streamFrames } from '@autoedit/media';
import type { SourceScenes } from '../schemas/sequence.js';
import { clock } from '../timeline/timecode.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { UserError } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import {
  ADAPTIVE_DEFAULTS,
  AdaptiveDetector,
  CONTENT_DEFAULTS,
  ContentDetector,
  type SceneDetector,
  THRESHOLD_DEFAULTS,
  ThresholdDetector,
} from './detectors.js';

export const DETECTORS = ['content', 'adaptive', 'threshold'] as const;
export type DetectorName = (typeof DETECTORS)[number];

export interface DetectorChoice {
  detector: DetectorName;
  /** content: score threshold (27); adaptive: ratio (3); threshold: 8-bit intensity (12). */
  threshold?: number;
  /** Minimum scene length in frames (15). */
  minSceneLen?: number;
  /** See ColorPath in media/src/frames.ts; `sampled` unless exactness matters more than speed. */
  colorPath?: ColorPath;
}

/** PySceneDetect's analysis size: frames wider than 256 px are resized to 256 px wide. */
export function analysisSize(
  width: number,
  height: number,
  rotation: number,
): { width: number; height: number } {
  const [w, h] = rotation % 180 === 90 ? [height, width] : [width, height];
  if (w < 256) return { width: w, height: h };
  const f = w / 256;
  return { width: Math.max(1, Math.round(w / f)), height: Math.max(1, Math.round(h / f)) };
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
      colorPath,
    };
  if (c.detector === 'threshold')
    return {
      ...THRESHOLD_DEFAULTS,
      threshold: c.threshold ?? THRESHOLD_DEFAULTS.threshold,
      minSceneLen,
      colorPath,
    };
  return {
    ...CONTENT_DEFAULTS,
    threshold: c.threshold ?? CONTENT_DEFAULTS.threshold,
    minSceneLen,
    colorPath,
  };
}

function makeDetector(c: DetectorChoice, pixels: number): SceneDetector {
  const p = detectorParams(c);
  if (c.detector === 'adaptive') return new AdaptiveDetector(pixels, p as typeof ADAPTIVE_DEFAULTS);
  if (c.detector === 'threshold') return new ThresholdDetector(p as typeof THRESHOLD_DEFAULTS);
  return new ContentDetector(pixels, p as typeof CONTENT_DEFAULTS);
}

export interface DetectOptions extends DetectorChoice {
  /** Where to write the per-frame stats CSV (PySceneDetect's stats file format). */
  statsFile?: string;
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
  const size = analysisSize(video.width, video.height, video.rotation);
  const detector = makeDetector(opts, size.width * size.height);
  const fps = video.fps;
  const expected = video.frameCount ?? Math.round((probe.duration * fps.num) / fps.den);
  const pts: number[] = [];
  const cuts: number[] = [];
  const rows: string[] = opts.statsFile ? [`Frame Number,Timecode,${detector.metricKeys.join(',')}`] : [];
  const t0 = performance.now();
  opts.progress?.start(`scenes ${file.split('/').pop()}`, expected);
  const result = await streamFrames(
    file,
    size,
    (bgr, index, t) => {
      pts.push(t);
      const { cuts: found, metrics } = detector.processFrame(index, bgr);
      for (const c of found) cuts.push(c);
      if (opts.statsFile)
        rows.push(
          `${index},${t.toFixed(6)},${detector.metricKeys.map((k) => (metrics[k] ?? 0).toFixed(3)).join(',')}`,
        );
      if (index % 30 === 0) {
        const rate = (index + 1) / ((performance.now() - t0) / 1000);
        opts.progress?.update(index + 1, `${rate.toFixed(0)} frames/s`);
      }
    },
    {
      signal: opts.signal,
      colorPath: opts.colorPath,
      constantRate: video.vfr ? undefined : { start: Math.max(0, video.startTime - probe.startTime), fps },
    },
  );
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
  if (opts.statsFile) await writeFileAtomic(opts.statsFile, `${rows.join('\n')}\n`);
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
