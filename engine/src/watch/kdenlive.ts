import { readFile, readlink } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { MissingToolError, run } from '@autoedit/media';

/**
 * Telling a running Kdenlive to reload the project it has open, over the session D-Bus (verified facts in
 * ../shared/notes/kdenlive-live-reload.md): every Kdenlive owns `org.kde.kdenlive-<PID>`; its main window
 * `/kdenlive/MainWindow_1` has `activateAction("file_revert")`, `actionIsEnabled`, and the Qt properties
 * `windowTitle` (the open file's base name) and `windowModified` (unsaved changes). gdbus is the client.
 */

const MAIN_WINDOW = '/kdenlive/MainWindow_1';

/** What happened with one Kdenlive instance (or why nothing could be done). */
export interface ReloadOutcome {
  status: 'reloaded' | 'skipped';
  pid?: number;
  /** Why it was skipped, as one line for the user. */
  reason?: string;
  seconds?: number;
}

async function gdbus(args: string[], signal?: AbortSignal, timeoutMs = 5000): Promise<string> {
  return run('gdbus', ['call', '--session', ...args], { signal, timeoutMs });
}

const call = (dest: string, method: string, args: string[], signal?: AbortSignal, timeoutMs?: number) =>
  gdbus(['--dest', dest, '--object-path', MAIN_WINDOW, '--method', method, ...args], signal, timeoutMs);

/** A Qt widget property of Kdenlive's main window, as gdbus prints it (e.g. `(<true>,)`, `(<'x'>,)`). */
const property = (dest: string, name: string, signal?: AbortSignal) =>
  call(dest, 'org.freedesktop.DBus.Properties.Get', ['org.qtproject.Qt.QWidget', name], signal);

/** The Kdenlive instances on the session bus: their bus names and PIDs. */
export async function kdenliveInstances(signal?: AbortSignal): Promise<{ name: string; pid: number }[]> {
  const out = await gdbus(
    [
      '--dest',
      'org.freedesktop.DBus',
      '--object-path',
      '/org/freedesktop/DBus',
      '--method',
      'org.freedesktop.DBus.ListNames',
    ],
    signal,
  );
  return [...out.matchAll(/'(org\.kde\.kdenlive-(\d+))'/g)].map((m) => ({ name: m[1]!, pid: Number(m[2]) }));
}

/** Is a session bus there to talk to? (Without one no Kdenlive can be reached.) */
export const hasSessionBus = () => !!process.env.DBUS_SESSION_BUS_ADDRESS;

/**
 * Does this Kdenlive process (probably) have `file` open? Its window title shows only the base name; when the
 * process was started with a project path on its command line and that names another file, it is not ours.
 */
async function hasOpen(pid: number, title: string, file: string): Promise<boolean> {
  // Kdenlive 22.12 titles its window "<name without .kdenlive> [*]/ <profile>" ("[*]" marks the modified flag).
  const shown = title.split(/ ?\[\*\]|\/| - /)[0]!.trim();
  const name = basename(file);
  if (shown !== name && shown !== name.replace(/\.kdenlive$/, '')) return false;
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    const cwd = await readlink(`/proc/${pid}/cwd`);
    const projects = argv.slice(1).filter((a) => a.endsWith('.kdenlive'));
    if (projects.length && !projects.some((p) => resolve(cwd, p) === resolve(file))) return false;
  } catch {
    // Another user's process or no /proc: the title is all there is to go on.
  }
  return true;
}

/** `(<'autoedit.kdenlive - Kdenlive'>,)` → the string; `(<true>,)` → "true". */
function unwrap(out: string): string {
  const m = /^\(<?(.*?)>?,\)\s*$/s.exec(out.trim());
  const v = (m?.[1] ?? out).trim();
  return v.startsWith("'") && v.endsWith("'") ? v.slice(1, -1) : v;
}

/**
 * Ask every Kdenlive that has `file` open to revert to it, unless it has unsaved changes (reverting would
 * then show a blocking dialog and could throw the user's work away). One outcome per instance, or one
 * `skipped` outcome saying why no instance was asked.
 */
export async function reloadKdenlive(file: string, signal?: AbortSignal): Promise<ReloadOutcome[]> {
  if (!hasSessionBus())
    return [
      {
        status: 'skipped',
        reason: 'no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset): cannot reach Kdenlive',
      },
    ];
  let instances: { name: string; pid: number }[];
  try {
    instances = await kdenliveInstances(signal);
  } catch (e) {
    const why =
      e instanceof MissingToolError
        ? 'gdbus is not installed (Debian: libglib2.0-bin)'
        : (e as Error).message;
    return [{ status: 'skipped', reason: `cannot list D-Bus names: ${why}` }];
  }
  if (instances.length === 0) return [{ status: 'skipped', reason: 'no Kdenlive is running' }];
  const outcomes: ReloadOutcome[] = [];
  for (const { name, pid } of instances) {
    const t0 = performance.now();
    try {
      const title = unwrap(await property(name, 'windowTitle', signal));
      if (!(await hasOpen(pid, title, file))) {
        outcomes.push({
          status: 'skipped',
          pid,
          reason: `Kdenlive ${pid} has another project open (${title})`,
        });
        continue;
      }
      if (unwrap(await property(name, 'windowModified', signal)) === 'true') {
        outcomes.push({
          status: 'skipped',
          pid,
          reason: `Kdenlive ${pid} has unsaved changes in ${basename(file)}: not reverting over them (save or discard them, then File → Revert)`,
        });
        continue;
      }
      const enabled = unwrap(
        await call(name, 'org.kde.KMainWindow.actionIsEnabled', ['file_revert'], signal),
      );
      if (enabled !== 'true') {
        outcomes.push({
          status: 'skipped',
          pid,
          reason: `Kdenlive ${pid}: File → Revert is not available now`,
        });
        continue;
      }
      const ok = unwrap(
        await call(name, 'org.kde.KMainWindow.activateAction', ['file_revert'], signal, 30_000),
      );
      outcomes.push(
        ok === 'true'
          ? { status: 'reloaded', pid, seconds: (performance.now() - t0) / 1000 }
          : { status: 'skipped', pid, reason: `Kdenlive ${pid} refused file_revert` },
      );
    } catch (e) {
      if (signal?.aborted) throw e;
      outcomes.push({
        status: 'skipped',
        pid,
        reason: `Kdenlive ${pid} did not answer over D-Bus: ${(e as Error).message.split('\n')[0]}`,
      });
    }
  }
  return outcomes;
}

/** Whether any Kdenlive on the bus has `file` open (the watcher reloads by default only then). */
export async function kdenliveHasOpen(file: string, signal?: AbortSignal): Promise<boolean> {
  if (!hasSessionBus()) return false;
  try {
    for (const { name, pid } of await kdenliveInstances(signal))
      if (await hasOpen(pid, unwrap(await property(name, 'windowTitle', signal)), file)) return true;
  } catch {
    return false;
  }
  return false;
}
