import * as z from 'zod';
import { artifactHeader, ContentHash, Seconds } from './common.js';

export const WordSchema = z.object({
  start: Seconds,
  end: Seconds,
  text: z.string(),
  probability: z.number().min(0).max(1).optional(),
});
export type Word = z.infer<typeof WordSchema>;

export const SegmentSchema = z.object({
  start: Seconds,
  end: Seconds,
  text: z.string(),
  words: z.array(WordSchema),
  speaker: z.string().optional(),
});
export type Segment = z.infer<typeof SegmentSchema>;

/** The seed's transcript `{ language, text, segments, model, hash }`, with word timings. */
export const TranscriptSchema = z.object({
  ...artifactHeader('transcript'),
  /** Media file the times refer to (absolute path). */
  source: z.string().optional(),
  language: z.string(),
  text: z.string(),
  segments: z.array(SegmentSchema),
  model: z.string(),
  /** Content hash of the audio that was transcribed. */
  hash: ContentHash,
});
export type Transcript = z.infer<typeof TranscriptSchema>;
