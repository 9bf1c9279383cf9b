import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Level = 'debug' | 'info' | 'warn' | 'error';

/** Structured JSON-lines log (one object per line) under runs/<id>/logs/. */
export interface Logger {
  log(level: Level, event: string, fields?: Record<string, unknown>): void;
  readonly path?: string;
}

export const nullLogger: Logger = { log() {} };

export function fileLogger(path: string, base: Record<string, unknown> = {}): Logger {
  mkdirSync(dirname(path), { recursive: true });
  return {
    path,
    log(level, event, fields = {}) {
      const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...base, ...fields });
      // Synchronous append: a crash must not lose the lines that explain it.
      appendFileSync(path, `${line}\n`);
    },
  };
}
