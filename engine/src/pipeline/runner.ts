import type { StageName, StageReport } from '../schemas/events.js';
import { CancelledError, errorInfo, throwIfCancelled } from '../util/errors.js';
import type { Progress } from '../util/progress.js';
import type { RunEmitter } from './events.js';

/** What a stage reports back: a one-line summary, the files it produced, and whether it was a cache hit. */
export interface StageOutcome {
  summary: string;
  /** Artifacts and outputs written (absolute paths). */
  outputs: string[];
  cached: boolean;
  /** Non-fatal problems worth telling the user (e.g. "no speech model: transcript skipped"). */
  warnings?: string[];
  /** The stage found it had nothing it could do (e.g. no speech model installed): why. */
  skipped?: string;
}

/** What every stage gets besides the run's own context. */
export interface StageEnv {
  signal?: AbortSignal;
  /** Progress reported as this stage's events. */
  progress: Progress;
}

export interface Stage<C> {
  name: StageName;
  /** When set, the stage is not run and this says why (e.g. no video input for scene detection). */
  skipIf?(ctx: C): string | undefined;
  run(ctx: C, env: StageEnv): Promise<StageOutcome>;
}

/**
 * Run stages in order, reporting each as events (started, progress, finished with timing / skipped with
 * reason / failed with the error). A failing stage stops the run: later stages depend on it. Every stage
 * writes its artifacts atomically and caches its results, so a failed or cancelled run resumes.
 */
export async function runStages<C>(
  stages: readonly Stage<C>[],
  ctx: C,
  opts: {
    skip: ReadonlyMap<StageName, string>;
    emitter: RunEmitter;
    signal?: AbortSignal;
    /** Filled as stages end, so the caller has them when a stage throws. */
    reports: StageReport[];
  },
): Promise<void> {
  const { emitter, signal, reports } = opts;
  for (const [i, stage] of stages.entries()) {
    throwIfCancelled(signal);
    const reason = opts.skip.get(stage.name) ?? stage.skipIf?.(ctx);
    if (reason) {
      reports.push({ stage: stage.name, status: 'skipped', seconds: 0, reason, artifacts: [], warnings: [] });
      emitter.emit({ type: 'stage.skipped', stage: stage.name, reason });
      continue;
    }
    const t0 = performance.now();
    emitter.emit({ type: 'stage.started', stage: stage.name, index: i + 1, total: stages.length });
    try {
      const out = await stage.run(ctx, { signal, progress: emitter.progressFor(stage.name) });
      // A stage that returns after the signal fired may have cut its work short: it does not count as done.
      throwIfCancelled(signal);
      const seconds = (performance.now() - t0) / 1000;
      const warnings = out.warnings ?? [];
      for (const message of warnings) emitter.emit({ type: 'warning', stage: stage.name, message });
      if (out.skipped) {
        reports.push({
          stage: stage.name,
          status: 'skipped',
          seconds,
          reason: out.skipped,
          summary: out.summary,
          artifacts: out.outputs,
          warnings,
        });
        emitter.emit({ type: 'stage.skipped', stage: stage.name, reason: out.skipped });
        continue;
      }
      const status = out.cached ? 'cached' : 'done';
      reports.push({
        stage: stage.name,
        status,
        seconds,
        summary: out.summary,
        artifacts: out.outputs,
        warnings,
      });
      emitter.emit({
        type: 'stage.finished',
        stage: stage.name,
        status,
        cached: out.cached,
        seconds,
        summary: out.summary,
        artifacts: out.outputs,
      });
    } catch (e) {
      const seconds = (performance.now() - t0) / 1000;
      const error = errorInfo(e, signal);
      const cancelled = error.name === 'CancelledError';
      reports.push({
        stage: stage.name,
        status: cancelled ? 'cancelled' : 'failed',
        seconds,
        error,
        artifacts: [],
        warnings: [],
      });
      emitter.emit({ type: 'stage.failed', stage: stage.name, seconds, error, cancelled });
      throw cancelled && !(e instanceof CancelledError) ? new CancelledError('cancelled', { cause: e }) : e;
    }
  }
}
