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

export interface EngineRunOptions {
  cli: string;
  args: string[];
  cwd?: string;
  /** Extra environment (tool paths from the settings, AUTOEDIT_MODELS, …). */
  env?: Record<string, string>;
  onEvent?: (event: RunEvent) => void;
  /** stderr and non-event stdout lines, for the output channel. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /** After SIGINT, wait this long before SIGKILL. */
  killAfterMs?: number;
}

export interface EngineResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  cancelled: boolean;
  finished?: RunFinished;
  events: RunEvent[];
  stderrTail: string;
  /** stdout lines that were not events (e.g. `--json` output). */
  stdout: string;
}

/** Spawns `<node> <cli> …args` (argument array, no shell) and resolves when it exits. */
export function runEngine(opts: EngineRunOptions): Promise<EngineResult> & { child: ChildProcess } {
  const node = nodeRuntime();
  const child = spawn(node.nodePath, [opts.cli, ...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...node.env, ...opts.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: RunEvent[] = [];
  const stderr: string[] = [];
  const stdout: string[] = [];
  let cancelled = false;
  const out = new LineSplitter();
  const err = new LineSplitter();
  const onOut = (line: string) => {
    const event = parseEventLine(line);
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

  const promise = new Promise<EngineResult>((resolvePromise, reject) => {
    child.once('error', (e) => {
      opts.signal?.removeEventListener('abort', cancel);
      reject(e);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', cancel);
      out.end().forEach(onOut);
      err.end().forEach(onErr);
      const finished = events.find((e): e is RunFinished => e.type === 'run.finished');
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
