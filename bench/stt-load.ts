// A bounded load test of the stt-service on loopback: the real service (tiny generated Whisper model) in
// this process, audio served by AutoEdit's own signed-URL chunk server, N requests from C concurrent
// clients. Prints and writes (--out) throughput and latency percentiles.
//
//   node --conditions=source --import tsx bench/stt-load.ts --requests 24 --clients 4 --unique 1 --out x.json
import { writeFileSync } from 'node:fs';
import { LocalChunkStore } from '@autoedit/engine';
import { decodePcm, wavHeader } from '@autoedit/media';
import { sample, samples } from '../engine/test/helpers/samples.js';
import { KEY, startService } from '../test/helpers/stt-service.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1] : undefined;
const requests = Math.min(arg('requests', 24), 500);
const clients = Math.min(arg('clients', 4), 32);
const unique = arg('unique', 1) === 1;
const seconds = arg('seconds', 5);
const deadline = Date.now() + Math.min(arg('limit', 120), 300) * 1000;

samples();
const talk = await decodePcm(sample('talk'));
const key = 'bench-signing-key-0123456789abcdef';
const store = await LocalChunkStore.open({
  provider: 'local',
  host: '127.0.0.1',
  port: 0,
  signingKey: key,
  expiresS: 600,
});
const storePort = Number(new URL((await store.put('probe', new Uint8Array(1), 'audio/wav')).url).port);
const svc = await startService({
  STT_FETCH_ALLOW: `127.0.0.1:${storePort}`,
  STT_RATE_PER_MIN: '100000',
  STT_RATE_BURST: '10000',
  STT_MAX_QUEUE: '1000',
  AUTOEDIT_URL_SIGNING_KEYS: key,
});
// Windows of `seconds` from the generated talk; unique ones differ by a sample so no cache can answer.
const n = Math.round(seconds * 16000);
const urls: string[] = [];
for (let i = 0; i < (unique ? requests : 1); i++) {
  const pcm = new Int16Array(n);
  const from = (i * 7919) % Math.max(1, talk.length - n);
  pcm.set(talk.subarray(from, from + n));
  pcm[0] = i;
  urls.push(
    (await store.put(`w${i}.wav`, Buffer.concat([wavHeader(n, 16000), Buffer.from(pcm.buffer)]), 'audio/wav'))
      .url,
  );
}
if (!unique) {
  // Warm the cache once: what follows measures the service's own overhead (auth, fetch, hash, cache).
  await fetch(`${svc.url}/transcribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify({ audio_url: urls[0], lang: 'en' }),
  }).then((r) => r.arrayBuffer());
}
const latencies: number[] = [];
let next = 0;
let failed = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (next < requests && Date.now() < deadline) {
      const i = next++;
      const s = performance.now();
      const r = await fetch(`${svc.url}/transcribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': KEY },
        body: JSON.stringify({ audio_url: urls[unique ? i : 0], lang: 'en' }),
      });
      await r.arrayBuffer();
      if (r.status !== 200) failed++;
      latencies.push((performance.now() - s) / 1000);
    }
  }),
);
const wall = (performance.now() - t0) / 1000;
await svc.close();
await store.close();
const sorted = [...latencies].sort((a, b) => a - b);
const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
const result = {
  requests: latencies.length,
  failed,
  clients,
  unique,
  audioSecondsPerRequest: seconds,
  wallSeconds: +wall.toFixed(3),
  requestsPerSecond: +(latencies.length / wall).toFixed(2),
  audioSecondsPerSecond: +((latencies.length * seconds) / wall).toFixed(1),
  p50: +q(0.5).toFixed(3),
  p95: +q(0.95).toFixed(3),
  max: +q(1).toFixed(3),
};
console.log(JSON.stringify(result));
if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
if (failed) process.exitCode = 1;
