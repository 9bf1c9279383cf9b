import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { formatRational, type Rational, run } from '@autoedit/media';
import type { SelectionSource } from '../../src/schemas/selection.js';

/** What ffprobe says about a rendered file: decoded video frames and the duration of each stream. */
export interface Rendered {
  videoFrames: number;
  videoSeconds: number;
  audioSeconds: number | undefined;
  formatSeconds: number;
  width: number;
  height: number;
  sar: string;
  fps: string;
}

export async function probeRendered(file: string): Promise<Rendered> {
  const out = await run('ffprobe', [
    '-v',
    'error',
    '-count_frames',
    '-show_entries',
    'stream=codec_type,nb_read_frames,duration,width,height,sample_aspect_ratio,r_frame_rate:format=duration',
    '-of',
    'json',
    file,
  ]);
  const j = JSON.parse(out) as {
    streams: Record<string, string | number | undefined>[];
    format: { duration: string };
  };
  const v = j.streams.find((s) => s.codec_type === 'video');
  const a = j.streams.find((s) => s.codec_type === 'audio');
  return {
    videoFrames: Number(v?.nb_read_frames ?? 0),
    videoSeconds: Number(v?.duration ?? 0),
    audioSeconds: a ? Number(a.duration) : undefined,
    formatSeconds: Number(j.format.duration),
    width: Number(v?.width),
    height: Number(v?.height),
    sar: String(v?.sample_aspect_ratio),
    fps: String(v?.r_frame_rate),
  };
}

/**
 * A clap-board source for A/V sync checks: black video with one white frame at each of `flashes`, and a
 * 1 kHz beep starting at exactly the same instant (one frame long). Cut anywhere, render, and the flashes
 * and beeps must still coincide.
 */
export async function clapperboard(
  dir: string,
  fps: Rational,
  frames: number,
  flashes: readonly number[],
): Promise<SelectionSource> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `clap-${fps.num}-${fps.den}-${frames}-${flashes.join('_')}.mp4`);
  const at = (f: number) => ((f * fps.den) / fps.num).toFixed(6);
  const frameSec = (fps.den / fps.num).toFixed(6);
  const onFlash = flashes.map((f) => `eq(n\\,${f})`).join('+');
  const onBeep = flashes.map((f) => `between(t\\,${at(f)}\\,${at(f)}+${frameSec})`).join('+');
  const seconds = (frames * fps.den) / fps.num;
  if (!existsSync(file))
    await run('ffmpeg', [
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `color=c=black:s=320x240:r=${formatRational(fps)}:d=${seconds},drawbox=c=white:t=fill:enable='${onFlash}'`,
      '-f',
      'lavfi',
      '-i',
      `sine=f=1000:r=48000:d=${seconds},volume=eval=frame:volume='if(${onBeep},1,0)'`,
      '-frames:v',
      String(frames),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-g',
      '12',
      '-c:a',
      'aac',
      '-ac',
      '2',
      file,
    ]);
  return {
    source: file,
    fps,
    width: 320,
    height: 240,
    sar: { num: 1, den: 1 },
    duration: seconds,
    frameCount: frames,
    hasVideo: true,
    hasAudio: true,
    audioChannels: 2,
    audioSampleRate: 48000,
  };
}

/** Times (s) of the white frames in a rendered file, and the onsets of its beeps. */
export async function flashesAndBeeps(file: string): Promise<{ flashes: number[]; beeps: number[] }> {
  const v = await run('ffprobe', [
    '-v',
    'error',
    '-f',
    'lavfi',
    '-i',
    `movie=${file},signalstats`,
    '-show_entries',
    'frame=pts_time:frame_tags=lavfi.signalstats.YAVG',
    '-of',
    'csv=p=0',
  ]);
  const flashes = v
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number) as [number, number])
    .filter(([, y]) => y > 128)
    .map(([t]) => t);
  const a = await run('ffmpeg', [
    '-nostdin',
    '-hide_banner',
    '-i',
    file,
    '-vn',
    '-af',
    'silencedetect=n=-30dB:d=0.01,ametadata=print:key=lavfi.silence_end:file=-',
    '-f',
    'null',
    '-',
  ]);
  const beeps = [...a.matchAll(/lavfi\.silence_end=([\d.]+)/g)].map((m) => Number(m[1]));
  return { flashes, beeps };
}
