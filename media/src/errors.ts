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

/** The program itself is not installed (ENOENT on spawn). */
export class MissingToolError extends Error {
  constructor(readonly tool: Tool) {
    super(
      `${tool} was not found on PATH. Install it (Debian/Ubuntu: sudo apt-get install ${TOOL_PACKAGE[tool]}) ` +
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
