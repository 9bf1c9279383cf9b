import type { Command } from 'commander';
import { type LoadedConfig, loadConfig } from '../config/load.js';
import { findRunDir, refuseLinkedRunDirs, runLayout } from '../project/layout.js';
import { withRunLock } from '../project/lock.js';
import type { RunEvent } from '../schemas/events.js';
import { EXIT, errorInfo } from '../util/errors.js';
import { lineProgress, type Progress, silentProgress, ttyProgress } from '../util/progress.js';
import { eventPrinter } from './event-printer.js';

export { EXIT } from '../util/errors.js';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  json?: boolean;
  /** Only `pipeline` and `watch`: the run's events as JSON lines on stdout. */
  events?: boolean;
  cache: boolean; // commander turns --no-cache into cache=false
  config?: string;
  quiet?: boolean;
}

export interface CommandContext {
  globals: GlobalOptions;
  progress: Progress;
  /** Fires on Ctrl-C / SIGTERM: the engine kills its child processes and stops without half-written files. */
  signal: AbortSignal;
  /** The effective configuration for a command working on `projectDir` (its config.yaml applies). */
  config(projectDir?: string): LoadedConfig;
  /**
   * Run `fn` on the run folder the given paths belong to (if any): with that run's config.yaml, holding its
   * lock, so two commands never write one run at once.
   */
  inRun<T>(
    command: string,
    paths: (string | undefined)[],
    fn: (run: { runDir?: string; config: LoadedConfig['config'] }) => Promise<T>,
  ): Promise<T>;
  /** Where a run's events go: JSON lines on stdout with --events, else progress lines on stderr. */
  onEvent(event: RunEvent): void;
  /** Human output (stdout); suppressed with --json and --events. */
  say(text: string): void;
  /** Print the machine-readable result (only with --json). */
  result(value: unknown): void;
}

/**
 * Ctrl-C and SIGTERM abort the command's signal; the engine then stops cleanly (children killed, partial
 * files removed, the run-folder lock released) and the command exits 130 (SIGINT) or 143 (SIGTERM). A second
 * signal exits at once.
 */
function interruptSignal(onFirst: (name: NodeJS.Signals) => void): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(name, () => {
      if (controller.signal.aborted) process.exit(name === 'SIGTERM' ? 143 : 130);
      onFirst(name);
      controller.abort(new Error(name));
    });
  }
  return controller.signal;
}

export function contextFor(cmd: Command): CommandContext {
  const globals = cmd.optsWithGlobals() as GlobalOptions;
  const machine = !!(globals.json || globals.events);
  const progress =
    machine || globals.quiet ? silentProgress : process.stderr.isTTY ? ttyProgress() : lineProgress();
  const printer = eventPrinter(progress);
  const signal = interruptSignal((name) => {
    process.exitCode = name === 'SIGTERM' ? 143 : 130;
    if (!globals.events)
      process.stderr.write(`\nautoedit: ${name}: stopping (finished work is kept and reused next time)…\n`);
  });
  return {
    globals,
    progress,
    signal,
    config: (projectDir) => loadConfig({ projectDir, configFile: globals.config }),
    async inRun(command, paths, fn) {
      const runDir = findRunDir(...paths);
      const { config } = loadConfig({ projectDir: runDir, configFile: globals.config });
      if (!runDir) return fn({ config });
      refuseLinkedRunDirs(runLayout(runDir));
      return withRunLock(runDir, { command: `autoedit ${command}`, signal }, () => fn({ runDir, config }));
    },
    onEvent: (event) => {
      if (globals.events) process.stdout.write(`${JSON.stringify(event)}\n`);
      else printer(event);
    },
    say: (text) => {
      if (!machine) process.stdout.write(`${text}\n`);
    },
    result: (value) => {
      if (globals.json && !globals.events) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

/** Print an error for the user (no stack unless it is our bug) and return its exit code. */
export function reportError(error: unknown, ctx: Pick<CommandContext, 'globals' | 'signal'>): number {
  const info = errorInfo(error, ctx.signal);
  if (ctx.globals.json && !ctx.globals.events) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: info }, null, 2)}\n`);
  } else if (info.exitCode === EXIT.cancelled) {
    process.stderr.write(
      'autoedit: cancelled; finished work is cached, run the same command again to resume\n',
    );
  } else {
    process.stderr.write(`autoedit: error: ${info.message}\n`);
    if (info.hint) process.stderr.write(`  hint: ${info.hint}\n`);
    if (info.exitCode === EXIT.internal && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
  }
  return info.exitCode;
}

/** Wrap a command action: builds the context, maps errors to exit codes. */
export function action<A extends unknown[]>(
  fn: (ctx: CommandContext, ...args: A) => Promise<number | undefined>,
) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const ctx = contextFor(cmd);
    try {
      const code = await fn(ctx, ...(args.slice(0, -1) as A));
      // A signal that arrived after the work finished does not turn a result into a failure, but its exit
      // code (set by the handler) still tells the caller it was interrupted.
      if (!ctx.signal.aborted) process.exitCode = code ?? EXIT.ok;
    } catch (error) {
      const code = reportError(error, ctx);
      process.exitCode = code === EXIT.cancelled ? (process.exitCode ?? code) : code;
    }
  };
}
