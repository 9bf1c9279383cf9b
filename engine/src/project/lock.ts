import { readFileSync, rmSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { removeStalePartials, storageError } from '@autoedit/media';
import * as z from 'zod';
import { throwIfCancelled, UserError } from '../util/errors.js';
import { makeDir } from '../util/make-dir.js';
import { RUN_DIRS, runLayout } from './layout.js';

/**
 * One process at a time works on a run folder: `media.db.json`, artifacts and outputs are read, merged and
 * replaced by whole stages, and two writers would each keep only their own view. The lock is a file created
 * with O_EXCL holding its owner; a lock whose process is gone (killed, crashed) is stale and taken over.
 */
const LockSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  /** The kernel's start time of `pid` (/proc/<pid>/stat field 22), so a reused pid is not mistaken for the owner. */
  procStart: z.string().optional(),
  command: z.string(),
  startedAt: z.string(),
});
type LockInfo = z.infer<typeof LockSchema>;

export const LOCK_FILE = '.autoedit.lock';

/** Another live process holds the run folder. */
export class RunLockedError extends UserError {
  constructor(
    readonly runDir: string,
    readonly holder: LockInfo,
  ) {
    super(
      `${runDir} is in use by another AutoEdit process (pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`}, "${holder.command}", since ${holder.startedAt})`,
      'Wait for it to finish (or pass --wait to queue behind it). A lock left by a killed process is cleared automatically.',
    );
    this.name = 'RunLockedError';
  }
}

function procStart(pid: number): string | undefined {
  try {
    // Field 22 (starttime); the command name (field 2) may hold spaces and parentheses: split after its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Is the owner of this lock gone? Only decidable on the same host; a lock from elsewhere is respected. */
function isStale(info: LockInfo): boolean {
  if (info.host !== hostname()) return false;
  if (!alive(info.pid)) return true;
  const start = procStart(info.pid);
  return !!(info.procStart && start && start !== info.procStart);
}

async function readLock(file: string): Promise<LockInfo | undefined | 'unreadable'> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (text === undefined) return undefined;
  const parsed = LockSchema.safeParse(
    (() => {
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    })(),
  );
  return parsed.success ? parsed.data : 'unreadable';
}

export interface RunLock {
  readonly file: string;
  release(): Promise<void>;
}

export interface LockOptions {
  /** What holds the lock, for the other process's message (e.g. "autoedit pipeline"). */
  command: string;
  /** How long to wait for a live holder, in ms (default 0: fail at once with RunLockedError). */
  waitMs?: number;
  signal?: AbortSignal;
  /** Called once when the lock is busy and we start waiting. */
  onWait?: (holder: LockInfo) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Take the run folder's lock (creating the folder); release it when done, also on failure. */
export async function lockRun(runDir: string, opts: LockOptions): Promise<RunLock> {
  await makeDir(runDir);
  const file = join(runDir, LOCK_FILE);
  const me: LockInfo = {
    pid: process.pid,
    host: hostname(),
    procStart: procStart(process.pid),
    command: opts.command,
    startedAt: new Date().toISOString(),
  };
  const deadline = Date.now() + (opts.waitMs ?? 0);
  let told = false;
  for (;;) {
    throwIfCancelled(opts.signal);
    try {
      const fh = await open(file, 'wx');
      try {
        await fh.writeFile(`${JSON.stringify(me)}\n`);
      } catch (e) {
        // An empty lock (full disk) would make the next process wait for nobody: leave none.
        await fh.close();
        await rm(file, { force: true });
        throw e;
      }
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        const storage = storageError(e, file);
        if (storage) throw storage;
        throw new UserError(
          `${file}: cannot create the run folder's lock (${(e as NodeJS.ErrnoException).code})`,
          'Check that the run folder is writable.',
        );
      }
    }
    const holder = await readLock(file);
    if (holder === undefined) continue; // released meanwhile
    // An unreadable lock is one being written this instant, or garbage from a crash mid-write: give its writer
    // a moment, then treat it as stale.
    if (holder === 'unreadable' || isStale(holder)) {
      if (holder === 'unreadable') await sleep(50);
      if (holder !== 'unreadable' || (await readLock(file)) === 'unreadable') {
        // Rename, not unlink: of two processes clearing the same stale lock, exactly one succeeds.
        const aside = `${file}.stale.${process.pid}`;
        if (
          await rename(file, aside).then(
            () => true,
            () => false,
          )
        )
          await rm(aside, { force: true });
      }
      continue;
    }
    if (Date.now() >= deadline) throw new RunLockedError(runDir, holder);
    if (!told) opts.onWait?.(holder);
    told = true;
    await sleep(Math.min(200, Math.max(10, deadline - Date.now())));
  }
  // Holding the lock, no other AutoEdit process works here: temp files of a killed run are leftovers.
  await removeLeftovers(runDir);
  const releaseOnExit = () => {
    // A process exiting without releasing (process.exit in a signal handler): remove our own lock.
    try {
      const now = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
      if (now.pid === me.pid && now.startedAt === me.startedAt) rmSync(file, { force: true });
    } catch {}
  };
  process.on('exit', releaseOnExit);
  let released = false;
  return {
    file,
    async release() {
      if (released) return;
      released = true;
      process.off('exit', releaseOnExit);
      const now = await readLock(file).catch(() => undefined);
      if (now && now !== 'unreadable' && now.pid === me.pid && now.startedAt === me.startedAt)
        await rm(file, { force: true });
    },
  };
}

/** The `.partial` temp files a killed process (SIGKILL, power loss) left in the run folder. */
async function removeLeftovers(runDir: string): Promise<void> {
  const layout = runLayout(runDir);
  for (const dir of [layout.root, ...RUN_DIRS.map((d) => layout[d]), layout.cache])
    await removeStalePartials(dir);
}

/** Run `fn` holding the run folder's lock. */
export async function withRunLock<T>(runDir: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  const lock = await lockRun(runDir, opts);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
