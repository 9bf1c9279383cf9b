import { appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirSync } from './make-dir.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';

/** Structured JSON-lines log (one object per line) under runs/<id>/logs/. */
export interface Logger {
  log(level: Level, event: string, fields?: Record<string, unknown>): void;
  readonly path?: string;
}

export const nullLogger: Logger = { log() {} };

export function fileLogger(path: string, base: Record<string, unknown> = {}): Logger {
  makeDirSync(dirname(path));
  let broken = false;
  return {
    path,
    log(level, event, fields = {}) {
      if (broken) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...base, ...fields });
      try {
        // Synchronous append: a crash must not lose the lines that explain it.
        appendFileSync(path, `${line}\n`);
      } catch (e) {
        // A log that cannot be written (disk full) must not turn the run's own error into another one: say
        // so once; the run's next artifact write meets the same condition and reports it with its path.
        broken = true;
        process.stderr.write(`autoedit: warning: ${path}: log not written (${(e as Error).message})\n`);
      }
    },
  };
}
