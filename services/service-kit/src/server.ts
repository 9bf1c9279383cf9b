import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as z from 'zod';
import type { ApiKeys } from './auth.js';
import { HttpError } from './errors.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * A small JSON-over-HTTP server on node:http with what every AutoEdit service needs around its handlers:
 * request ids (X-Request-Id, echoed), API-key auth (401), per-key rate limits (429 + Retry-After), JSON
 * bodies with a size limit and validation by a zod schema (400 saying what is wrong), errors as one JSON
 * shape, an AbortSignal that fires when the client goes away, metrics and one redacted log line per request.
 */
export interface RequestContext {
  req: IncomingMessage;
  requestId: string;
  /** Id of the API key used (never the key), or undefined on public routes. */
  keyId?: string;
  /** Aborted when the client disconnects before the answer is sent. */
  signal: AbortSignal;
  log: Logger;
  /** The body as JSON, validated by `schema`. */
  json<S extends z.ZodType>(schema: S): Promise<z.infer<S>>;
}

export interface Reply {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as is (text/plain) instead of JSON. */
  text?: boolean;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  /** Public routes (health checks) skip auth and rate limits. */
  public?: boolean;
  handler(ctx: RequestContext): Promise<Reply>;
}

export interface ServiceOptions {
  name: string;
  routes: readonly Route[];
  keys: ApiKeys;
  limiter: RateLimiter;
  /** Limits unauthenticated callers per address, so keys cannot be guessed at speed. */
  anonymousLimiter?: RateLimiter;
  log: Logger;
  metrics: Metrics;
  maxBodyBytes?: number;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

function send(res: ServerResponse, status: number, reply: Reply, requestId: string): void {
  if (res.headersSent || res.destroyed) return;
  const body = reply.text ? String(reply.body) : `${JSON.stringify(reply.body)}\n`;
  res.writeHead(status, {
    'content-type': reply.text
      ? 'text/plain; version=0.0.4; charset=utf-8'
      : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...reply.headers,
  });
  res.end(body);
}

export const errorBody = (code: string, message: string, requestId: string) => ({
  error: { code, message, request_id: requestId },
});

async function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const announced = Number(req.headers['content-length'] ?? Number.NaN);
  if (announced > max) throw new HttpError(413, 'body_too_large', `the request body is over ${max} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of req) {
    total += (c as Buffer).length;
    if (total > max) throw new HttpError(413, 'body_too_large', `the request body is over ${max} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A zod error as one readable sentence: `items.0.audio_url: Required; lang: expected…`. */
export function describeZodError(e: z.ZodError): string {
  return e.issues
    .slice(0, 5)
    .map((i) => {
      const where = i.path.join('.') || 'body';
      if (i.code === 'unrecognized_keys') return `${where}: unknown field(s) ${i.keys.join(', ')}`;
      return `${where}: ${i.message}`;
    })
    .join('; ');
}

export function createService(o: ServiceOptions): Server {
  const maxBody = o.maxBodyBytes ?? 256 * 1024;
  const server = createServer(async (req, res) => {
    const t0 = performance.now();
    const presented = req.headers['x-request-id'];
    const requestId = typeof presented === 'string' && REQUEST_ID.test(presented) ? presented : randomUUID();
    const url = new URL(req.url ?? '/', 'http://service.invalid');
    const route = o.routes.find((r) => r.path === url.pathname && r.method === req.method);
    const known = o.routes.some((r) => r.path === url.pathname);
    const aborter = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) aborter.abort();
    });
    let status = 500;
    let keyId: string | undefined;
    let code: string | undefined;
    const log = o.log.child({ request_id: requestId });
    try {
      if (!route) {
        throw known
          ? new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}`)
          : new HttpError(404, 'not_found', `no route ${url.pathname}`);
      }
      if (!route.public) {
        const header = req.headers['x-api-key'];
        keyId = o.keys.check(typeof header === 'string' ? header : undefined);
        if (!keyId) {
          const who = `addr:${req.socket.remoteAddress ?? '?'}`;
          const slow = o.anonymousLimiter?.take(who);
          if (slow && !slow.ok)
            throw new HttpError(429, 'rate_limited', 'too many unauthenticated requests', {
              'retry-after': String(slow.retryAfter),
            });
          throw new HttpError(
            401,
            'unauthorized',
            header === undefined ? 'missing X-API-Key header' : 'invalid API key',
            { 'www-authenticate': 'ApiKey header="X-API-Key"' },
          );
        }
        const take = o.limiter.take(keyId);
        if (!take.ok)
          throw new HttpError(
            429,
            'rate_limited',
            `rate limit of ${o.limiter.perMinute} requests a minute reached`,
            {
              'retry-after': String(take.retryAfter),
            },
          );
      }
      const ctx: RequestContext = {
        req,
        requestId,
        keyId,
        signal: aborter.signal,
        log,
        async json(schema) {
          const type = req.headers['content-type'] ?? '';
          if (!/^application\/json\b/i.test(type))
            throw new HttpError(415, 'unsupported_media_type', 'send the request body as application/json');
          const raw = await readBody(req, maxBody);
          let doc: unknown;
          try {
            doc = JSON.parse(raw.toString('utf8'));
          } catch (e) {
            throw new HttpError(
              400,
              'invalid_json',
              `the request body is not valid JSON: ${(e as Error).message}`,
            );
          }
          const r = schema.safeParse(doc);
          if (!r.success) throw new HttpError(400, 'invalid_request', describeZodError(r.error));
          return r.data;
        },
      };
      const reply = await route.handler(ctx);
      status = reply.status ?? 200;
      send(res, status, reply, requestId);
    } catch (e) {
      const he =
        e instanceof HttpError
          ? e
          : new HttpError(500, 'internal', 'internal error (the service log has the details)');
      if (!(e instanceof HttpError)) log.log('error', 'unhandled error', { error: e as Error });
      status = he.status;
      code = he.code;
      send(res, status, { body: errorBody(he.code, he.message, requestId), headers: he.headers }, requestId);
    } finally {
      const seconds = (performance.now() - t0) / 1000;
      const routeName = route?.path ?? 'unknown';
      o.metrics.inc('requests_total', { route: routeName, status });
      if (!route?.public) o.metrics.observeLatency(seconds);
      log.log(status >= 500 ? 'error' : 'info', 'request', {
        method: req.method,
        route: routeName,
        status,
        code,
        seconds: Math.round(seconds * 1000) / 1000,
        client: keyId,
      });
    }
  });
  // Slow-loris and idle sockets: headers within 10 s; a whole request within 60 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  return server;
}

/** Listen and resolve with the bound address (port 0 = any free port). */
export async function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}
