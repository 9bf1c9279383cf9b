import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
// The public surface, by package name, as the watcher, the extension and the services use it.
import {
  CancelledError,
  LOCK_FILE,
  MediaDbSchema,
  type RunEvent,
  RunEventSchema,
  RunLockedError,
  readArtifact,
  runPipeline,
  SelectionSchema,
} from '@autoedit/engine';
import { after, before, describe, it } from 'mocha';
import { cli, cliArgv } from '../engine/test/helpers/cli.js';
import { sample, samples } from '../engine/test/helpers/samples.js';

const exec = promisify(execFile);

/** Every file under a folder, recursively (relative paths). */
async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push(join(e.parentPath, e.name).slice(dir.length + 1));
  return out;
}

/** ffmpeg processes whose command line names `path` (children that outlived their run). */
async function ffmpegUsing(path: string): Promise<string[]> {
  const { stdout } = await exec('ps', ['-eo', 'pid,args']);
  return stdout.split('\n').filter((l) => l.includes('ffmpeg') && l.includes(path));
}

/** The order a well-formed run's events follow: one start, stages in order, one finish at the end. */
function assertWellFormed(events: RunEvent[]): void {
  for (const e of events) RunEventSchema.parse(e);
  assert.equal(events[0]!.type, 'run.started');
  assert.equal(events.at(-1)!.type, 'run.finished');
  assert.equal(events.filter((e) => e.type === 'run.started' || e.type === 'run.finished').length, 2);
  assert.equal(new Set(events.map((e) => e.runId)).size, 1);
  const planned = (events[0] as Extract<RunEvent, { type: 'run.started' }>).stages;
  let open: string | undefined;
  const seen: string[] = [];
  for (const e of events.slice(1, -1)) {
    if (e.type === 'stage.started') {
      assert.equal(open, undefined, `${e.stage} started while ${open} was running`);
      open = e.stage;
      seen.push(e.stage);
    } else if (e.type === 'stage.progress') {
      assert.equal(e.stage, open, 'progress belongs to the running stage');
    } else if (e.type === 'stage.finished' || e.type === 'stage.failed') {
      assert.equal(e.stage, open);
      open = undefined;
    } else if (e.type === 'stage.skipped') {
      if (open === e.stage)
        open = undefined; // a stage that found nothing to do
      else seen.push(e.stage);
    }
  }
  assert.deepEqual(seen, planned.slice(0, seen.length), 'stages in their planned order');
}

