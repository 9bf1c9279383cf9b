import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa, execaNode } from 'execa';
import { MissingToolError, ProcessError, stderrTail } from './errors.js';
import { type Tool, toolPath } from './tools.js';

export interface RunOptions {
  /** Kill the process after this many milliseconds. */
  timeoutMs?: number;
  signal?: AbortSignal;
  cwd?: string;
  env?: Record<string, string>;
  /** Bytes written to the process's stdin (else stdin is closed). */
  input?: Uint8Array;
}

function quote(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** Turns execa's failure into our ProcessError (or MissingToolError), keeping the cause. */
export function toProcessError(tool: Tool, args: readonly string[], error: unknown): Error {
  const e = error as {
    code?: string;
    exitCode?: number;
    stderr?: unknown;
    timedOut?: boolean;
    isCanceled?: boolean;
  };
  if (e.code === 'ENOENT') return new MissingToolError(tool);
  // Found but not runnable (no execute permission, a folder, not a program): the tool is missing too, never
  // a failure to blame on the media file being processed.
  if (e.code && ['EACCES', 'EISDIR', 'ENOTDIR', 'ENOEXEC', 'EPERM'].includes(e.code))
    return new MissingToolError(tool, `${toolPath(tool)} (${e.code})`);
  const command = quote([toolPath(tool), ...args]);
  const raw = e.stderr instanceof Uint8Array ? Buffer.from(e.stderr).toString('utf8') : e.stderr;
  const tail = typeof raw === 'string' ? stderrTail(raw) : '';
  // 126/127: the program could not be executed (setpriv's and the shell's convention; ffmpeg, ffprobe and
  // melt never exit with them).
  if (e.exitCode === 126 || e.exitCode === 127)
    return new MissingToolError(
      tool,
      `${toolPath(tool)} (exit ${e.exitCode}${tail ? `: ${tail.split('\n').pop()}` : ''})`,
    );
  const why = e.timedOut
    ? 'timed out'
    : e.isCanceled
      ? 'was cancelled'
      : `exited with code ${e.exitCode ?? '?'}`;
  return new ProcessError(`${tool} ${why}${tail ? `:\n${tail}` : ''}`, command, e.exitCode, tail, {
    cause: error,
  });
}

/** The executable `name` resolves to (as the shell's PATH search would), or undefined. */
function which(name: string): string | undefined {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '').split(delimiter).map((d) => join(d || '.', name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      if (statSync(c).isFile()) return c;
    } catch {}
  }
  return undefined;
}

let setpriv: string | null | undefined;

/**
 * How to start a tool so that it dies with AutoEdit, even when AutoEdit itself is killed with SIGKILL (which
 * no handler sees): on Linux, util-linux's `setpriv --pdeathsig KILL` sets PR_SET_PDEATHSIG and then execs
 * the tool (same pid, so cancelling still kills it). Node cannot set that flag itself. Elsewhere, or when the
 * tool cannot be found (so that spawning reports ENOENT → MissingToolError), the tool is started directly.
 */
export function launch(tool: Tool, args: readonly string[]): { file: string; args: string[] } {
  const file = toolPath(tool);
  if (process.platform !== 'linux' || process.env.AUTOEDIT_NO_PDEATHSIG) return { file, args: [...args] };
  if (setpriv === undefined) setpriv = which('setpriv') ?? null;
  const resolved = setpriv ? which(file) : undefined;
  if (!setpriv || !resolved) return { file, args: [...args] };
  return { file: setpriv, args: ['--pdeathsig', 'KILL', '--', resolved, ...args] };
}

/** Run a tool to completion with an argument array (never a shell string); returns stdout. */
export async function run(tool: Tool, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const l = launch(tool, args);
  try {
    const result = await execa(l.file, l.args, {
      timeout: opts.timeoutMs,
      cancelSignal: opts.signal,
      cwd: opts.cwd,
      env: opts.env,
      stripFinalNewline: false,
      maxBuffer: 256 * 1024 * 1024,
    });
    return result.stdout;
  } catch (error) {
    throw toProcessError(tool, args, error);
  }
}

/**
 * Run a program the user named (e.g. the watcher's `--on-change`), as an argument array: no shell. Resolves
 * with its exit code and the tail of what it printed (a program that cannot start rejects).
 */
export async function runUserCommand(
  argv: readonly string[],
  opts: RunOptions = {},
): Promise<{ exitCode: number; output: string }> {
  const [file, ...args] = argv;
  if (!file) throw new Error('empty command');
  const r = await execa(file, args, {
    cancelSignal: opts.signal,
    timeout: opts.timeoutMs,
    cwd: opts.cwd,
    env: opts.env,
    stdin: 'ignore',
    all: true,
    reject: false,
  });
  if (r.exitCode === undefined) throw new Error(`${file}: ${r.shortMessage}`);
  return { exitCode: r.exitCode, output: stderrTail(String(r.all ?? '')) };
}

/**
 * Start a tool whose stdout is consumed as a binary stream (decoded frames or PCM). The caller reads
 * `child.stdout` and must await `child` (wrapped by `finished`) to learn about failures.
 */
export function spawnStream(tool: Tool, args: readonly string[], opts: RunOptions = {}) {
  const l = launch(tool, args);
  return execa(l.file, l.args, {
    timeout: opts.timeoutMs,
    cancelSignal: opts.signal,
    cwd: opts.cwd,
    env: opts.env,
    encoding: 'buffer',
    buffer: { stdout: false, stderr: true },
    ...(opts.input ? { input: opts.input } : { stdin: 'ignore' as const }),
    stdout: 'pipe',
  } as const);
}

/** Await a streamed process, converting failures into ProcessError. */
export async function finished(
  tool: Tool,
  args: readonly string[],
  child: PromiseLike<unknown>,
): Promise<void> {
  try {
    await child;
  } catch (error) {
    throw toProcessError(tool, args, error);
  }
}

/**
 * The Node.js that runs worker scripts. Inside Electron (VS Code's extension host) `process.execPath` is the
 * application, which runs a script as plain Node only with ELECTRON_RUN_AS_NODE=1; AUTOEDIT_NODE names
 * another Node.js executable.
 */
export function nodeRuntime(): { nodePath: string; env: Record<string, string> } {
  if (process.env.AUTOEDIT_NODE) return { nodePath: process.env.AUTOEDIT_NODE, env: {} };
  return {
    nodePath: process.execPath,
    env: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
  };
}

/**
 * Start a Node.js script as a worker process with an IPC channel (`serialization: 'advanced'`, so typed
 * arrays pass as they are). For native code that may crash or hang: the caller can kill it without losing
 * its own process. stderr is piped, not buffered, so the caller can keep the tail it wants.
 */
export function spawnNodeWorker(script: string, opts: RunOptions = {}) {
  const node = nodeRuntime();
  return execaNode(script, [], {
    nodePath: node.nodePath,
    nodeOptions: [],
    serialization: 'advanced',
    timeout: opts.timeoutMs,
    cancelSignal: opts.signal,
    cwd: opts.cwd,
    env: { ...node.env, ...opts.env },
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    buffer: false,
  } as const);
}
