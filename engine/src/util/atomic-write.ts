import { writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { produceAtomically } from '@autoedit/media';
import { makeDir } from './make-dir.js';

/** Write a text file through a temp file + rename: readers (and editors) never see half a file. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await makeDir(dirname(path));
  await produceAtomically(path, (tmp) => writeFile(tmp, data));
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
