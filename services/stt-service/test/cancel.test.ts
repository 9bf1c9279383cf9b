import assert from 'node:assert/strict';
import { LocalChunkStore } from '@autoedit/engine';
import { wavHeader } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { KEY, type Running, startService } from '../../../test/helpers/stt-service.js';

/** `seconds` of loud pseudo-random noise (16 kHz mono WAV): whisper.cpp has to work on all of it. */
function noise(seconds: number, seed: number): Buffer {
  const pcm = new Int16Array(Math.round(seconds * 16000));
  let x = seed;
  for (let i = 0; i < pcm.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    pcm[i] = (x % 16000) - 8000;
  }
  return Buffer.concat([wavHeader(pcm.length, 16000), Buffer.from(pcm.buffer)]);
}

const ask = (base: string, audio_url: string, signal?: AbortSignal, id?: string) =>
  fetch(`${base}/transcribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, ...(id ? { 'x-request-id': id } : {}) },
    body: JSON.stringify({ audio_url, lang: 'en' }),
    signal,
  });

describe('stt-service cost controls: jobs are cancelled, not left running', function () {
  this.timeout(300_000);
  let store: LocalChunkStore;
  let svc: Running;
  before(async () => {
    store = await LocalChunkStore.open({ provider: 'local', host: '127.0.0.1', port: 0, expiresS: 300 });
    const port = new URL((await store.put('probe', new Uint8Array(1), 'audio/wav')).url).port;
    svc = await startService({
      STT_FETCH_ALLOW: `127.0.0.1:${port}`,
      STT_REQUIRE_SIGNED_URLS: '1',
      STT_JOB_TIMEOUT_S: '3',
    });
  });
  after(async () => {
    await svc?.close();
    await store?.close();
  });

  it('a job past STT_JOB_TIMEOUT_S → 504, its whisper.cpp worker is killed and replaced, the next job is served', async () => {
    // Ten minutes of noise: twenty whisper.cpp windows, far more than 3 s of work even for the tiny model.
    const long = await store.put('long.wav', noise(600, 1), 'audio/wav');
    const r = await ask(svc.url, long.url);
    assert.equal(r.status, 504, await r.clone().text());
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'job_timeout');
    await new Promise((res) => setTimeout(res, 200));
    // Usually the deadline passes while whisper.cpp works, and its worker is killed; on a very loaded
    // machine it can pass during the download instead (then no worker ran).
    if (!svc.logs.some((l) => l.msg === 'whisper worker replaced'))
      console.warn('    note: the deadline passed during the download here; no worker had to be killed');
    // The replacement serves the next request (a short one, within the limit).
    const short = await store.put('short.wav', noise(0.5, 2), 'audio/wav');
    let ok: Response | undefined;
    for (let i = 0; i < 20 && ok?.status !== 200; i++) {
      ok = await ask(svc.url, short.url);
      if (ok.status !== 200) await new Promise((res) => setTimeout(res, 500));
    }
    assert.equal(ok?.status, 200);
  });

  it('a caller that goes away: its job leaves the queue (or is killed) and is logged as cancelled', async () => {
    const a = await store.put('a.wav', noise(30, 3), 'audio/wav');
    const gone = new AbortController();
    const p = ask(svc.url, a.url, gone.signal, 'cancel-test-0001').catch((e: Error) => e);
    setTimeout(() => gone.abort(), 300);
    assert.ok((await p) instanceof Error);
    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 40 && !line; i++) {
      await new Promise((res) => setTimeout(res, 250));
      line = svc.logs.find((l) => l.msg === 'request' && l.request_id === 'cancel-test-0001');
    }
    assert.equal(line?.status, 499, JSON.stringify(line));
    assert.equal(line?.code, 'cancelled');
  });
});
