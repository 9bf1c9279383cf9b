import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { buildProgram } from '../../src/cli/program.js';
import { cli } from '../helpers/cli.js';
import { sample, samples } from '../helpers/samples.js';

describe('autoedit CLI', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-cli-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('--help lists every registered command, with examples', async () => {
    const { code, stdout } = await cli(['--help']);
    assert.equal(code, 0);
    const names = buildProgram().commands.map((c) => c.name());
    assert.ok(names.includes('ingest'));
    for (const n of names) assert.match(stdout, new RegExp(`\\n  ${n}\\b`), `help lists ${n}`);
    assert.match(stdout, /Examples:/);
  });

  it('ingest --json prints a machine-readable summary and exits 1 when an input fails', async () => {
    const run = join(dir, 'run');
    const { code, stdout } = await cli(['--json', 'ingest', sample('talk'), sample('badText'), '-o', run]);
    assert.equal(code, 1);
    const out = JSON.parse(stdout);
    assert.equal(out.ok, false);
    assert.equal(out.media[0].name, 'talk.mp4');
    assert.equal(out.media[0].status, 'new');
    assert.match(out.failed[0].error, /not a readable media file/);
    const again = JSON.parse((await cli(['--json', 'ingest', sample('talk'), '-o', run])).stdout);
    assert.equal(again.ok, true);
    assert.equal(again.media[0].status, 'unchanged');
  });

  it('a missing input is a clear error, not a crash', async () => {
    const { code, stdout, stderr } = await cli(['ingest', join(dir, 'nope.mp4'), '-o', join(dir, 'r2')]);
    assert.equal(code, 1);
    assert.match(stdout + stderr, /nope\.mp4: no such file or directory/);
  });

  it('a usage error exits 2 and points at --help', async () => {
    const { code, stderr } = await cli(['ingest', 'x.mp4']);
    assert.equal(code, 1 + 1);
    assert.match(stderr, /required option '-o, --output <dir>'/);
  });

  it('reports a failing ffprobe with the tool, the exit code and its stderr (fake executable)', async () => {
    const fake = join(dir, 'fake-ffprobe');
    await writeFile(fake, '#!/bin/sh\necho "simulated decoder crash" >&2\nexit 139\n');
    await chmod(fake, 0o755);
    const { code, stdout } = await cli(['--json', 'ingest', sample('talk'), '-o', join(dir, 'r3')], {
      env: { AUTOEDIT_FFPROBE: fake },
    });
    assert.equal(code, 1);
    assert.match(JSON.parse(stdout).failed[0].error, /simulated decoder crash/);
  });

  it('names the package to install when a tool is missing', async () => {
    const { code, stderr } = await cli(['ingest', sample('talk'), '-o', join(dir, 'r4')], {
      env: { AUTOEDIT_FFPROBE: join(dir, 'does-not-exist') },
    });
    assert.equal(code, 1);
    assert.match(stderr, /ffprobe was not found.*apt-get install ffmpeg/);
  });

  it('config show redacts secrets', async () => {
    const { code, stdout } = await cli(['--json', 'config', 'show'], {
      cwd: dir,
      env: { LIGHTNING_API_KEY: 'sk-very-secret-value-1234' },
    });
    assert.equal(code, 0);
    const out = JSON.parse(stdout);
    assert.equal(out.config.lightning.api_key, '***1234');
    assert.ok(!stdout.includes('very-secret'));
  });
});
