import { HttpError } from './errors.js';

/**
 * A bounded job queue: at most `concurrency` jobs run at once and at most `maxWaiting` wait; past that a
 * request is refused at once (503 + Retry-After) instead of piling up. A waiting job whose caller went
 * away (its signal aborted) leaves the queue without running.
 */
export class JobQueue {
  private running = 0;
  private readonly waiting: { start: () => void; signal?: AbortSignal; drop: () => void }[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get depth(): number {
    return this.waiting.length;
  }
  get active(): number {
    return this.running;
  }

  async run<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new HttpError(499, 'cancelled', 'the client went away');
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting)
        throw new HttpError(503, 'busy', `the service is busy (${this.waiting.length} jobs waiting)`, {
          'Retry-After': '5',
        });
      await new Promise<void>((resolve, reject) => {
        const entry = {
          start: () => {
            signal?.removeEventListener('abort', entry.drop);
            resolve();
          },
          signal,
          drop: () => {
            const i = this.waiting.indexOf(entry);
            if (i >= 0) this.waiting.splice(i, 1);
            reject(new HttpError(499, 'cancelled', 'the client went away while the job waited'));
          },
        };
        signal?.addEventListener('abort', entry.drop, { once: true });
        this.waiting.push(entry);
      });
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next job, so `running` never dips below what is really running.
      if (next) next.start();
      else this.running--;
    }
  }
}
