import * as z from 'zod';
import { run } from './exec.js';
import { parseRational, type Rational, RationalSchema, sameRational } from './rational.js';

export const VideoStreamSchema = z.object({
  index: z.number().int(),
  codec: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Nominal rate (ffprobe r_frame_rate): what editors use as the project rate. */
  fps: RationalSchema,
  /** Average rate over the file; differs from fps when frames are dropped (VFR). */
  avgFps: RationalSchema.optional(),
  timeBase: RationalSchema,
  /** Sample (pixel) aspect ratio; 1/1 for square pixels. */
  sar: RationalSchema,
  /** Clockwise rotation in degrees that a player applies (display matrix / rotate tag). */
  rotation: z.number().int(),
  pixFmt: z.string().optional(),
  /** YCbCr matrix of the decoded frames (ffprobe color_space: bt709, smpte170m, …); absent when unknown. */
  colorSpace: z.string().optional(),
  frameCount: z.number().int().nonnegative().optional(),
  startTime: z.number(),
  duration: z.number().nonnegative().optional(),
  vfr: z.boolean(),
  attachedPic: z.boolean(),
});
export type VideoStream = z.infer<typeof VideoStreamSchema>;

export const AudioStreamSchema = z.object({
  index: z.number().int(),
  codec: z.string(),
  channels: z.number().int().positive(),
  channelLayout: z.string().optional(),
  sampleRate: z.number().int().positive(),
  startTime: z.number(),
  duration: z.number().nonnegative().optional(),
  language: z.string().optional(),
});
export type AudioStream = z.infer<typeof AudioStreamSchema>;

export const ProbeSchema = z.object({
  formatName: z.string(),
  duration: z.number().nonnegative(),
  startTime: z.number(),
  bitRate: z.number().nonnegative().optional(),
  video: z.array(VideoStreamSchema),
  audio: z.array(AudioStreamSchema),
  subtitleStreams: z.number().int().nonnegative(),
  attachments: z.number().int().nonnegative(),
});
export type Probe = z.infer<typeof ProbeSchema>;

/** Input that ffprobe can read but that holds no audio or video we can use. */
export class UnsupportedMediaError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'UnsupportedMediaError';
  }
}

interface RawStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  time_base?: string;
  sample_aspect_ratio?: string;
  pix_fmt?: string;
  color_space?: string;
  nb_frames?: string;
  start_time?: string;
  duration?: string;
  channels?: number;
  channel_layout?: string;
  sample_rate?: string;
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
  disposition?: Record<string, number>;
}
interface RawProbe {
  streams?: RawStream[];
  format?: { format_name?: string; duration?: string; start_time?: string; bit_rate?: string };
}

const num = (s: string | undefined): number | undefined => {
  const n = s === undefined ? Number.NaN : Number(s);
  return Number.isFinite(n) ? n : undefined;
};

function rotationOf(s: RawStream): number {
  const side = s.side_data_list?.find((d) => typeof d.rotation === 'number');
  // ffprobe reports the display matrix angle counter-clockwise; players rotate clockwise by its negation.
  const deg = side?.rotation !== undefined ? -side.rotation : (num(s.tags?.rotate) ?? 0);
  return ((Math.round(deg) % 360) + 360) % 360;
}

/** Pure: ffprobe's JSON → our typed probe. Exposed for tests on recorded ffprobe output. */
export function parseProbe(file: string, raw: RawProbe): Probe {
  const streams = raw.streams ?? [];
  const video: VideoStream[] = [];
  const audio: AudioStream[] = [];
  for (const s of streams) {
    if (s.codec_type === 'video' && s.width && s.height) {
      const attachedPic = s.disposition?.attached_pic === 1;
      const fps = parseRational(s.r_frame_rate) ?? parseRational(s.avg_frame_rate);
      if (!fps && !attachedPic) continue;
      const avgFps = parseRational(s.avg_frame_rate);
      video.push({
        index: s.index,
        codec: s.codec_name ?? 'unknown',
        width: s.width,
        height: s.height,
        fps: fps ?? { num: 1, den: 1 },
        avgFps,
        timeBase: parseRational(s.time_base) ?? { num: 1, den: 90000 },
        sar: parseRational(s.sample_aspect_ratio) ?? { num: 1, den: 1 },
        rotation: rotationOf(s),
        pixFmt: s.pix_fmt,
        colorSpace: s.color_space && s.color_space !== 'unknown' ? s.color_space : undefined,
        frameCount: num(s.nb_frames),
        startTime: num(s.start_time) ?? 0,
        duration: num(s.duration),
        vfr: !!(
          fps &&
          avgFps &&
          !sameRational(fps, avgFps) &&
          Math.abs(fps.num / fps.den - avgFps.num / avgFps.den) > 0.01
        ),
        attachedPic,
      });
    } else if (s.codec_type === 'audio' && s.channels && num(s.sample_rate)) {
      audio.push({
        index: s.index,
        codec: s.codec_name ?? 'unknown',
        channels: s.channels,
        channelLayout: s.channel_layout,
        sampleRate: num(s.sample_rate)!,
        startTime: num(s.start_time) ?? 0,
        duration: num(s.duration),
        language: s.tags?.language,
      });
    }
  }
  if (video.filter((v) => !v.attachedPic).length === 0 && audio.length === 0) {
    throw new UnsupportedMediaError(file, 'no audio or video stream found (is it a media file?)');
  }
  const duration =
    num(raw.format?.duration) ??
    Math.max(0, ...video.map((v) => v.duration ?? 0), ...audio.map((a) => a.duration ?? 0));
  return {
    formatName: raw.format?.format_name ?? 'unknown',
    duration,
    startTime: num(raw.format?.start_time) ?? 0,
    bitRate: num(raw.format?.bit_rate),
    video,
    audio,
    subtitleStreams: streams.filter((s) => s.codec_type === 'subtitle').length,
    attachments: streams.filter((s) => s.codec_type === 'attachment').length,
  };
}

/** Probe a media file with ffprobe. Unreadable files become UnsupportedMediaError naming the file. */
export async function probe(file: string, opts: { signal?: AbortSignal } = {}): Promise<Probe> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file];
  let stdout: string;
  try {
    stdout = await run('ffprobe', args, { signal: opts.signal, timeoutMs: 60_000 });
  } catch (error) {
    const e = error as { name?: string; stderrTail?: string };
    if (e.name === 'ProcessError') {
      const why = (e.stderrTail || 'unknown error').split('\n').pop()!.replace(`${file}: `, '');
      throw new UnsupportedMediaError(file, `not a readable media file: ${why}`);
    }
    throw error;
  }
  return parseProbe(file, JSON.parse(stdout) as RawProbe);
}

/**
 * The picture as players show it: a stream stored landscape with a 90° or 270° rotation (a phone held
 * upright) is displayed portrait, so width and height swap, and so do the pixel aspect's terms.
 */
export function displaySize(v: Pick<VideoStream, 'width' | 'height' | 'sar' | 'rotation'>): {
  width: number;
  height: number;
  sar: Rational;
} {
  if (v.rotation % 180 !== 90) return { width: v.width, height: v.height, sar: v.sar };
  return { width: v.height, height: v.width, sar: { num: v.sar.den, den: v.sar.num } };
}

/** The stream a video pipeline should use: first real video (not cover art). */
export const mainVideo = (p: Probe): VideoStream | undefined => p.video.find((v) => !v.attachedPic);

export type { Rational };
