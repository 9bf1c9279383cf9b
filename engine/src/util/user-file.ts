import { statSync } from 'node:fs';
import { UserError } from './errors.js';

/** What a non-regular file is, in words. */
function kind(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * A file the user named (config, rules, a model) must be a regular file before it is read: reading a FIFO
 * blocks forever, /dev/zero never ends. Returns its size; throws a UserError naming the file and `what` it
 * should be. A missing file is left to the caller (undefined), which knows whether that is fine.
 */
export function checkRegularFile(
  file: string,
  what: string,
  opts: { maxBytes?: number; allowDir?: boolean } = {},
): number | undefined {
  let st: import('node:fs').Stats;
  try {
    st = statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UserError(`${file}: cannot read ${what} (${(e as NodeJS.ErrnoException).code})`);
  }
  if (opts.allowDir && st.isDirectory()) return undefined;
  if (!st.isFile())
    throw new UserError(
      `${file}: is ${kind(st)}, not ${what}`,
      `Give the path of ${what}${opts.allowDir ? ' (or of a folder holding one)' : ''}.`,
    );
  if (opts.maxBytes !== undefined && st.size > opts.maxBytes)
    throw new UserError(
      `${file}: ${st.size} bytes is too large for ${what} (at most ${opts.maxBytes})`,
      `Is ${file} really ${what}?`,
    );
  return st.size;
}
