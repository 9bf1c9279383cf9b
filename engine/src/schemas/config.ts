import * as z from 'zod';
import { EXPORT_FORMATS, type ExportFormat } from '../exporters/formats.js';

const Backend = z.enum(['local', 'beam']);
/** `lightning` is the legacy name of the Beam backend; accepted and normalised to `beam`. */
const BackendWithAlias = z
  .enum(['local', 'beam', 'lightning'])
  .transform((v) => (v === 'lightning' ? 'beam' : v))
  .pipe(Backend);

export const RemoteServiceSchema = z
  .object({
    base_url: z.string().url().optional().describe('Base URL of the remote inference service'),
    api_key: z
      .string()
      .optional()
      .describe('API key of the speech service, sent as X-API-Key (prefer ${LIGHTNING_API_KEY})'),
    timeout_s: z
      .number()
      .positive()
      .default(120)
      .describe('Per-request timeout; on expiry the local backend is used'),
  })
  .strict();

/**
 * The Beam GPU speech backend (`stt_backend: beam`): where the stt-service runs and how the client behaves.
 * `lightning:` is the legacy name of the same settings (base_url, api_key, timeout_s); `beam:` wins.
 */
export const BeamSchema = z
  .object({
    base_url: z
      .string()
      .url()
      .optional()
      .describe('URL of the stt-service deployment (every account unless endpoints says otherwise)'),
    api_key: z
      .string()
      .optional()
      .describe('The service’s API key, sent as X-API-Key (prefer ${AUTOEDIT_STT_API_KEY})'),
    timeout_s: z
      .number()
      .positive()
      .optional()
      .describe('Per request (default 120); a request still running then is cancelled'),
    endpoints: z
      .record(z.string(), z.string().url())
      .optional()
      .describe('Per-account deployment URLs, keyed like beam_api_tokens (BEAM_BASE_URL_<NAME>)'),
    retries: z
      .number()
      .int()
      .min(0)
      .max(20)
      .optional()
      .describe('Attempts after the first, across accounts (default 3)'),
    concurrency: z.number().int().min(1).max(64).optional().describe('Windows in flight at once (default 2)'),
    window_s: z
      .number()
      .min(30)
      .max(1800)
      .optional()
      .describe('Window length, cut in silences (default 300)'),
    overlap_s: z
      .number()
      .min(0)
      .max(10)
      .optional()
      .describe('Audio shared by neighbouring windows (default 1)'),
    max_request_s: z
      .number()
      .positive()
      .optional()
      .describe('Cost control: the most audio one request may carry (default 600)'),
    fallback: z
      .enum(['local', 'none'])
      .optional()
      .describe('A window Beam could not transcribe: run it locally (default) or fail'),
    cold_start_s: z
      .number()
      .min(0)
      .max(1800)
      .optional()
      .describe('How long to wait for a deployment scaled to zero to load its model (default 120)'),
  })
  .strict();

export const StorageSchema = z
  .object({
    provider: z.enum(['s3', 'gcs', 'local']).default('local'),
    bucket: z.string().optional(),
    base_url: z.string().optional().describe('Endpoint of an S3-compatible store, or a public base URL'),
    region: z.string().optional(),
    access_key_id: z.string().optional(),
    secret_access_key: z.string().optional(),
    prefix: z
      .string()
      .optional()
      .describe('s3: key prefix of the uploaded chunks (default autoedit-chunks/)'),
    expires_s: z
      .number()
      .int()
      .min(10)
      .max(604800)
      .optional()
      .describe('Signed URLs expire after this (default 900)'),
    host: z.string().optional().describe('local: address the chunk server binds (default 127.0.0.1)'),
    port: z.number().int().min(0).max(65535).optional().describe('local: its port (default: any free one)'),
    public_url: z
      .string()
      .url()
      .optional()
      .describe('local: base URL the service reaches the chunk server at'),
    signing_key: z.string().optional().describe('local: HMAC key of the URLs (default: random per run)'),
  })
  .strict();

