import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'mocha';
import { cli } from '../engine/test/helpers/cli.js';
import { sample, samples } from '../engine/test/helpers/samples.js';
import { requireShared } from '../engine/test/helpers/shared.js';

const exec = promisify(execFile);
interface StageReport {
  stage: string;
  status: string;
  reason?: string;
}

describe('autoedit pipeline (end to end, real tools)', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-pipeline-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('talk.mp4 (generated speech) with silence rules: every phrase kept, .mlt + .kdenlive + render, cached re-run', async () => {
    const kept = await silencePipeline(join(dir, 'talk-silence'), sample('talk'));
    const spans = samples().files.talk!.speech!;
    const voiced = spans.reduce((a, s) => a + s.voicedEnd - s.voicedStart, 0);
    assert.ok(
      kept > voiced && kept < voiced + spans.length * 0.5 + 1.5,
      `kept ${kept} s, voiced ${voiced} s`,
    );
  });

  it('example.mp4 with silence rules: close to auto-editor, .mlt + .kdenlive + render, cached re-run', async function () {
    const kept = await silencePipeline(
      join(dir, 'example'),
      requireShared(this, 'media/auto-editor/example.mp4'),
    );
    assert.ok(Math.abs(kept - 17.6) < 1.5, `kept ${kept} s (auto-editor: about 17.6 s)`);
  });

  it('a changed rule redoes only select and export; a hand-edited project is kept as a backup', async () => {
    const run = join(dir, 'talk');
    const base = ['--json', 'pipeline', sample('talk'), sample('scenesA'), '-o', run];
    const first = JSON.parse((await cli(base)).stdout) as { stages: StageReport[] };
    assert.equal(first.stages.find((s) => s.stage === 'scenes')!.status, 'done');
    const mlt = join(run, 'outputs', 'talk.mlt');
    await writeFile(mlt, (await readFile(mlt, 'utf8')).replace('</mlt>', '<!-- my edit --></mlt>'));
    await writeFile(join(run, 'rules.json'), JSON.stringify({ speech: { margin_before: 0.5 } }));
    const second = await cli(base);
    const out = JSON.parse(second.stdout) as { stages: StageReport[] };
    assert.deepEqual(
      out.stages.filter((s) => s.status === 'done').map((s) => s.stage),
      ['select', 'export'],
    );
    const backups = await readdir(join(run, 'outputs', 'backups'));
    assert.equal(backups.length, 1);
    assert.match(await readFile(join(run, 'outputs', 'backups', backups[0]!), 'utf8'), /my edit/);
  });

  it('--skip of an unknown stage is a usage error; bad inputs fail clearly', async () => {
    const bad = await cli(['pipeline', sample('talk'), '-o', join(dir, 'x'), '--skip', 'scnes']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--skip/);
    assert.match(bad.stderr, /unknown "scnes"; allowed: ingest, scenes, vad, stt, select, export, render/);
    const none = await cli(['pipeline', sample('badZero'), '-o', join(dir, 'y')]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no usable media/);
  });
});

/**
 * `autoedit pipeline INPUT --skip scenes --render` on a fresh run folder, then again: stage by stage, the
 * outputs, the render's length, the cached re-run. Returns the kept seconds.
 */
async function silencePipeline(run: string, input: string): Promise<number> {
  const first = await cli(['--json', 'pipeline', input, '-o', run, '--skip', 'scenes', '--render']);
  assert.equal(first.code, 0, first.stderr);
  const out = JSON.parse(first.stdout) as { stages: StageReport[]; outputs: { path: string }[] };
  // VAD reads the audio ingest decoded in the same ffmpeg pass, so its stage is a cache hit at once.
  assert.deepEqual(
    out.stages.map((s) => `${s.stage}:${s.status}`),
    [
      'ingest:done',
      'scenes:skipped',
      'vad:cached',
      'stt:skipped',
      'select:done',
      'export:done',
      'render:done',
    ],
  );
  const sel = JSON.parse(await readFile(join(run, 'artifacts', 'selection.json'), 'utf8'));
  const kept = sel.kept.reduce((a: number, k: { start: number; end: number }) => a + k.end - k.start, 0);
  const name = basename(run);
  for (const f of [`${name}.mlt`, `${name}.kdenlive`, `${name}.mp4`])
    assert.ok(existsSync(join(run, 'outputs', f)), f);
  const { stdout } = await exec('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration',
    '-of',
    'csv=p=0',
    join(run, 'outputs', `${name}.mp4`),
  ]);
  assert.ok(Math.abs(Number(stdout) - kept) < 0.05);
  // Re-run: analysis stages come from the cache.
  const again = JSON.parse(
    (await cli(['--json', 'pipeline', input, '-o', run, '--skip', 'scenes'])).stdout,
  ) as { stages: StageReport[] };
  assert.deepEqual(
    again.stages.filter((s) => s.status === 'cached').map((s) => s.stage),
    ['ingest', 'vad'],
  );
  return kept;
}
