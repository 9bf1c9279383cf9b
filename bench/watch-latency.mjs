#!/usr/bin/env node
// The watcher's reaction to a rules edit, timed inside one running watcher (startWatcher from the built
// engine): from the rules file written to both outputs renamed into place (the watch.regenerated event, sent
// after the last rename), with the analysis cached. Debounce included.
//
//   node bench/watch-latency.mjs <project folder with media> <edits> <result.json>
import { writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWatcher } from '../engine/dist/index.js';

const [project, edits = '15', resultFile] = process.argv.slice(2);
const events = [];
const w = await startWatcher({ project, reload: 'none', skip: ['stt'], onEvent: (e) => events.push(e) });
const waitFor = async (from) => {
  for (;;) {
    const e = events.slice(from).find((x) => x.type === 'watch.regenerated' || x.type === 'watch.error');
    if (e) return e;
    await new Promise((r) => setTimeout(r, 2));
  }
};
await waitFor(0);
await w.whenIdle();
const rulesFile = join(project, 'autoedit.rules.json');
const rules = JSON.parse(await readFile(rulesFile, 'utf8'));
const latencies = [];
const runSeconds = [];
// CPU time per edit: what the edit costs, whatever else the machine is doing.
const cpuMs = [];
for (let i = 0; i < Number(edits); i++) {
  rules.manual = { keep: [], cut: [{ start: 0, end: 1 + (i % 5) * 0.5 }] };
  const from = events.length;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await writeFile(rulesFile, JSON.stringify(rules, null, 2));
  const e = await waitFor(from);
  if (e.type !== 'watch.regenerated' || e.mode !== 'rules')
    throw new Error(`unexpected ${JSON.stringify(e)}`);
  latencies.push(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  cpuMs.push((cpu.user + cpu.system) / 1000);
  runSeconds.push(e.seconds * 1000);
  await w.whenIdle();
  await new Promise((r) => setTimeout(r, 50));
}
await w.stop();
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const result = {
  edits: latencies.length,
  medianMs: +median(latencies).toFixed(1),
  maxMs: +Math.max(...latencies).toFixed(1),
  medianRunMs: +median(runSeconds).toFixed(1),
  medianCpuMs: +median(cpuMs).toFixed(1),
  loadAverage: (await import('node:os')).loadavg()[0],
};
if (resultFile) writeFileSync(resultFile, JSON.stringify(result));
console.log(JSON.stringify(result));
