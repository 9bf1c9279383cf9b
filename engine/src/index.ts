/**
 * @autoedit/engine — the one API every face of AutoEdit (CLI, watcher, VS Code extension, services) drives.
 * Import from the package name only; nothing here needs a deep path.
 *
 *   import { runPipeline, loadConfig } from '@autoedit/engine';
 *   const result = await runPipeline({ runDir: 'runs/demo', inputs: ['talk.mp4'], onEvent: console.log, signal });
 */

export { MissingToolError, ProcessError, UnsupportedMediaError } from '@autoedit/media';
// Backends: the adapters heavy inference runs behind (local or a remote GPU service).
export type { BackendKind, CallOptions, Detector, Diarizer, Embedder, Frame } from './backends.js';
// Configuration and rules.
export { type LoadConfigOptions, type LoadedConfig, loadConfig, redact } from './config/load.js';
export { EXPORT_FORMATS, type ExportFormat, FORMATS, isExportFormat } from './exporters/formats.js';
export { loadExporters } from './exporters/load.js';
export type { Cue, SubtitleStyle } from './exporters/subtitles.js';
// Each stage on its own.
export { type IngestOptions, type IngestResult, ingest, loadMediaDb } from './ingest/ingest.js';
export { expandInputs, MEDIA_EXTENSIONS } from './ingest/inputs.js';
// The whole pipeline, its events and how it is assembled from config.
export {
  beamPlan,
  type PipelinePlan,
  type PlanOverrides,
  planFromConfig,
  type SpeechPlan,
  subtitleStyle,
} from './pipeline/assemble.js';
export { type EventListener, newRunId } from './pipeline/events.js';
export { type PipelineResult, type RunPipelineOptions, runPipeline } from './pipeline/pipeline.js';
export { readSelection, runExport, runSelect, runVad } from './pipeline/stages.js';
export { ArtifactError, parseArtifact, readArtifact, writeArtifact } from './project/artifacts.js';
// Run folders: layout, artifacts (validated on read), the lock.
export { ensureRunDirs, RUN_DIRS, type RunLayout, runLayout } from './project/layout.js';
export { LOCK_FILE, lockRun, type RunLock, RunLockedError, withRunLock } from './project/lock.js';
export {
  type WhenEdited,
  type WriteOutputOptions,
  type WrittenOutput,
  writeOutput,
} from './project/outputs.js';
export { assertSourcesPresent, MissingSourceError } from './project/sources.js';
export { renderSelection } from './render/render.js';
export { DETECTORS, type DetectorChoice, type DetectorName, detectScenes } from './scenes/detect.js';
export { detectAll, runScenes, type SceneJob } from './scenes/stage.js';
// Schemas (zod) of every artifact, the config, the rules and the events, and their JSON Schemas.
export * from './schemas/index.js';
export {
  eventsJsonSchema,
  rulesJsonSchema,
  stringifySchema,
  sttServiceJsonSchema,
  watchEventsJsonSchema,
} from './schemas/json-schema.js';
export { loadAnalyses } from './select/load.js';
export { loadRules } from './select/rules-file.js';
export { type SourceAnalysis, select } from './select/select.js';
export { BeamBackend, type BeamPlan, type WindowReport } from './speech/beam/backend.js';
export {
  type Attempt,
  type BeamAccount,
  BeamClient,
  type BeamClientOptions,
  BeamUnavailableError,
} from './speech/beam/client.js';
export {
  type DetectSpeechOptions,
  detectSpeech,
  detectSpeechPcm,
  findModel,
  KNOWN_MODELS,
  LocalWhisper,
  type LocalWhisperOptions,
  listModels,
  type ModelLookup,
  ModelNotFoundError,
  modelDigest,
  pullModel,
  type TranscribeCallOptions,
  type TranscribeOptions,
  type Transcriber,
  transcribeFile,
  userModelDir,
  type VadDetector,
  wordsToSegments,
} from './speech/index.js';
export { runStt } from './speech/stage.js';
export { vadChoice } from './speech/vad-stage.js';
// Signed-URL storage for audio chunks sent to remote services.
export {
  type ChunkStore,
  LocalChunkStore,
  type LocalStorePlan,
  openChunkStore,
  S3ChunkStore,
  type S3StorePlan,
  type StoragePlan,
  type StoredChunk,
} from './storage/index.js';
export {
  SIGNED_URL_PARAMS,
  type SignedUrlCheck,
  signUrl,
  urlSignatureKind,
  verifySignedUrl,
} from './storage/signed-url.js';
export { timelineFromSelection } from './timeline/from-selection.js';
export {
  clipLength,
  type Timeline,
  type TimelineClip,
  type TimelineMedia,
  TimelineSchema,
} from './timeline/model.js';
export {
  chooseProfile,
  type ProfileChoice,
  type ProjectProfile,
  parseProfile,
} from './timeline/profile.js';
// Errors and exit codes.
export { CancelledError, EXIT, errorInfo, errorMessage, UsageError, UserError } from './util/errors.js';
export type { Progress } from './util/progress.js';
// The watcher (`autoedit watch`, the VS Code extension): keeps a project folder's timeline up to date.
export { kdenliveInstances, type ReloadOutcome, reloadKdenlive } from './watch/kdenlive.js';
export { describeRulesProblem, type RulesProblem, readRulesFile } from './watch/rules.js';
export {
  OUTPUT_NAME,
  type ReloadMode,
  STATE_DIR,
  startWatcher,
  type Watcher,
  type WatchOptions,
} from './watch/watcher.js';
