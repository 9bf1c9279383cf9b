import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, rm } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../util/atomic-write.js';
import { makeDir } from '../util/make-dir.js';
import { readArtifactIfValid, writeArtifact } from './artifacts.js';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

const OutputsManifestSchema = z.object({
  kind: z.literal('outputs'),
  schemaVersion: z.literal(1),
  /** sha256 of what AutoEdit last wrote, per output file name. */
  written: z.record(z.string(), z.string()),
});

export interface WrittenOutput {
  path: string;
  /** Export format (mlt, kdenlive, …) or "render". */
  format?: string;
  /** Where the user's edited version was saved before it was replaced. */
  backup?: string;
  /** The output the user edited by hand, which this file was written beside instead of replacing. */
  besideEdited?: string;
  /** false when the file already held exactly this content (it was then left untouched). */
  changed?: boolean;
}

/**
 * What to do when the output on disk is not what AutoEdit last wrote (the user saved edits into it):
 * - `backup` (the CLI): copy it to `<manifestDir>/backups/`, then replace it;
 * - `beside` (the watcher, whose outputs are open in an editor): leave it alone and write the new version
 *   beside it as `<name>-2<ext>` (or -3 … when that one was edited too).
 */
export type WhenEdited = 'backup' | 'beside';

export interface WriteOutputOptions {
  whenEdited?: WhenEdited;
  /** Where the manifest (and backups/) live; default `outputsDir` (the watcher keeps them in its hidden folder). */
  manifestDir?: string;
  /** Keep each replaced version in `<manifestDir>/history/`, at most this many per output (default 0: none). */
  history?: number;
}

/** How many `-N` siblings the watcher may create beside a hand-edited output before giving up. */
export const MAX_SIBLINGS = 9;

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** Copy `path` into `dir` as `<base>.<time><ext>` and drop the oldest copies beyond `keep`. */
async function keepHistory(dir: string, path: string, fileName: string, keep: number): Promise<void> {
  const ext = extname(fileName);
  const base = basename(fileName, ext);
  await makeDir(dir);
  await copyFile(path, join(dir, `${base}.${stamp()}${ext}`));
  const mine = (await readdir(dir)).filter((f) => f.startsWith(`${base}.`) && f.endsWith(ext)).sort();
  for (const old of mine.slice(0, Math.max(0, mine.length - keep))) await rm(join(dir, old), { force: true });
}

/**
 * Write an export into outputs/ without ever destroying a hand edit: if the file on disk differs from what
 * AutoEdit last wrote there, the user changed it, so it is either copied to backups/ first or left alone with
 * the new version written beside it (see WhenEdited). Every write is atomic (temp file, then rename).
 */
export async function writeOutput(
  outputsDir: string,
  fileName: string,
  content: string,
  opts: WriteOutputOptions = {},
): Promise<WrittenOutput> {
  const stateDir = opts.manifestDir ?? outputsDir;
  const manifestFile = join(stateDir, '.autoedit-outputs.json');
  const manifest = (await readArtifactIfValid(manifestFile, OutputsManifestSchema)) ?? {
    kind: 'outputs' as const,
    schemaVersion: 1 as const,
    written: {},
  };
  const newSha = sha(content);
  const edited = async (name: string) => {
    const current = await readFile(join(outputsDir, name)).catch(() => undefined);
    return !!current && sha(current) !== manifest.written[name] && sha(current) !== newSha;
  };
  let target = fileName;
  let backup: string | undefined;
  let besideEdited: string | undefined;
  if (await edited(fileName)) {
    if (opts.whenEdited === 'beside') {
      const ext = extname(fileName);
      const base = basename(fileName, ext);
      besideEdited = join(outputsDir, fileName);
      target = '';
      for (let i = 2; i < 2 + MAX_SIBLINGS; i++) {
        if (!(await edited(`${base}-${i}${ext}`))) {
          target = `${base}-${i}${ext}`;
          break;
        }
      }
      if (!target)
        throw new Error(
          `${besideEdited} and its siblings ${base}-2${ext} … ${base}-${MAX_SIBLINGS + 1}${ext} were all edited by hand; not overwriting any. Rename or delete one of them.`,
        );
    } else {
      const dir = join(stateDir, 'backups');
      await makeDir(dir);
      const ext = extname(fileName);
      backup = join(dir, `${basename(fileName, ext)}.${stamp()}${ext}`);
      await copyFile(join(outputsDir, fileName), backup);
    }
  }
  const path = join(outputsDir, target);
  const previous = await readFile(path).catch(() => undefined);
  const changed = !previous || sha(previous) !== newSha;
  if (previous && changed && opts.history)
    await keepHistory(join(stateDir, 'history'), path, target, opts.history);
  // Identical content is not rewritten: an editor watching the file sees no change.
  if (changed) await writeFileAtomic(path, content);
  if (manifest.written[target] !== newSha) {
    manifest.written[target] = newSha;
    await writeArtifact(manifestFile, OutputsManifestSchema, manifest);
  }
  return { path, backup, besideEdited, changed };
}

/** The sha256 AutoEdit recorded for an output it wrote (undefined when it never wrote it). */
export async function lastWritten(stateDir: string, fileName: string): Promise<string | undefined> {
  const m = await readArtifactIfValid(join(stateDir, '.autoedit-outputs.json'), OutputsManifestSchema);
  return m?.written[fileName];
}
