// Runs the engine CLI as a child process: decoding and inference never happen in the extension host, so a
// crash in native code cannot take VS Code's extensions down, and Cancel really stops the work (SIGINT: the
// engine aborts its stages, kills ffmpeg/whisper and releases the run's lock; SIGKILL if it does not exit).
// No `vscode` import: unit-tested against the real CLI.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent, RunFinished } from '@autoedit/engine/schemas';
import { LineSplitter, parseEventLine } from './run-events.js';

/** Where the CLI is: the copy bundled into the extension, else the repository's (development). */
export function findEngineCli(extensionDir: string): string {
  const candidates = [
    join(extensionDir, 'dist', 'engine', 'autoedit.cjs'),
    join(extensionDir, '..', 'engine', 'bin', 'autoedit.js'),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found)
    throw new Error(
      `AutoEdit's engine is missing from this installation (looked for ${candidates.join(', ')})`,
    );
  return found;
}

/**
 * The Node.js that runs the CLI. In VS Code's extension host `process.execPath` is the Electron app, which
 * runs a script as plain Node only with ELECTRON_RUN_AS_NODE=1 (as media/src/exec.ts nodeRuntime() does).
 */
export function nodeRuntime(): { nodePath: string; env: Record<string, string> } {
  if (process.env.AUTOEDIT_NODE) return { nodePath: process.env.AUTOEDIT_NODE, env: {} };
  return { nodePath: process.execPath, env: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {} };
}

export interface EngineRunOptions<E = RunEvent> {
  cli: string;
  args: string[];
  cwd?: string;
  /** Extra environment (tool paths from the settings, AUTOEDIT_MODELS, …). */
  env?: Record<string, string>;
  /** Reads one stdout line as an event (default: a pipeline run's events); undefined for other lines. */
  parse?: (line: string) => E | undefined;
  onEvent?: (event: E) => void;
  /** stderr and non-event stdout lines, for the output channel. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /** After SIGINT, wait this long before SIGKILL. */
  killAfterMs?: number;
}

export interface EngineResult<E = RunEvent> {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  cancelled: boolean;
  /** The first run's `run.finished` (a watcher runs many: see its events). */
  finished?: RunFinished;
  events: E[];
  stderrTail: string;
  /** stdout lines that were not events (e.g. `--json` output). */
  stdout: string;
}

/** Spawns `<node> <cli> …args` (argument array, no shell) and resolves when it exits. */
export function runEngine<E = RunEvent>(
  opts: EngineRunOptions<E>,
): Promise<EngineResult<E>> & { child: ChildProcess } {
  const parse = opts.parse ?? (parseEventLine as (line: string) => E | undefined);
  const node = nodeRuntime();
  const child = spawn(node.nodePath, [opts.cli, ...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...node.env, ...opts.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: E[] = [];
  const stderr: string[] = [];
  const stdout: string[] = [];
  let cancelled = false;
  const out = new LineSplitter();
  const err = new LineSplitter();
  const onOut = (line: string) => {
    const event = parse(line);
    if (event) {
      events.push(event);
      opts.onEvent?.(event);
    } else {
      stdout.push(line);
      opts.onLine?.(line, 'stdout');
    }
  };
  const onErr = (line: string) => {
    stderr.push(line);
    if (stderr.length > 40) stderr.shift();
    opts.onLine?.(line, 'stderr');
  };
  child.stdout.setEncoding('utf8').on('data', (c: string) => out.push(c).forEach(onOut));
  child.stderr.setEncoding('utf8').on('data', (c: string) => err.push(c).forEach(onErr));

  let killTimer: NodeJS.Timeout | undefined;
  const cancel = () => {
    cancelled = true;
    child.kill('SIGINT');
    killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 10_000);
  };
  if (opts.signal?.aborted) cancel();
  else opts.signal?.addEventListener('abort', cancel, { once: true });

  const promise = new Promise<EngineResult<E>>((resolvePromise, reject) => {
    child.once('error', (e) => {
      opts.signal?.removeEventListener('abort', cancel);
      reject(e);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', cancel);
      out.end().forEach(onOut);
      err.end().forEach(onErr);
      const finished = events.find(
        (e): e is E & RunFinished => (e as { type?: string }).type === 'run.finished',
      );
      resolvePromise({
        exitCode,
        signal,
        cancelled,
        finished,
        events,
        stderrTail: stderr.slice(-8).join('\n'),
        stdout: stdout.join('\n'),
      });
    });
  });
  return Object.assign(promise, { child });
}

/** Environment for the engine from the extension's settings (tool paths, models folder). */
export function engineEnv(settings: {
  ffmpegPath?: string;
  meltPath?: string;
  modelsDir?: string;
}): Record<string, string> {
  const env: Record<string, string> = {};
  if (settings.ffmpegPath) {
    env.AUTOEDIT_FFMPEG = settings.ffmpegPath;
    // ffprobe sits beside ffmpeg in every distribution of it.
    env.AUTOEDIT_FFPROBE = settings.ffmpegPath.replace(
      /ffmpeg(\.exe)?$/i,
      (_m, exe) => `ffprobe${exe ?? ''}`,
    );
  }
  if (settings.meltPath) env.AUTOEDIT_MELT = settings.meltPath;
  if (settings.modelsDir) env.AUTOEDIT_MODELS = settings.modelsDir;
  return env;
}
