import { MissingToolError, ProcessError, UnsupportedMediaError } from '@autoedit/media';
import type { Command } from 'commander';
import { errorMessage, UserError } from '../util/errors.js';
import { lineProgress, type Progress, silentProgress, ttyProgress } from '../util/progress.js';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  json?: boolean;
  cache: boolean; // commander turns --no-cache into cache=false
  config?: string;
  quiet?: boolean;
}

export interface CommandContext {
  globals: GlobalOptions;
  progress: Progress;
  /** Human output (stdout); suppressed with --json, which prints one JSON document instead. */
  say(text: string): void;
  /** Print the machine-readable result (only with --json). */
  result(value: unknown): void;
}

export function contextFor(cmd: Command): CommandContext {
  const globals = cmd.optsWithGlobals() as GlobalOptions;
  const progress =
    globals.json || globals.quiet ? silentProgress : process.stderr.isTTY ? ttyProgress() : lineProgress();
  return {
    globals,
    progress,
    say: (text) => {
      if (!globals.json) process.stdout.write(`${text}\n`);
    },
    result: (value) => {
      if (globals.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

/** Exit codes: 0 ok, 1 failure (bad input, some inputs failed), 2 usage, 3 missing tool, 70 internal bug. */
export const EXIT = { ok: 0, failed: 1, usage: 2, missingTool: 3, internal: 70 } as const;

export function reportError(error: unknown, json: boolean): number {
  let code: number = EXIT.internal;
  const message = errorMessage(error);
  let hint: string | undefined;
  if (error instanceof UserError) {
    code = EXIT.failed;
    hint = error.hint;
  } else if (error instanceof MissingToolError) {
    code = EXIT.missingTool;
  } else if (error instanceof UnsupportedMediaError || error instanceof ProcessError) {
    code = EXIT.failed;
  }
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ ok: false, error: { name: (error as Error)?.name, message, hint } }, null, 2)}\n`,
    );
  } else {
    process.stderr.write(`autoedit: error: ${message}\n`);
    if (hint) process.stderr.write(`  hint: ${hint}\n`);
    if (code === EXIT.internal && error instanceof Error && error.stack)
      process.stderr.write(`${error.stack}\n`);
  }
  return code;
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
      process.exitCode = code ?? EXIT.ok;
    } catch (error) {
      process.exitCode = reportError(error, !!ctx.globals.json);
    }
  };
}
