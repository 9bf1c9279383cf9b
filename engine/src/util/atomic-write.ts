import { stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { produceAtomically } from '@autoedit/media';
import { makeDir } from './make-dir.js';

/**
 * Write a text file through a temp file + rename: readers (and editors) never see half a file. The temp file's
 * length is checked before it replaces the last good version.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await makeDir(dirname(path));
  const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  await produceAtomically(path, async (tmp) => {
    await writeFile(tmp, data);
    const { size } = await stat(tmp);
    if (size !== bytes) throw new Error(`${path}: wrote ${size} of ${bytes} bytes`);
  });
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
