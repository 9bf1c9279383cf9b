import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sample } from '../../../engine/test/helpers/samples.js';
import { engineEnv, findEngineCli, runEngine } from '../../src/engine-process.js';
import { CLI, REPO } from '../helpers/run.js';

describe('engine child process', function () {
  this.timeout(300_000);

  it('streams validated events and ends with run.finished', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'autoedit-proc-')), 'run');
    const seen: string[] = [];
    const r = await runEngine({
      cli: CLI,
      args: ['--events', 'pipeline', sample('talk'), '-o', runDir, '--skip', 'stt'],
      onEvent: (e) => seen.push(e.type),
    });
    assert.equal(r.exitCode, 0, r.stderrTail);
    assert.equal(seen[0], 'run.started');
    assert.ok(seen.includes('stage.finished'));
    assert.equal(r.finished?.status, 'ok');
    assert.ok(r.finished?.outputs.some((o) => o.path.endsWith('.mlt')));
  });

  it('Cancel (SIGINT) stops the run: exit 130, the stage reported cancelled, the run folder unlocked', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'autoedit-proc-')), 'run');
    const controller = new AbortController();
    const r = await runEngine({
      cli: CLI,
      args: [
        '--no-cache',
        '--events',
        'pipeline',
        sample('talk'),
        sample('scenesA'),
        '-o',
        runDir,
        '--skip',
        'stt',
      ],
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'stage.started' && e.stage === 'scenes') controller.abort();
      },
    });
    assert.equal(r.cancelled, true);
    assert.equal(r.exitCode, 130, r.stderrTail);
    assert.equal(r.finished?.status, 'cancelled');
    assert.ok(r.events.some((e) => e.type === 'stage.failed' && e.cancelled));
    assert.equal(existsSync(join(runDir, '.autoedit.lock')), false);
  });

  it('a missing ffmpeg fails with exit 3 and the engine’s error', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'autoedit-proc-')), 'run');
    const r = await runEngine({
      cli: CLI,
      args: ['--events', 'pipeline', sample('talk'), '-o', runDir],
      env: engineEnv({ ffmpegPath: '/nonexistent/ffmpeg' }),
    });
    assert.equal(r.exitCode, 3, r.stderrTail);
    assert.match(r.finished?.error?.message ?? r.stderrTail, /ffprobe|ffmpeg/);
  });

  it('finds the bundled CLI in an installed extension, else the repository’s, else says what is missing', () => {
    const found = findEngineCli(join(REPO, 'extension'));
    assert.ok(
      [
        join(REPO, 'extension', 'dist', 'engine', 'autoedit.cjs'),
        join(REPO, 'engine', 'bin', 'autoedit.js'),
      ].includes(found),
    );
    assert.throws(
      () => findEngineCli(join(tmpdir(), 'no-such-extension', 'x')),
      /engine is missing from this installation/,
    );
  });
});
