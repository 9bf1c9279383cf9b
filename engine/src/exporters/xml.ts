import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { lazy } from '../util/lazy.js';

/** xmlbuilder2, loaded when an XML format is first written. */
export const xml = lazy<typeof import('xmlbuilder2')>('xmlbuilder2');

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
