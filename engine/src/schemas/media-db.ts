import { ProbeSchema } from '@autoedit/media';
import * as z from 'zod';
import { artifactHeader, ContentHash } from './common.js';

export const MediaEntrySchema = z.object({
  /** Unique, stable name inside the run: the file name in raw/ (deduplicated when two inputs share a name). */
  name: z.string().min(1),
  /** Absolute path of the original file the user gave. */
  original: z.string().min(1),
  /** Path inside the run that references the original (symlink or copy), relative to the run folder. */
  raw: z.string().min(1),
  hash: ContentHash,
  size: z.number().int().nonnegative(),
  /** Used to skip re-hashing unchanged files: a stat match means the hash still holds. */
  mtimeMs: z.number(),
  probe: ProbeSchema,
  /** Extracted 16 kHz mono 16-bit WAV, relative to the run folder; absent for video-only media. */
  audio: z.string().optional(),
  /** Low-resolution proxy, relative to the run folder. */
  proxy: z.string().optional(),
  ingestedAt: z.string(),
});
export type MediaEntry = z.infer<typeof MediaEntrySchema>;

export const MediaDbSchema = z.object({
  ...artifactHeader('media-db'),
  media: z.array(MediaEntrySchema),
});
export type MediaDb = z.infer<typeof MediaDbSchema>;
