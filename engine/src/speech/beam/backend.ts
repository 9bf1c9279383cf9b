import { createHash, randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { wavHeader } from '@autoedit/media';
import type { Word } from '../../schemas/transcript.js';
import { type ChunkStore, openChunkStore, type StoragePlan } from '../../storage/index.js';
import { CancelledError, UserError } from '../../util/errors.js';
import { modelDigest } from '../transcribe.js';
import type { TranscribeCallOptions, Transcriber } from '../transcriber.js';
import { LocalWhisper } from '../whisper/local.js';
import { type Attempt, type BeamAccount, BeamClient, BeamUnavailableError } from './client.js';

const SR = 16000;

/** Everything the Beam speech backend needs, decided from config in pipeline/assemble.ts. */
export interface BeamPlan {
  accounts: BeamAccount[];
  apiKey?: string;
  /** Per request; a request still running then is aborted, which cancels its job on the service. */
  timeoutS: number;
  retries: number;
  /** Windows in flight at once. */
  concurrency: number;
  /** Window length (5–10 min) and overlap at seams, in seconds. */
  windowS: number;
  overlapS: number;
  /** Cost control: no request carries more audio than this (windows are planned shorter). */
  maxRequestS: number;
  /** What a window that Beam could not transcribe does: run locally, or fail the stage. */
  fallback: 'local' | 'none';
  /** How long to wait for a deployment that scales to zero to load its model, at the start of a run. */
  coldStartS: number;
  storage: StoragePlan;
}

/** Where one window was transcribed, for the run's report. */
export interface WindowReport {
  source: string;
  start: number;
  end: number;
  /** `beam:<account>` or `local`. */
  ran: string;
  attempts: Attempt[];
  /** Why it ran locally. */
  why?: string;
}

/**
 * The Beam speech backend for one stage run: an open chunk store, a client over every account, the remote
 * model's identity, and a local whisper.cpp opened only if some window needs the fallback. Each window is
 * a 16 kHz mono WAV uploaded to the store, transcribed by the service from its signed URL, checked (the
 * service's content hash must be the uploaded one), and deleted.
 */
export class BeamBackend {
  readonly report: WindowReport[] = [];
  private local?: Promise<LocalWhisper>;
  private localQueue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly run = randomUUID().slice(0, 8);

  private constructor(
    readonly plan: BeamPlan,
    private readonly client: BeamClient,
    private readonly store: ChunkStore,
    /** The service's model: `ggml-…bin@<sha256 prefix>`. */
    readonly model: { id: string; digest: string },
    private readonly localModel: { path: string; id: string } | undefined,
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * Connect: ask the first account that answers which model it runs (so the cache key and transcript name
   * the model that really transcribed), and open the chunk store. `localModel` is the fallback's model file.
   */
  static async open(
    plan: BeamPlan,
    o: { localModel?: string; signal?: AbortSignal } = {},
  ): Promise<BeamBackend> {
    const client = new BeamClient({
      accounts: plan.accounts,
      apiKey: plan.apiKey,
      timeoutMs: plan.timeoutS * 1000,
      retries: plan.retries,
    });
    let local: { path: string; id: string; digest: string } | undefined;
    if (o.localModel) {
      const digest = await modelDigest(o.localModel);
      local = { path: o.localModel, id: `${basename(o.localModel)}@${digest.slice(7, 19)}`, digest };
    }
    let model: { id: string; digest: string };
    try {
      const { health } = await client.health(o.signal, plan.coldStartS * 1000);
      if (!health.model)
        throw new BeamUnavailableError(`the service reports no model (status ${health.status})`, []);
      model = { id: health.model, digest: `beam:${health.model}` };
    } catch (e) {
      if (o.signal?.aborted) throw new CancelledError('cancelled');
      if (plan.fallback === 'none' || !o.localModel)
        throw new UserError(
          `stt_backend: beam: ${(e as Error).message}`,
          o.localModel
            ? 'Check beam.base_url and that the service is deployed, or set stt_backend: local.'
            : 'Check beam.base_url and that the service is deployed; with a local Whisper model the run falls back to it.',
        );
      // Nobody answers: every window will run locally, so the run is a local run (same model, same cache).
      model = { id: local!.id, digest: local!.digest };
    }
    const store = await openChunkStore(plan.storage);
    return new BeamBackend(plan, client, store, model, local, o.signal);
  }

  /** What transcribeFile needs to send `source`'s windows here instead of to a local worker. */
  transcribeOptions(source: string) {
    return {
      open: async () => this.transcriber(source),
      model: this.model,
      window: Math.min(this.plan.windowS, this.plan.maxRequestS),
      overlap: this.plan.overlapS,
      concurrency: this.plan.concurrency,
    };
  }

  /** A Transcriber for transcribeFile: each window goes to Beam (or to the local fallback). */
  transcriber(source: string): Transcriber {
    return {
      model: this.model.id,
      transcribe: (pcm, offset, opts) => this.window(source, pcm, offset, opts),
      close: async () => {},
    };
  }

  private async window(source: string, pcm: Int16Array, offset: number, opts: TranscribeCallOptions) {
    const seconds = pcm.length / SR;
    const end = offset + seconds;
    const signal = opts.signal ?? this.signal;
    let why: string;
    let attempts: Attempt[] = [];
    if (seconds > this.plan.maxRequestS + this.plan.overlapS) {
      why = `window of ${seconds.toFixed(0)} s is over beam.max_request_s (${this.plan.maxRequestS} s)`;
    } else {
      const wav = Buffer.concat([
        wavHeader(pcm.length, SR),
        new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength),
      ]);
      const hash = `sha256:${createHash('sha256').update(wav).digest('hex')}`;
      const key = `${this.run}/${basename(source).replace(/[^\w.-]+/g, '_')}-${offset.toFixed(3)}-${hash.slice(7, 19)}.wav`;
      // An upload that fails is a failure of the remote path like any other: this window falls back.
      const stored = await this.store.put(key, wav, 'audio/wav').catch((e: Error) => e);
      if (stored instanceof Error) {
        if (signal?.aborted) throw new CancelledError('cancelled', { cause: stored });
        why = `the upload to ${this.store.kind} storage failed: ${stored.message}`;
      } else {
        try {
          const r = await this.client.transcribe(
            {
              audio_url: stored.url,
              lang: opts.language?.toLowerCase(),
              prompt: opts.prompt,
              offset,
              words: true,
            },
            signal,
          );
          attempts = r.attempts;
          if (r.result.hash !== hash)
            throw new BeamUnavailableError(
              `the service transcribed other bytes than the uploaded window (hash ${r.result.hash.slice(0, 19)}…)`,
              attempts,
            );
          const words: Word[] = r.result.segments.flatMap((s) => s.words ?? []);
          this.report.push({ source, start: offset, end, ran: `beam:${r.account}`, attempts });
          opts.onProgress?.(1);
          return { words, language: r.result.language };
        } catch (e) {
          if (signal?.aborted) throw new CancelledError('cancelled', { cause: e });
          if (!(e instanceof BeamUnavailableError)) throw e;
          why = e.message;
          attempts = e.attempts;
        } finally {
          await stored.delete().catch(() => {});
        }
      }
    }
    if (this.plan.fallback === 'none' || !this.localModel)
      throw new UserError(
        `speech ${basename(source)} ${offset.toFixed(1)}–${end.toFixed(1)} s: Beam failed (${why}) and ${this.localModel ? 'beam.fallback is none' : 'there is no local Whisper model to fall back on'}`,
        'Check the Beam deployment (autoedit config show), or install a local model (autoedit models pull base.en).',
      );
    // The fallback: this window alone, on this machine, one window at a time.
    const run = this.localQueue.then(async () => {
      if (this.closed) throw new CancelledError('the Beam backend was closed');
      // A worker that died (killed on a timeout, crashed) is replaced for the next window.
      if (!this.local || !(await this.local.catch(() => undefined))?.alive)
        this.local = LocalWhisper.open(this.localModel!.path, {
          id: this.localModel!.id,
          signal: this.signal,
        });
      const local = await this.local;
      return local.transcribe(pcm, offset, {
        language: opts.language,
        prompt: opts.prompt,
        onProgress: opts.onProgress,
      });
    });
    this.localQueue = run.catch(() => {});
    const r = await run;
    this.report.push({ source, start: offset, end, ran: 'local', attempts, why });
    // Cached only when the local model is the service's own (same file, same hash): otherwise the next
    // run asks Beam again for this window.
    const same = this.model.id === this.localModel.id;
    return { ...r, ...(same ? {} : { cache: false as const }) };
  }

  /** One line per window that did not simply succeed on its first try, and a count of where windows ran. */
  summary(): { line: string; warnings: string[] } {
    const by = new Map<string, number>();
    for (const w of this.report) by.set(w.ran, (by.get(w.ran) ?? 0) + 1);
    const line = [...by].map(([k, n]) => `${n} on ${k}`).join(', ') || 'no window transcribed (all cached)';
    const warnings: string[] = [];
    for (const w of this.report) {
      const at = `${basename(w.source)} ${w.start.toFixed(1)}–${w.end.toFixed(1)} s`;
      const failed = w.attempts.filter((a) => !a.ok);
      if (w.ran === 'local') warnings.push(`${at}: transcribed locally — ${w.why}`);
      else if (failed.length)
        warnings.push(
          `${at}: ran on ${w.ran} after ${failed.length} failed attempt(s) (${failed.map((a) => `${a.account}: ${a.error}`).join('; ')})`,
        );
    }
    return { line, warnings };
  }

  async close(): Promise<void> {
    // Windows queued for the local fallback must not open a worker after this: wait for the one running.
    this.closed = true;
    await this.localQueue;
    await this.store.close().catch(() => {});
    if (this.local) await (await this.local.catch(() => undefined))?.close();
  }
}
