import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import type { WatchEvent } from '../../src/schemas/watch.js';
import { kdenliveInstances } from '../../src/watch/kdenlive.js';
import { startWatcher, type Watcher } from '../../src/watch/watcher.js';
import { sample } from '../helpers/samples.js';

/**
 * The live reload for real: Debian's Kdenlive 22.12 under Xvfb, on its own session bus (dbus-run-session),
 * with the watcher's output open in it. What Kdenlive holds is read back by making it save (File → Save over
 * D-Bus) and reading what it wrote. Skips when kdenlive, Xvfb or dbus-run-session is not installed
 * (`.ci/run` installs them).
 */

const has = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const gdbus = (...args: string[]) =>
  execFileSync('gdbus', ['call', '--session', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

/** Timeline clips and length (frames) of the first video track, as Kdenlive saved them. */
function timelineOf(xml: string): { clips: number; out: number } {
  const playlist = /<playlist id="playlist0"[^>]*>([\s\S]*?)<\/playlist>/.exec(xml)?.[1] ?? '';
  const clips = (playlist.match(/<entry /g) ?? []).length;
  const out = /<tractor id="tractor0"[^>]*out="([^"]+)"/.exec(xml)?.[1] ?? '?';
  // Kdenlive saves times as clock values, AutoEdit writes frames (both 25 fps here).
  const clock = /^(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(out);
  const frames = clock
    ? Math.round((Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3])) * 25)
    : Number(out);
  return { clips, out: frames };
}

