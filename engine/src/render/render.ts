import { rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  joinArgs,
  type Probe,
  probe,
  produceAtomically,
  type RenderInput,
  type RenderSegment,
  removeStalePartials,
  renderArgs,
  renderGraph,
  run,
  tempPathFor,
} from '@autoedit/media';
import { assertSourcesPresent } from '../project/sources.js';
import type { Selection } from '../schemas/selection.js';
import { timelineFromSelection } from '../timeline/from-selection.js';
import type { ProfileChoice } from '../timeline/profile.js';
import { UserError } from '../util/errors.js';

/**
 * Segments per ffmpeg pass. One filter graph with thousands of segments is slow past use (ffmpeg's graph
 * scheduler scans every filter for every frame it moves), so longer edits render in passes of this many
 * segments, each decoding only its stretch of the sources, then one pass joins them.
 */
export const SEGMENTS_PER_PASS = 200;

interface Geometry {
  width: number;
  height: number;
  sar: { num: number; den: number };
  fps: { num: number; den: number };
}

/** Render the kept ranges of a selection to one file with ffmpeg (one decode per source, frame-exact cuts). */
export async function renderSelection(
  sel: Selection,
  output: string,
  opts: { signal?: AbortSignal; profile?: ProfileChoice; segmentsPerPass?: number } = {},
): Promise<{ frames: number; seconds: number }> {
  if (sel.kept.length === 0)
    throw new UserError(
      'the selection keeps nothing: there is nothing to render',
      'Loosen the rules (e.g. lower speech.min_probability) and run select again.',
    );
  await assertSourcesPresent(sel);
  const t = timelineFromSelection(sel, undefined, { profile: opts.profile });
  const inputs: RenderInput[] = sel.sources.map((s) => ({
    path: s.source,
    fps: s.fps,
    hasVideo: s.hasVideo,
    hasAudio: s.hasAudio,
    width: s.width,
    height: s.height,
    sar: s.sar,
  }));
  const segments = sel.kept.map((k) => ({
    input: sel.sources.findIndex((s) => s.source === k.source),
    startFrame: k.startFrame,
    endFrame: k.endFrame,
  }));
  // A render killed with SIGKILL leaves its temp file; the next render into the folder removes it.
  await removeStalePartials(dirname(output));
  const geometry: Geometry = { width: t.width, height: t.height, sar: t.sar, fps: t.fps };
  const perPass = opts.segmentsPerPass ?? SEGMENTS_PER_PASS;
  await produceAtomically(output, (tmp) =>
    segments.length <= perPass
      ? renderPass(inputs, segments, geometry, tmp, false, opts.signal)
      : renderInPasses(inputs, segments, geometry, tmp, perPass, opts.signal),
  );
  return { frames: t.length, seconds: (t.length * t.fps.den) / t.fps.num };
}

/** One ffmpeg pass; the graph goes through a file beside the output (a command line holds ~1,000 segments). */
async function renderPass(
  inputs: RenderInput[],
  segments: RenderSegment[],
  g: Geometry,
  output: string,
  intermediate: boolean,
  signal?: AbortSignal,
): Promise<void> {
  const graphFile = tempPathFor(output);
  const spec = { ...g, inputs, segments, graphFile, intermediate };
  try {
    await writeFile(graphFile, renderGraph(spec));
    await run('ffmpeg', renderArgs({ ...spec, output }), { signal });
  } finally {
    await rm(graphFile, { force: true });
  }
}

/**
 * Passes of `perPass` segments into lossless intermediates, each input seeked to a second before the pass's
 * first frame of it (its timestamps shifted back by the probed start times, so frame numbers keep their
 * meaning), then one pass that joins them. Intermediates are removed whatever happens.
 */
async function renderInPasses(
  inputs: RenderInput[],
  segments: RenderSegment[],
  g: Geometry,
  output: string,
  perPass: number,
  signal?: AbortSignal,
): Promise<void> {
  const probes = new Map<number, Probe>();
  for (const i of new Set(segments.map((s) => s.input)))
    probes.set(i, await probe(inputs[i]!.path, { signal }));
  const parts: string[] = [];
  try {
    for (let at = 0; at < segments.length; at += perPass) {
      const batch = segments.slice(at, at + perPass);
      const used = [...new Set(batch.map((s) => s.input))];
      const passInputs = used.map((i): RenderInput => {
        const inp = inputs[i]!;
        const p = probes.get(i)!;
        const first = Math.min(...batch.filter((s) => s.input === i).map((s) => s.startFrame));
        const seconds = Math.max(0, (first * inp.fps.den) / inp.fps.num - 1);
        const shift = seconds + p.startTime;
        return {
          ...inp,
          seek: {
            seconds,
            videoOffset: shift - (p.video[0]?.startTime ?? p.startTime),
            audioOffset: shift - (p.audio[0]?.startTime ?? p.startTime),
          },
        };
      });
      const part = tempPathFor(output);
      parts.push(part);
      await renderPass(
        passInputs,
        batch.map((s) => ({ ...s, input: used.indexOf(s.input) })),
        g,
        part,
        true,
        signal,
      );
    }
    await run('ffmpeg', joinArgs(parts, { output }), { signal });
  } finally {
    await Promise.all(parts.map((p) => rm(p, { force: true })));
  }
}
