import { randomBytes } from 'node:crypto';
import type { RunEvent, StageName } from '../schemas/events.js';
import type { Logger } from '../util/log.js';
import type { Progress } from '../util/progress.js';

/** Distributive Omit over the union: an event as a stage emits it, before the run's header is added. */
type Body<E> = E extends unknown ? Omit<E, 'runId' | 'run' | 'time'> : never;
export type EventBody = Body<RunEvent>;

export type EventListener = (event: RunEvent) => void;

/** A short id per run, so consumers can tell runs apart in one stream. */
export const newRunId = (): string => `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/**
 * Emits a run's events: adds the header, mirrors them into the JSON-lines log, and never lets a listener's
 * exception break the run.
 */
export class RunEmitter {
  constructor(
    readonly runId: string,
    readonly run: string,
    private readonly listener: EventListener | undefined,
    private readonly logger: Logger,
  ) {}

  emit(body: EventBody): RunEvent {
    const event = { ...body, runId: this.runId, run: this.run, time: new Date().toISOString() } as RunEvent;
    if (event.type !== 'stage.progress') {
      const level = event.type === 'warning' ? 'warn' : event.type === 'stage.failed' ? 'error' : 'info';
      const { type, runId: _r, run: _d, time: _t, ...fields } = event;
      this.logger.log(level, type, fields);
    }
    try {
      this.listener?.(event);
    } catch {
      // A consumer's bug must not fail or corrupt the run.
    }
    return event;
  }

  /**
   * A `Progress` for one stage that turns the stage's start/update/done/line calls into events: progress with
   * fraction and rate (at most ten per second), and messages.
   */
  progressFor(stage: StageName): Progress {
    let label: string = stage;
    let total: number | undefined;
    let t0 = performance.now();
    let last = 0;
    return {
      start: (l, t) => {
        label = l;
        total = t;
        t0 = performance.now();
        last = 0;
        this.emit({ type: 'stage.progress', stage, label, done: 0, total, fraction: total ? 0 : undefined });
      },
      update: (done, note) => {
        const now = performance.now();
        if (now - last < 100 && !(total && done >= total)) return;
        last = now;
        const elapsed = (now - t0) / 1000;
        this.emit({
          type: 'stage.progress',
          stage,
          label,
          done,
          total,
          fraction: total ? Math.min(1, done / total) : undefined,
          rate: elapsed > 0 ? done / elapsed : undefined,
          note,
        });
      },
      done: (summary) => void this.emit({ type: 'message', stage, text: summary }),
      line: (text) => void this.emit({ type: 'message', stage, text }),
    };
  }
}
