import type { Word } from '../schemas/transcript.js';

export interface TranscribeCallOptions {
  language?: string;
  prompt?: string;
  /** Fraction (0–1) of this call done, when the backend can tell. */
  onProgress?: (fraction: number) => void;
  /** Cancels this call. */
  signal?: AbortSignal;
}

/** The seed's adapter: anything that turns 16 kHz mono PCM into timed words. */
export interface Transcriber {
  /** Model identity for the artifact and the cache key (file name + content hash prefix). */
  readonly model: string;
  /** Words with absolute times: `offset` is where `pcm` starts in the source, in seconds. */
  transcribe(
    pcm: Int16Array,
    offset: number,
    opts: TranscribeCallOptions,
  ): Promise<{ words: Word[]; language?: string; cache?: false }>;
  close(): Promise<void>;
}
