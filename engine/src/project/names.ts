import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { UsageError } from '../util/errors.js';

/**
 * Longest name (in bytes) used as is for a media file in a run, or an output's base name. AutoEdit adds to
 * these (`audio/<name>.wav`, `transcript.<name>.json`, `<name>.kdenlive`, `backups/<name>.<date>.kdenlive`:
 * at most 40 bytes), and a file name may not exceed 255 bytes.
 */
export const MAX_NAME_BYTES = 200;

/**
 * `name` when short enough, else its stem cut (on a character boundary) and marked with a hash of the whole
 * name, so two long names that share their first bytes still differ; the extension is kept.
 */
export function fittingName(name: string, maxBytes = MAX_NAME_BYTES): string {
  if (Buffer.byteLength(name) <= maxBytes) return name;
  let ext = extname(name);
  if (Buffer.byteLength(ext) > 16) ext = '';
  const mark = `~${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
  const chars = [...name.slice(0, name.length - ext.length)];
  const room = maxBytes - Buffer.byteLength(mark + ext);
  let bytes = 0;
  let n = 0;
  while (n < chars.length && bytes + Buffer.byteLength(chars[n]!) <= room)
    bytes += Buffer.byteLength(chars[n++]!);
  return `${chars.slice(0, n).join('')}${mark}${ext}`;
}

/**
 * An output base name (`-n`, `outputs.name`) must name a file inside the output folder: no path separator,
 * not `.`/`..`, no NUL. Long names are shortened (fittingName), never refused.
 */
export function outputBaseName(name: string, what = 'the output name'): string {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name))
    throw new UsageError(
      `${what} ${JSON.stringify(name)} is not a plain file name: outputs are written only inside the output folder`,
      'Give a name without "/", "\\" or "..", and choose the folder with -o.',
    );
  return fittingName(name);
}
