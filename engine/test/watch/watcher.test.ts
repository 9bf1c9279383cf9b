import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { meltRender, probe } from '@autoedit/media';
import { afterEach, describe, it } from 'mocha';
import { readArtifact } from '../../src/project/artifacts.js';
import type { RunEvent } from '../../src/schemas/events.js';
import { SelectionSchema } from '../../src/schemas/selection.js';
import type { WatchEvent } from '../../src/schemas/watch.js';
import { startWatcher, type Watcher, type WatchOptions } from '../../src/watch/watcher.js';
import { sample } from '../helpers/samples.js';

/** A watcher on a fresh temp project folder, with every event recorded. */
async function watchProject(
  setup: (dir: string) => Promise<void>,
  opts: Partial<WatchOptions> = {},
): Promise<{ dir: string; w: Watcher; events: WatchEvent[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'autoedit-watch-'));
  await setup(dir);
  const events: WatchEvent[] = [];
  const w = await startWatcher({
    project: dir,
    reload: 'none',
    debounceMs: 100,
    stableMs: 600,
    skip: ['stt'],
    onEvent: (e) => events.push(e),
    ...opts,
  });
  cleanups.push(async () => {
    await w.stop();
    await rm(dir, { recursive: true, force: true });
  });
  return { dir, w, events };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** Wait until an event matching `pred` has been recorded at or after index `from`. */
