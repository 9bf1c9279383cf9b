import type { Rational } from '@autoedit/media';

/** Exact seconds of a frame count (float only at this edge). */
export const framesToSeconds = (frames: number, fps: Rational): number => (frames * fps.den) / fps.num;

/** "HH:MM:SS.mmm" clock time, as MLT and Shotcut write it. */
export function clock(frames: number, fps: Rational): string {
  const ms = Math.round(framesToSeconds(frames, fps) * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}

/** Non-drop-frame SMPTE "HH:MM:SS:FF" on the nominal integer rate (30 for 30000/1001), as EDLs use. */
export function smpte(frames: number, fps: Rational): string {
  const base = Math.round(fps.num / fps.den);
  const ff = frames % base;
  const total = Math.floor(frames / base);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(Math.floor(total / 3600))}:${p(Math.floor(total / 60) % 60)}:${p(total % 60)}:${p(ff)}`;
}

/** SRT "HH:MM:SS,mmm" / VTT "HH:MM:SS.mmm" from seconds. */
export function subtitleTime(seconds: number, sep: ',' | '.'): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)}${sep}${p(ms % 1000, 3)}`;
}
