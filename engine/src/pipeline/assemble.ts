import type { ExportFormat } from '../exporters/formats.js';
import type { SubtitleStyle } from '../exporters/subtitles.js';
import type { DetectorChoice } from '../scenes/detect.js';
import type { Config } from '../schemas/config.js';
import type { BeamPlan } from '../speech/beam/backend.js';
import { type DetectSpeechOptions, vadChoice } from '../speech/vad-stage.js';
import type { ModelLookup } from '../speech/whisper/models.js';
import type { StoragePlan } from '../storage/store.js';
import { type ProfileChoice, parseProfile } from '../timeline/profile.js';
import { UserError } from '../util/errors.js';

/**
 * Which implementation each stage uses, decided from the configuration in one place, so that the CLI, the
 * watcher and the VS Code extension behave the same given the same config.yaml.
 */
export interface PipelinePlan {
  scenes: DetectorChoice;
  vad: DetectSpeechOptions;
  stt: SpeechPlan;
  exports: ExportFormat[];
  /** How subtitle exports cut and time their cues. */
  subtitles: SubtitleStyle;
  /** The project profile the user chose (size and/or rate); what it leaves out follows the first video clip. */
  profile?: ProfileChoice;
}

export interface SpeechPlan {
  /** local: whisper.cpp here; beam: the stt-service on Beam GPUs, with `lookup`'s model as the fallback. */
  backend: 'local' | 'beam';
  lookup: ModelLookup;
  language?: string;
  prompt?: string;
  beam?: BeamPlan;
}

export interface PlanOverrides {
  /** A Whisper model file or folder (the CLI's --model), before config stt.model_path. */
  model?: string;
  exports?: readonly ExportFormat[];
  /** The project profile (the CLI's --profile), before config `profile`. */
  profile?: ProfileChoice;
  /** The speech backend (the CLI's --backend), before config stt_backend; `lightning` = beam. */
  backend?: 'local' | 'beam' | 'lightning';
}

/** Backends named in the configuration that this build does not have: a clear error, never a silent no-op. */
function refuseMissingBackends(config: Config): void {
  for (const key of ['diarization_backend', 'vision_backend'] as const) {
    if (config[key] !== 'none')
      throw new UserError(
        `${key}: ${config[key]} is configured, but ${key === 'diarization_backend' ? 'speaker diarization' : 'face detection'} is not part of this build yet`,
        `Set ${key}: none in config.yaml.`,
      );
  }
}

export function planFromConfig(config: Config, o: PlanOverrides = {}): PipelinePlan {
  refuseMissingBackends(config);
  const backend = o.backend === 'lightning' ? 'beam' : (o.backend ?? config.stt_backend);
  return {
    scenes: {
      detector: config.scenes.detector,
      threshold: config.scenes.threshold,
      minSceneLen: config.scenes.min_scene_len,
    },
    vad: vadChoice(config.vad.detector, config.vad.threshold),
    stt: {
      backend,
      lookup: { explicit: o.model, configured: config.stt.model_path, name: config.stt.model },
      language: config.stt.language,
      prompt: config.stt.prompt,
      beam: backend === 'beam' ? beamPlan(config) : undefined,
    },
    exports: [...(o.exports ?? config.exports)],
    profile: o.profile ?? profileFromConfig(config.profile),
    subtitles: subtitleStyle(config),
  };
}

/** config.yaml `subtitles:` as the subtitle exporter's options. */
export function subtitleStyle(config: Config): SubtitleStyle {
  const s = config.subtitles;
  return {
    maxLineChars: s.max_line_chars,
    maxLines: s.max_lines,
    minDuration: s.min_duration,
    maxDuration: s.max_duration,
    maxCps: s.max_cps,
    minGap: s.min_gap,
  };
}

/** Config `profile` → a profile choice; a value the schema let through but that makes no sense is a clear error. */
export function profileFromConfig(text: string | undefined): ProfileChoice | undefined {
  if (text === undefined) return undefined;
  const p = parseProfile(text);
  if (!p)
    throw new UserError(
      `config profile: "${text}" is not a usable project profile`,
      'Write WxH (even numbers, 16–16384), WxH@fps or @fps (fps such as 25, 29.97 or 30000/1001), e.g. 1080x1920@30.',
    );
  return p;
}

/**
 * The Beam backend from config: `beam:` over the legacy `lightning:`, one account per Beam API token
 * (BEAM_API_TOKEN_<NAME>, each at beam.endpoints.<name> or beam.base_url), chunk storage from `storage:`.
 */
export function beamPlan(config: Config): BeamPlan {
  const b = config.beam ?? {};
  const baseUrl = b.base_url ?? config.lightning.base_url;
  const endpoints = b.endpoints ?? {};
  const tokens = config.beam_api_tokens;
  const names = [...new Set([...Object.keys(tokens), ...Object.keys(endpoints)])];
  const accounts = (names.length ? names : ['default']).map((name) => ({
    name,
    baseUrl: endpoints[name] ?? baseUrl ?? '',
    token: tokens[name],
  }));
  const missing = accounts.filter((a) => !a.baseUrl);
  if (missing.length)
    throw new UserError(
      `stt_backend: beam needs the URL of the stt-service deployment${names.length ? ` for account(s) ${missing.map((a) => a.name).join(', ')}` : ''}`,
      'Set beam.base_url in config.yaml (or AUTOEDIT_BEAM_URL; per account: beam.endpoints.<name> or BEAM_BASE_URL_<NAME>), or use stt_backend: local.',
    );
  return {
    accounts,
    apiKey: b.api_key ?? config.lightning.api_key,
    timeoutS: b.timeout_s ?? config.lightning.timeout_s,
    retries: b.retries ?? 3,
    concurrency: b.concurrency ?? 2,
    windowS: b.window_s ?? 300,
    overlapS: b.overlap_s ?? 1,
    maxRequestS: b.max_request_s ?? 600,
    fallback: b.fallback ?? 'local',
    coldStartS: b.cold_start_s ?? 120,
    storage: storagePlan(config.storage),
  };
}

function storagePlan(s: Config['storage']): StoragePlan {
  const expiresS = s.expires_s ?? 900;
  if (s.provider === 'gcs')
    throw new UserError(
      'storage.provider: gcs is not supported directly',
      'Use provider: s3 with base_url: https://storage.googleapis.com and a GCS HMAC key (GCS speaks the S3 API).',
    );
  if (s.provider === 's3') {
    if (!s.bucket)
      throw new UserError(
        'storage.provider: s3 needs storage.bucket',
        'Set storage.bucket in config.yaml or S3_BUCKET.',
      );
    return {
      provider: 's3',
      bucket: s.bucket,
      endpoint: s.base_url,
      region: s.region ?? 'us-east-1',
      accessKeyId: s.access_key_id,
      secretAccessKey: s.secret_access_key,
      prefix: s.prefix ?? 'autoedit-chunks/',
      expiresS,
    };
  }
  return {
    provider: 'local',
    host: s.host ?? '127.0.0.1',
    port: s.port ?? 0,
    publicUrl: s.public_url,
    signingKey: s.signing_key,
    expiresS,
  };
}
