import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StorageError, storageError, storageErrorFromTool } from './errors.js';

/** A sibling temp path for `target`: same directory (so rename is atomic), hidden, unique. */
export function tempPathFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`,
  );
}

/** `tempPathFor`'s names: the pid of the process that made the file is the second-to-last field. */
const PARTIAL = /^\..+\.(\d+)\.[0-9a-f]{8}\.partial$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the temp files a killed process left in `dir` (`.name.<pid>.<random>.partial` whose pid is gone).
 * A process killed with SIGKILL cannot clean up after itself; the next run does. Returns the removed paths.
 */
export async function removeStalePartials(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const pid = Number(PARTIAL.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
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
  if (fs) return fs.path === tmp ? new StorageError(target, fs.code, fs.hint, { cause: error }) : fs;
  return storageErrorFromTool(error, target, tmp);
}
