import { XMLParser } from 'fast-xml-parser';

/** An MLT document (Shotcut or Kdenlive dialect) read back, in document order, for round-trip checks. */
export interface MltDoc {
  root: Record<string, string>;
  profile: Record<string, string>;
  /** producer and chain elements by id: their attributes and `<property>` values. */
  producers: Map<string, { attrs: Record<string, string>; props: Record<string, string> }>;
  playlists: Map<string, { props: Record<string, string>; items: PlaylistItem[] }>;
  tractors: {
    id: string;
    attrs: Record<string, string>;
    props: Record<string, string>;
    tracks: Record<string, string>[];
    /** Shotcut's `<properties name="shotcut:markers">` list. */
    markers: Record<string, string>[];
  }[];
}
export type PlaylistItem = { blank: number } | { producer: string; in: number; out: number };

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };
const tagOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const kids = (n: Node) => n[tagOf(n)] as Node[];
const attrsOf = (n: Node) => n[':@'] ?? {};
const textOf = (n: Node) => (kids(n).find((k) => '#text' in k)?.['#text'] as string | undefined) ?? '';
function propsOf(n: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of kids(n)) if (tagOf(k) === 'property') out[attrsOf(k).name!] = String(textOf(k));
  return out;
}

export function readMlt(text: string): MltDoc {
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    preserveOrder: true,
    parseTagValue: false,
    parseAttributeValue: false,
  }).parse(text) as Node[];
  const mlt = parsed.find((n) => tagOf(n) === 'mlt')!;
  const doc: MltDoc = {
    root: attrsOf(mlt),
    profile: {},
    producers: new Map(),
    playlists: new Map(),
    tractors: [],
  };
  for (const n of kids(mlt)) {
    const tag = tagOf(n);
    const a = attrsOf(n);
    if (tag === 'profile') doc.profile = a;
    else if (tag === 'producer' || tag === 'chain') doc.producers.set(a.id!, { attrs: a, props: propsOf(n) });
    else if (tag === 'playlist') {
      const items: PlaylistItem[] = [];
      for (const k of kids(n)) {
        const ka = attrsOf(k);
        if (tagOf(k) === 'blank') items.push({ blank: Number(ka.length) });
        if (tagOf(k) === 'entry')
          items.push({ producer: ka.producer!, in: Number(ka.in), out: Number(ka.out) });
      }
      doc.playlists.set(a.id!, { props: propsOf(n), items });
    } else if (tag === 'tractor') {
      doc.tractors.push({
        id: a.id!,
        attrs: a,
        props: propsOf(n),
        tracks: kids(n)
          .filter((k) => tagOf(k) === 'track')
          .map(attrsOf),
        markers: kids(n)
          .filter((k) => tagOf(k) === 'properties' && attrsOf(k).name === 'shotcut:markers')
          .flatMap((k) => kids(k).map(propsOf)),
      });
    }
  }
  return doc;
}

/** A playlist's clips as (resource, in, out exclusive, timeline start), the shape of the timeline model. */
export function playlistClips(doc: MltDoc, playlist: string) {
  const pl = doc.playlists.get(playlist);
  if (!pl) throw new Error(`no playlist ${playlist}`);
  let at = 0;
  const clips: { resource: string; in: number; out: number; start: number; producer: string }[] = [];
  for (const it of pl.items) {
    if ('blank' in it) at += it.blank;
    else {
      const p = doc.producers.get(it.producer);
      if (!p) throw new Error(`entry refers to unknown producer ${it.producer}`);
      clips.push({
        resource: p.props.resource!,
        in: it.in,
        out: it.out + 1,
        start: at,
        producer: it.producer,
      });
      at += it.out - it.in + 1;
    }
  }
  return clips;
}
