import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WatchEvent } from '@autoedit/engine/schemas';
import { sample } from '../../../engine/test/helpers/samples.js';
import {
  parseWatchEventLine,
  type WatchReaction,
  type WatchState,
  WatchTracker,
} from '../../src/watch-events.js';
import { startWatch, watchArgs } from '../../src/watch-process.js';
import { CLI } from '../helpers/run.js';

/** Resolves with the first event (from now on) that matches; rejects after `ms`. */
class EventWaiter {
  readonly events: WatchEvent[] = [];
  private waiters: { match: (e: WatchEvent) => boolean; resolve: (e: WatchEvent) => void }[] = [];
  push(e: WatchEvent): void {
    this.events.push(e);
    for (const w of [...this.waiters])
      if (w.match(e)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(e);
      }
  }
  next<T extends WatchEvent['type']>(type: T, ms = 60_000): Promise<Extract<WatchEvent, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`no ${type} within ${ms} ms; saw ${this.events.map((e) => e.type).join(', ')}`)),
        ms,
      );
      this.waiters.push({
        match: (e) => e.type === type,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as Extract<WatchEvent, { type: T }>);
        },
      });
    });
  }
}

/** Every file under dir, hidden ones included. */
function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Processes whose command line names this folder (the watcher, ffmpeg on its media, …). */
function processesUsing(dir: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) pids.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('watcher child process (Start/Stop Watching)', function () {
  this.timeout(240_000);

  it('puts --events before the command, as the CLI’s global option', () => {
    assert.deepEqual(watchArgs({ project: '/p', reload: 'none', skip: ['scenes', 'stt'] }), [
      '--events',
      'watch',
      '/p',
      '--reload',
      'none',
      '--skip',
      'scenes,stt',
    ]);
  });

  it('reads watch.* and run events, and nothing else, from the stream', () => {
    const t = '2026-01-01T00:00:00.000Z';
    assert.equal(
      parseWatchEventLine(JSON.stringify({ type: 'watch.notice', project: '/p', time: t, message: 'hi' }))
        ?.type,
      'watch.notice',
    );
    assert.equal(parseWatchEventLine(JSON.stringify({ type: 'watch.notice', project: '/p' })), undefined);
    assert.equal(parseWatchEventLine('Watching /p. Ctrl-C stops.'), undefined);
    assert.equal(parseWatchEventLine('{not json'), undefined);
  });

  it('real `autoedit watch`: regenerates at start and after a rules edit, says invalid rules once, SIGINT during a regeneration stops it (exit 130, no process left, nothing half-written)', async () => {
    const project = mkdtempSync(join(tmpdir(), 'autoedit-watch-ext-'));
    const media = join(project, 'talk.mp4');
    copyFileSync(sample('talk'), media);
    // Settled already (the watcher waits 2 s for a file still being copied): part of the first timeline.
    const past = new Date(Date.now() - 60_000);
    utimesSync(media, past, past);

    const seen = new EventWaiter();
    const tracker = new WatchTracker();
    const states: WatchState[] = [tracker.state];
    const reactions: WatchReaction[] = [];
    const stderr: string[] = [];
    const controller = new AbortController();
    const run = startWatch({
      cli: CLI,
      project,
      reload: 'none',
      skip: ['scenes', 'stt'],
      signal: controller.signal,
      onLine: (l, stream) => stream === 'stderr' && stderr.push(l),
      onEvent: (e) => {
        const r = tracker.update(e);
        if (r) {
          reactions.push(r);
          if (states.at(-1) !== r.state) states.push(r.state);
        }
        seen.push(e);
      },
    });
    const exited = run.then((r) => r);
    try {
      const ready = await seen.next('watch.ready');
      assert.deepEqual(ready.media, [media]);
      assert.equal(ready.reload, 'none');
      const first = await seen.next('watch.regenerated');
      assert.equal(first.mode, 'full');
      assert.deepEqual(
        first.outputs.map((o) => o.path),
        [join(project, 'autoedit.kdenlive'), join(project, 'autoedit.mlt')],
      );
      assert.deepEqual(states, ['starting', 'watching', 'regenerating', 'watching']);
      assert.equal(reactions.at(-1)?.refresh, true);

      // A mistake in the rules, saved twice: one pop-up, the timeline stays.
      const rulesFile = join(project, 'autoedit.rules.json');
      const rules = JSON.parse(readFileSync(rulesFile, 'utf8'));
      const mlt = readFileSync(join(project, 'autoedit.mlt'), 'utf8');
      writeFileSync(rulesFile, JSON.stringify({ ...rules, min_clip: -1 }, null, 2));
      await seen.next('watch.rules-invalid');
      assert.equal(tracker.state, 'error');
      assert.equal(reactions.at(-1)?.notify?.level, 'error');
      writeFileSync(rulesFile, JSON.stringify({ ...rules, min_clip: -1 }, null, 4));
      await seen.next('watch.rules-invalid');
      assert.equal(reactions.at(-1)?.notify, undefined, 'the same error is shown once');
      assert.equal(readFileSync(join(project, 'autoedit.mlt'), 'utf8'), mlt);

      // Fixed: only selection and export run again, from the cached analysis.
      writeFileSync(rulesFile, JSON.stringify({ ...rules, min_clip: 3 }, null, 2));
      const second = await seen.next('watch.regenerated');
      assert.equal(second.mode, 'rules');
      assert.equal(second.reason, 'rules');
      assert.equal(tracker.state, 'watching');
      assert.notEqual(readFileSync(join(project, 'autoedit.mlt'), 'utf8'), mlt);

      // Stop Watching while a regeneration is going: each output is the old one or the new one, whole.
      writeFileSync(rulesFile, JSON.stringify({ ...rules, min_clip: 1 }, null, 2));
      await seen.next('run.started');
      assert.equal(tracker.state, 'regenerating');
    } finally {
      controller.abort();
      await exited;
    }
    const r = await exited;
    assert.equal(r.cancelled, true);
    assert.equal(r.exitCode, 130, stderr.join('\n'));
    assert.ok(r.events.some((e) => e.type === 'watch.stopped'));
    assert.throws(() => process.kill(run.child.pid ?? -1, 0), /ESRCH/);
    assert.deepEqual(processesUsing(project), []);
    const files = allFiles(project);
    assert.deepEqual(
      files.filter((f) => f.endsWith('.partial') || f.endsWith('.autoedit.lock')),
      [],
    );
    for (const out of ['autoedit.kdenlive', 'autoedit.mlt'])
      assert.match(readFileSync(join(project, out), 'utf8').trim(), /<\/mlt>$/);
    assert.ok(existsSync(join(project, '.autoedit', 'media.db.json')));
  });
});
