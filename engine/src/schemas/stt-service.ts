import * as z from 'zod';
import { ContentHash, Seconds } from './common.js';
import { SegmentSchema, WordSchema } from './transcript.js';

/**
 * The contract of `services/stt-service` (speech to text over HTTP), shared by the service, which validates
 * what it receives and what it answers with these, and by the engine's Beam client, which validates what it
 * sends and what comes back. The OpenAPI document and JSON Schema are generated from here.
 */

/** Whisper language code (`en`, `de`…) or `auto`. */
const Lang = z
  .string()
  .regex(/^(auto|[a-z]{2,3}(-[A-Za-z]{2,4})?)$/, 'expected a language code such as "en", or "auto"');

export const SttRequestSchema = z
  .object({
    audio_url: z
      .string()
      .max(8192)
      .describe(
        'http(s) URL of the audio: an S3 presigned URL or an AutoEdit HMAC-signed URL. 16-bit PCM WAV is read directly; other formats are decoded with ffmpeg.',
      ),
    lang: Lang.optional().describe('Spoken language; omitted or "auto" = detect'),
    model: z
      .string()
      .max(200)
      .optional()
      .describe(
        'Model the caller expects (file name, e.g. ggml-base.en.bin); refused when it is not the loaded one',
      ),
    prompt: z.string().max(1000).optional().describe('Initial prompt / vocabulary hint'),
    offset: Seconds.max(1e7)
      .default(0)
      .describe('Where this audio starts in the caller’s source: added to every time in the answer'),
    words: z.boolean().default(true).describe('Include word timings in each segment'),
  })
  .strict();
export type SttRequest = z.infer<typeof SttRequestSchema>;
export type SttRequestInput = z.input<typeof SttRequestSchema>;

/** A segment as the service returns it: the transcript's segment, words optional (`words: false`). */
export const SttSegmentSchema = SegmentSchema.omit({ speaker: true }).extend({
  words: z.array(WordSchema).optional(),
});

export const SttResultSchema = z.object({
  text: z.string(),
  segments: z.array(SttSegmentSchema),
  /** sha256 of the audio bytes the service downloaded: the caller checks it is what it uploaded. */
  hash: ContentHash,
  language: z.string(),
  /** Model identity: file name @ first 12 hex digits of its sha256 (as in transcript.json). */
  model: z.string(),
  /** Seconds of audio transcribed. */
  duration: Seconds,
  /** The answer came from the service's content-hash cache. */
  cached: z.boolean(),
});
export type SttResult = z.infer<typeof SttResultSchema>;

export const SttErrorSchema = z.object({
  error: z.object({
    /** Stable machine-readable code, e.g. unauthorized, rate_limited, url_refused, too_large, too_long. */
    code: z.string(),
    message: z.string(),
    request_id: z.string(),
  }),
});
export type SttError = z.infer<typeof SttErrorSchema>;

export const MAX_BATCH_ITEMS = 32;

export const SttBatchRequestSchema = z
  .object({ items: z.array(SttRequestSchema).min(1).max(MAX_BATCH_ITEMS) })
  .strict();
export type SttBatchRequestInput = z.input<typeof SttBatchRequestSchema>;

/** One answer per item, in order: a failed item does not fail the others. */
export const SttBatchResponseSchema = z.object({
  results: z.array(
    z.discriminatedUnion('ok', [
      SttResultSchema.extend({ ok: z.literal(true) }),
      z.object({ ok: z.literal(false), status: z.number().int(), error: SttErrorSchema.shape.error }),
    ]),
  ),
});
export type SttBatchResponse = z.infer<typeof SttBatchResponseSchema>;

export const SttHealthSchema = z.object({
  status: z.enum(['ok', 'loading', 'failed']),
  model_loaded: z.boolean(),
  model: z.string().optional(),
  /** whisper.cpp backend: cpu, cuda or vulkan. */
  backend: z.string(),
  queue: z.object({ running: z.number().int(), waiting: z.number().int(), capacity: z.number().int() }),
  limits: z.object({ max_audio_bytes: z.number().int(), max_audio_seconds: z.number() }),
  version: z.string(),
});
export type SttHealth = z.infer<typeof SttHealthSchema>;
