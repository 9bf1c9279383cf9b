import { create as createXml } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';

/**
 * An XML document whose writer replaces what XML 1.0 cannot hold at all (control characters other than tab
 * and newline, e.g. in a path) with U+FFFD instead of writing a file no parser accepts.
 */
export const create = (decl: { version: '1.0'; encoding: string }) =>
  createXml({ ...decl, invalidCharReplacement: '\uFFFD' });

/** `<property name="k">v</property>` children, the way MLT stores every setting. */
export function props(el: XMLBuilder, values: Record<string, string | number | undefined>): XMLBuilder {
  for (const [name, v] of Object.entries(values))
    if (v !== undefined) el.ele('property', { name }).txt(String(v));
  return el;
}

/** Reduced display aspect ratio from size and pixel aspect. */
export function displayAspect(
  width: number,
  height: number,
  sar: { num: number; den: number },
): { num: number; den: number } {
  let a = width * sar.num;
  let b = height * sar.den;
  const g = (x: number, y: number): number => (y ? g(y, x % y) : x);
  const d = g(a, b) || 1;
  a /= d;
  b /= d;
  return { num: a, den: b };
}

/** MLT's own rule for a profile's colour space: SD (under 720 lines) is BT.601, HD and up BT.709. */
export const colorspaceFor = (height: number): 601 | 709 => (height < 720 ? 601 : 709);

/** The MLT `<profile>` of a timeline: size, pixel and display aspect, exact frame rate (both MLT formats). */
export function profile(
  parent: XMLBuilder,
  t: { width: number; height: number; sar: { num: number; den: number }; fps: { num: number; den: number } },
): void {
  const dar = displayAspect(t.width, t.height, t.sar);
  parent.ele('profile', {
    description: `${t.width}x${t.height} ${+(t.fps.num / t.fps.den).toFixed(3)} fps`,
    width: t.width,
    height: t.height,
    progressive: 1,
    sample_aspect_num: t.sar.num,
    sample_aspect_den: t.sar.den,
    display_aspect_num: dar.num,
    display_aspect_den: dar.den,
    frame_rate_num: t.fps.num,
    frame_rate_den: t.fps.den,
    colorspace: colorspaceFor(t.height),
  });
}

/** Which streams a timeline producer of a media file plays: both (bin), pictures only, or sound only. */
export type StreamUse = 'bin' | 'video' | 'audio';

/** The avformat properties every MLT producer of a media file carries, in both MLT dialects. */
export function avformatProps(
  m: { length: number; path: string; hasAudio: boolean; hasVideo: boolean },
  use: StreamUse,
): Record<string, string | number> {
  return {
    length: m.length,
    eof: 'pause',
    resource: m.path,
    mlt_service: 'avformat-novalidate',
    seekable: 1,
    audio_index: use === 'video' || !m.hasAudio ? -1 : 0,
    video_index: use === 'audio' || !m.hasVideo ? -1 : 0,
  };
}
