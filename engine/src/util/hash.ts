import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Streaming content hash of a file (SHA-256; ~1 GB/s with SHA extensions, constant memory).
 * Returned as "sha256:<hex>".
 */
export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal });
  for await (const chunk of stream) h.update(chunk as Buffer);
  return `sha256:${h.digest('hex')}`;
}

/** Stable hash of JSON-able data (object keys sorted): cache keys for parameters. */
export function hashJson(value: unknown): string {
  return `sha256:${createHash('sha256').update(stableStringify(value)).digest('hex')}`;
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Short, readable prefix of a "<algo>:<hex>" hash for file names. */
export const shortHash = (hash: string, n = 12): string =>
  hash.slice(hash.indexOf(':') + 1, hash.indexOf(':') + 1 + n);
