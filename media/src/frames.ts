import { availableParallelism } from 'node:os';
import { MissingToolError } from './errors.js';
import { finished, spawnStream } from './exec.js';
import type { Rational } from './rational.js';

/**
 * How frames are reduced to the analysis size.
 * - `rgb-first`: PySceneDetect's own order — convert to BGR at full resolution, then shrink. Exact, but the
 *   full-resolution conversion costs about a third of a decode.
 * - `sampled` (default): shrink in YUV, then convert. The resize samples one source pixel per output pixel
 *   (what OpenCV's INTER_LINEAR does when shrinking by an integer factor, e.g. 1280→256), so no chroma is
 *   averaged into dark frames; only chroma siting differs. Measured on PySceneDetect's test videos: the
 *   same cuts with every detector, content scores within 0.41 of the rgb-first path (0.004 on fades.mp4).
 * An averaging scaler (bilinear/area) in YUV is what smears chroma noise into near-black frames: never used.
 */
export type ColorPath = 'rgb-first' | 'sampled';

/**
 * What arrives per frame: packed BGR, or planar YUV 4:2:0 (`sampled` only). YUV is half the bytes, so twice
 * as many frames wait in the pipe's buffer before ffmpeg has to wait on the reader, and ffmpeg does no RGB
 * pass; the reader converts (engine/src/scenes/hsv.wat).
 */
export type PixelFormat = 'bgr24' | 'yuv420p';

/** Where the planes of one frame lie in the bytes read from ffmpeg. */
export interface FrameLayout {
  format: PixelFormat;
  width: number;
  height: number;
  /** Pixels per luma row: yuv420p rows are padded with black to a multiple of 16 (the SIMD kernel's step). */
  stride: number;
  /** Offsets of the U and V planes (yuv420p; stride / 2 bytes a row, half the rows rounded up). */
  u: number;
  v: number;
  bytes: number;
}

export function frameLayout(size: { width: number; height: number }, format: PixelFormat): FrameLayout {
  const { width, height } = size;
  if (format === 'bgr24')
    return { format, width, height, stride: width, u: 0, v: 0, bytes: width * height * 3 };
  const stride = Math.ceil(width / 16) * 16;
  const chroma = (stride / 2) * Math.ceil(height / 2);
  const u = stride * height;
  return { format, width, height, stride, u, v: u + chroma, bytes: u + 2 * chroma };
}

/**
 * ffmpeg arguments that decode the first video stream, reduce it to the layout's size and pixel format and
 * write raw frames to stdout; showinfo reports each frame's timestamp.
 */
export function frameStreamArgs(
  input: string,
  layout: FrameLayout,
  colorPath: ColorPath = 'sampled',
  /**
   * Constant-rate output on this grid: ffmpeg repeats the previous frame where corrupt packets lost some,
   * so frame i stays at start + i/fps (no timestamps needed). Omitted: every decoded frame as it is, with
   * showinfo reporting its timestamp (variable-rate video).
   */
  grid?: Rational,
  opts: {
    /** Decoder threads (default: 4 per core). */
    threads?: number;
    /** Constant-rate only: a part of the video, see FrameSegment. */
    segment?: FrameSegment;
  } = {},
): string[] {
  const { width, height, stride, format } = layout;
  if (format === 'yuv420p' && colorPath === 'rgb-first') throw new Error('rgb-first delivers BGR frames');
  const { segment } = opts;
  if (segment && !grid) throw new Error('a segment needs the constant-rate grid');
  const scale = `scale=${width}:${height}:flags=neighbor`;
  // More decoder threads than cores: frame-threaded H.264 keeps decoding while ffmpeg's main thread is busy
  // scaling and writing to the pipe (on 2 cores, 8 threads decode about 10% faster than the default 3).
  const threads = String(opts.threads ?? Math.min(16, 4 * availableParallelism()));
  // Variable rate: every frame's timestamp. A segment: only its first frame's, to prove where the seek
  // landed (a branch that ends after one frame costs nothing on the others).
  const info = !grid
    ? ',showinfo'
    : segment?.seek !== undefined
      ? ',split[out][first];[first]trim=end_frame=1,showinfo,nullsink;[out]null'
      : '';
  const chain =
    colorPath === 'rgb-first'
      ? `format=bgr24,${scale}`
      : format === 'bgr24'
        ? `${scale},format=bgr24`
        : // Always limited range (full-range sources are rescaled), so the reader needs only the matrix.
          `${scale}:out_range=tv${stride > width ? `,pad=${stride}:${height}` : ''},format=yuv420p`;
  // Input seeking decodes from the keyframe before `seek` and drops what comes earlier. Whole microseconds,
  // rounded down, so the frame at `seek` is never dropped.
  const seek = segment?.seek !== undefined ? ['-ss', `${Math.floor(segment.seek * 1e6)}us`] : [];
  return [
    '-nostdin',
    '-hide_banner',
    '-nostats',
    '-v',
    'info',
    '-threads',
    threads,
    ...seek,
    '-i',
    input,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    chain + info,
    ...(grid ? ['-fps_mode', 'cfr', '-r', `${grid.num}/${grid.den}`] : ['-fps_mode', 'passthrough']),
    ...(segment?.frames !== undefined ? ['-frames:v', String(segment.frames)] : []),
    // Each frame goes to the pipe in one write, not copied through ffmpeg's 32 KB output buffer first.
    '-avioflags',
    'direct',
    '-f',
    'rawvideo',
    '-pix_fmt',
    format,
    'pipe:1',
  ];
}

/**
 * A part of a constant-rate video, for decoding parts at once: the frames from `seek` seconds (a frame's
 * time on the grid, from the file's start; omitted: from the start), `frames` of them (omitted: to the end).
 */
