import type { Server } from 'node:http';
import {
  findModel,
  SttBatchRequestSchema,
  type SttBatchResponse,
  type SttHealth,
  type SttRequest,
  SttRequestSchema,
  type SttResult,
  SttResultSchema,
  type Word,
  wordsToSegments,
} from '@autoedit/engine';
import { AudioTooLongError, decodePcmBytes } from '@autoedit/media';
import {
  ApiKeys,
  createService,
  type FetchPolicy,
  fetchSignedUrl,
  HttpError,
  JobQueue,
  type Logger,
  Metrics,
  parseAllowEntry,
  RateLimiter,
  type RequestContext,
} from '@autoedit/service-kit';
import type { ServiceEnv } from './config.js';
import { openApiDocument } from './openapi.js';
import { VERSION } from './version.js';
import { wavDeclaredSeconds } from './wav-head.js';
import { WhisperPool } from './whisper-pool.js';

export { VERSION };

const SR = 16000;

interface Transcribed {
  words: Word[];
  language: string;
  duration: number;
}

/** A small LRU of results by (audio content hash, model, language, prompt): times from the audio's start. */
class ResultCache {
  private readonly map = new Map<string, Transcribed>();
  constructor(private readonly max: number) {}
  get(k: string): Transcribed | undefined {
    const v = this.map.get(k);
    if (v) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: Transcribed): void {
    if (this.max <= 0) return;
    this.map.set(k, v);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

export interface SttServiceOptions {
  env: ServiceEnv;
  log: Logger;
  /** DNS resolver for the URL fetcher (tests). */
  resolve?: FetchPolicy['resolve'];
}

export interface SttService {
  server: Server;
  /** Resolves when the model is loaded (rejects if it cannot be). */
  ready: Promise<void>;
  metrics: Metrics;
  close(): Promise<void>;
}

export function createSttService(o: SttServiceOptions): SttService {
  const { env, log } = o;
  const keys = new ApiKeys(env.AUTOEDIT_API_KEYS);
  const metrics = new Metrics('stt');
  const fetches = new JobQueue(Math.max(2, env.STT_CONCURRENCY * 2), env.STT_MAX_QUEUE);
  const jobs = new JobQueue(env.STT_CONCURRENCY, env.STT_MAX_QUEUE);
  const cache = new ResultCache(env.STT_CACHE_ENTRIES);
  const limiter = new RateLimiter(env.STT_RATE_PER_MIN, env.STT_RATE_BURST);
  const allow = env.STT_FETCH_ALLOW.map(parseAllowEntry);
  metrics.gauge('queue_waiting', () => jobs.depth + fetches.depth);
  metrics.gauge('queue_running', () => jobs.active);
  metrics.gauge('downloads_running', () => fetches.active);

  let pool: WhisperPool | undefined;
  let state: SttHealth['status'] = 'loading';
  const ready = (async () => {
    const modelPath = findModel({ explicit: env.STT_MODEL, name: env.STT_MODEL_NAME });
    pool = await WhisperPool.load({
      modelPath,
      size: env.STT_CONCURRENCY,
      threads: env.STT_THREADS,
      gpu: env.STT_GPU === 'cpu' ? undefined : env.STT_GPU,
      jobTimeoutS: env.STT_JOB_TIMEOUT_S,
      log,
    });
    state = 'ok';
    log.log('info', 'model loaded', {
      model: pool.model,
      backend: env.STT_GPU,
      workers: env.STT_CONCURRENCY,
    });
  })().catch((e) => {
    state = 'failed';
    log.log('error', 'model failed to load', { error: e as Error });
    throw e;
  });
  ready.catch(() => {});

  const policy: FetchPolicy = {
    allow,
    requireSigned: env.STT_REQUIRE_SIGNED_URLS,
    signingKeys: env.AUTOEDIT_URL_SIGNING_KEYS,
    maxBytes: env.STT_MAX_AUDIO_BYTES,
    timeoutMs: env.STT_FETCH_TIMEOUT_S * 1000,
    resolve: o.resolve,
    inspect: (head, announced) => {
      const s = wavDeclaredSeconds(head, announced);
      if (s !== undefined && s > env.STT_MAX_AUDIO_SECONDS)
        throw new HttpError(
          400,
          'too_long',
          `the audio lasts ${s.toFixed(0)} s, over the limit of ${env.STT_MAX_AUDIO_SECONDS} s per request`,
        );
    },
  };

  const health = (): SttHealth => ({
    status: state,
    model_loaded: state === 'ok',
    model: pool?.model,
    backend: env.STT_GPU,
    queue: { running: jobs.active, waiting: jobs.depth + fetches.depth, capacity: env.STT_MAX_QUEUE },
    limits: { max_audio_bytes: env.STT_MAX_AUDIO_BYTES, max_audio_seconds: env.STT_MAX_AUDIO_SECONDS },
    version: VERSION,
  });

  /** One item: download (SSRF rules, limits), cache by content hash, decode, transcribe, shape the answer. */
  async function transcribeOne(item: SttRequest, ctx: RequestContext): Promise<SttResult> {
    if (item.model && pool && item.model !== pool.model && item.model !== pool.model.split('@')[0])
      throw new HttpError(
        400,
        'model_unavailable',
        `model ${item.model} is not served here (this service runs ${pool.model})`,
      );
    const deadline = AbortSignal.timeout(env.STT_JOB_TIMEOUT_S * 1000);
    const signal = AbortSignal.any([ctx.signal, deadline]);
    const timedOut = () =>
      new HttpError(504, 'job_timeout', `the job took over ${env.STT_JOB_TIMEOUT_S} s and was cancelled`);
    try {
      const got = await fetches.run(() => fetchSignedUrl(item.audio_url, policy, signal), signal);
      // The URL is checked and fetched first (its refusals do not depend on the model), then the model must be ready.
      const p = pool;
      if (state !== 'ok' || !p)
        throw new HttpError(
          503,
          state === 'failed' ? 'model_failed' : 'loading',
          state === 'failed'
            ? 'the model could not be loaded (see the service log)'
            : 'the model is still loading',
          { 'retry-after': '10' },
        );
      const language = item.lang && item.lang !== 'auto' ? item.lang : undefined;
      const key = JSON.stringify([got.hash, p.model, language ?? 'auto', item.prompt ?? '']);
      let result = cache.get(key);
      const cached = !!result;
      if (result) metrics.inc('cache_hits_total');
      else {
        result = await jobs.run(async () => {
          let pcm: Int16Array;
          try {
            pcm = await decodePcmBytes(got.bytes, { maxSeconds: env.STT_MAX_AUDIO_SECONDS, signal });
          } catch (e) {
            if (e instanceof AudioTooLongError)
              throw new HttpError(400, 'too_long', `${e.message} (the limit per request)`);
            if (signal.aborted) throw e;
            throw new HttpError(
              400,
              'undecodable',
              'the audio could not be decoded (send WAV, FLAC, MP3, Opus…)',
            );
          }
          if (pcm.length === 0) throw new HttpError(400, 'empty_audio', 'the audio holds no samples');
          const r = await p.transcribe(pcm, { language, prompt: item.prompt }, signal);
          metrics.inc('audio_seconds_total', {}, pcm.length / SR);
          return {
            words: r.words,
            language: language ?? r.language ?? 'und',
            duration: pcm.length / SR,
          };
        }, signal);
        cache.set(key, result);
      }
      // Times from the caller's source: the same arithmetic the engine's local backend does.
      const words = result.words.map((w) => ({
        ...w,
        start: item.offset + w.start,
        end: item.offset + w.end,
      }));
      const segments = wordsToSegments(words).map(({ speaker: _s, words: ws, ...s }) =>
        item.words ? { ...s, words: ws } : s,
      );
      return SttResultSchema.parse({
        text: segments.map((s) => s.text).join(' '),
        segments,
        hash: got.hash,
        language: result.language,
        model: p.model,
        duration: result.duration,
        cached,
      });
    } catch (e) {
      if (ctx.signal.aborted)
        throw new HttpError(499, 'cancelled', 'the client went away; the job was cancelled');
      if (deadline.aborted) throw timedOut();
      if (e instanceof HttpError) metrics.inc('refused_total', { code: e.code });
      throw e;
    }
  }

  const server = createService({
    name: 'stt-service',
    keys,
    limiter,
    anonymousLimiter: new RateLimiter(60, 30),
    log,
    metrics,
    routes: [
      ...(['/healthz', '/health'] as const).map((path) => ({
        method: 'GET' as const,
        path,
        public: true,
        handler: async () => ({ status: state === 'ok' ? 200 : 503, body: health() }),
      })),
      {
        method: 'GET',
        path: '/metrics',
        public: env.STT_METRICS_PUBLIC,
        handler: async () => ({ body: metrics.render(), text: true }),
      },
      {
        method: 'GET',
        path: '/openapi.json',
        public: true,
        handler: async () => ({ body: openApiDocument() }),
      },
      {
        method: 'POST',
        path: '/transcribe',
        async handler(ctx) {
          const item = await ctx.json(SttRequestSchema);
          return { body: await transcribeOne(item, ctx) };
        },
      },
      {
        method: 'POST',
        path: '/transcribe/batch',
        async handler(ctx) {
          const { items } = await ctx.json(SttBatchRequestSchema);
          if (items.length > env.STT_MAX_BATCH)
            throw new HttpError(400, 'batch_too_large', `at most ${env.STT_MAX_BATCH} items per batch`);
          // Each item beyond the first costs a rate-limit token too: a batch is not a way around the limit.
          for (let i = 1; i < items.length; i++) {
            const t = limiter.take(ctx.keyId!);
            if (!t.ok)
              throw new HttpError(429, 'rate_limited', 'rate limit reached for this batch', {
                'retry-after': String(t.retryAfter),
              });
          }
          const results = await Promise.all(
            items.map(async (item): Promise<SttBatchResponse['results'][number]> => {
              try {
                return { ok: true, ...(await transcribeOne(item, ctx)) };
              } catch (e) {
                const he = e instanceof HttpError ? e : new HttpError(500, 'internal', 'internal error');
                if (!(e instanceof HttpError))
                  ctx.log.log('error', 'batch item failed', { error: e as Error });
                return {
                  ok: false,
                  status: he.status,
                  error: { code: he.code, message: he.message, request_id: ctx.requestId },
                };
              }
            }),
          );
          return { body: { results } };
        },
      },
    ],
  });

  return {
    server,
    ready,
    metrics,
    async close() {
      // Stop accepting, let requests in flight finish (up to 10 s), then drop what is left.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
      await Promise.race([closed, grace]);
      server.closeAllConnections();
      await ready.catch(() => {});
      await pool?.close();
    },
  };
}
