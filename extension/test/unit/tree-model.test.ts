import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunEvent } from '@autoedit/engine/schemas';
import { runEngine } from '../../src/engine-process.js';
import { applyEvent, buildProject, buildTree, findProjects, type StageNode } from '../../src/tree-model.js';
import { CLI, sampleRun } from '../helpers/run.js';

const stage = (stages: StageNode[], name: string) => {
  const s = stages.find((x) => x.stage === name);
  assert.ok(s, `no stage ${name}`);
  return s;
};

describe('tree model', function () {
  this.timeout(180_000);

  it('finds run folders and rules folders, not the run folder’s own subfolders', () => {
    const root = mkdtempSync(join(tmpdir(), 'autoedit-tree-'));
    mkdirSync(join(root, 'shoot', 'runs', 'a', 'artifacts'), { recursive: true });
    writeFileSync(join(root, 'shoot', 'runs', 'a', 'media.db.json'), '{}');
    writeFileSync(join(root, 'shoot', 'autoedit.rules.json'), '{}');
    mkdirSync(join(root, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'x', 'media.db.json'), '{}');
    assert.deepEqual(findProjects([root]), [
      { dir: join(root, 'shoot'), type: 'rules' },
      { dir: join(root, 'shoot', 'runs', 'a'), type: 'run' },
    ]);
  });

  it('shows a real run’s stages with state and timings, scenes’ cuts and the selection’s reasons', async () => {
    const { runDir } = await sampleRun();
    const workspace = dirname(dirname(runDir));
    const [project] = buildTree([workspace]);
    assert.ok(project);
    assert.equal(project.kind, 'project');
    assert.equal(project.dir, runDir);
    assert.deepEqual(
      project.stages.map((s) => s.stage),
      ['ingest', 'scenes', 'vad', 'stt', 'select', 'export', 'render'],
    );
    for (const name of ['ingest', 'scenes', 'vad', 'stt', 'select', 'export']) {
      const s = stage(project.stages, name);
      assert.ok(['done', 'cached'].includes(s.state), `${name} is ${s.state}`);
      assert.equal(typeof s.seconds, 'number');
    }
    assert.equal(stage(project.stages, 'render').state, 'skipped');

    const media = stage(project.stages, 'ingest').artifacts[0]!;
    assert.equal(media.label, 'talk.mp4');
    assert.equal(media.time, 0);

    const scenes = stage(project.stages, 'scenes').artifacts[0]!;
    assert.match(scenes.description ?? '', /shot\(s\)/);
    assert.ok(scenes.children?.every((c) => typeof c.time === 'number' && c.file === scenes.file));

    const [kept, dropped] = stage(project.stages, 'select').artifacts;
    assert.match(kept!.label, /^Kept \(\d+\)$/);
    assert.match(dropped!.label, /^Dropped \(\d+\)$/);
    assert.ok(kept!.children!.length > 0);
    assert.ok(
      kept!.children!.some((r) => /speech/.test(r.description ?? '')),
      'kept ranges say why (speech)',
    );
    assert.ok(
      dropped!.children!.some((r) => /silence/.test(r.description ?? '')),
      'dropped ranges say why (silence)',
    );

    const exportsNode = stage(project.stages, 'export').artifacts;
    assert.ok(exportsNode.some((e) => e.context === 'export.mlt'));
    assert.ok(exportsNode.some((e) => e.context === 'export.kdenlive'));
  });

  it('marks select and export stale when the rules file changed after them', async () => {
    const { runDir } = await sampleRun();
    const rules = join(runDir, 'rules.json');
    writeFileSync(rules, '{}\n');
    const later = new Date(Date.now() + 60_000);
    utimesSync(rules, later, later);
    try {
      const p = buildProject(runDir, 'run');
      assert.equal(stage(p.stages, 'select').state, 'stale');
      assert.match(stage(p.stages, 'select').detail ?? '', /rules\.json changed/);
      assert.equal(stage(p.stages, 'export').state, 'stale');
      assert.notEqual(stage(p.stages, 'scenes').state, 'stale');
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(rules);
    }
  });

  it('overlays live run events: running while started, failed with the error', async () => {
    const { runDir } = await sampleRun();
    const h = { runId: 'x', run: runDir, time: '' };
    let live = applyEvent({}, {
      ...h,
      type: 'stage.started',
      stage: 'select',
      index: 5,
      total: 7,
    } as RunEvent);
    assert.equal(stage(buildProject(runDir, 'run', { live }).stages, 'select').state, 'running');
    live = applyEvent(live, {
      ...h,
      type: 'stage.failed',
      stage: 'select',
      seconds: 0.5,
      cancelled: false,
      error: { name: 'UserError', message: 'bad rules', exitCode: 1 },
    } as RunEvent);
    const s = stage(buildProject(runDir, 'run', { live }).stages, 'select');
    assert.equal(s.state, 'failed');
    assert.equal(s.detail, 'bad rules');
  });

  it('after a select-only run, earlier stages keep the timings and states of the run that made them', async () => {
    const { runDir: original } = await sampleRun();
    const runDir = join(mkdtempSync(join(tmpdir(), 'autoedit-tree-')), 'talk');
    cpSync(original, runDir, { recursive: true, verbatimSymlinks: true });
    const r = await runEngine({ cli: CLI, args: ['--events', 'pipeline', '-o', runDir, '--only', 'select'] });
    assert.equal(r.exitCode, 0, r.stderrTail);
    const p = buildProject(runDir, 'run');
    assert.ok(['done', 'cached'].includes(stage(p.stages, 'select').state));
    for (const name of ['ingest', 'scenes', 'stt']) {
      const s = stage(p.stages, name);
      assert.ok(['done', 'cached'].includes(s.state), `${name} is ${s.state}`);
      assert.equal(typeof s.seconds, 'number', `${name} keeps its timing`);
    }
    // The new selection has not been exported yet.
    assert.equal(stage(p.stages, 'export').state, 'stale');
    assert.equal(stage(p.stages, 'export').detail, 'selection changed since');
    assert.equal(stage(p.stages, 'render').state, 'skipped');
  });

  it('a rules folder without a run says so and has no stages', () => {
    const root = mkdtempSync(join(tmpdir(), 'autoedit-tree-'));
    writeFileSync(join(root, 'autoedit.rules.json'), '{}');
    const p = buildProject(root, 'rules', { workspaceRoots: [root] });
    assert.equal(p.rulesFile, join(root, 'autoedit.rules.json'));
    assert.match(p.description, /not run yet/);
    assert.deepEqual(p.stages, []);
  });
});
