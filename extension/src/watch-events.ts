// The watcher's event stream as the extension reads it: JSON lines from `autoedit --events watch <folder>`
// (its own watch.* events and the events of every run it starts), validated against the engine's schemas, and
// folded into what the status bar shows and which messages pop up. No `vscode` import: unit-tested.
import { RunEventSchema, type WatchEvent, WatchOwnEventSchema } from '@autoedit/engine/schemas';

/** A watch event, or undefined for a line that is not one (it goes to the output channel). */
export function parseWatchEventLine(line: string): WatchEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const type = (json as { type?: unknown } | null)?.type;
  const schema = typeof type === 'string' && type.startsWith('watch.') ? WatchOwnEventSchema : RunEventSchema;
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export type WatchState = 'starting' | 'watching' | 'regenerating' | 'error';

/** What the extension does after one event. */
export interface WatchReaction {
  state: WatchState;
  /** The timeline (and the run folder) changed: refresh the tree. */
  refresh?: boolean;
  /** Pop up this message (each one once: the same error on every save would be noise). */
  notify?: { level: 'error' | 'warning' | 'info'; message: string };
}

/**
 * Folds a watcher's events into its state. `starting` until the watcher is ready, `regenerating` while a run
 * goes, `error` after a failed run or invalid rules (the last good timeline stays) until the next success.
 */
export class WatchTracker {
  state: WatchState = 'starting';
  private readonly shown = new Set<string>();

  update(e: WatchEvent): WatchReaction | undefined {
    switch (e.type) {
      case 'watch.ready':
        this.state = 'watching';
        return { state: this.state };
      case 'run.started':
        this.state = 'regenerating';
        return { state: this.state };
      case 'watch.regenerated':
        this.state = 'watching';
        // Fixed: the same mistake made again later is worth saying again.
        for (const k of this.shown) if (k.startsWith('error:')) this.shown.delete(k);
        return { state: this.state, refresh: true };
      case 'watch.error':
        this.state = 'error';
        return this.once(`error:${e.message}`, {
          level: 'error',
          message: `${e.message}${e.hint ? ` (${e.hint})` : ''} — the last good timeline stays.`,
        });
      case 'watch.rules-invalid':
        this.state = 'error';
        // The same mistake, saved again (its line may move): said once.
        return this.once(`error:${e.file}:${e.field ?? ''}:${e.message.replace(/:\d+:\d+:/, ':')}`, {
          level: 'error',
          message: `Rules not applied: ${e.message} — the last good timeline stays.`,
        });
      case 'watch.beside':
        return this.once(`beside:${e.edited}`, { level: 'warning', message: e.message });
      case 'watch.media-skipped':
        return this.once(`skipped:${e.file}:${e.error}`, {
          level: 'warning',
          message: `Skipped ${e.file}: ${e.error}`,
        });
      default:
        return undefined;
    }
  }

  private once(key: string, notify: NonNullable<WatchReaction['notify']>): WatchReaction {
    if (this.shown.has(key)) return { state: this.state };
    this.shown.add(key);
    return { state: this.state, notify };
  }
}

/** A one-line human form of a watcher's own event for the output channel (run events: describeEvent). */
export function describeWatchEvent(e: WatchEvent): string | undefined {
  switch (e.type) {
    case 'watch.ready':
      return `watching ${e.project}: ${e.media.length} media file(s), rules ${e.rules}`;
    case 'watch.changed':
      return `changed: ${e.changes.map((c) => `${c.path} (${c.event})`).join(', ')}`;
    case 'watch.regenerated':
      return `✓ regenerated (${e.mode}, ${e.reason}) in ${e.seconds.toFixed(2)} s`;
    case 'watch.beside':
    case 'watch.notice':
      return e.message;
    case 'watch.rules-invalid':
      return `✗ rules not applied: ${e.message}`;
    case 'watch.media-skipped':
      return `✗ skipped ${e.file}: ${e.error}`;
    case 'watch.reload':
      return e.status === 'reloaded'
        ? `↻ Kdenlive reloaded the project`
        : `Kdenlive not reloaded: ${e.reason}`;
    case 'watch.on-change':
      return `--on-change: ${e.error ?? `exit ${e.exitCode}`}`;
    case 'watch.error':
      return `✗ ${e.message}${e.hint ? ` (hint: ${e.hint})` : ''}`;
    case 'watch.stopped':
      return `stopped after ${e.regenerations} regeneration(s)`;
    default:
      return undefined;
  }
}
