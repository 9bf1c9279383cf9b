import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../util/errors.js';
import { makeDir } from '../util/make-dir.js';

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
  refuseLinkedRunDirs(layout);
  for (const d of RUN_DIRS) await makeDir(layout[d]);
}

/**
 * A run folder's own subfolders (outputs/, audio/, …) must be real folders: one that is a symbolic link
 * would make AutoEdit write, replace and delete files wherever it points (a link planted in a shared or
 * downloaded run folder). The link is refused, never followed.
 */
export function refuseLinkedRunDirs(layout: RunLayout): void {
  for (const d of RUN_DIRS) {
    const st = lstatSync(layout[d], { throwIfNoEntry: false });
    if (!st?.isSymbolicLink()) continue;
    let target = '?';
    try {
      target = readlinkSync(layout[d]);
    } catch {}
    throw new UserError(
      `${layout[d]} is a symbolic link (to ${target}): AutoEdit writes only inside the run folder and does not follow it`,
      `Remove the link (or replace it with a real folder) and run again; to keep outputs elsewhere, use -o.`,
    );
  }
}

/** Per-source analysis file: `<kind>.json` when the run has one source, else `<kind>.<media name>.json`. */
export function perSourceArtifact(layout: RunLayout, sources: number, kind: string, name: string): string {
  return join(layout.artifacts, sources === 1 ? `${kind}.json` : `${kind}.${name}.json`);
}

/**
 * The run folder a path belongs to: the path itself or its nearest ancestor (up to three levels: runs/x,
 * runs/x/artifacts/selection.json, runs/x/artifacts/cache/y.json) holding a media.db.json. Commands that work
 * on files inside a run use it to honour the run's config.yaml and to take its lock.
 */
export function findRunDir(...paths: (string | undefined)[]): string | undefined {
  for (const p of paths) {
    if (!p) continue;
    let dir = resolve(p);
    for (let i = 0; i < 4; i++) {
      if (existsSync(join(dir, 'media.db.json'))) return dir;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return undefined;
}
