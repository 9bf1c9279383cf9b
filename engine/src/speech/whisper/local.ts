import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNodeWorker } from '@autoedit/media';
import { UserError } from '../../util/errors.js';
import type { TranscribeCallOptions, Transcriber } from '../transcriber.js';
import { inspectModelFile, ModelFormatError, type ModelInfo } from './ggml.js';
import { whisperLanguage } from './languages.js';
import { tokensToWords } from './words.js';

export type { Transcriber } from '../transcriber.js';

interface TokenSegment {
  text: string;
  t0: number;
  t1: number;
}
type Reply =
  | { type: 'ready' }
  | { type: 'progress'; percent: number }
  | { type: 'result'; language?: string; segments: TokenSegment[] }
  | { type: 'error'; message: string };

/** worker.mjs, next to this file in the sources; found from the bundled CLI (engine/dist) too. */
function workerScript(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    for (const p of [join(dir, 'worker.mjs'), join(dir, 'src', 'speech', 'whisper', 'worker.mjs')])
      if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error('engine/src/speech/whisper/worker.mjs is missing from this installation');
}

export interface LocalWhisperOptions {
  threads?: number;
  /** Model identity recorded in the transcript (default: the file name). */
  id?: string;
  /** Loading the model must finish within this (ms). */
  loadTimeoutMs?: number;
  /**
   * A transcription must finish within `base + perSecond × audio seconds` (ms): a hang is killed, a slow
   * model on long audio is not.
   */
  timeout?: { baseMs: number; perSecondMs: number };
  /** Kills the worker process (and so any transcription in progress). */
  signal?: AbortSignal;
  /**
   * Run on a GPU with this build of @fugood/whisper.node (its platform package, e.g.
   * @fugood/node-whisper-linux-x64-cuda, must be installed; without it whisper.node falls back to the CPU build).
   */
  gpu?: 'cuda' | 'vulkan';
}

const DEFAULT_TIMEOUT = { baseMs: 60_000, perSecondMs: 10_000 };

/**
 * Local whisper.cpp through @fugood/whisper.node (its native binary ships in the npm package), run in a
 * worker process: the model file is checked in JavaScript first, then loaded by a child process that can be
 * killed on a timeout or that crashes alone. Word timings come from token timestamps (maxLen 1).
 */
export class LocalWhisper implements Transcriber {
  private stderr = '';
  private exited?: string;
  private pending?: { resolve: (r: Reply) => void; onProgress?: (f: number) => void };

  private constructor(
    readonly model: string,
    readonly info: ModelInfo,
    private readonly file: string,
    private readonly child: ReturnType<typeof spawnNodeWorker>,
    private readonly o: Required<Pick<LocalWhisperOptions, 'threads' | 'timeout'>>,
  ) {
    child.stderr?.on('data', (c: Buffer) => {
      // whisper.cpp logs to stderr: keep the tail to explain failures, show none of it otherwise.
      this.stderr = (this.stderr + c.toString('utf8')).slice(-8000);
    });
    child.on('message', (m: Reply) => {
      if (m.type === 'progress') this.pending?.onProgress?.(m.percent / 100);
      else this.pending?.resolve(m);
    });
    child.then(
      () => this.onExit('exited'),
      (e: { signal?: string; exitCode?: number }) =>
        this.onExit(e.signal ? `was killed by ${e.signal}` : `exited with code ${e.exitCode ?? '?'}`),
    );
  }

  /** False once the worker process has exited or been killed (a new LocalWhisper is then needed). */
  get alive(): boolean {
    return !this.exited;
  }

  private onExit(how: string): void {
    this.exited ??= how;
    this.pending?.resolve({ type: 'error', message: `whisper.cpp ${how}` });
  }

  static async open(modelPath: string, opts: LocalWhisperOptions = {}): Promise<LocalWhisper> {
    let info: ModelInfo;
    try {
      info = await inspectModelFile(modelPath);
    } catch (e) {
      if (e instanceof ModelFormatError)
        throw new UserError(e.message, 'Use a whisper.cpp ggml model (autoedit models pull base.en).');
      const code = (e as NodeJS.ErrnoException).code;
      if (code) throw new UserError(`${modelPath}: cannot read the model file (${code})`);
      throw e;
    }
    const child = spawnNodeWorker(workerScript(), { signal: opts.signal });
    const w = new LocalWhisper(opts.id ?? basename(modelPath), info, modelPath, child, {
      threads: opts.threads ?? 2,
      timeout: opts.timeout ?? DEFAULT_TIMEOUT,
    });
    const r = await w.request(
      { type: 'open', modelPath, gpu: opts.gpu },
      opts.loadTimeoutMs ?? 120_000,
      'loading',
    );
    if (r.type !== 'ready') {
      await w.close();
      throw new UserError(`${modelPath}: whisper.cpp could not load it (${w.why(r)})`);
    }
    return w;
  }

  /** The error of a reply, with what whisper.cpp logged last (it says which tensor or field is wrong). */
  private why(r: Reply): string {
    const msg = r.type === 'error' ? r.message : `unexpected reply ${r.type}`;
    const log = this.stderr
      .split('\n')
      .filter((l) => /error|fail|invalid|wrong|abort|assert/i.test(l))
      .slice(-2)
      .join('; ');
    return log ? `${msg}: ${log.trim()}` : msg;
  }

  private request(
    msg: unknown,
    timeoutMs: number,
    what: string,
    onProgress?: (f: number) => void,
  ): Promise<Reply> {
    if (this.exited) return Promise.resolve({ type: 'error', message: `whisper.cpp ${this.exited}` });
    return new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        // Known now, before the exit event: later calls must fail at once, not wait for their own timeout.
        this.exited ??= 'was killed by SIGKILL';
        done({ type: 'error', message: `${what} timed out after ${Math.round(timeoutMs / 1000)} s` });
      }, timeoutMs);
      const done = (r: Reply) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve(r);
      };
      this.pending = { resolve: done, onProgress };
      this.child.send(msg as never);
    });
  }

  async transcribe(pcm: Int16Array, offset: number, opts: TranscribeCallOptions) {
    const seconds = pcm.length / 16000;
    const r = await this.request(
      {
        type: 'transcribe',
        // A view is serialized with its whole buffer: send a copy of just this window.
        pcm: pcm.byteOffset === 0 && pcm.byteLength === pcm.buffer.byteLength ? pcm : pcm.slice(),
        options: {
          language: whisperLanguage(opts.language, this.info.multilingual, basename(this.file)),
          prompt: opts.prompt,
          tokenTimestamps: true,
          maxLen: 1,
          temperature: 0,
          // Temperature fallback makes results non-repeatable and slow: a deterministic single pass.
          temperatureInc: 0,
          maxThreads: this.o.threads,
        },
      },
      this.o.timeout.baseMs + this.o.timeout.perSecondMs * seconds,
      `transcribing ${seconds.toFixed(0)} s of audio with ${basename(this.file)}`,
      opts.onProgress,
    );
    if (r.type !== 'result') throw new UserError(`whisper.cpp failed: ${this.why(r)}`);
    return { words: tokensToWords(r.segments, offset, seconds), language: r.language };
  }

  async close(): Promise<void> {
    if (!this.exited && this.child.connected) this.child.send({ type: 'close' } as never);
    const t = setTimeout(() => this.child.kill('SIGKILL'), 2000);
    await this.child.catch(() => {});
    clearTimeout(t);
  }
}
