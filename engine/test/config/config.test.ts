import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { loadConfig, redact } from '../../src/config/load.js';

describe('config.yaml', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoedit-config-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('has defaults with no file', () => {
    const { config, files } = loadConfig({ cwd: dir, env: {} });
    assert.deepEqual(files, []);
    assert.equal(config.stt_backend, 'local');
    assert.equal(config.storage.provider, 'local');
  });

  it('interpolates ${ENV}, reads .env, maps the legacy lightning backend to beam', async () => {
    const cwd = join(dir, 'a');
    await import('node:fs/promises').then((fs) => fs.mkdir(cwd));
    await writeFile(join(cwd, '.env'), 'MY_KEY="from-dotenv-1234567890"\n# comment\n');
    await writeFile(
      join(cwd, 'config.yaml'),
      'stt_backend: lightning\nlightning:\n  base_url: https://stt.example.test\n  api_key: ${MY_KEY}\n  timeout_s: ${TIMEOUT:-30}\n',
    );
    const { config } = loadConfig({ cwd, env: {} });
    assert.equal(config.stt_backend, 'beam');
    assert.equal(config.lightning.api_key, 'from-dotenv-1234567890');
    assert.equal(config.lightning.timeout_s, 30);
    const shown = redact(config) as typeof config;
    assert.equal(shown.lightning.api_key, '***7890');
  });

  it('layers cwd < project folder < --config, and takes S3_*/BEAM_API_TOKEN_* from the environment', async () => {
    const cwd = join(dir, 'b');
    const project = join(cwd, 'runs', 'x');
    await import('node:fs/promises').then((fs) => fs.mkdir(project, { recursive: true }));
    await writeFile(join(cwd, 'config.yaml'), 'vision_backend: local\nstt_backend: beam\n');
    await writeFile(join(project, 'config.yaml'), 'stt_backend: local\n');
    await writeFile(join(cwd, 'override.yaml'), 'diarization_backend: beam\n');
    const { config, files } = loadConfig({
      cwd,
      projectDir: project,
      configFile: 'override.yaml',
      env: { S3_BUCKET: 'media', S3_ENDPOINT: 'http://127.0.0.1:9000', BEAM_API_TOKEN_STT: 'tok' },
    });
    assert.equal(files.length, 3);
    assert.equal(config.vision_backend, 'local');
    assert.equal(config.stt_backend, 'local');
    assert.equal(config.diarization_backend, 'beam');
    assert.deepEqual(config.beam_api_tokens, { stt: 'tok' });
    assert.equal(config.storage.provider, 's3');
    assert.equal(config.storage.bucket, 'media');
  });

  it('suggests the right key for a typo, naming the file', async () => {
    const cwd = join(dir, 'c');
    await import('node:fs/promises').then((fs) => fs.mkdir(cwd));
    await writeFile(join(cwd, 'config.yaml'), 'stt_bakend: local\nlightning:\n  timeout: 3\n');
    assert.throws(
      () => loadConfig({ cwd, env: {} }),
      (e: Error) =>
        e.message.includes(join(cwd, 'config.yaml')) &&
        e.message.includes('did you mean "stt_backend"') &&
        e.message.includes('did you mean "timeout_s"'),
    );
  });

  it('names a missing environment variable', async () => {
    const cwd = join(dir, 'd');
    await import('node:fs/promises').then((fs) => fs.mkdir(cwd));
    await writeFile(join(cwd, 'config.yaml'), 'lightning:\n  api_key: ${NOT_SET_ANYWHERE}\n');
    assert.throws(() => loadConfig({ cwd, env: {} }), /NOT_SET_ANYWHERE/);
  });
});