describe('autoedit watch: Kdenlive reloads the regenerated project over D-Bus', function () {
  this.timeout(240_000);
  const missing = ['kdenlive', 'Xvfb', 'dbus-run-session', 'gdbus'].filter((t) => !has(t));
  let dir: string;
  let xvfb: ChildProcess | undefined;
  let kd: ChildProcess | undefined;
  let w: Watcher | undefined;
  const events: WatchEvent[] = [];
  const savedEnv = process.env.DBUS_SESSION_BUS_ADDRESS;
  let bus = '';
  let kdName = '';

  before(async function () {
    if (missing.length) {
      console.log(
        `      (skipped: ${missing.join(', ')} not installed; Debian: apt-get install kdenlive xvfb dbus libglib2.0-bin)`,
      );
      this.skip();
    }
    dir = await mkdtemp(join(tmpdir(), 'autoedit-kdenlive-'));
    const home = join(dir, 'home');
    const tmp = join(dir, 'tmp');
    const project = join(dir, 'project');
    for (const d of [home, tmp, project]) await mkdir(d, { recursive: true });
    await copyFile(sample('talk'), join(project, 'talk.mp4'));
    // Its own display, home, config and temp dir (Kdenlive's lock file lives in TMPDIR).
    // Xvfb picks a free display itself and writes its number on fd 3 once it accepts connections.
    xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1600x900x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    const display = await new Promise<string>((resolve, reject) => {
      let got = '';
      (xvfb!.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
        got += d.toString();
        if (got.includes('\n')) resolve(`:${got.trim()}`);
      });
      xvfb!.on('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
    });
    const env = {
      ...process.env,
      DISPLAY: display,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local/share'),
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_RUNTIME_DIR: tmp,
      TMPDIR: tmp,
    };
    // The watcher writes the first project before Kdenlive opens it.
    const busFile = join(dir, 'bus');
    kd = spawn(
      'dbus-run-session',
      // The bus lives until the shell's stdin closes (in after()).
      ['--', 'sh', '-c', 'echo "$DBUS_SESSION_BUS_ADDRESS" > "$0"; read _', busFile],
      { env, stdio: ['pipe', 'ignore', 'ignore'] },
    );
    bus = await until('the session bus', async () => (await readFile(busFile, 'utf8')).trim() || undefined);
    process.env.DBUS_SESSION_BUS_ADDRESS = bus;
    w = await startWatcher({
      project,
      reload: 'kdenlive',
      skip: ['stt'],
      debounceMs: 100,
      stableMs: 300,
      onEvent: (e) => events.push(e),
    });
    await until('the first regeneration', async () => events.some((e) => e.type === 'watch.regenerated'));
    await w.whenIdle();
    // Kdenlive on that bus, with the project open.
    const kdenlive = spawn('kdenlive', [w.outputs.kdenlive], {
      env: { ...env, DBUS_SESSION_BUS_ADDRESS: bus },
      stdio: 'ignore',
    });
    cleanupKdenlive = () => kdenlive.kill('SIGKILL');
    kdName = await until('Kdenlive on D-Bus', async () => (await kdenliveInstances())[0]?.name, 90_000);
    await until('Kdenlive to open the project', async () =>
      /autoedit/.test(prop('windowTitle')) ? true : undefined,
    );
    await sleep(2000);
  });
  let cleanupKdenlive = () => {};

  after(async () => {
    await w?.stop();
    cleanupKdenlive();
    kd?.stdin?.end();
    xvfb?.kill();
    process.env.DBUS_SESSION_BUS_ADDRESS = savedEnv;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const prop = (name: string) =>
    gdbus(
      '--dest',
      kdName,
      '--object-path',
      '/kdenlive/MainWindow_1',
      '--method',
      'org.freedesktop.DBus.Properties.Get',
      'org.qtproject.Qt.QWidget',
      name,
    );
  const kdCall = (method: string, ...args: string[]) =>
    gdbus('--dest', kdName, '--object-path', '/kdenlive/MainWindow_1', '--method', method, ...args);

  async function editRules(cutTo: number): Promise<number> {
    const file = join(dir, 'project', 'autoedit.rules.json');
    const rules = JSON.parse(await readFile(file, 'utf8'));
    rules.manual = { keep: [], cut: [{ start: 0, end: cutTo }] };
    const from = events.length;
    await writeFile(file, JSON.stringify(rules, null, 2));
    return from;
  }

  it('a rules edit makes Kdenlive show the new timeline (read back through File → Save)', async () => {
    const exported = timelineOf(await readFile(w!.outputs.kdenlive, 'utf8'));
    const t0 = performance.now();
    const from = await editRules(12);
    const reload = (await until('the reload', async () =>
      events.slice(from).find((e) => e.type === 'watch.reload'),
    )) as Extract<WatchEvent, { type: 'watch.reload' }>;
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `      rules edit → Kdenlive reloaded in ${seconds.toFixed(2)} s (revert call ${reload.seconds?.toFixed(2)} s)`,
    );
    assert.equal(reload.status, 'reloaded', reload.reason);
    const written = await readFile(w!.outputs.kdenlive, 'utf8');
    const expected = timelineOf(written);
    assert.notDeepEqual(expected, exported, 'the rules edit changed the timeline');
    // What Kdenlive holds now: make it save, read the file, then put AutoEdit's version back.
    await sleep(1500);
    assert.equal(kdCall('org.kde.KMainWindow.activateAction', 'file_save'), '(true,)');
    const saved = await until('Kdenlive to save', async () => {
      const t = await readFile(w!.outputs.kdenlive, 'utf8');
      return t !== written ? t : undefined;
    });
    assert.deepEqual(timelineOf(saved), expected);
    await writeFile(w!.outputs.kdenlive, written);
  });

  it('with unsaved changes in Kdenlive it does not revert, and says why', async () => {
    // An unsaved change: a clip added to the timeline over D-Bus.
    kdCall('org.kde.kdenlive.MainWindow.addTimelineClip', join(dir, 'project', 'talk.mp4'));
    await until('Kdenlive to have unsaved changes', async () =>
      prop('windowModified') === '(<true>,)' ? true : undefined,
    );
    const from = await editRules(6);
    const reload = (await until('the reload decision', async () =>
      events.slice(from).find((e) => e.type === 'watch.reload'),
    ).catch((e) => {
      throw new Error(
        `${e.message}: ${JSON.stringify(events.slice(from).filter((x) => x.type.startsWith('watch.')))}`,
      );
    })) as Extract<WatchEvent, { type: 'watch.reload' }>;
    assert.equal(reload.status, 'skipped');
    assert.match(reload.reason ?? '', /unsaved changes/);
    assert.equal(prop('windowModified'), '(<true>,)', 'the unsaved work is still there');
  });
});
