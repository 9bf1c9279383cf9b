// The speech stage's programmatic surface, for the pipeline and for library users.
export { type Chunk, type ChunkPlanOptions, mergeChunkWords, planChunks } from './chunks.js';
export { ENERGY_VAD_DEFAULTS, type EnergyVadParams, energyVad } from './energy-vad.js';
export { SILERO_DEFAULTS, type SileroParams } from './silero-vad.js';
export { modelDigest, type TranscribeOptions, transcribe, transcribeFile } from './transcribe.js';
export type { TranscribeCallOptions, Transcriber } from './transcriber.js';
export { type DetectSpeechOptions, detectSpeech, detectSpeechPcm, type VadDetector } from './vad-stage.js';
export { inspectModelFile, ModelFormatError } from './whisper/ggml.js';
export { WHISPER_LANGUAGES } from './whisper/languages.js';
export { LocalWhisper, type LocalWhisperOptions } from './whisper/local.js';
export {
  findModel,
  KNOWN_MODELS,
  listModels,
  type ModelLookup,
  ModelNotFoundError,
  pullModel,
  userModelDir,
} from './whisper/models.js';
export { tokensToWords, wordsToSegments } from './whisper/words.js';
