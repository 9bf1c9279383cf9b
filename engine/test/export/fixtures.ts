import type { Selection, SelectionSource } from '../../src/schemas/selection.js';
import { sample, samples } from '../helpers/samples.js';
import { fixture } from '../helpers/shared.js';
import { realOrStandIn } from '../helpers/stand-ins.js';

/**
 * Selections written by hand from real media (facts from ffprobe), so the exporter tests do not depend on
 * the rules engine: what a cut looks like is fixed here, frame by frame. The three big sources are the real
 * files when shared/ has them and generated stand-ins with the same facts otherwise (helpers/stand-ins.ts).
 */

const r = (num: number, den = 1) => ({ num, den });

/** Source facts, as `autoedit select` records them (exporters never probe). */
export const SOURCES = {
  example: () =>
    ({
      source: realOrStandIn('media/auto-editor/example.mp4'),
      fps: r(30),
      width: 1280,
      height: 720,
      sar: r(1),
      duration: 42.4,
      frameCount: 1272,
      hasVideo: true,
      hasAudio: true,
      audioChannels: 2,
      audioSampleRate: 48000,
    }) satisfies SelectionSource,
  ntsc: () =>
    ({
      source: realOrStandIn('media/pyscenedetect/testvideo.mp4'),
      fps: r(30000, 1001),
      width: 1280,
      height: 720,
      sar: r(1),
      duration: 24.023333,
      frameCount: 720,
      hasVideo: true,
      hasAudio: false,
    }) satisfies SelectionSource,
  anamorphic: () =>
    ({
      source: realOrStandIn('media/pyscenedetect/issue-195-aspect-ratio.mp4'),
      fps: r(25),
      width: 704,
      height: 576,
      sar: r(16, 11),
      duration: 25.12,
      frameCount: 628,
      hasVideo: true,
      hasAudio: true,
      audioChannels: 2,
      audioSampleRate: 48000,
    }) satisfies SelectionSource,
  audioOnly: () =>
    ({
      source: fixture('media/auto-editor/aac.m4a'),
      fps: r(25),
      duration: 6.625,
      frameCount: 165,
      hasVideo: false,
      hasAudio: true,
      audioChannels: 1,
      audioSampleRate: 16000,
    }) satisfies SelectionSource,
  talk: () => {
    const f = samples().files.talk!;
    return {
      source: sample('talk'),
      fps: r(25),
      width: 1280,
      height: 720,
      sar: r(1),
      duration: f.duration!,
      frameCount: f.frames!,
      hasVideo: true,
      hasAudio: true,
      audioChannels: 1,
      audioSampleRate: 48000,
    } satisfies SelectionSource;
  },
};

type Range = [source: SelectionSource, startFrame: number, endFrame: number, reason?: string];

/** A selection keeping `ranges` (source frames, end exclusive) in this order. */
export function selection(
  ranges: Range[],
  markers: Selection['markers'] = [],
  dropped: Selection['dropped'] = [],
): Selection {
  const sources: SelectionSource[] = [];
  for (const [s] of ranges) if (!sources.some((x) => x.source === s.source)) sources.push(s);
  return {
    kind: 'selection',
    schemaVersion: 1,
    sources,
    kept: ranges.map(([s, a, b, why]) => ({
      source: s.source,
      start: (a * s.fps.den) / s.fps.num,
      end: (b * s.fps.den) / s.fps.num,
      startFrame: a,
      endFrame: b,
      reasons: [why ?? 'fixture'],
    })),
    dropped,
    skippedRules: [],
    markers,
  };
}

/** The fixtures every exporter is checked against. */
export function fixtures(): Record<string, Selection> {
  const ex = SOURCES.example();
  const ntsc = SOURCES.ntsc();
  const ana = SOURCES.anamorphic();
  const aud = SOURCES.audioOnly();
  const talk = SOURCES.talk();
  return {
    // 30 fps talking head, cut like a silence edit (from frame 0 to the source's last frame).
    example: selection(
      [
        [ex, 0, 75, 'speech 0.00–2.50 s'],
        [ex, 120, 301, 'speech 4.00–10.03 s'],
        [ex, 410, 520],
        [ex, 840, 1000],
        [ex, 1230, 1272],
      ],
      [
        { source: ex.source, time: 5, label: 'scene 2' },
        { source: ex.source, time: 30, label: 'scene 3' },
        { source: ex.source, time: 3.5, label: 'cut away (not kept)' },
      ],
    ),
    // 29.97 fps (30000/1001), no audio track; cut points chosen where 30 and 30000/1001 disagree.
    ntsc: selection(
      [
        [ntsc, 1, 91],
        [ntsc, 151, 332],
        [ntsc, 599, 720],
      ],
      [{ source: ntsc.source, time: 6.039367, label: 'scene' }],
    ),
    // Non-square pixels (704x576, SAR 16:11), 25 fps, SD colorimetry.
    anamorphic: selection([
      [ana, 0, 50],
      [ana, 300, 421],
    ]),
    // Sound only: the project gets a black picture.
    audioOnly: selection([
      [aud, 0, 40],
      [aud, 70, 165],
    ]),
    // Four sources in one edit, back and forth: 25 fps lead, 29.97 without audio, anamorphic, audio only.
    mixed: selection([
      [talk, 25, 83, 'speech'],
      [ntsc, 30, 120],
      [talk, 142, 207, 'speech'],
      [ana, 100, 160],
      [aud, 10, 60],
      [talk, 265, 330, 'speech'],
    ]),
  };
}

/** Kept length of a selection in seconds (the duration every rendering must have). */
export function keptSeconds(sel: Selection): number {
  return sel.kept.reduce((a, k) => a + (k.end - k.start), 0);
}