async function waitFor<T extends WatchEvent['type']>(
  events: WatchEvent[],
  type: T,
  from = 0,
  timeoutMs = 60_000,
): Promise<Extract<WatchEvent, { type: T }>> {
  const t0 = Date.now();
  for (;;) {
    const e = events.slice(from).find((x) => x.type === type);
    if (e) return e as Extract<WatchEvent, { type: T }>;
    if (Date.now() - t0 > timeoutMs) throw new Error(`no ${type} within ${timeoutMs} ms: ${types(events)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const types = (events: WatchEvent[]) => events.map((e) => e.type).join(', ');
const regenerations = (events: WatchEvent[]) => events.filter((e) => e.type === 'watch.regenerated');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function editRules(dir: string, change: (r: Record<string, unknown>) => void): Promise<void> {
  const file = join(dir, 'autoedit.rules.json');
  const rules = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  change(rules);
  await writeFile(file, JSON.stringify(rules, null, 2));
}

const cutStart = (seconds: number) => (r: Record<string, unknown>) => {
  r.manual = { keep: [], cut: [{ start: 0, end: seconds }] };
};

describe('autoedit watch: the watcher on a real folder', function () {
  this.timeout(180_000);

  it('starts with a full run: both outputs and a rules file with $schema appear, hidden run folder holds the rest', async () => {
    const { dir, events } = await watchProject((d) => copyFile(sample('talk'), join(d, 'talk.mp4')));
    const r = await waitFor(events, 'watch.regenerated');
    assert.equal(r.mode, 'full');
    await assert.rejects(startWatcher({ project: dir, media: join(dir, 'nope') }), /nope: no such folder/);
    // A second watcher on the same folder is refused with a message saying which process watches it.
    await assert.rejects(
      startWatcher({ project: dir, reload: 'none' }),
      /already watched by another AutoEdit \(pid \d+/,
    );
    assert.ok(existsSync(join(dir, 'autoedit.kdenlive')));
    assert.ok(existsSync(join(dir, 'autoedit.mlt')));
    const rules = JSON.parse(await readFile(join(dir, 'autoedit.rules.json'), 'utf8'));
    assert.equal(rules.$schema, './.autoedit/rules.schema.json');
    assert.ok(existsSync(join(dir, '.autoedit', 'rules.schema.json')));
    // Nothing else AutoEdit-made in the editor's folder.
    const { readdir } = await import('node:fs/promises');
    assert.deepEqual((await readdir(dir)).sort(), [
      '.autoedit',
      'autoedit.kdenlive',
      'autoedit.mlt',
      'autoedit.rules.json',
      'talk.mp4',
    ]);
  });

  it('a rules edit regenerates both outputs from cached analysis (select and export only), and both render in melt', async () => {
    const { dir, w, events } = await watchProject(async (d) => {
      await copyFile(sample('talk'), join(d, 'talk.mp4'));
      // A render of the project itself (Kdenlive's default name for it) is never taken for an input.
      await copyFile(sample('scenesA'), join(d, 'autoedit.mp4'));
    });
    assert.deepEqual((await waitFor(events, 'watch.regenerated')).media, [join(dir, 'talk.mp4')]);
    await w.whenIdle();
    const before = {
      k: await readFile(join(dir, 'autoedit.kdenlive'), 'utf8'),
      m: await readFile(join(dir, 'autoedit.mlt'), 'utf8'),
    };
    const from = events.length;
    await editRules(dir, cutStart(4));
    const r = await waitFor(events, 'watch.regenerated', from);
    assert.equal(r.mode, 'rules');
    const started = events.slice(from).find((e) => e.type === 'run.started') as Extract<
      RunEvent,
      { type: 'run.started' }
    >;
    assert.deepEqual(started.stages, ['select', 'export']);
    assert.deepEqual(r.outputs.map((o) => o.format).sort(), ['kdenlive', 'mlt']);
    const k = await readFile(join(dir, 'autoedit.kdenlive'), 'utf8');
    const m = await readFile(join(dir, 'autoedit.mlt'), 'utf8');
    assert.notEqual(k, before.k);
    assert.notEqual(m, before.m);
    const sel = await readArtifact(join(dir, '.autoedit', 'artifacts', 'selection.json'), SelectionSchema);
    assert.ok(
      sel.kept.every((c) => c.start >= 4 - 1e-6),
      'nothing before the cut is kept',
    );
    for (const f of ['autoedit.mlt', 'autoedit.kdenlive']) {
      const out = join(dir, '.autoedit', `${f}.mp4`);
      await meltRender(join(dir, f), out);
      const p = await probe(out);
      const kept = sel.kept.reduce((a, c) => a + c.end - c.start, 0);
      assert.ok(Math.abs(p.duration - kept) < 0.2, `${f} renders ${p.duration} s, selection keeps ${kept} s`);
    }
  });

  it('100 rapid rule edits give few regenerations, and the outputs reflect the last edit', async () => {
    const { dir, w, events } = await watchProject((d) => copyFile(sample('talk'), join(d, 'talk.mp4')));
    await waitFor(events, 'watch.regenerated');
    await w.whenIdle();
    const before = regenerations(events).length;
    for (let i = 1; i <= 100; i++) {
      await editRules(dir, cutStart(i * 0.1));
      await sleep(2);
    }
    await sleep(400);
    await w.whenIdle();
    const runs = regenerations(events).length - before;
    assert.ok(runs >= 1 && runs <= 5, `${runs} regenerations for 100 edits`);
    const sel = await readArtifact(join(dir, '.autoedit', 'artifacts', 'selection.json'), SelectionSchema);
    assert.ok(
      sel.kept[0]!.start >= 10 - 1e-6,
      `first kept clip starts at ${sel.kept[0]!.start}, not after the last cut (10 s)`,
    );
    const fps = 25;
    const mlt = await readFile(join(dir, 'autoedit.mlt'), 'utf8');
    assert.match(
      mlt,
      new RegExp(`in="${Math.round(sel.kept[0]!.start * fps)}"|in="00:00:${Math.floor(sel.kept[0]!.start)}`),
    );
  });

  it('a media file written in pieces over seconds is analysed once, when complete', async () => {
    const { dir, w, events } = await watchProject((d) => copyFile(sample('talk'), join(d, 'talk.mp4')));
    await waitFor(events, 'watch.regenerated');
    await w.whenIdle();
    const from = events.length;
    const src = await readFile(sample('scenesA'));
    const fh = await open(join(dir, 'scenes.mp4'), 'w');
    const pieces = 8;
    for (let i = 0; i < pieces; i++) {
      await fh.write(
        src.subarray(Math.floor((i * src.length) / pieces), Math.floor(((i + 1) * src.length) / pieces)),
      );
      await fh.sync();
      await sleep(400); // 3.2 s in all, each gap shorter than the 600 ms stability window
    }
    await fh.close();
    const r = await waitFor(events, 'watch.regenerated', from);
    await sleep(1500);
    await w.whenIdle();
    const later = events.slice(from);
    assert.equal(regenerations(later).length, 1, types(later));
    assert.equal(r.mode, 'full');
    assert.deepEqual(
      r.media.map((m) => m.split('/').pop()),
      ['scenes.mp4', 'talk.mp4'],
    );
    assert.equal(later.filter((e) => e.type === 'watch.media-skipped').length, 0, 'no half file was tried');
    const changed = later.filter((e) => e.type === 'watch.changed');
    assert.equal(changed.length, 1, 'chokidar reported the file once, complete');
    assert.equal((await stat(join(dir, 'scenes.mp4'))).size, src.length);
  });

  it('a hand-edited output is left untouched and the new timeline appears beside it (said once)', async () => {
    const { dir, w, events } = await watchProject((d) => copyFile(sample('talk'), join(d, 'talk.mp4')));
    await waitFor(events, 'watch.regenerated');
    await w.whenIdle();
    const kd = join(dir, 'autoedit.kdenlive');
    const mine = (await readFile(kd, 'utf8')).replace('</mlt>', '<!-- my edit --></mlt>');
    await writeFile(kd, mine);
    let from = events.length;
    await editRules(dir, cutStart(3));
    await waitFor(events, 'watch.regenerated', from);
    await w.whenIdle();
    assert.equal(await readFile(kd, 'utf8'), mine, 'the edited file is untouched');
    assert.ok(existsSync(join(dir, 'autoedit-2.kdenlive')));
    const beside = events.filter((e) => e.type === 'watch.beside');
    assert.equal(beside.length, 1);
    // Another edit: the sibling is updated, the user's file still untouched, nothing said again.
    from = events.length;
    await editRules(dir, cutStart(5));
    await waitFor(events, 'watch.regenerated', from);
    await w.whenIdle();
    assert.equal(await readFile(kd, 'utf8'), mine);
    assert.equal(events.filter((e) => e.type === 'watch.beside').length, 1);
    assert.ok(!existsSync(join(dir, 'autoedit-3.kdenlive')));
    // The previous sibling is in the bounded history.
    const { readdir } = await import('node:fs/promises');
    const history = await readdir(join(dir, '.autoedit', 'outputs', 'history'));
    assert.ok(
      history.some((f) => f.startsWith('autoedit-2.')),
      history.join(', '),
    );
  });

  it('bad rules JSON names file, line and column; the last good timeline stays; watching goes on', async () => {
    const { dir, w, events } = await watchProject((d) => copyFile(sample('talk'), join(d, 'talk.mp4')));
    await waitFor(events, 'watch.regenerated');
    await w.whenIdle();
    const good = await readFile(join(dir, 'autoedit.mlt'), 'utf8');
    const rulesFile = join(dir, 'autoedit.rules.json');
    let from = events.length;
    await writeFile(rulesFile, '{\n  "min_clip": 0.5,\n  "speech": { "enabled": true,, }\n}\n');
    const bad = await waitFor(events, 'watch.rules-invalid', from);
    assert.equal(bad.file, rulesFile);
    assert.equal(bad.line, 3);
    assert.ok(bad.column !== undefined && bad.column > 20, `column ${bad.column}`);
    assert.match(bad.message, /autoedit\.rules\.json:3:\d+: not valid JSON/);
    // A schema error names the field and its line.
    from = events.length;
    await writeFile(rulesFile, '{\n  "min_clip": 0.5,\n  "silence": {\n    "min_silence": "long"\n  }\n}\n');
    const bad2 = await waitFor(events, 'watch.rules-invalid', from);
    assert.equal(bad2.field, 'silence.min_silence');
    assert.equal(bad2.line, 4);
    await w.whenIdle();
    assert.equal(await readFile(join(dir, 'autoedit.mlt'), 'utf8'), good, 'the last good timeline stays');
    // Fixed: regenerates.
    from = events.length;
    await writeFile(rulesFile, JSON.stringify({ manual: { cut: [{ start: 0, end: 6 }] } }));
    await waitFor(events, 'watch.regenerated', from);
    assert.notEqual(await readFile(join(dir, 'autoedit.mlt'), 'utf8'), good);
  });

  it('a corrupt media file is reported and skipped; a deleted file leaves the timeline; a renamed one is not analysed again', async () => {
    const { dir, w, events } = await watchProject(async (d) => {
      await copyFile(sample('talk'), join(d, 'talk.mp4'));
      await copyFile(sample('scenesA'), join(d, 'scenes.mp4'));
      await copyFile(sample('badText'), join(d, 'broken.mp4'));
    });
    const first = await waitFor(events, 'watch.regenerated');
    await w.whenIdle();
    const skipped = events.filter((e) => e.type === 'watch.media-skipped');
    assert.deepEqual(
      skipped.map((e) => e.file.split('/').pop()),
      ['broken.mp4'],
    );
    assert.deepEqual(
      first.media.map((m) => m.split('/').pop()),
      ['scenes.mp4', 'talk.mp4'],
    );
    // Rename: recognised by its content hash.
    const { rename, unlink } = await import('node:fs/promises');
    let from = events.length;
    await rename(join(dir, 'scenes.mp4'), join(dir, 'renamed.mp4'));
    const r = await waitFor(events, 'watch.regenerated', from);
    await w.whenIdle();
    assert.deepEqual(
      r.media.map((m) => m.split('/').pop()),
      ['renamed.mp4', 'talk.mp4'],
    );
    const stages = events.slice(from).filter((e) => e.type === 'stage.finished') as Extract<
      RunEvent,
      { type: 'stage.finished' }
    >[];
    for (const s of stages.filter((x) => ['ingest', 'scenes', 'vad'].includes(x.stage)))
      assert.ok(s.cached, `${s.stage} was not cached: ${s.summary}`);
    assert.match(await readFile(join(dir, 'autoedit.mlt'), 'utf8'), /renamed\.mp4/);
    // Delete: leaves the timeline.
    from = events.length;
    await unlink(join(dir, 'renamed.mp4'));
    const d = await waitFor(events, 'watch.regenerated', from);
    assert.deepEqual(
      d.media.map((m) => m.split('/').pop()),
      ['talk.mp4'],
    );
    assert.doesNotMatch(await readFile(join(dir, 'autoedit.mlt'), 'utf8'), /renamed\.mp4|scenes\.mp4/);
  });
});
