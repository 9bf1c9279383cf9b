import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StorageError, storageError } from '@autoedit/media';

/**
 * `mkdir -p` that names the real problem: Node's recursive mkdir reports ENOENT for the leaf when an ancestor
 * cannot be created (a read-only file system, no permission), which reads like a bug. Here the deepest
 * existing ancestor is checked instead, and the error is a StorageError naming it.
 */
export function makeDirSync(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw explain(e, dir);
  }
}

export async function makeDir(dir: string): Promise<void> {
  makeDirSync(dir); // a handful of directories per run: the synchronous call costs nothing that matters
}

function explain(e: unknown, dir: string): unknown {
  const direct = storageError(e);
  if (direct) return direct;
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return e;
  let parent = dirname(dir);
  while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
  try {
    accessSync(parent, constants.W_OK);
  } catch (cause) {
    const why = storageError(cause, parent);
    if (why) return new StorageError(parent, why.code, why.hint, { cause: e });
  }
  return e;
}
