import * as z from 'zod';
import { artifactHeader, Frame, RationalSchema, Seconds } from './common.js';

export const SelectedRangeSchema = z.object({
  source: z.string().min(1),
  start: Seconds,
  end: Seconds,
  startFrame: Frame,
  endFrame: Frame,
  /**
   * Why this range is kept / dropped, in words a user understands ("speech 3.20–5.10 s", "filler 'um'"). The
   * tidy-up after all rules says what it changed: "gap shorter than … joined; was: …", "only margin left …",
   * "clip of … shorter than … (min_clip) dropped; held: …", "no split at …".
   */
  reasons: z.array(z.string()),
});
export type SelectedRange = z.infer<typeof SelectedRangeSchema>;

/** What exporters need to know about a source without probing it again (exporters stay pure). */
export const SelectionSourceSchema = z.object({
  source: z.string().min(1),
  fps: RationalSchema,
  /** Displayed size and pixel aspect: after the stream's rotation (a portrait phone clip is 1080x1920). */
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  sar: RationalSchema.optional(),
  /** Clockwise rotation players apply to the stored picture (0, 90, 180, 270); melt and ffmpeg apply it too. */
  rotation: z.number().int().optional(),
  duration: Seconds,
  frameCount: z.number().int().nonnegative(),
  hasVideo: z.boolean(),
  hasAudio: z.boolean(),
  audioChannels: z.number().int().positive().optional(),
  audioSampleRate: z.number().int().positive().optional(),
});
export type SelectionSource = z.infer<typeof SelectionSourceSchema>;

export const SelectionSchema = z.object({
  ...artifactHeader('selection'),
  sources: z.array(SelectionSourceSchema),
  /** Kept ranges in timeline order. */
  kept: z.array(SelectedRangeSchema),
  dropped: z.array(SelectedRangeSchema),
  /** Rules that could not run for lack of input, with why, per source (by its name in raw/). */
  skippedRules: z
    .array(z.object({ rule: z.string(), why: z.string(), source: z.string().optional() }))
    .default([]),
  /** Scene cuts (source seconds) kept as markers/guides. */
  markers: z.array(z.object({ source: z.string(), time: Seconds, label: z.string() })).default([]),
});
export type Selection = z.infer<typeof SelectionSchema>;
