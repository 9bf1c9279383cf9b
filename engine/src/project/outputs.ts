import { createHash } from 'node:crypto';
import { copyFile, readFile } from 'node:fs/promises';
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
}

/**
 * Write an export into outputs/ without ever destroying a hand edit: if the file on disk differs from what
 * AutoEdit last wrote there, the user changed it, so it is copied to outputs/backups/ first.
 */
export async function writeOutput(
  outputsDir: string,
  fileName: string,
  content: string,
): Promise<WrittenOutput> {
  const manifestFile = join(outputsDir, '.autoedit-outputs.json');
  const manifest = (await readArtifactIfValid(manifestFile, OutputsManifestSchema)) ?? {
    kind: 'outputs' as const,
    schemaVersion: 1 as const,
    written: {},
  };
  const path = join(outputsDir, fileName);
  const current = await readFile(path).catch(() => undefined);
  let backup: string | undefined;
  if (current && sha(current) !== manifest.written[fileName] && sha(current) !== sha(content)) {
    const dir = join(outputsDir, 'backups');
    await makeDir(dir);
    const ext = extname(fileName);
    backup = join(dir, `${basename(fileName, ext)}.${new Date().toISOString().replace(/[:.]/g, '-')}${ext}`);
    await copyFile(path, backup);
  }
  await writeFileAtomic(path, content);
  manifest.written[fileName] = sha(content);
  await writeArtifact(manifestFile, OutputsManifestSchema, manifest);
  return { path, backup };
}
