import { dirname } from 'node:path';
import { produceAtomically, removeStalePartials, renderArgs, run } from '@autoedit/media';
import { assertSourcesPresent } from '../project/sources.js';
import type { Selection } from '../schemas/selection.js';
import { timelineFromSelection } from '../timeline/from-selection.js';
import { UserError } from '../util/errors.js';

/** Render the kept ranges of a selection to one file with ffmpeg (one decode per source, frame-exact cuts). */
export async function renderSelection(
  sel: Selection,
  output: string,
  opts: { signal?: AbortSignal } = {},
): Promise<{ frames: number; seconds: number }> {
  if (sel.kept.length === 0)
    throw new UserError(
      'the selection keeps nothing: there is nothing to render',
      'Loosen the rules (e.g. lower speech.min_probability) and run select again.',
    );
  await assertSourcesPresent(sel);
  const t = timelineFromSelection(sel);
  const inputs = sel.sources.map((s) => ({
    path: s.source,
    fps: s.fps,
    hasVideo: s.hasVideo,
    hasAudio: s.hasAudio,
  }));
  const segments = sel.kept.map((k) => ({
    input: sel.sources.findIndex((s) => s.source === k.source),
    startFrame: k.startFrame,
    endFrame: k.endFrame,
  }));
  // A render killed with SIGKILL leaves its temp file; the next render into the folder removes it.
  await removeStalePartials(dirname(output));
  await produceAtomically(output, (tmp) =>
    run(
      'ffmpeg',
      renderArgs({ inputs, segments, width: t.width, height: t.height, sar: t.sar, fps: t.fps, output: tmp }),
      { signal: opts.signal },
    ),
  );
  return { frames: t.length, seconds: (t.length * t.fps.den) / t.fps.num };
}