/** How SRT/VTT cues are cut and timed; defaults follow broadcast/streaming guidance (Netflix, BBC). */
export const SubtitlesSchema = z
  .object({
    max_line_chars: z.number().int().min(10).max(200).default(42).describe('Characters per line'),
    max_lines: z.number().int().min(1).max(4).default(2).describe('Lines per cue'),
    min_duration: z
      .number()
      .min(0)
      .max(10)
      .default(0.8)
      .describe(
        'Shortest time on screen (s); a shorter cue is held into the pause after it, never over the next',
      ),
    max_duration: z.number().positive().max(60).default(7).describe('Longest time on screen (s)'),
    max_cps: z
      .number()
      .positive()
      .default(17)
      .describe('Reading speed limit in characters per second: cues are cut and held to respect it'),
    min_gap: z
      .number()
      .min(0)
      .max(2)
      .default(0.08)
      .describe('Gap left before the next cue when a cue is held past its speech (s)'),
  })
  .strict();

export const ConfigSchema = z
  .object({
    stt_backend: BackendWithAlias.default('local').describe(
      'Speech-to-text backend: local | beam (lightning = beam)',
    ),
    diarization_backend: z
      .enum(['none', 'local', 'beam', 'lightning'])
      .default('none')
      .transform((v) => (v === 'lightning' ? 'beam' : v)),
    vision_backend: z
      .enum(['none', 'local', 'beam', 'lightning'])
      .default('none')
      .transform((v) => (v === 'lightning' ? 'beam' : v)),
    lightning: RemoteServiceSchema.default({ timeout_s: 120 }),
    beam: BeamSchema.optional(),
    beam_api_tokens: z
      .record(z.string(), z.string())
      .default({})
      .describe('Beam API tokens by name (BEAM_API_TOKEN_<NAME>)'),
    storage: StorageSchema.default({ provider: 'local' }),
    stt: z
      .object({
        model_path: z.string().optional().describe('Whisper model file (ggml .bin) or a folder of models'),
        model: z.string().default('base.en').describe('Model name looked up in the models folders'),
        language: z.string().optional().describe('Spoken language; omitted = auto-detect'),
        prompt: z.string().optional().describe('Initial prompt / vocabulary hint'),
      })
      .strict()
      .default({ model: 'base.en' }),
    scenes: z
      .object({
        detector: z.enum(['content', 'adaptive', 'threshold']).default('content'),
        threshold: z.number().positive().optional(),
        min_scene_len: z.number().int().positive().optional(),
      })
      .strict()
      .default({ detector: 'content' }),
    vad: z
      .object({
        detector: z
          .enum(['energy', 'silero'])
          .default('energy')
          .describe('energy: loudness threshold (auto-editor-like); silero: Silero VAD model'),
        threshold: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe('energy: peak level 0–1 (0.04); silero: speech probability (0.5)'),
      })
      .strict()
      .default({ detector: 'energy' }),
    rules: z
      .string()
      .optional()
      .describe('Selection rules file (rules.json); default: rules.json in the project folder'),
    subtitles: SubtitlesSchema.default({
      max_line_chars: 42,
      max_lines: 2,
      min_duration: 0.8,
      max_duration: 7,
      max_cps: 17,
      min_gap: 0.08,
    }),
    profile: z
      .string()
      .regex(
        /^(?:\d{2,5}x\d{2,5})?(?:@(?:\d+|\d+\.\d+|\d+\/\d+))?$/,
        'expected WxH, WxH@fps or @fps, e.g. 1080x1920@30',
      )
      .optional()
      .describe(
        'Project size and/or rate, e.g. 1920x1080@25 or 1080x1920 or @29.97; default: the first video clip (as shown, after rotation)',
      ),
    exports: z
      .array(z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]]))
      .default(['mlt', 'kdenlive', 'srt'])
      .describe('Formats the pipeline writes into outputs/ (subtitles only when there is a transcript)'),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
