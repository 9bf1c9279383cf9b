import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const RUN_DIRS = ['raw', 'audio', 'proxies', 'artifacts', 'outputs', 'logs'] as const;

/** The folders of one project run, `runs/<id>/`. Every stage finds its inputs and outputs through this. */
export interface RunLayout {
  root: string;
  raw: string;
  audio: string;
  proxies: string;
  artifacts: string;
  outputs: string;
  logs: string;
  mediaDb: string;
  cache: string;
}

export function runLayout(dir: string): RunLayout {
  const root = resolve(dir);
  return {
    root,
    raw: join(root, 'raw'),
    audio: join(root, 'audio'),
    proxies: join(root, 'proxies'),
    artifacts: join(root, 'artifacts'),
    outputs: join(root, 'outputs'),
    logs: join(root, 'logs'),
    mediaDb: join(root, 'media.db.json'),
    cache: join(root, 'artifacts', 'cache'),
  };
}

export async function ensureRunDirs(layout: RunLayout): Promise<void> {
  for (const d of RUN_DIRS) await mkdir(layout[d], { recursive: true });
}

/** Per-source analysis file: `<kind>.json` when the run has one source, else `<kind>.<media name>.json`. */
export function perSourceArtifact(layout: RunLayout, sources: number, kind: string, name: string): string {
  return join(layout.artifacts, sources === 1 ? `${kind}.json` : `${kind}.${name}.json`);
}
