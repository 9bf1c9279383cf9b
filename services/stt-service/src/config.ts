import * as z from 'zod';

/**
 * The service's settings, all from the environment (12-factor; Beam injects secrets as variables).
 * Every variable is documented in README ("The speech-to-text service").
 */
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const num = (def: number) => z.coerce.number().positive().default(def);
const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
const bool = (def: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
    .default(def ? '1' : '0')
    .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const ServiceEnvSchema = z.object({
  PORT: int(8080, 0).refine((p) => p <= 65535, 'a TCP port'),
  HOST: z.string().default('0.0.0.0'),
  /** Comma-separated API keys (X-API-Key); at least one is required. */
  AUTOEDIT_API_KEYS: list,
  /** ggml model file or folder; with a folder, STT_MODEL_NAME picks the file. Also AUTOEDIT_MODELS. */
  STT_MODEL: z.string().optional(),
  STT_MODEL_NAME: z.string().default('base.en'),
  /** whisper.cpp build: cpu, or cuda / vulkan (their @fugood/node-whisper-* platform package must be installed). */
  STT_GPU: z.enum(['cpu', 'cuda', 'vulkan']).default('cpu'),
  /** Transcriptions at once, each with its own copy of the model (1 per GPU is right for whisper.cpp). */
  STT_CONCURRENCY: int(1, 1),
  /** CPU threads per transcription. */
  STT_THREADS: int(0, 0),
  /** Jobs that may wait for a free slot before new ones get 503. */
  STT_MAX_QUEUE: int(16, 0),
  STT_MAX_AUDIO_BYTES: int(64 * 1024 * 1024, 1024),
  STT_MAX_AUDIO_SECONDS: num(900),
  /** A job (download + transcription) is cancelled after this many seconds. */
  STT_JOB_TIMEOUT_S: num(600),
  STT_FETCH_TIMEOUT_S: num(60),
  /** Per API key: requests a minute, and the burst allowed at once. */
  STT_RATE_PER_MIN: int(120, 0),
  STT_RATE_BURST: int(20, 1),
  /** Private/loopback addresses the service may fetch from: CIDRs with optional ports (e.g. 10.0.0.0/8, 127.0.0.1:9000). */
  STT_FETCH_ALLOW: list,
  /** Refuse audio URLs that are not signed (S3 presigned or AutoEdit HMAC). */
  STT_REQUIRE_SIGNED_URLS: bool(true),
  /** Keys AutoEdit-signed URLs must verify against (optional; comma-separated). */
  AUTOEDIT_URL_SIGNING_KEYS: list,
  /** Results kept in the content-hash cache. */
  STT_CACHE_ENTRIES: int(256, 0),
  STT_MAX_BATCH: int(8, 1),
  /** /metrics without an API key (for a scraper on a private network). */
  STT_METRICS_PUBLIC: bool(false),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});
export type ServiceEnv = z.infer<typeof ServiceEnvSchema>;

export function readServiceEnv(env: Record<string, string | undefined> = process.env): ServiceEnv {
  const r = ServiceEnvSchema.safeParse(env);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`stt-service: bad environment: ${lines.join('; ')}`);
  }
  if (r.data.AUTOEDIT_API_KEYS.length === 0)
    throw new Error(
      'stt-service: AUTOEDIT_API_KEYS is empty: set at least one API key (comma-separated, 16+ characters each)',
    );
  return r.data;
}
