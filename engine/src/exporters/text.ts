import type { Timeline } from '../timeline/model.js';

/** Control characters (C0, DEL, C1) and the Unicode line/paragraph separators: no format shows them. */
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;

/** A name, title or label on one line: every control character (a newline in a file name…) becomes a space. */
export const oneLine = (s: string): string => s.replace(CONTROL, ' ');

/**
 * The timeline with its display strings (timeline name, media names, marker labels) on one line: what every
 * exporter shows. Paths are left alone (they must name the file); each format escapes or replaces them itself.
 */
export function printableNames(t: Timeline): Timeline {
  return {
    ...t,
    name: oneLine(t.name),
    media: t.media.map((m) => ({ ...m, name: oneLine(m.name) })),
    markers: t.markers.map((mk) => ({ ...mk, label: oneLine(mk.label) })),
  };
}
