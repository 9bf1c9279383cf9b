import * as z from 'zod';

/** An exact frame rate or time base: 30000/1001 stays 30000/1001, never 29.97. */
export const RationalSchema = z.object({ num: z.number().int(), den: z.number().int().positive() });
export type Rational = z.infer<typeof RationalSchema>;

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

export function rational(num: number, den = 1): Rational {
  if (den === 0) throw new RangeError('rational with zero denominator');
  const sign = den < 0 ? -1 : 1;
  const g = gcd(num, den);
  return { num: (sign * num) / g, den: (sign * den) / g };
}

/** Parses ffprobe's "30000/1001" (or "25"); returns undefined for "0/0" and garbage. */
export function parseRational(text: string | undefined): Rational | undefined {
  if (!text) return undefined;
  const m = /^(-?\d+)(?:[/:](\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const num = Number(m[1]);
  const den = m[2] === undefined ? 1 : Number(m[2]);
  if (den === 0 || num === 0) return undefined;
  return rational(num, den);
}

export const toNumber = (r: Rational): number => r.num / r.den;
export const formatRational = (r: Rational): string => `${r.num}/${r.den}`;
export const sameRational = (a: Rational, b: Rational): boolean => a.num * b.den === b.num * a.den;

/** Frame index that contains time `seconds` at rate `fps` (exact for times that sit on frame boundaries). */
export function secondsToFrame(seconds: number, fps: Rational): number {
  // Round first to absorb float noise such as 1.0000000002 * 30 = 30.000000006.
  return Math.floor(Math.round((seconds * fps.num * 1e6) / fps.den) / 1e6);
}

/** Start time of frame `frame` at rate `fps`, in seconds. */
export const frameToSeconds = (frame: number, fps: Rational): number => (frame * fps.den) / fps.num;
