import * as z from 'zod';
import { artifactHeader, ContentHash, Seconds } from './common.js';

export const SpeechRangeSchema = z.object({
  start: Seconds,
  end: Seconds,
  /** Mean speech probability (Silero) or normalised loudness (energy detector) over the range. */
  probability: z.number().min(0).max(1),
});
export type SpeechRange = z.infer<typeof SpeechRangeSchema>;

export const VadSchema = z.object({
  ...artifactHeader('vad'),
  source: z.string().optional(),
  hash: ContentHash.optional(),
  detector: z.enum(['silero', 'energy']),
  params: z.record(z.string(), z.unknown()),
  duration: Seconds,
  speech: z.array(SpeechRangeSchema),
});
export type Vad = z.infer<typeof VadSchema>;
