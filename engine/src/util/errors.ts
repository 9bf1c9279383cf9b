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

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
