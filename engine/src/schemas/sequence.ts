import * as z from 'zod';
import { artifactHeader, ContentHash, Frame, RationalSchema, Seconds } from './common.js';

/** One shot: the seed's `{ start, end, source }` plus exact frames (end exclusive) and timecodes. */
export const SceneSchema = z.object({
  source: z.string().min(1),
  start: Seconds,
  end: Seconds,
  startFrame: Frame,
  endFrame: Frame,
  startTimecode: z.string(),
  endTimecode: z.string(),
});
export type Scene = z.infer<typeof SceneSchema>;

export const SourceScenesSchema = z.object({
  source: z.string().min(1),
  mediaHash: ContentHash.optional(),
  fps: RationalSchema,
  frameCount: z.number().int().nonnegative(),
  /** What actually decoded; shorter than the file when it is truncated or corrupt. */
  decoded: z.object({ start: Seconds, end: Seconds, frames: z.number().int().nonnegative() }),
  warnings: z.array(z.string()).default([]),
  /** Per-frame scores (PySceneDetect's stats CSV) that explain each cut, when written. */
  statsFile: z.string().optional(),
  scenes: z.array(SceneSchema),
});
export type SourceScenes = z.infer<typeof SourceScenesSchema>;

export const SequencesSchema = z.object({
  ...artifactHeader('sequences'),
  detector: z.object({ name: z.string(), params: z.record(z.string(), z.unknown()) }),
  sources: z.array(SourceScenesSchema),
});
export type Sequences = z.infer<typeof SequencesSchema>;
