import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO } from './shared.js';

/** tsx's loader by absolute URL, so the CLI runs from sources whatever the working directory. */
const TSX = pathToFileURL(join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Node arguments that run the CLI from its TypeScript sources with `args` (for spawning it yourself). */
export const cliArgv = (args: string[]): string[] => [
  '--conditions=source',
  '--import',
  TSX,
  join(REPO, 'engine/src/cli/main.ts'),
  ...args,
];

/**
 * Run the real CLI from TypeScript sources (tsx, `source` condition) in a child process, as a user would.
 * No build needed; exit codes and stdout/stderr are the real ones.
 */
export function cli(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      cliArgv(args),
      { cwd: opts.cwd ?? REPO, env: { ...process.env, ...opts.env, FORCE_COLOR: '0' }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
