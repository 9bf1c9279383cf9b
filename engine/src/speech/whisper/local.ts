import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Word } from '../../schemas/transcript.js';
import { UserError } from '../../util/errors.js';
import { ModelFormatError, parseGgmlHeader } from './ggml.js';
import { tokensToWords } from './words.js';

/** The seed's adapter: anything that turns 16 kHz mono PCM into timed words. */
export interface Transcriber {
  /** Model identity for the artifact and the cache key (file name + content hash prefix). */
  readonly model: string;
  transcribe(
    pcm: Int16Array,
    offset: number,
    opts: { language?: string; prompt?: string },
  ): Promise<{ words: Word[]; language?: string }>;
  close(): Promise<void>;
}

type WhisperModule = typeof import('@fugood/whisper.node');
type WhisperCtx = Awaited<ReturnType<WhisperModule['initWhisper']>>;

/**
 * Local whisper.cpp through @fugood/whisper.node (the native binary ships in its npm package): word timings
 * from token timestamps. The header is validated in JS first (malformed files can abort whisper.cpp), and
 * every call is guarded by a timeout (a failing transcription can leave the binding's promise pending).
 */
export class LocalWhisper implements Transcriber {
  private constructor(
    readonly model: string,
    private readonly ctx: WhisperCtx,
    private readonly threads: number,
    private readonly timeoutMs: number,
  ) {}

  static async open(
    modelPath: string,
    opts: { threads?: number; timeoutMs?: number; id?: string } = {},
  ): Promise<LocalWhisper> {
    let head: Buffer;
    try {
      head = await readFile(modelPath);
    } catch (e) {
      throw new UserError(`${modelPath}: cannot read the model file (${(e as NodeJS.ErrnoException).code})`);
    }
    try {
      parseGgmlHeader(head, modelPath);
    } catch (e) {
      if (e instanceof ModelFormatError)
        throw new UserError(e.message, 'Use a whisper.cpp ggml model (autoedit models pull base.en).');
      throw e;
    }
    const mod = (await import('@fugood/whisper.node')) as WhisperModule;
    await mod.toggleNativeLog(false);
    let ctx: WhisperCtx;
    try {
      ctx = await mod.initWhisper({ filePath: modelPath, useGpu: false });
    } catch (e) {
      throw new UserError(`${modelPath}: whisper.cpp could not load it (${(e as Error).message})`);
    }
    return new LocalWhisper(
      opts.id ?? basename(modelPath),
      ctx,
      opts.threads ?? 2,
      opts.timeoutMs ?? 600_000,
    );
  }

  async transcribe(pcm: Int16Array, offset: number, opts: { language?: string; prompt?: string }) {
    const data = pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength) as ArrayBuffer;
    const job = this.ctx.transcribeData(data, {
      language: opts.language ?? 'auto',
      prompt: opts.prompt,
      tokenTimestamps: true,
      maxLen: 1,
      temperature: 0,
      // Temperature fallback makes results non-repeatable and slow: a deterministic single pass.
      temperatureInc: 0,
      maxThreads: this.threads,
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void job.stop().catch(() => {});
        reject(new UserError(`transcription timed out after ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
    });
    try {
      const r = await Promise.race([job.promise, timeout]);
      return { words: tokensToWords(r.segments, offset, pcm.length / 16000), language: r.language };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.ctx.release();
  }
}
