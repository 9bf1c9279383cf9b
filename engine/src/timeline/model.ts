import { type Rational, RationalSchema } from '@autoedit/media';
import * as z from 'zod';

/**
 * The edit as exporters see it: integer frames on one rational timebase (the project rate). Seconds and
 * timecodes are derived only at the edges, so a cut at frame N stays at frame N in every format.
 */
export const TimelineMediaSchema = z.object({
  id: z.string(),
  /** Absolute path exporters write as the clip's resource. */
  path: z.string(),
  name: z.string(),
  /** Source length in project frames. */
  length: z.number().int().positive(),
  hasVideo: z.boolean(),
  hasAudio: z.boolean(),
  audioChannels: z.number().int().positive().optional(),
  /** The source's own frame rate and length in its frames: where a format can say it, it does (FCPXML, OTIO). */
  fps: RationalSchema,
  frames: z.number().int().positive(),
  /** Displayed picture size of a video source (after rotation), for formats that describe each source. */
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
});
export type TimelineMedia = z.infer<typeof TimelineMediaSchema>;

export const TimelineClipSchema = z.object({
  media: z.string(),
  /** Source in/out in project frames (out exclusive). */
  in: z.number().int().nonnegative(),
  out: z.number().int().positive(),
  /** Position on the timeline (project frames). */
  start: z.number().int().nonnegative(),
  /** The same in/out in source frames at the source's own rate (out exclusive). */
  srcIn: z.number().int().nonnegative(),
  srcOut: z.number().int().positive(),
  reasons: z.array(z.string()),
});
export type TimelineClip = z.infer<typeof TimelineClipSchema>;

export const TimelineSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  fps: RationalSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  sar: RationalSchema,
  audioChannels: z.number().int().positive(),
  sampleRate: z.number().int().positive(),
  media: z.array(TimelineMediaSchema),
  clips: z.array(TimelineClipSchema),
  markers: z.array(z.object({ frame: z.number().int().nonnegative(), label: z.string() })),
  /** Total length in frames (= sum of clip lengths). */
  length: z.number().int().nonnegative(),
});
export type Timeline = z.infer<typeof TimelineSchema>;

export const clipLength = (c: TimelineClip): number => c.out - c.in;
export const mediaById = (t: Timeline, id: string): TimelineMedia => {
  const m = t.media.find((x) => x.id === id);
  if (!m) throw new Error(`timeline clip refers to unknown media ${id}`);
  return m;
};
export type { Rational };
