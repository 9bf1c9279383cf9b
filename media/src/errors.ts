import { TOOL_PACKAGE, type Tool } from './tools.js';

/** A failed external process: carries the command line, exit code, cause and the tail of stderr. */
export class ProcessError extends Error {
  constructor(
    message: string,
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderrTail: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProcessError';
  }
}

/**
 * The program itself is not installed (ENOENT on spawn), or what stands for it cannot be run (not executable,
 * a folder): `unusable` then says what was found instead.
 */
export class MissingToolError extends Error {
  constructor(
    readonly tool: Tool,
    unusable?: string,
  ) {
    super(
      `${unusable ? `${tool} cannot be run: ${unusable}` : `${tool} was not found on PATH`}. ` +
        `Install it (Debian/Ubuntu: sudo apt-get install ${TOOL_PACKAGE[tool]}) ` +
        `or point AUTOEDIT_${tool.toUpperCase()} at the executable.`,
    );
    this.name = 'MissingToolError';
  }
}

/** The last meaningful lines of a process's stderr: enough to explain a failure, short enough to print. */
export function stderrTail(stderr: string, lines = 8): string {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.length > 0)
    .slice(-lines)
    .join('\n');
}

/** errno codes that mean "the user's disk or folder", never a bug: reported as exit 1 naming the path. */
const STORAGE_CODES: Record<string, { what: string; hint: string }> = {
  ENOSPC: {
    what: 'no space left on the device',
    hint: 'Free some space (or write to another folder with -o) and run the same command again; finished work is kept.',
  },
  EDQUOT: {
    what: 'disk quota exceeded',
    hint: 'Free some space (or write to another folder with -o) and run the same command again; finished work is kept.',
  },
  EFBIG: {
    what: 'file too large for this file system',
    hint: 'Write to a folder on another file system (-o).',
  },
  EROFS: {
    what: 'the file system is read-only',
    hint: 'Choose a writable folder (-o) or remount it read-write.',
  },
  EACCES: {
    what: 'permission denied',
    hint: 'Make it readable/writable for this user (chmod/chown) or choose another folder with -o.',
  },
  EPERM: {
    what: 'operation not permitted',
    hint: 'Make it writable for this user (chmod/chown, chattr -i) or choose another folder with -o.',
  },
};

/**
 * A file could not be written or read because of where it lives (disk full, read-only, no permission): the
 * user's environment, not a bug. Carries the path, so the message says which file.
 */
export class StorageError extends Error {
  constructor(
    readonly path: string,
    readonly code: string,
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${STORAGE_CODES[code]?.what ?? code}`, options);
    this.name = 'StorageError';
  }
}

/**
 * The StorageError an fs error stands for (undefined when it is something else). `path` names the file when
 * the error has none (a failed `write` on an open handle carries no path).
 */
export function storageError(error: unknown, path?: string): StorageError | undefined {
  if (error instanceof StorageError) return error;
  const e = error as NodeJS.ErrnoException | undefined;
  const known = e?.code ? STORAGE_CODES[e.code] : undefined;
  const where = e?.path ?? path;
  if (!known || !where) return undefined;
  return new StorageError(where, e!.code!, known.hint, { cause: error });
}

/** A tool (ffmpeg) that failed because its output disk is full: the same StorageError as a failed fs write. */
export function storageErrorFromTool(
  error: unknown,
  output: string,
  /** The path the tool was told to write (a temp name); a permission error must name it to be ours. */
  written = output,
): StorageError | undefined {
  const tail = (error as { stderrTail?: string }).stderrTail ?? '';
  const as = (code: string) => new StorageError(output, code, STORAGE_CODES[code]!.hint, { cause: error });
  if (/No space left on device/i.test(tail)) return as('ENOSPC');
  if (/Disk quota exceeded/i.test(tail)) return as('EDQUOT');
  if (/Read-only file system/i.test(tail)) return as('EROFS');
  if (/Permission denied/i.test(tail) && tail.includes(written)) return as('EACCES');
  return undefined;
}