describe('@autoedit/engine public API (imported by package name)', function () {
  this.timeout(300_000);
  let dir: string;
  let long: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-api-'));
    // A minute of 720p video with audio: long enough to cancel in the middle of scene detection.
    long = join(dir, 'long-input.mp4');
    await exec('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=60'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:duration=60', '-c:v', 'libx264', '-preset', 'ultrafast'],
      ...['-c:a', 'aac', '-shortest', long],
    ]);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('runs the whole pipeline: events in order and schema-valid, outputs written, result matches', async () => {
    const events: RunEvent[] = [];
    const runDir = join(dir, 'full');
    const result = await runPipeline({
      runDir,
      inputs: [sample('talk'), sample('scenesA')],
      onEvent: (e) => events.push(e),
    });
    assertWellFormed(events);
    assert.equal(result.status, 'ok');
    assert.equal(result.exitCode, 0);
    assert.deepEqual(
      result.stages.map((s) => `${s.stage}:${s.status}`),
      [
        'ingest:done',
        'scenes:done',
        'vad:cached',
        'stt:skipped',
        'select:done',
        'export:done',
        'render:skipped',
      ],
    );
    const finished = events.filter((e) => e.type === 'stage.finished');
    assert.ok(finished.every((e) => e.seconds >= 0 && e.artifacts.every((a) => existsSync(a))));
    assert.ok(
      events.some((e) => e.type === 'stage.progress' && e.stage === 'scenes' && e.fraction !== undefined),
    );
    for (const o of result.outputs) assert.ok(existsSync(o.path), o.path);
    assert.deepEqual(result.outputs.map((o) => o.format).sort(), ['kdenlive', 'mlt']);
    const sel = await readArtifact(join(runDir, 'artifacts', 'selection.json'), SelectionSchema);
    assert.deepEqual(sel, result.selection);
    assert.ok(!existsSync(join(runDir, LOCK_FILE)), 'the lock is released');

    // Only select and export after a rules edit, from the cached analysis.
    await writeFile(join(runDir, 'rules.json'), JSON.stringify({ speech: { margin_after: 0.6 } }));
    const again = await runPipeline({ runDir, stages: ['select', 'export'] });
    assert.deepEqual(
      again.stages.map((s) => `${s.stage}:${s.status}`),
      ['select:done', 'export:done'],
    );
    assert.notDeepEqual(again.selection, result.selection);
  });

  it('cancel: children are killed, nothing half-written is left, the next run resumes from the cache', async () => {
    const runDir = join(dir, 'cancel');
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const run = runPipeline({
      runDir,
      inputs: [long],
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'stage.progress' && e.stage === 'scenes' && e.done > 100) controller.abort();
      },
    });
    await assert.rejects(run, CancelledError);
    assertWellFormed(events);
    const finished = events.at(-1) as Extract<RunEvent, { type: 'run.finished' }>;
    assert.equal(finished.status, 'cancelled');
    assert.equal(finished.exitCode, 130);
    assert.deepEqual(
      finished.stages.map((s) => `${s.stage}:${s.status}`),
      ['ingest:done', 'scenes:cancelled'],
    );
    assert.deepEqual(await ffmpegUsing(long), [], 'no ffmpeg left decoding the input');
    const files = await tree(runDir);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.partial') || f.includes(LOCK_FILE)),
      [],
      'no temporary file, no lock',
    );
    assert.ok(
      !files.some((f) => f.startsWith('artifacts/sequences')),
      `no scenes artifact from a cancelled stage: ${files.join(', ')}`,
    );
    for (const f of files.filter((x) => x.endsWith('.json')))
      JSON.parse(await readFile(join(runDir, f), 'utf8'));

    const resumed = await runPipeline({ runDir, inputs: [long] });
    assert.equal(resumed.status, 'ok');
    assert.equal(resumed.stages.find((s) => s.stage === 'ingest')!.status, 'cached');
    assert.equal(resumed.stages.find((s) => s.stage === 'scenes')!.status, 'done');
  });

  it('one run at a time per folder: a second run is refused while the first works; a stale lock is taken over', async () => {
    const runDir = join(dir, 'locked');
    const first = runPipeline({ runDir, inputs: [sample('talk')] });
    // The second starts once the first holds the lock.
    while (!existsSync(join(runDir, LOCK_FILE))) await new Promise((r) => setTimeout(r, 5));
    await assert.rejects(runPipeline({ runDir, inputs: [sample('scenesA')] }), (e: unknown) => {
      assert.ok(e instanceof RunLockedError);
      assert.match(e.message, /in use by another AutoEdit process \(pid \d+/);
      return true;
    });
    assert.equal((await first).status, 'ok');
    // A lock left by a process that no longer exists.
    await writeFile(
      join(runDir, LOCK_FILE),
      JSON.stringify({
        pid: 2 ** 22 + 7,
        host: (await import('node:os')).hostname(),
        command: 'killed',
        startedAt: '',
      }),
    );
    assert.equal((await runPipeline({ runDir, inputs: [sample('talk')] })).status, 'ok');
  });

  it('two CLI processes on one run folder at once: never corrupt; --wait queues the second behind the first', async () => {
    const runDir = join(dir, 'two');
    const a = cli(['--json', 'pipeline', sample('talk'), '-o', runDir, '--skip', 'scenes']);
    const b = cli(['--json', 'pipeline', sample('scenesA'), '-o', runDir, '--skip', 'scenes']);
    const results = await Promise.all([a, b]);
    const codes = results.map((r) => r.code).sort();
    // Either both ran one after the other (the second found the lock free) or the second was refused.
    if (codes[1] !== 0) {
      assert.deepEqual(codes, [0, 1]);
      assert.match(results.find((r) => r.code === 1)!.stdout, /in use by another AutoEdit process/);
    }
    const waited = await Promise.all([
      cli(['--json', 'pipeline', sample('talk'), '-o', runDir, '--skip', 'scenes', '--wait']),
      cli(['--json', 'pipeline', sample('scenesA'), '-o', runDir, '--skip', 'scenes', '--wait']),
    ]);
    assert.deepEqual(
      waited.map((r) => r.code),
      [0, 0],
      waited.map((r) => r.stderr).join('\n'),
    );
    const db = await readArtifact(join(runDir, 'media.db.json'), MediaDbSchema);
    assert.deepEqual(db.media.map((m) => m.name).sort(), ['scenes-a.mp4', 'talk.mp4']);
    const sel = await readArtifact(join(runDir, 'artifacts', 'selection.json'), SelectionSchema);
    assert.equal(sel.sources.length, 1, 'the edit is made of the last run’s input only');
  });

  it('the CLI streams the same events as JSON lines with --events; Ctrl-C cancels through the same path', async () => {
    const runDir = join(dir, 'cli-events');
    const child = spawn(process.execPath, cliArgv(['pipeline', long, '-o', runDir, '--events']), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: RunEvent[] = [];
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const e = RunEventSchema.parse(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
        events.push(e);
        if (e.type === 'stage.progress' && e.stage === 'scenes' && e.done > 50) child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 130);
    assertWellFormed(events);
    assert.equal((events.at(-1) as Extract<RunEvent, { type: 'run.finished' }>).status, 'cancelled');
    assert.deepEqual(await ffmpegUsing(long), []);
    assert.ok(!(await tree(runDir)).some((f) => f.endsWith('.partial') || f.includes(LOCK_FILE)));
  });
});
