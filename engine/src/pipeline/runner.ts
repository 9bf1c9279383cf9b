import { errorMessage } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { Progress } from '../util/progress.js';

/** What a stage reports back: a one-line summary, the files it produced, and whether it was a cache hit. */
export interface StageOutcome {
  summary: string;
  outputs: string[];
  cached: boolean;
  /** Non-fatal problems worth telling the user (e.g. "no speech model: transcript skipped"). */
  warnings?: string[];
  /** The stage found it had nothing it could do (e.g. no speech model installed): why. */
  skipped?: string;
}

export interface Stage<C> {
  name: string;
  /** When set, the stage is not run and this says why (e.g. no video input for scene detection). */
  skipIf?(ctx: C): string | undefined;
  run(ctx: C): Promise<StageOutcome>;
}

export interface StageReport extends Partial<StageOutcome> {
  stage: string;
  status: 'done' | 'cached' | 'skipped' | 'failed';
  seconds: number;
  reason?: string;
  error?: string;
}

/**
 * Run stages in order with per-stage timings and progress lines. A failing stage stops the run (later
 * stages depend on it); every stage's outputs are written atomically and cached, so re-running resumes.
 */
export async function runStages<C>(
  stages: readonly Stage<C>[],
  ctx: C,
  opts: { skip: ReadonlySet<string>; progress: Progress; logger: Logger },
): Promise<{ reports: StageReport[] }> {
  const reports: StageReport[] = [];
  const n = stages.length;
  for (const [i, stage] of stages.entries()) {
    const tag = `[${i + 1}/${n}] ${stage.name}`;
    const reason = opts.skip.has(stage.name) ? 'skipped with --skip' : stage.skipIf?.(ctx);
    if (reason) {
      reports.push({ stage: stage.name, status: 'skipped', seconds: 0, reason });
      opts.progress.line(`${tag}: skipped (${reason})`);
      opts.logger.log('info', 'stage.skipped', { stage: stage.name, reason });
      continue;
    }
    const t0 = performance.now();
    opts.progress.start(tag);
    opts.logger.log('info', 'stage.start', { stage: stage.name });
    try {
      const out = await stage.run(ctx);
      const seconds = (performance.now() - t0) / 1000;
      const status = out.skipped ? 'skipped' : out.cached ? 'cached' : 'done';
      reports.push({ stage: stage.name, status, seconds, ...out, reason: out.skipped });
      opts.progress.done(`${tag}: ${out.summary}${out.cached ? ' (cached)' : ''} — ${seconds.toFixed(2)} s`);
      for (const w of out.warnings ?? []) opts.progress.line(`    warning: ${w}`);
      opts.logger.log('info', 'stage.done', {
        stage: stage.name,
        seconds,
        cached: out.cached,
        outputs: out.outputs,
        warnings: out.warnings,
      });
    } catch (error) {
      const seconds = (performance.now() - t0) / 1000;
      reports.push({ stage: stage.name, status: 'failed', seconds, error: errorMessage(error) });
      opts.progress.done(`${tag}: failed after ${seconds.toFixed(2)} s`);
      opts.logger.log('error', 'stage.failed', { stage: stage.name, seconds, error: errorMessage(error) });
      throw error;
    }
  }
  return { reports };
}
