import { produceAtomically, renderArgs, run } from '@autoedit/media';
import type { Selection } from '../schemas/selection.js';
import { timelineFromSelection } from '../timeline/from-selection.js';
import type { ProfileChoice } from '../timeline/profile.js';
import { UserError } from '../util/errors.js';

/** Render the kept ranges of a selection to one file with ffmpeg (one decode per source, frame-exact cuts). */
export async function renderSelection(
  sel: Selection,
  output: string,
  opts: { signal?: AbortSignal; profile?: ProfileChoice } = {},
): Promise<{ frames: number; seconds: number }> {
  if (sel.kept.length === 0)
    throw new UserError(
      'the selection keeps nothing: there is nothing to render',
      'Loosen the rules (e.g. lower speech.min_probability) and run select again.',
    );
  const t = timelineFromSelection(sel, undefined, { profile: opts.profile });
  const inputs = sel.sources.map((s) => ({
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
  await produceAtomically(output, (tmp) =>
    run(
      'ffmpeg',
      renderArgs({ inputs, segments, width: t.width, height: t.height, sar: t.sar, fps: t.fps, output: tmp }),
      { signal: opts.signal },
    ),
  );
  return { frames: t.length, seconds: (t.length * t.fps.den) / t.fps.num };
}
