// Start Watching's child process: `autoedit --events watch <project-folder>`, its lines read as watch events.
// No `vscode` import: the unit test starts the real watcher through this very code.
import type { ChildProcess } from 'node:child_process';
import type { WatchEvent } from '@autoedit/engine/schemas';
import { type EngineResult, runEngine } from './engine-process.js';
import { parseWatchEventLine } from './watch-events.js';

export interface WatchOptions {
  cli: string;
  /** The project folder: media (recursively), autoedit.rules.json, the outputs; run data in .autoedit/. */
  project: string;
  env?: Record<string, string>;
  /** `none`: no Kdenlive reload over D-Bus (default: the watcher's own, reload when Kdenlive has it open). */
  reload?: 'kdenlive' | 'none';
  skip?: string[];
  model?: string;
  onEvent?: (event: WatchEvent) => void;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Abort = Stop Watching: SIGINT, the watcher cancels its run (outputs are whole or untouched), exit 130. */
  signal?: AbortSignal;
}

/** The CLI's arguments: `--events` is a global option, so it comes before the command. */
export function watchArgs(o: Pick<WatchOptions, 'project' | 'reload' | 'skip' | 'model'>): string[] {
  const args = ['--events', 'watch', o.project];
  if (o.reload) args.push('--reload', o.reload);
  if (o.skip?.length) args.push('--skip', o.skip.join(','));
  if (o.model) args.push('--model', o.model);
  return args;
}

export function startWatch(o: WatchOptions): Promise<WatchResult> & { child: ChildProcess } {
  return runEngine<WatchEvent>({
    cli: o.cli,
    args: watchArgs(o),
    env: o.env,
    parse: parseWatchEventLine,
    onEvent: o.onEvent,
    onLine: o.onLine,
    signal: o.signal,
  });
}

export type WatchResult = EngineResult<WatchEvent>;
