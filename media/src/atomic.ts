import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StorageError, storageError, storageErrorFromTool } from './errors.js';

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
 * Remove the temp files a killed process left in `dir` (tempPathFor's names whose pid is gone).
 * A process killed with SIGKILL cannot clean up after itself; the next run does. Returns the removed paths.
 */
export async function removeStalePartials(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!isStaleTempName(name)) continue;
    await rm(join(dir, name), { force: true }).catch(() => undefined);
    removed.push(join(dir, name));
  }
  return removed;
}

/**
 * Produce `target` through `make(tempPath)`, then rename into place. On failure the temp file is removed,
 * so readers never see a half-written file. A full disk, a read-only or forbidden folder become a
 * StorageError naming `target` (not the hidden temp name).
 */
export async function produceAtomically<T>(target: string, make: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = tempPathFor(target);
  try {
    const result = await make(tmp);
    await rename(tmp, target);
    return result;
  } catch (error) {
    await rm(tmp, { force: true });
    throw asStorageError(error, target, tmp) ?? error;
  }
}

function asStorageError(error: unknown, target: string, tmp: string): StorageError | undefined {
  const fs = storageError(error, target);
  // A temp file beside the target (this one, or another a step made there, e.g. a render's filter graph) is
  // ours, not the user's: the error names the file the user asked for.
  const ours =
    fs && (fs.path === tmp || (dirname(fs.path) === dirname(target) && TEMP_NAME.test(basename(fs.path))));
  if (fs) return ours ? new StorageError(target, fs.code, fs.hint, { cause: error }) : fs;
  return storageErrorFromTool(error, target, tmp);
}
