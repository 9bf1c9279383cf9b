import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'mocha';
import { argvArg } from '../../src/cli/flags.js';
import { cliArgv } from '../helpers/cli.js';
import { sample } from '../helpers/samples.js';
import { REPO } from '../helpers/shared.js';

/** `autoedit --json watch …` as a child process, its JSON lines collected as they come. */
function watchCli(args: string[]): {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, cliArgv(['--json', 'watch', ...args]), {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: '' },
  });
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i = buf.indexOf('\n');
    while (i >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
      i = buf.indexOf('\n');
    }
  });
  child.stderr!.resume();
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, lines, exit };
}

async function until(what: string, f: () => boolean, timeoutMs = 90_000): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Temp files left behind: in the project folder only, or under it too. */
async function partials(dir: string, recursive = true): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive })) if (String(e).endsWith('.partial')) out.push(String(e));
  return out;
}

describe('autoedit watch (CLI)', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('--on-change is split into words without a shell', () => {
    assert.deepEqual(argvArg(`node -e "console.log('a b')" x\\ y`), [
      'node',
      '-e',
      "console.log('a b')",
      'x y',
    ]);
    assert.deepEqual(argvArg("notify-send 'AutoEdit' ''"), ['notify-send', 'AutoEdit', '']);
    assert.throws(() => argvArg('echo "open'), /unterminated/);
    assert.throws(() => argvArg('   '), /expected a command/);
  });

  it('--json streams events as JSON lines, runs --on-change, and SIGTERM mid-run stops cleanly (exit 143, nothing half-written)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'autoedit-watch-cli-'));
    dirs.push(dir);
    await copyFile(sample('talk'), join(dir, 'talk.mp4'));
    await new Promise((r) => setTimeout(r, 2100)); // settled: part of the first run
    const marker = join(dir, '.autoedit', 'changed.txt');
    const w = watchCli([
      dir,
      '--skip',
      'stt',
      '--on-change',
      `node -e "require('fs').writeFileSync(process.argv[1], process.env.AUTOEDIT_OUTPUTS)" ${marker}`,
    ]);
    await until('the first regeneration', () => w.lines.some((l) => l.type === 'watch.regenerated'));
    assert.equal(w.lines[0]!.type, 'watch.ready');
    assert.ok(
      w.lines.some((l) => l.type === 'run.started'),
      'the run events are in the stream',
    );
    await until('--on-change', () => w.lines.some((l) => l.type === 'watch.on-change'));
    const onChange = w.lines.find((l) => l.type === 'watch.on-change')!;
    assert.equal(onChange.exitCode, 0, JSON.stringify(onChange));
    assert.deepEqual((await readFile(marker, 'utf8')).split('\n').sort(), [
      join(dir, 'autoedit.kdenlive'),
      join(dir, 'autoedit.mlt'),
    ]);
    const mlt = await readFile(join(dir, 'autoedit.mlt'), 'utf8');
    // A new clip starts a full run; SIGTERM while it analyses.
    const from = w.lines.length;
    await copyFile(sample('scenesB'), join(dir, 'scenes.mp4'));
    await until('the analysis of the new clip', () =>
      w.lines.slice(from).some((l) => l.type === 'stage.started' && l.stage !== 'ingest'),
    );
    w.child.kill('SIGTERM');
    assert.equal(await w.exit, 143);
    assert.equal(w.lines.at(-1)!.type, 'watch.stopped');
    assert.deepEqual(await partials(dir), []);
    assert.equal(await readFile(join(dir, 'autoedit.mlt'), 'utf8'), mlt, 'the previous timeline is intact');
    assert.ok(!existsSync(join(dir, '.autoedit', 'watch', '.autoedit.lock')), 'the lock is released');
    assert.ok(!existsSync(join(dir, '.autoedit', '.autoedit.lock')));
  });

  it('kill -9 during runs leaves whole outputs, and the next watcher takes over the stale locks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'autoedit-watch-kill-'));
    dirs.push(dir);
    await copyFile(sample('talk'), join(dir, 'talk.mp4'));
    await new Promise((r) => setTimeout(r, 2100));
    const first = watchCli([dir, '--skip', 'stt']);
    await until('the first regeneration', () => first.lines.some((l) => l.type === 'watch.regenerated'));
    // A rules edit, killed as soon as its run starts.
    const { writeFile } = await import('node:fs/promises');
    const from = first.lines.length;
    await writeFile(
      join(dir, 'autoedit.rules.json'),
      JSON.stringify({ manual: { cut: [{ start: 0, end: 5 }] } }),
    );
    await until('the run', () => first.lines.slice(from).some((l) => l.type === 'stage.started'));
    first.child.kill('SIGKILL');
    await first.exit;
    for (const f of ['autoedit.kdenlive', 'autoedit.mlt'])
      assert.match(await readFile(join(dir, f), 'utf8'), /<\/mlt>\s*$/, `${f} is whole`);
    const second = watchCli([dir, '--skip', 'stt']);
    await until('the next regeneration', () => second.lines.some((l) => l.type === 'watch.regenerated'));
    second.child.kill('SIGTERM');
    assert.equal(await second.exit, 143);
    // (A temp file in .autoedit/ from the killed run is harmless: nothing reads those names.)
    assert.deepEqual(await partials(dir, false), [], 'the editor folder is clean');
    assert.match(await readFile(join(dir, '.autoedit', 'artifacts', 'selection.json'), 'utf8'), /"kept"/);
  });
});
