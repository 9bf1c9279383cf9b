import { basename } from 'node:path';
import type { Word } from '@autoedit/engine';
import { LocalWhisper, modelDigest } from '@autoedit/engine';
import type { Logger } from '@autoedit/service-kit';

/**
 * The loaded model: `size` whisper.cpp workers (the engine's LocalWhisper, the CLI's own backend), each
 * loaded once at start-up and reused for every request. A worker that is killed (job timeout, cancelled
 * request, crash) is replaced by a fresh one in the background.
 */
export class WhisperPool {
  private readonly idle: LocalWhisper[] = [];
  private readonly waiters: ((w: LocalWhisper) => void)[] = [];
  /** Every worker alive or being opened, busy or idle: close() stops them all, replacements included. */
  private readonly all = new Set<LocalWhisper>();
  private closed = false;

  private constructor(
    readonly file: string,
    /** `<file name>@<first 12 hex of sha256>`, as in transcript.json. */
    readonly model: string,
    private readonly open: () => Promise<LocalWhisper>,
    private readonly log: Logger,
  ) {}

  static async load(o: {
    modelPath: string;
    size: number;
    threads?: number;
    gpu?: 'cuda' | 'vulkan';
    jobTimeoutS: number;
    log: Logger;
  }): Promise<WhisperPool> {
    const digest = await modelDigest(o.modelPath);
    const model = `${basename(o.modelPath)}@${digest.slice(7, 19)}`;
    const open = () =>
      LocalWhisper.open(o.modelPath, {
        id: model,
        threads: o.threads || undefined,
        gpu: o.gpu,
        // The job's own deadline is the real limit; this only catches a worker that hangs beyond it.
        timeout: { baseMs: o.jobTimeoutS * 1000 + 5000, perSecondMs: 0 },
      });
    const pool = new WhisperPool(o.modelPath, model, open, o.log);
    const workers = await Promise.all(Array.from({ length: o.size }, open));
    for (const w of workers) pool.all.add(w);
    pool.idle.push(...workers);
    return pool;
  }

  private take(): Promise<LocalWhisper> {
    const w = this.idle.pop();
    return w ? Promise.resolve(w) : new Promise((resolve) => this.waiters.push(resolve));
  }

  private give(w: LocalWhisper): void {
    if (this.closed) {
      this.all.delete(w);
      void w.close();
      return;
    }
    const next = this.waiters.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  private replace(old: LocalWhisper, why: string): void {
    this.log.log('warn', 'whisper worker replaced', { why });
    this.all.delete(old);
    void old.close().catch(() => {});
    const retry = (attempt: number) => {
      if (this.closed) return;
      this.open().then(
        (w) => {
          this.all.add(w);
          this.give(w);
        },
        (e) => {
          this.log.log('error', 'whisper worker failed to load', { error: e as Error, attempt });
          setTimeout(() => retry(attempt + 1), Math.min(30_000, 1000 * 2 ** attempt)).unref();
        },
      );
    };
    retry(0);
  }

  /** Words with times from the start of `pcm` (16 kHz mono). Aborting `signal` kills the transcription. */
  async transcribe(
    pcm: Int16Array,
    o: { language?: string; prompt?: string },
    signal: AbortSignal,
  ): Promise<{ words: Word[]; language?: string }> {
    const w = await this.take();
    let killed = false;
    const kill = () => {
      killed = true;
      void w.close();
    };
    signal.addEventListener('abort', kill, { once: true });
    try {
      const r = await w.transcribe(pcm, 0, { language: o.language, prompt: o.prompt });
      if (killed) throw signal.reason ?? new Error('cancelled');
      return r;
    } catch (e) {
      if (killed) throw signal.reason ?? e;
      throw e;
    } finally {
      signal.removeEventListener('abort', kill);
      if (killed) this.replace(w, 'job cancelled or timed out');
      else if (!w.alive) this.replace(w, 'worker exited');
      else this.give(w);
    }
  }

  /** Stops every worker, busy ones too (their jobs fail); a replacement still loading is stopped when it arrives. */
  async close(): Promise<void> {
    this.closed = true;
    this.idle.length = 0;
    const all = [...this.all];
    this.all.clear();
    await Promise.all(all.map((w) => w.close().catch(() => {})));
  }
}
