/**
 * Progress on stderr: a redrawn bar on a TTY, nothing otherwise (scripts use --json and the log).
 * Kept dependency-free and tiny on purpose.
 */
export interface Progress {
  /** Start a task with a label and an optional total (units of work). */
  start(label: string, total?: number): void;
  update(done: number, note?: string): void;
  /** Finish the current task with a one-line summary. */
  done(summary: string): void;
  /** A line that is not a progress update (kept in the scrollback). */
  line(text: string): void;
}

export const silentProgress: Progress = { start() {}, update() {}, done() {}, line() {} };

function fmtTime(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--:--';
  const m = Math.floor(s / 60);
  return `${m}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
}

export function ttyProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  let label = '';
  let total: number | undefined;
  let t0 = 0;
  let last = 0;
  const clear = () => stream.write('\r\x1b[2K');
  return {
    start(l, t) {
      label = l;
      total = t;
      t0 = performance.now();
      last = 0;
      clear();
      stream.write(`${label}…`);
    },
    update(done, note) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const elapsed = (now - t0) / 1000;
      let text = `${label} `;
      if (total && total > 0) {
        const f = Math.min(1, done / total);
        const width = 24;
        const fill = Math.round(f * width);
        const eta = f > 0 ? (elapsed / f) * (1 - f) : Number.NaN;
        text += `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(f * 100).toFixed(0)}% ETA ${fmtTime(eta)}`;
      } else {
        text += `${done} (${fmtTime(elapsed)})`;
      }
      if (note) text += ` ${note}`;
      clear();
      stream.write(text.slice(0, (stream.columns || 100) - 1));
    },
    done(summary) {
      clear();
      stream.write(`${summary}\n`);
    },
    line(text) {
      clear();
      stream.write(`${text}\n`);
    },
  };
}

/** Plain per-stage lines for non-TTY humans (CI logs). */
export function lineProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  return {
    start() {},
    update() {},
    done: (summary) => void stream.write(`${summary}\n`),
    line: (text) => void stream.write(`${text}\n`),
  };
}
