import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { loadConfig, redact } from '../../src/config/load.js';
import { planFromConfig } from '../../src/pipeline/assemble.js';

describe('config → Beam speech backend (assembly in one place)', () => {
  let cwd: string;
  before(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'autoedit-beam-config-'));
  });
  after(() => rm(cwd, { recursive: true, force: true }));
  const load = async (yaml: string, env: Record<string, string> = {}) => {
    await writeFile(join(cwd, 'config.yaml'), yaml);
    return loadConfig({ cwd, env }).config;
  };

  it('stt_backend: beam with one account per BEAM_API_TOKEN_*, each at its endpoint or beam.base_url', async () => {
    const config = await load(
      'stt_backend: beam\nbeam:\n  base_url: https://stt.example.test\n  window_s: 420\n',
      {
        BEAM_API_TOKEN_MAIN: 'tok-main',
        BEAM_API_TOKEN_SPARE: 'tok-spare',
        BEAM_BASE_URL_SPARE: 'https://spare.example.test',
        AUTOEDIT_STT_API_KEY: 'service-key-0123456789',
      },
    );
    const { stt } = planFromConfig(config);
    assert.equal(stt.backend, 'beam');
    assert.deepEqual(stt.beam!.accounts, [
      { name: 'main', baseUrl: 'https://stt.example.test', token: 'tok-main' },
      { name: 'spare', baseUrl: 'https://spare.example.test', token: 'tok-spare' },
    ]);
    assert.equal(stt.beam!.apiKey, 'service-key-0123456789');
    assert.equal(stt.beam!.windowS, 420);
    assert.equal(stt.beam!.timeoutS, 120);
    assert.equal(stt.beam!.fallback, 'local');
    assert.deepEqual(stt.beam!.storage, {
      provider: 'local',
      host: '127.0.0.1',
      port: 0,
      publicUrl: undefined,
      signingKey: undefined,
      expiresS: 900,
    });
    const shown = redact(config) as { beam: { api_key: string }; beam_api_tokens: Record<string, string> };
    assert.equal(shown.beam.api_key, '***6789');
    assert.equal(shown.beam_api_tokens.main, '***');
  });

  it('the legacy lightning: section and LIGHTNING_API_KEY still work; beam: wins where both say', async () => {
    const config = await load(
      'stt_backend: lightning\nlightning:\n  base_url: https://old.example.test\n  timeout_s: 30\n',
      {
        LIGHTNING_API_KEY: 'legacy-key-0123456789',
      },
    );
    const { stt } = planFromConfig(config);
    assert.equal(stt.backend, 'beam');
    assert.equal(stt.beam!.accounts[0]!.baseUrl, 'https://old.example.test');
    assert.equal(stt.beam!.apiKey, 'legacy-key-0123456789');
    assert.equal(stt.beam!.timeoutS, 30);
    const both = await load(
      'stt_backend: beam\nlightning: { timeout_s: 30 }\nbeam: { base_url: "https://new.example.test", timeout_s: 90 }\n',
    );
    assert.equal(planFromConfig(both).stt.beam!.timeoutS, 90);
    // --backend overrides the config either way.
    assert.equal(planFromConfig(both, { backend: 'local' }).stt.backend, 'local');
    const noUrl = await load('stt_backend: beam\n');
    assert.throws(() => planFromConfig(noUrl), /needs the URL/, 'config.yaml says beam');
  });

  it('clear errors: no service URL, s3 without a bucket, gcs, unknown beam keys', async () => {
    const none = await load('{}\n');
    assert.throws(
      () => planFromConfig(none, { backend: 'beam' }),
      /needs the URL of the stt-service deployment/,
    );
    const s3 = await load(
      'stt_backend: beam\nbeam: { base_url: "https://x.test" }\nstorage: { provider: s3 }\n',
    );
    assert.throws(() => planFromConfig(s3), /storage\.provider: s3 needs storage\.bucket/);
    const gcs = await load(
      'stt_backend: beam\nbeam: { base_url: "https://x.test" }\nstorage: { provider: gcs, bucket: b }\n',
    );
    assert.throws(() => planFromConfig(gcs), /gcs is not supported directly/);
    await assert.rejects(
      load('beam: { base_ur: "https://x.test" }\n'),
      /unknown key "beam\.base_ur" — did you mean "base_url"\?/,
    );
  });

  it('S3 storage from the environment (S3_ENDPOINT, S3_BUCKET, credentials): presigned-URL plan', async () => {
    const config = await load(
      'stt_backend: beam\nbeam: { base_url: "https://x.test" }\nstorage: { expires_s: 600 }\n',
      {
        S3_BUCKET: 'media',
        S3_ENDPOINT: 'http://127.0.0.1:9000',
        S3_ACCESS_KEY_ID: 'id',
        S3_SECRET_ACCESS_KEY: 'secret',
      },
    );
    assert.deepEqual(planFromConfig(config).stt.beam!.storage, {
      provider: 's3',
      bucket: 'media',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      prefix: 'autoedit-chunks/',
      expiresS: 600,
    });
  });
});
