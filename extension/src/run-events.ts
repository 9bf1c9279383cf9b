// The engine's event stream as the extension reads it: JSON lines from `autoedit … --events`, validated
// against the engine's schema, folded into what a progress notification shows. No `vscode` import: unit-tested.
import { type RunEvent, RunEventSchema } from '@autoedit/engine/schemas';

/** Splits a byte stream into lines; a line may arrive in several chunks. */
export class LineSplitter {
  private rest = '';
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim().length > 0);
  }
  /** What is left when the stream ends (a last line without newline). */
  end(): string[] {
    const last = this.rest.trim();
    this.rest = '';
    return last ? [last] : [];
  }
}

/** An event, or undefined for a line that is not one (the CLI's own messages end up in the output channel). */
export function parseEventLine(line: string): RunEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = RunEventSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** What the progress notification says after an event, and how far (0–100) the run is overall. */
export interface ProgressView {
  message: string;
  percent: number;
}

/**
 * Folds events into one overall percentage: every stage of `run.started` gets an equal share, the running
 * stage's `fraction` fills its share. Percentages never go back (VS Code's progress takes increments).
 */
export class ProgressTracker {
  private stages: string[] = [];
  private current = -1;
  private percent = 0;

  update(event: RunEvent): ProgressView | undefined {
    switch (event.type) {
      case 'run.started':
        this.stages = event.stages;
        return { message: `${event.stages.join(' → ')}`, percent: this.percent };
      case 'stage.started':
        this.current = event.index - 1;
        return this.at(event.index - 1, 0, `${event.stage} (${event.index}/${event.total})`);
      case 'stage.progress': {
        const i = this.stages.indexOf(event.stage);
        const label =
          event.fraction !== undefined ? `${Math.round(event.fraction * 100)} %` : `${event.done}`;
        return this.at(i < 0 ? this.current : i, event.fraction ?? 0, `${event.label} — ${label}`);
      }
      case 'stage.finished':
        return this.at(this.stages.indexOf(event.stage), 1, `${event.stage}: ${event.summary}`);
      case 'stage.skipped':
        return this.at(this.stages.indexOf(event.stage), 1, `${event.stage} skipped: ${event.reason}`);
      case 'run.finished':
        this.percent = 100;
        return { message: event.status, percent: 100 };
      default:
        return undefined;
    }
  }

  private at(index: number, fraction: number, message: string): ProgressView {
    const n = Math.max(1, this.stages.length);
    const p = index < 0 ? this.percent : Math.min(100, ((index + fraction) / n) * 100);
    this.percent = Math.max(this.percent, p);
    return { message, percent: this.percent };
  }
}

/** A one-line human form of an event for the output channel. */
export function describeEvent(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'run.started':
      return `▶ run ${event.runId}: ${event.stages.join(' → ')} on ${event.inputs.length} input(s)`;
    case 'stage.started':
      return `  ${event.stage} …`;
    case 'stage.finished':
      return `  ✓ ${event.stage}${event.cached ? ' (cached)' : ''} ${event.seconds.toFixed(2)} s — ${event.summary}`;
    case 'stage.skipped':
      return `  – ${event.stage} skipped: ${event.reason}`;
    case 'stage.failed':
      return `  ✗ ${event.stage}${event.cancelled ? ' cancelled' : ` failed: ${event.error.message}`}`;
    case 'warning':
      return `  ! ${event.stage ? `${event.stage}: ` : ''}${event.message}`;
    case 'message':
      return `  ${event.text}`;
    case 'run.finished':
      return `■ ${event.status} in ${event.seconds.toFixed(2)} s${event.outputs.length ? `; outputs:\n${event.outputs.map((o) => `    ${o.path}`).join('\n')}` : ''}`;
    default:
      return undefined;
  }
}
