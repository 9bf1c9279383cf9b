import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './shared.js';

export const SAMPLES = join(REPO, 'samples', 'out');

export interface SampleSpan {
  text: string;
  filler: boolean;
  start: number;
  end: number;
  voicedStart: number;
  voicedEnd: number;
}
export interface SampleFile {
  path: string;
  fps?: string;
  frames?: number;
  duration?: number;
  speech?: SampleSpan[];
  sceneCuts?: number[];
  expect?: string;
  bytes: number;
  sha256: string;
}
export interface SampleManifest {
  generatorVersion: number;
  fps: string;
  size: string;
  files: Record<string, SampleFile>;
}

let manifest: SampleManifest | undefined;

/** Generate samples/out once per test process (a no-op when up to date) and return its manifest. */
export function samples(): SampleManifest {
  if (!manifest) {
    execFileSync(process.execPath, [join(REPO, 'samples', 'generate.mjs')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    manifest = JSON.parse(readFileSync(join(SAMPLES, 'manifest.json'), 'utf8')) as SampleManifest;
  }
  return manifest;
}

/** Absolute path of a generated sample by manifest key (e.g. 'talk', 'scenesA', 'badZero'). */
export function sample(key: string): string {
  const f = samples().files[key];
  if (!f) throw new Error(`no sample "${key}" in samples/out/manifest.json`);
  return join(SAMPLES, f.path);
}
