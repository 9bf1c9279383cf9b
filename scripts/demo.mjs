#!/usr/bin/env node
// The main job end to end on the generated sample media, with local defaults. `npm run demo` runs
// scripts/setup.sh first (system tools, npm packages, build, samples).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = join(repo, 'runs', 'demo');
const inputs = ['talk.mp4', 'scenes-a.mp4'].map((f) => join(repo, 'samples', 'out', f));
const cli = join(repo, 'engine', 'bin', 'autoedit.js');

const args = ['ingest', ...inputs, '-o', run];
console.error(`$ autoedit ${args.map((a) => a.replace(`${repo}/`, '')).join(' ')}`);
const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
if (r.status === 0) console.log(`\nDemo done. Results are in ${run} (media.db.json, audio/, logs/).`);
process.exit(r.status ?? 1);
