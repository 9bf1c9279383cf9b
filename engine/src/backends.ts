import type { SpeechRange } from './schemas/vad.js';

/**
 * The adapters behind which heavy inference runs, locally or on a remote GPU service, chosen in one place
 * (pipeline/assemble.ts) from config: `stt_backend`, `diarization_backend`, `vision_backend`. Speech has
 * both implementations today (Transcriber: LocalWhisper, and the Beam backend over services/stt-service);
 * the others are the contracts their local and Beam implementations will follow, the same way: a remote
 * implementation takes audio or frames through signed URLs, retries and fails over across accounts, and
 * falls back to the local one piece by piece, reporting what ran where.
 */
export type { TranscribeCallOptions, Transcriber } from './speech/transcriber.js';

/** Where a backend runs. */
export type BackendKind = 'local' | 'beam';

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** Speaker turns in 16 kHz mono PCM (`offset`: where it starts in the source, seconds). */
export interface Diarizer {
  readonly model: string;
  diarize(
    pcm: Int16Array,
    offset: number,
    opts: CallOptions & { speakers?: number },
  ): Promise<{ turns: (SpeechRange & { speaker: string })[] }>;
  close(): Promise<void>;
}

/** One decoded video frame (RGB24) at a time on the source's clock. */
export interface Frame {
  time: number;
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** Faces (or other objects) in frames, as boxes normalised to 0–1. */
export interface Detector {
  readonly model: string;
  detect(
    frames: readonly Frame[],
    opts: CallOptions,
  ): Promise<
    { time: number; boxes: { x: number; y: number; w: number; h: number; score: number; label: string }[] }[]
  >;
  close(): Promise<void>;
}

/** Embeddings of frames (or face crops), for shot similarity and speaker/face identity. */
export interface Embedder {
  readonly model: string;
  readonly dimensions: number;
  embed(frames: readonly Frame[], opts: CallOptions): Promise<Float32Array[]>;
  close(): Promise<void>;
}
