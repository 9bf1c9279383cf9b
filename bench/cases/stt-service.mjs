// The stt-service under a bounded load on loopback: the real service with the tiny generated Whisper model
// (whisper.cpp speed on random weights is a floor, not a real model's), audio by signed URL from AutoEdit's
// chunk server. Two loads: unique 5 s windows (transcription-bound: one whisper.cpp worker, a queue) and
// one cached window asked again and again (the service's own cost: auth, rate limit, SSRF checks, download,
// hashing, cache). Reports throughput and p50/p95 latency per run (bench/out/stt-service/*.json).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const load = (label, file, args) => ({
  label,
  argv: ['node', '--conditions=source', '--import', 'tsx', 'bench/stt-load.ts', ...args, '--out', file],
  extra: () => {
    if (!existsSync(file)) return '';
    const r = JSON.parse(readFileSync(file, 'utf8'));
    return `${r.requestsPerSecond} req/s, ${r.audioSecondsPerSecond} audio s/s, p50 ${r.p50} s, p95 ${r.p95} s (last run)`;
  },
});

export default {
  name: 'stt-service',
  description:
    'stt-service load on loopback: throughput and p95 latency (tiny model; unique and cached audio)',
  reps: 3,
  setup({ outDir }) {
    return { outDir };
  },
  commands: ({ outDir }) => [
    load('24 unique 5 s windows, 4 clients', join(outDir, 'unique.json'), [
      ...['--requests', '24', '--clients', '4', '--unique', '1', '--seconds', '5'],
    ]),
    load('300 cached requests, 16 clients', join(outDir, 'cached.json'), [
      ...['--requests', '300', '--clients', '16', '--unique', '0', '--seconds', '5'],
    ]),
  ],
  notes: (_rows, { outDir }) =>
    Object.fromEntries(
      ['unique', 'cached'].map((k) => [k, JSON.parse(readFileSync(join(outDir, `${k}.json`), 'utf8'))]),
    ),
};
