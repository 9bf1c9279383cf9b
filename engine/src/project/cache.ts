import { join } from 'node:path';
import type { z } from 'zod';
import { hashJson, shortHash } from '../util/hash.js';
import { readArtifactIfValid, writeArtifact } from './artifacts.js';

/**
 * Content-addressed cache of stage results: key = hash of (stage, input content hashes, parameters).
 * Entries are ordinary validated artifacts, so a corrupt entry is a miss, never a crash.
 */
export interface StageCache {
  dir: string;
  /** Skip reads (the `--no-cache` flag); results are still written. */
  disabled?: boolean;
}

export function cacheKey(stage: string, inputs: unknown): string {
  return `${stage}-${shortHash(hashJson(inputs), 24)}`;
}

export async function cached<S extends z.ZodType>(
  cache: StageCache | undefined,
  key: string,
  schema: S,
  compute: () => Promise<z.input<S>>,
  /** Whether to store what `compute` returned (default: always). */
  keep?: () => boolean,
): Promise<{ value: z.infer<S>; hit: boolean }> {
  const file = cache ? join(cache.dir, `${key}.json`) : undefined;
  if (file && !cache?.disabled) {
    const hit = await readArtifactIfValid(file, schema);
    if (hit !== undefined) return { value: hit, hit: true };
  }
  const value = await compute();
  if (file && (keep?.() ?? true)) return { value: await writeArtifact(file, schema, value), hit: false };
  return { value: schema.parse(value) as z.infer<S>, hit: false };
}
