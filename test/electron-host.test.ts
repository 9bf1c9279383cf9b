import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'mocha';
import { sample, samples } from '../engine/test/helpers/samples.js';
import { REPO } from '../engine/test/helpers/shared.js';
import { tinyModel } from '../engine/test/speech/tiny-model.js';

const exec = promisify(execFile);
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

describe('the engine hosted by Electron (VS Code extension host)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-electron-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('starts its Node worker (whisper.cpp) with ELECTRON_RUN_AS_NODE when process.execPath is not Node', async () => {
    const log = join(dir, 'electron-starts.log');
    const fixtures = join(REPO, 'test', 'fixtures');
    const { stdout } = await exec(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        TSX,
        '--require',
        join(fixtures, 'electron-like.cjs'),
        join(fixtures, 'transcribe-in-host.ts'),
        sample('talk'),
        await tinyModel(),
      ],
      {
        env: {
          ...process.env,
          FAKE_ELECTRON: join(fixtures, 'fake-electron.sh'),
          FAKE_ELECTRON_LOG: log,
          REAL_NODE: process.execPath,
        },
      },
    );
    const out = JSON.parse(stdout) as { words: number; model: string };
    assert.match(out.model, /ggml-tiny-random/);
    // The worker really went through the Electron-like executable, as plain Node.
    assert.match(await readFile(log, 'utf8'), /worker\.mjs/);
  });
});
