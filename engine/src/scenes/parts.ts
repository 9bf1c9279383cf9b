import {
  type ColorPath,
  type FrameStreamResult,
  type PixelFormat,
  type Rational,
  streamFrames,
} from '@autoedit/media';
import type { FrameMetrics, SceneDetector } from './detectors.js';

/**
 * Decoding a video in parts at once. One H.264 decode keeps about 1.7 of 2 cores busy: frame threads wait on
 * the frames they reference. Two decodes of two halves have no such dependency between them; on 2 cores
 * they finish the same video in about 0.8 of the time (bench/cases/scenes*.mjs), which leaves room for
 * scaling, the pipe and the HSV pass. Each part but the first starts one frame early, so its scorer has
 * the frame before its first; that frame, decoded by both parts, must come out identical from both, and
 * the seek must land on it exactly: otherwise the caller decodes the video whole.
 */

/** Frames [first, end) of the video; `end` omitted: to the end of the file. */
export interface Part {
  first: number;
  end?: number;
}

/**
 * Seconds of video a part needs at least: a seek decodes from the keyframe before it (up to 10 s with
 * x264's defaults), and each part starts an ffmpeg.
 */
const MIN_PART_SECONDS = 30;
/** Measured on 2 cores (more parts were slower there); frame threads use any further cores. */
const MAX_PARTS = 2;
/** Containers with an index, where a seek lands on a keyframe (MPEG-TS seeks by byte estimate). */
const SEEKABLE = /\b(mov|mp4|matroska|webm)\b/;

export function partCount(o: { cores: number; seconds: number; vfr: boolean; formatName: string }): number {
  if (o.vfr || o.cores < 2 || !SEEKABLE.test(o.formatName)) return 1;
  return Math.max(1, Math.min(MAX_PARTS, Math.floor(o.seconds / MIN_PART_SECONDS)));
}

/** `frames` (the probe's count, an estimate) split into `count` parts of equal length; the last runs to the end. */
export function planParts(frames: number, count: number): Part[] {
  const n = Math.max(1, Math.min(count, Math.floor(frames / 2)));
  return Array.from({ length: n }, (_, k) => ({
    first: Math.round((k * frames) / n),
    ...(k < n - 1 ? { end: Math.round(((k + 1) * frames) / n) } : {}),
  }));
}

export interface PartsOptions {
  format: PixelFormat;
  colorPath?: ColorPath;
  constantRate: { start: number; fps: Rational };
  threads: number;
  signal?: AbortSignal;
  /** Metrics in frame order: the first part's as they come, a later part's once the parts before it ended. */
  onFrame: (index: number, pts: number, metrics: FrameMetrics) => void;
  /** Frames decoded so far, over all parts. */
  onProgress?: (decoded: number) => void;
}

/**
 * Score `parts` of a constant-rate video at once (one ffmpeg and one scorer each). Returns what was
 * decoded, or why the parts did not line up (a seek that missed its frame, a part that ended early, a
 * decoding error): the caller then discards what onFrame was given and decodes the video whole, which
 * reports errors and truncation as it always did.
 */
export async function scoreInParts(
  file: string,
  size: { width: number; height: number },
  detector: SceneDetector,
  parts: readonly Part[],
  o: PartsOptions,
): Promise<{ frames: number; warnings: string[] } | { mismatch: string }> {
  const stop = new AbortController();
  const onAbort = () => stop.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const state = parts.map(() => ({
    waiting: [] as { index: number; pts: number; metrics: FrameMetrics }[],
    done: false,
    /** The frame before the part's first (decoded by this part and by the one before). */
    before: undefined as Uint8Array | undefined,
    /** The part's last frame (compared with the next part's `before`). */
    last: undefined as Uint8Array | undefined,
  }));
  let current = 0;
  let decoded = 0;
  const partDone = (k: number) => {
    state[k]!.done = true;
    while (current < parts.length && state[current]!.done) {
      current++;
      const next = state[current];
      for (const f of next?.waiting.splice(0) ?? []) o.onFrame(f.index, f.pts, f.metrics);
    }
  };
  const decode = async (part: Part, k: number): Promise<FrameStreamResult> => {
    const scorer = detector.scorer();
    const s = state[k]!;
    const from = k === 0 ? part.first : part.first - 1;
    const result = await streamFrames(
      file,
      size,
      (pixels, index, pts) => {
        const metrics = scorer.score(pixels);
        if (++decoded % 30 === 0) o.onProgress?.(decoded);
        if (index < part.first) {
          s.before = pixels.slice();
          return;
        }
        if (part.end !== undefined && index === part.end - 1) s.last = pixels.slice();
        if (k === current) o.onFrame(index, pts, metrics);
        else s.waiting.push({ index, pts, metrics });
      },
      {
        format: o.format,
        colorPath: o.colorPath,
        constantRate: o.constantRate,
        range: { first: from, ...(part.end !== undefined ? { end: part.end } : {}) },
        threads: o.threads,
        signal: stop.signal,
      },
    );
    partDone(k);
    return result;
  };
  // A missing ffmpeg or a cancel stops the other parts too (the first error is the one reported); their
  // ffmpegs have exited when this returns.
  let failure: { error: unknown } | undefined;
  const settled = await Promise.allSettled(
    parts.map((p, k) =>
      decode(p, k).catch((error) => {
        failure ??= { error };
        stop.abort(error);
        throw error;
      }),
    ),
  );
  o.signal?.removeEventListener('abort', onAbort);
  if (failure) throw failure.error;
  const results = settled.map((s) => (s as PromiseFulfilledResult<FrameStreamResult>).value);
  const fps = o.constantRate.fps;
  const frameSeconds = fps.den / fps.num;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    const r = results[k]!;
    const name = `part ${k + 1} of ${parts.length}`;
    if (r.error) return { mismatch: `${name}: ${r.error}` };
    const wanted = p.end === undefined ? undefined : p.end - (k === 0 ? p.first : p.first - 1);
    if (wanted !== undefined && r.frames !== wanted)
      return { mismatch: `${name}: ${r.frames} frames decoded, ${wanted} expected` };
    if (k === 0) continue;
    if (r.landedOff === undefined || !(Math.abs(r.landedOff) < frameSeconds / 2))
      return { mismatch: `${name}: the seek to frame ${p.first - 1} landed ${r.landedOff} s off` };
    if (!sameBytes(state[k]!.before, state[k - 1]!.last))
      return { mismatch: `${name}: frame ${p.first - 1} differs between the two parts that decode it` };
  }
  const lastPart = parts.at(-1)!;
  const frames = lastPart.first - (parts.length > 1 ? 1 : 0) + results.at(-1)!.frames;
  if (frames <= lastPart.first) return { mismatch: `no frame after frame ${lastPart.first - 1}` };
  return { frames, warnings: [...new Set(results.flatMap((r) => r.warnings))] };
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;
}