export interface FrameSegment {
  seek?: number;
  frames?: number;
}

export interface FrameStreamResult {
  frames: number;
  /**
   * A range that seeks: seconds from its first frame's place on the grid to where that frame was found
   * (about 0 when the seek landed on it; a frame or more when the timestamps are off the grid).
   */
  landedOff?: number;
  /** ffmpeg's complaints (corrupt packets, truncation), if any. */
  warnings: string[];
  /** Set when ffmpeg exited with an error after decoding what it could. */
  error?: string;
}

/**
 * Stream decoded frames through a callback, one reused buffer per frame (memory stays flat in the video's
 * length). `pts` is the presentation time in seconds, relative to the file's start.
 */
export async function streamFrames(
  input: string,
  size: { width: number; height: number },
  onFrame: (frame: Uint8Array, index: number, pts: number) => void,
  opts: {
    signal?: AbortSignal;
    colorPath?: ColorPath;
    /** bgr24 (default) or yuv420p laid out as frameLayout says. */
    format?: PixelFormat;
    /**
     * Constant-rate video: frame i is at start + i/fps (kept so across lost frames, see frameStreamArgs), and
     * showinfo (about 5% of a decode) is not needed. Omit for variable-rate video: timestamps are then read
     * from ffmpeg for every frame.
     */
    constantRate?: { start: number; fps: Rational };
    /**
     * Constant-rate only: decode frames `first` to `end` (exclusive; omitted: to the end of the file). The
     * callback still gets each frame's index and time on the whole video's grid.
     */
    range?: { first: number; end?: number };
    /** Decoder threads (default: 4 per core). */
    threads?: number;
  } = {},
): Promise<FrameStreamResult> {
  const cfr = opts.constantRate;
  const layout = frameLayout(size, opts.format ?? 'bgr24');
  const range = opts.range;
  if (range && !cfr) throw new Error('a frame range needs a constant-rate video');
  const first = range?.first ?? 0;
  const frameSeconds = cfr ? cfr.fps.den / cfr.fps.num : 0;
  // A seek a twentieth of a frame early: a frame whose timestamp was rounded (Matroska keeps milliseconds)
  // is still found, and ffmpeg's constant-rate output treats it as on time (it repeats a frame only when
  // one comes more than 1.1 frames after the last).
  const early = 0.05 * frameSeconds;
  const segment: FrameSegment | undefined = range && {
    ...(first > 0 ? { seek: cfr!.start + first * frameSeconds - early } : {}),
    ...(range.end !== undefined ? { frames: range.end - first } : {}),
  };
  const args = frameStreamArgs(input, layout, opts.colorPath, cfr?.fps, { threads: opts.threads, segment });
  const child = spawnStream('ffmpeg', args, { signal: opts.signal });
  const frameBytes = layout.bytes;
  const frame = new Uint8Array(frameBytes);
  let filled = 0;
  let index = first;
  const pts: number[] = [];
  const pending: Uint8Array[] = [];
  const nominal = (i: number) => cfr!.start + i * frameSeconds;
  const warnings: string[] = [];
  let errBuf = '';
  child.stderr.on('data', (c: Buffer) => {
    errBuf += c.toString('latin1');
    let nl = errBuf.indexOf('\n');
    while (nl >= 0) {
      const line = errBuf.slice(0, nl);
      errBuf = errBuf.slice(nl + 1);
      // %g: tiny times come as 7.8125e-05.
      const m = /Parsed_showinfo.*\bpts_time:\s*(-?[\d.]+(?:e[-+]?\d+)?)/.exec(line);
      if (m) {
        pts.push(Number(m[1]));
        flush();
      } else if (
        /^\[(?!Parsed_showinfo)/.test(line) ||
        (/corrupt|error/i.test(line) && !/^(Input|Output|Stream|\s)/.test(line))
      ) {
        if (warnings.length < 20) warnings.push(line.trim());
      }
      nl = errBuf.indexOf('\n');
    }
  });
  // A frame is delivered once both its pixels and its timestamp have arrived.
  const flush = () => {
    while (pending.length > 0 && index < pts.length) {
      onFrame(pending.shift()!, index, pts[index]!);
      index++;
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(frameBytes - filled, chunk.length - off);
      frame.set(chunk.subarray(off, off + n), filled);
      filled += n;
      off += n;
      if (filled === frameBytes) {
        filled = 0;
        if (cfr) {
          onFrame(frame, index, nominal(index));
          index++;
        } else if (index < pts.length && pending.length === 0) {
          onFrame(frame, index, pts[index]!);
          index++;
        } else {
          pending.push(frame.slice());
        }
      }
    }
  });
  let error: string | undefined;
  try {
    await finished('ffmpeg', args, child);
  } catch (e) {
    // A cancelled decode or a missing ffmpeg is not a truncated file: never return it as a partial result.
    if (opts.signal?.aborted || e instanceof MissingToolError) throw e;
    const code = (e as { exitCode?: number }).exitCode;
    error = warnings.at(-1) ?? `ffmpeg exited with code ${code ?? '?'}`;
  }
  // Timestamps may trail the pixels at exit; frames without one get the nominal next time.
  while (pending.length > 0) {
    const t = pts[index] ?? (pts.length ? pts[pts.length - 1]! : 0);
    onFrame(pending.shift()!, index++, t);
  }
  // A segment's showinfo reports only its first frame.
  const landedOff = segment?.seek !== undefined ? (pts[0] ?? Number.POSITIVE_INFINITY) - early : undefined;
  return { frames: index - first, warnings, error, ...(landedOff !== undefined ? { landedOff } : {}) };
}
