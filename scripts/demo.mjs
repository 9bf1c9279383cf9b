#!/usr/bin/env node
// The main job end to end on the generated sample media, with local defaults: ingest → scenes → VAD →
// (speech recognition when a Whisper model is installed) → selection → Shotcut .mlt + Kdenlive project
// → rendered mp4. `npm run demo` runs scripts/setup.sh first (system tools, npm packages, build, samples).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = join(repo, 'runs', 'demo');
const inputs = ['talk.mp4', 'scenes-a.mp4'].map((f) => join(repo, 'samples', 'out', f));
const cli = join(repo, 'engine', 'bin', 'autoedit.js');

const args = ['pipeline', ...inputs, '-o', run, '--render', '--rules', join(repo, 'samples', 'rules.json')];
console.error(`$ autoedit ${args.map((a) => a.replace(`${repo}/`, '')).join(' ')}`);
const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
if (r.status === 0) {
  console.log(
    `\nDemo done. Open ${join(run, 'outputs', 'demo.mlt')} in Shotcut or ${join(run, 'outputs', 'demo.kdenlive')} in Kdenlive;`,
  );
  console.log(
    `the rendered cut is ${join(run, 'outputs', 'demo.mp4')}. Why each cut was made: ${join(run, 'artifacts', 'selection.json')}.`,
  );
}
process.exit(r.status ?? 1);
