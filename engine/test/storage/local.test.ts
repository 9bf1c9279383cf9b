import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { LocalChunkStore } from '../../src/storage/local.js';
import { signUrl, urlSignatureKind, verifySignedUrl } from '../../src/storage/signed-url.js';

describe('local chunk storage: HMAC-signed, expiring URLs served from memory on 127.0.0.1', () => {
  it('serves a chunk to a valid URL only: tampered, expired, re-pointed, unsigned or non-GET requests are refused', async () => {
    const store = await LocalChunkStore.open({ provider: 'local', host: '127.0.0.1', port: 0, expiresS: 60 });
    try {
      const chunk = await store.put('run/a.wav', new Uint8Array([1, 2, 3]), 'audio/wav');
      const u = new URL(chunk.url);
      assert.equal(u.hostname, '127.0.0.1');
      const ok = await fetch(chunk.url);
      assert.equal(ok.status, 200);
      assert.deepEqual([...new Uint8Array(await ok.arrayBuffer())], [1, 2, 3]);
      const tampered = new URL(chunk.url);
      tampered.searchParams.set(
        'ae-signature',
        `${tampered.searchParams.get('ae-signature')!.slice(0, -2)}AA`,
      );
      assert.equal((await fetch(tampered)).status, 403);
      const longer = new URL(chunk.url);
      longer.searchParams.set('ae-expires', String(Number(longer.searchParams.get('ae-expires')) + 3600));
      assert.equal((await fetch(longer)).status, 403, 'the expiry is signed');
      const other = await store.put('run/b.wav', new Uint8Array([9]), 'audio/wav');
      const repointed = new URL(chunk.url);
      repointed.pathname = new URL(other.url).pathname;
      assert.equal((await fetch(repointed)).status, 403, 'the path is signed');
      assert.equal((await fetch(`${u.origin}${u.pathname}`)).status, 403);
      assert.equal((await fetch(chunk.url, { method: 'POST', body: 'x' })).status, 405);
      await chunk.delete();
      assert.equal((await fetch(chunk.url)).status, 404, 'deleted once transcribed');
      assert.ok(store.refused >= 4);
    } finally {
      await store.close();
    }
  });

  it('signatures verify in constant time and expire; S3 presigned and AutoEdit URLs are told apart', () => {
    const url = signUrl('http://127.0.0.1:1/chunks/x.wav', 'k', 10, 1_000_000);
    assert.deepEqual(verifySignedUrl(url, 'k', 'GET', 1_000_000), { ok: true, expires: 1010 });
    assert.deepEqual(verifySignedUrl(url, 'k', 'GET', 1_011_000), { ok: false, reason: 'expired' });
    assert.deepEqual(verifySignedUrl(url, 'other', 'GET', 1_000_000), { ok: false, reason: 'bad-signature' });
    assert.equal(urlSignatureKind(new URL(url))?.kind, 'autoedit');
    const s3 = new URL(
      'https://b.s3.test/k.wav?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=900&X-Amz-Signature=ab&X-Amz-SignedHeaders=host',
    );
    assert.deepEqual(urlSignatureKind(s3), { kind: 's3v4', expires: Date.UTC(2026, 0, 1) / 1000 + 900 });
    assert.equal(urlSignatureKind(new URL('https://x.test/a.wav')), undefined);
  });
});
