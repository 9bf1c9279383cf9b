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
    api_key: z.string().optional().describe('API key sent as a bearer token (prefer ${LIGHTNING_API_KEY})'),
    timeout_s: z
      .number()
      .positive()
      .default(120)
      .describe('Per-request timeout; on expiry the local backend is used'),
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
    exports: z
      .array(z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]]))
      .default(['mlt', 'kdenlive', 'srt'])
      .describe('Formats the pipeline writes into outputs/ (subtitles only when there is a transcript)'),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
