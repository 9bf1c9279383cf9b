import * as z from 'zod';
import { artifactHeader, Seconds } from './common.js';

export const FaceSchema = z.object({
  x: z.number(),
  y: z.number(),
  w: z.number().nonnegative(),
  h: z.number().nonnegative(),
  score: z.number().min(0).max(1),
});

/** Face presence sampled over time, per source; used by the optional face rule. */
export const VisionSchema = z.object({
  ...artifactHeader('vision'),
  model: z.string(),
  sources: z.array(
    z.object({
      source: z.string().min(1),
      samples: z.array(z.object({ time: Seconds, faces: z.array(FaceSchema) })),
    }),
  ),
});
export type Vision = z.infer<typeof VisionSchema>;
