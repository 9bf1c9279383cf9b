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

const TEMP_NAME = /^\.ae-([0-9a-z]+)-[0-9a-f]{10}\.partial$/;

/**
 * Whether `name` is a temp file of tempPathFor whose process is gone (killed mid-write): a leftover that is
 * safe to delete. A live process's temp file (another AutoEdit writing beside us) is not.
 */
export function isStaleTempName(name: string): boolean {
  const m = TEMP_NAME.exec(name);
  if (!m) return false;
  const pid = Number.parseInt(m[1]!, 36);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
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
