import {
  MissingToolError,
  ProcessError,
  StorageError,
  storageError,
  UnsupportedMediaError,
} from '@autoedit/media';
import type { ErrorInfo } from '../schemas/events.js';

/**
 * An error the user can act on: says what is wrong, in which file, and what to do.
 * The CLI prints these without a stack trace and exits non-zero.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** A command line or API call that asks for something that does not exist (exit code 2). */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = 'UsageError';
  }
}

/** The run was cancelled (AbortSignal, Ctrl-C). Whatever was finished is cached; nothing is half-written. */
export class CancelledError extends Error {
  constructor(message = 'cancelled', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CancelledError';
  }
}

/** Exit codes: 0 ok, 1 failure (bad input, some inputs failed), 2 usage, 3 missing tool, 70 internal, 130 cancelled. */
export const EXIT = { ok: 0, failed: 1, usage: 2, missingTool: 3, internal: 70, cancelled: 130 } as const;

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Throw a CancelledError when the signal is aborted (checked between units of work). */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * What an error means for the user: the exit code class, a message, a hint. Anything not recognised as the
 * user's input or environment is an internal error (70), reported with its stack.
 */
export function errorInfo(error: unknown, signal?: AbortSignal): ErrorInfo {
  const name = error instanceof Error ? error.name : 'Error';
  const message = errorMessage(error);
  if (error instanceof CancelledError || signal?.aborted)
    return { name: 'CancelledError', message: 'cancelled', exitCode: EXIT.cancelled };
  if (error instanceof UsageError) return { name, message, hint: error.hint, exitCode: EXIT.usage };
  if (error instanceof UserError) return { name, message, hint: error.hint, exitCode: EXIT.failed };
  if (error instanceof MissingToolError) return { name, message, exitCode: EXIT.missingTool };
  // A full disk, a read-only or forbidden folder: the user's environment, whichever write met it.
  const storage = error instanceof StorageError ? error : storageError(error);
  if (storage)
    return { name: storage.name, message: storage.message, hint: storage.hint, exitCode: EXIT.failed };
  if (error instanceof UnsupportedMediaError || error instanceof ProcessError)
    return { name, message, exitCode: EXIT.failed };
  return { name, message, exitCode: EXIT.internal };
}
