import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * A sibling temp path for `target`: same directory (so rename is atomic), hidden, unique, and short whatever
 * the target's name (a name of 255 bytes, the file-system limit, plus a suffix would fail with ENAMETOOLONG).
 * The pid (base 36) says which process owns it; the `.partial` suffix marks it as a leftover if that process dies.
 */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.ae-${process.pid.toString(36)}-${randomBytes(5).toString('hex')}.partial`);
}

/**
 * Produce `target` through `make(tempPath)`, then rename into place. On failure the temp file is removed,
 * so readers never see a half-written file.
 */
export async function produceAtomically<T>(target: string, make: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = tempPathFor(target);
  try {
    const result = await make(tmp);
    await rename(tmp, target);
    return result;
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
