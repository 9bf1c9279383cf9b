import type { Writable } from 'node:stream';

/**
 * Structured JSON-lines logs (one object per line on stdout by default) with what must never reach a log
 * taken out: transcript text (text, segments, words, prompt), secrets (keys, tokens, signatures,
 * authorization) and the query strings of URLs, which for signed URLs are bearer credentials.
 */
export type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const CONTENT = /^(text|transcript|segments|words|prompt)$/i;
const SECRET = /(key|token|secret|signature|password|authorization|credential|cookie)/i;

/** Strip the query (and fragment) of every URL in a string. */
export function redactUrls(s: string): string {
  return s.replace(/\b(https?|s3|file|ftp):\/\/[^\s"'<>]+/gi, (u) => {
    const q = u.search(/[?#]/);
    return q < 0 ? u : `${u.slice(0, q)}?[redacted]`;
  });
}

export function redact(value: unknown, key = ''): unknown {
  if (key && CONTENT.test(key)) {
    if (typeof value === 'string') return `[${value.length} chars redacted]`;
    if (Array.isArray(value)) return `[${value.length} items redacted]`;
    return '[redacted]';
  }
  if (
    key &&
    SECRET.test(key) &&
    value !== undefined &&
    typeof value !== 'number' &&
    typeof value !== 'boolean'
  )
    return '[redacted]';
  if (typeof value === 'string') return redactUrls(value);
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value instanceof Error) return { name: value.name, message: redactUrls(value.message) };
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  return value;
}

export interface Logger {
  log(level: Level, msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function jsonLogger(
  o: { out?: Writable; level?: Level; base?: Record<string, unknown> } = {},
): Logger {
  const out = o.out ?? process.stdout;
  const min = LEVELS[o.level ?? 'info'];
  const make = (base: Record<string, unknown>): Logger => ({
    log(level, msg, fields = {}) {
      if (LEVELS[level] < min) return;
      const line = redact({ time: new Date().toISOString(), level, msg, ...base, ...fields });
      out.write(`${JSON.stringify(line)}\n`);
    },
    child: (fields) => make({ ...base, ...fields }),
  });
  return make(o.base ?? {});
}
