import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalChunkStore, signUrl } from '@autoedit/engine';
import { wavHeader } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { sample, samples } from '../../../engine/test/helpers/samples.js';
import { KEY, type Running, startService } from '../../../test/helpers/stt-service.js';

const SIGNING_KEY = 'url-signing-key-for-tests-0123456789';

/** A WAV of `seconds` of quiet noise (16 kHz mono). */
function wav(seconds: number): Buffer {
  const pcm = new Int16Array(Math.round(seconds * 16000));
  for (let i = 0; i < pcm.length; i++) pcm[i] = ((i * 7919) % 200) - 100;
  return Buffer.concat([wavHeader(pcm.length, 16000), Buffer.from(pcm.buffer)]);
}

/** An HTTP server on 127.0.0.1 that counts the requests it gets and answers by path. */
async function origin(handler: (path: string, res: import('node:http').ServerResponse) => void) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(new URL(req.url ?? '/', 'http://x').pathname, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    hits,
    url: (p: string) => signUrl(`http://127.0.0.1:${port}${p}`, SIGNING_KEY, 300),
  };
}

const post = (base: string, body: unknown, headers: Record<string, string> = { 'x-api-key': KEY }) =>
  fetch(`${base}/transcribe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('stt-service under attack (real service and servers on 127.0.0.1)', function () {
  this.timeout(180_000);
  let svc: Running;
  let store: LocalChunkStore;
  let storePort: number;
  let evil: Awaited<ReturnType<typeof origin>>;
  let redirector: Awaited<ReturnType<typeof origin>>;
  let good: string;

  before(async () => {
    samples();
    store = await LocalChunkStore.open({
      provider: 'local',
      host: '127.0.0.1',
      port: 0,
      signingKey: SIGNING_KEY,
      expiresS: 300,
    });
    storePort = Number(new URL((await store.put('probe.wav', wav(0.1), 'audio/wav')).url).port);
    // The "internal" server an attacker wants the service to reach: it must never see a request.
    evil = await origin((_p, res) => res.end('secret'));
    // An allowed origin whose redirects point inside.
    redirector = await origin((p, res) => {
      const to: Record<string, string> = {
        '/to-evil': `http://127.0.0.1:${evil.port}/x`,
        '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
        '/to-v6-loopback': `http://[::1]:${evil.port}/x`,
        '/to-mapped': `http://[::ffff:127.0.0.1]:${evil.port}/x`,
        '/to-file': 'file:///etc/passwd',
      };
      res.writeHead(302, { location: to[p] ?? '/' }).end();
    });
    svc = await startService({
      STT_FETCH_ALLOW: `127.0.0.1:${storePort},127.0.0.1:${redirector.port}`,
      AUTOEDIT_URL_SIGNING_KEYS: SIGNING_KEY,
      STT_MAX_AUDIO_BYTES: String(2_000_000),
      STT_MAX_AUDIO_SECONDS: '30',
      STT_RATE_PER_MIN: '600',
      STT_RATE_BURST: '200',
    });
    good = (await store.put('jfk-like.wav', wav(3), 'audio/wav')).url;
  });
  after(async () => {
    await svc?.close();
    await store?.close();
    for (const s of [evil?.server, redirector?.server] as (Server | undefined)[]) s?.close();
  });

  it('the healthz and health routes answer without a key; everything else needs one', async () => {
    for (const p of ['/healthz', '/health']) {
      const r = await fetch(`${svc.url}${p}`);
      assert.equal(r.status, 200);
      const h = (await r.json()) as { model_loaded: boolean; model: string };
      assert.equal(h.model_loaded, true);
      assert.match(h.model, /@[0-9a-f]{12}$/);
    }
    const none = await post(svc.url, { audio_url: good }, {});
    assert.equal(none.status, 401);
    assert.match(((await none.json()) as { error: { message: string } }).error.message, /missing X-API-Key/);
    const wrong = await post(svc.url, { audio_url: good }, { 'x-api-key': `${KEY.slice(0, -1)}X` });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'unauthorized');
    assert.equal((await fetch(`${svc.url}/metrics`)).status, 401);
  });

  it('a signed URL on the allow-listed store is transcribed; the same audio again comes from the content-hash cache', async () => {
    const r = await post(svc.url, { audio_url: good, lang: 'en', offset: 10 });
    assert.equal(r.status, 200, await r.clone().text());
    assert.ok(r.headers.get('x-request-id'));
    const body = (await r.json()) as {
      hash: string;
      cached: boolean;
      duration: number;
      segments: { start: number }[];
    };
    assert.match(body.hash, /^sha256:[0-9a-f]{64}$/);
    assert.equal(body.cached, false);
    assert.equal(body.duration, 3);
    for (const s of body.segments) assert.ok(s.start >= 10, 'offset applied');
    const again = await post(svc.url, {
      audio_url: (await store.put('copy.wav', wav(3), 'audio/wav')).url,
      lang: 'en',
    });
    assert.equal(((await again.json()) as { cached: boolean }).cached, true);
  });

  it('file://, loopback, link-local (metadata), IPv6 loopback and their spellings are refused without a request', async () => {
    const p = evil.port;
    const cases: [string, number, string][] = [
      ['file:///etc/passwd', 400, 'url_scheme'],
      ['ftp://127.0.0.1/x', 400, 'url_scheme'],
      [evil.url('/x'), 403, 'url_refused'],
      [signUrl(`http://localhost:${p}/x`, SIGNING_KEY, 300), 403, 'url_refused'],
      [signUrl('http://169.254.169.254/latest/meta-data/', SIGNING_KEY, 300), 403, 'url_refused'],
      [signUrl(`http://[::1]:${p}/x`, SIGNING_KEY, 300), 403, 'url_refused'],
      [signUrl(`http://[::ffff:127.0.0.1]:${p}/x`, SIGNING_KEY, 300), 403, 'url_refused'],
      [signUrl(`http://2130706433:${p}/x`, SIGNING_KEY, 300), 403, 'url_refused'],
      [signUrl(`http://0x7f.1:${p}/x`, SIGNING_KEY, 300), 403, 'url_refused'],
      [signUrl(`http://10.0.0.1:${p}/x`, SIGNING_KEY, 300), 403, 'url_refused'],
      [signUrl(`http://[fd00::1]:${p}/x`, SIGNING_KEY, 300), 403, 'url_refused'],
      [signUrl(`http://user:pw@example.com/x`, SIGNING_KEY, 300), 400, 'url_credentials'],
      [`http://127.0.0.1:${p}/unsigned.wav`, 400, 'url_unsigned'],
      [`http://127.0.0.1:${storePort}/chunks/x.wav?ae-expires=1&ae-signature=abc`, 403, 'url_bad_signature'],
      [
        signUrl(`http://127.0.0.1:${storePort}/chunks/x.wav`, SIGNING_KEY, 1, Date.now() - 10_000),
        400,
        'url_expired',
      ],
    ];
    for (const [url, status, code] of cases) {
      const r = await post(svc.url, { audio_url: url });
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(r.status, status, `${url}: ${JSON.stringify(body)}`);
      assert.equal(body.error.code, code, url);
    }
    assert.deepEqual(evil.hits, [], 'the internal server never saw a request');
  });

  it('redirects into loopback, metadata, IPv6 loopback or file:// are refused; the target never sees a request', async () => {
    for (const [path, code] of [
      ['/to-evil', 'url_refused'],
      ['/to-metadata', 'url_refused'],
      ['/to-v6-loopback', 'url_refused'],
      ['/to-mapped', 'url_refused'],
      ['/to-file', 'url_scheme'],
    ] as const) {
      const r = await post(svc.url, { audio_url: redirector.url(path) });
      const body = (await r.json()) as { error: { code: string } };
      assert.equal(body.error.code, code, path);
    }
    assert.equal(redirector.hits.length, 5, 'each redirect was followed by hand, once');
    assert.deepEqual(evil.hits, []);
  });

  it('malformed JSON, missing or unknown fields, wrong content type → 400/415 saying what is wrong', async () => {
    const bad = await post(svc.url, '{"audio_url": ');
    assert.equal(bad.status, 400);
    const b = (await bad.json()) as { error: { code: string; message: string; request_id: string } };
    assert.equal(b.error.code, 'invalid_json');
    assert.match(b.error.message, /not valid JSON/);
    assert.ok(b.error.request_id);
    const missing = (await (await post(svc.url, { lang: 'en' })).json()) as { error: { message: string } };
    assert.match(missing.error.message, /audio_url/);
    const unknown = (await (await post(svc.url, { audio_url: good, colour: 'red' })).json()) as {
      error: { message: string };
    };
    assert.match(unknown.error.message, /unknown field\(s\) colour/);
    const lang = (await (await post(svc.url, { audio_url: good, lang: 'english!' })).json()) as {
      error: { message: string };
    };
    assert.match(lang.error.message, /^lang: /);
    const type = await fetch(`${svc.url}/transcribe`, {
      method: 'POST',
      headers: { 'x-api-key': KEY, 'content-type': 'text/plain' },
      body: '{}',
    });
    assert.equal(type.status, 415);
    const huge = await post(svc.url, JSON.stringify({ audio_url: good, prompt: 'x'.repeat(300_000) }));
    assert.equal(huge.status, 413);
  });

  it('oversize audio → 413 (announced or streamed), overlong → 400, undecodable → 400', async () => {
    const big = wav(80); // 2.56 MB > 2 MB
    const announced = await post(svc.url, { audio_url: (await store.put('big.wav', big, 'audio/wav')).url });
    assert.equal(announced.status, 413);
    // No Content-Length: the limit stops the download as it streams.
    const chunked = await origin((_p, res) => {
      res.writeHead(200, { 'content-type': 'audio/wav', 'transfer-encoding': 'chunked' });
      res.end(big);
    });
    const svcAllow = await startService({
      STT_FETCH_ALLOW: `127.0.0.1:${chunked.port}`,
      AUTOEDIT_URL_SIGNING_KEYS: SIGNING_KEY,
      STT_MAX_AUDIO_BYTES: String(2_000_000),
    });
    try {
      const streamed = await post(svcAllow.url, { audio_url: chunked.url('/big.wav') });
      assert.equal(streamed.status, 413);
      assert.equal(((await streamed.json()) as { error: { code: string } }).error.code, 'too_large');
    } finally {
      await svcAllow.close();
      chunked.server.close();
    }
    const long = await post(svc.url, { audio_url: (await store.put('long.wav', wav(40), 'audio/wav')).url });
    assert.equal(long.status, 400);
    assert.match(
      ((await long.json()) as { error: { message: string } }).error.message,
      /40 s, over the limit of 30 s/,
    );
    // Not a WAV: decoded by ffmpeg from memory, stopped once past the limit.
    const mp4 = readFileSync(sample('talk'));
    const svcShort = await startService({
      STT_FETCH_ALLOW: `127.0.0.1:${storePort}`,
      AUTOEDIT_URL_SIGNING_KEYS: SIGNING_KEY,
      STT_MAX_AUDIO_SECONDS: '5',
    });
    try {
      const r = await post(svcShort.url, { audio_url: (await store.put('talk.mp4', mp4, 'video/mp4')).url });
      assert.equal(r.status, 400);
      assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'too_long');
    } finally {
      await svcShort.close();
    }
    const junk = await post(svc.url, {
      audio_url: (await store.put('junk.wav', Buffer.from('not audio at all'.repeat(20)), 'audio/wav')).url,
    });
    assert.equal(junk.status, 400);
    assert.equal(((await junk.json()) as { error: { code: string } }).error.code, 'undecodable');
  });

  it('a batch answers per item: one transcribed, one refused', async () => {
    const r = await fetch(`${svc.url}/transcribe/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({ items: [{ audio_url: good, lang: 'en' }, { audio_url: evil.url('/x') }] }),
    });
    assert.equal(r.status, 200);
    const { results } = (await r.json()) as { results: { ok: boolean; error?: { code: string } }[] };
    assert.equal(results[0]!.ok, true);
    assert.equal(results[1]!.ok, false);
    assert.equal(results[1]!.error!.code, 'url_refused');
  });

  it('logs are JSON lines with request ids, and hold no transcript text, prompt, key or URL signature', async () => {
    const prompt = 'Confidential prompt Zanzibar';
    const r = await post(svc.url, { audio_url: good, lang: 'en', prompt });
    const body = (await r.json()) as { text: string };
    const raw = svc.raw();
    for (const l of svc.logs) assert.ok(typeof l.time === 'string' && typeof l.level === 'string');
    assert.ok(svc.logs.some((l) => l.msg === 'request' && l.route === '/transcribe' && l.request_id));
    assert.ok(!raw.includes(KEY), 'no API key');
    assert.ok(!raw.includes('ae-signature'), 'no signed query string');
    assert.ok(!raw.includes('Zanzibar'), 'no prompt');
    if (body.text.length > 12) assert.ok(!raw.includes(body.text), 'no transcript text');
  });

  it('/metrics: request counts by route and status, latency quantiles, queue depth', async () => {
    const r = await fetch(`${svc.url}/metrics`, { headers: { 'x-api-key': KEY } });
    assert.equal(r.status, 200);
    const text = await r.text();
    assert.match(text, /stt_requests_total\{route="\/transcribe",status="200"\} \d+/);
    assert.match(text, /stt_requests_total\{route="\/transcribe",status="403"\} \d+/);
    assert.match(text, /stt_request_duration_seconds\{quantile="0.95"\} [\d.]+/);
    assert.match(text, /stt_queue_waiting 0/);
    assert.match(text, /stt_cache_hits_total \d+/);
  });

  it('a flood → 429 with Retry-After, per key; unauthenticated guessing is slowed down too', async () => {
    const limited = await startService({ STT_RATE_PER_MIN: '6', STT_RATE_BURST: '5', NO_WAIT: '1' });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 12; i++) {
        const r = await fetch(`${limited.url}/metrics`, { headers: { 'x-api-key': KEY } });
        statuses.push(r.status);
        if (r.status === 429) retryAfter = r.headers.get('retry-after');
        await r.arrayBuffer();
      }
      assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
      assert.ok(
        statuses.slice(5).every((s) => s === 429),
        statuses.join(','),
      );
      assert.ok(Number(retryAfter) >= 1);
      const guesses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await fetch(`${limited.url}/metrics`, {
          headers: { 'x-api-key': `wrong-key-${i}-0123456789` },
        });
        guesses.push(r.status);
        await r.arrayBuffer();
      }
      assert.ok(guesses.includes(401) && guesses.at(-1) === 429, guesses.join(','));
    } finally {
      await limited.close();
    }
  });
});
