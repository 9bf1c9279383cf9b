import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/** Extensions picked up when a directory is given (files named explicitly are always tried). */
export const MEDIA_EXTENSIONS = new Set(
  '.mp4 .m4v .mov .mkv .webm .avi .mxf .mts .m2ts .ts .mpg .mpeg .wmv .flv .3gp .dv .ogv .wav .flac .mp3 .m4a .aac .ogg .opus .wma .aif .aiff'.split(
    ' ',
  ),
);

export interface ExpandedInputs {
  files: string[];
  /** Inputs that matched nothing, with why. */
  missing: { input: string; error: string }[];
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if ((e.isFile() || e.isSymbolicLink()) && MEDIA_EXTENSIONS.has(extname(e.name).toLowerCase()))
      out.push(p);
  }
}

/** Glob characters? (tinyglobby, with its matcher, loads only when an input may be a pattern.) */
async function isPattern(input: string): Promise<boolean> {
  return /[*?[\]{}()!@+]/.test(input) && (await import('tinyglobby')).isDynamicPattern(input);
}

/** Files, directories (recursive, media extensions only) and glob patterns → absolute file paths, deduplicated. */
export async function expandInputs(inputs: readonly string[], cwd = process.cwd()): Promise<ExpandedInputs> {
  const files: string[] = [];
  const missing: ExpandedInputs['missing'] = [];
  for (const input of inputs) {
    const abs = resolve(cwd, input);
    const st = await stat(abs).catch(() => undefined);
    if (st?.isDirectory()) {
      const before = files.length;
      await walk(abs, files);
      if (files.length === before) missing.push({ input, error: 'directory holds no media files' });
    } else if (st) {
      files.push(abs);
    } else if (await isPattern(input)) {
      const { glob } = await import('tinyglobby');
      const found = await glob(input, { cwd, absolute: true, onlyFiles: true, dot: false });
      if (found.length === 0) missing.push({ input, error: 'pattern matched no files' });
      files.push(...found.sort());
    } else {
      missing.push({ input, error: 'no such file or directory' });
    }
  }
  return { files: [...new Set(files)], missing };
}
