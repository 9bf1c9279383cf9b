import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import { S3ChunkStore, type S3StorePlan } from '@autoedit/engine';
import { wavHeader } from '@autoedit/media';
import { after, before, describe, it } from 'mocha';
import { samples } from '../../engine/test/helpers/samples.js';
import { beamTranscript, localTranscript, longTalk, plan, words } from '../helpers/beam.js';
import { KEY, type Running, startService } from '../helpers/stt-service.js';

/**
 * A real S3-compatible server on loopback (@20minutes/s3rver: S3's REST API with SigV4 verification and
 * presigned-URL expiry) holds the chunks; the service fetches them by presigned URL.
 */
describe('Beam backend with S3 storage (S3-compatible server on 127.0.0.1)', function () {
  this.timeout(600_000);
  let dir: string;
  let s3rver: InstanceType<typeof S3rver>;
  let endpoint: string;
  let svc: Running;
  const storage = (o: Partial<S3StorePlan> = {}): S3StorePlan => ({
    provider: 's3',
    bucket: 'media',
    endpoint,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    prefix: 'autoedit-chunks/',
    expiresS: 120,
    ...o,
  });
  /** Objects left in the bucket, read from s3rver's folder (its files carry a `._S3rver_` suffix). */
  const list = async () =>
    (await readdir(join(dir, 'media'), { recursive: true }))
      .filter((f) => f.endsWith('._S3rver_object'))
      .map((f) => f.replace(/\._S3rver_object$/, ''));

  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-s3-'));
    s3rver = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'media' }],
    });
    const { port } = await s3rver.run();
    endpoint = `http://127.0.0.1:${port}`;
    svc = await startService({ STT_FETCH_ALLOW: `127.0.0.1:${port}` });
  });
  after(async () => {
    await svc?.close();
    await s3rver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('chunks go through S3 presigned URLs: the same words as the local backend, and no chunk is left in the bucket', async () => {
    const file = longTalk(2);
    const { tr, backend } = await beamTranscript(
      file,
      plan([{ name: 'a', baseUrl: svc.url }], { storage: storage() }),
    );
    assert.ok(backend.report.length >= 2);
    assert.deepEqual(words(tr), words(await localTranscript(file)));
    assert.deepEqual(await list(), [], 'each chunk is deleted once transcribed');
  });

  it('a presigned URL expires; a tampered signature is refused by the store, and the service says so', async () => {
    const pcm = new Int16Array(16000);
    const bytes = Buffer.concat([wavHeader(pcm.length, 16000), Buffer.from(pcm.buffer)]);
    const ask = async (audio_url: string) => {
      const r = await fetch(`${svc.url}/transcribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': KEY },
        body: JSON.stringify({ audio_url }),
      });
      return {
        status: r.status,
        error: ((await r.json()) as { error: { code: string; message: string } }).error,
      };
    };
    const store = S3ChunkStore.open(storage());
    const chunk = await store.put('probe/one.wav', bytes, 'audio/wav');
    const short = S3ChunkStore.open(storage({ expiresS: 5 }));
    const brief = await short.put('probe/two.wav', bytes, 'audio/wav');
    try {
      assert.deepEqual((await list()).sort(), [
        'autoedit-chunks/probe/one.wav',
        'autoedit-chunks/probe/two.wav',
      ]);
      assert.match(chunk.url, /X-Amz-Signature=[0-9a-f]{64}/);
      assert.equal((await fetch(chunk.url)).status, 200);
      const tampered = chunk.url.replace(
        /X-Amz-Signature=([0-9a-f])/,
        (_m, c: string) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`,
      );
      const direct = await fetch(tampered);
      assert.equal(direct.status, 403);
      assert.match(await direct.text(), /SignatureDoesNotMatch/);
      const viaService = await ask(tampered);
      assert.equal(viaService.status, 400);
      assert.equal(viaService.error.code, 'fetch_refused');
      assert.match(viaService.error.message, /HTTP 403 \(SignatureDoesNotMatch\)/);
      await new Promise((r) => setTimeout(r, Math.max(0, brief.expiresAt - Date.now()) + 1500));
      const expired = await fetch(brief.url);
      assert.equal(expired.status, 403);
      assert.match(await expired.text(), /Request has expired/);
      assert.equal((await ask(brief.url)).error.code, 'url_expired');
    } finally {
      await chunk.delete();
      await brief.delete();
      await store.close();
      await short.close();
    }
  });

  it('storage that refuses the upload: each window falls back to this machine, and the run says why', async () => {
    const file = longTalk(2);
    const { tr, backend } = await beamTranscript(
      file,
      plan([{ name: 'a', baseUrl: svc.url }], { storage: storage({ secretAccessKey: 'not-the-secret' }) }),
    );
    assert.deepEqual(words(tr), words(await localTranscript(file)));
    assert.ok(backend.report.every((w) => w.ran === 'local'));
    assert.match(
      backend.summary().warnings[0] ?? '',
      /transcribed locally — the upload to s3 storage failed: .*SignatureDoesNotMatch/,
    );
  });
});
