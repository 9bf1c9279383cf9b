// Start/Stop Watching: the engine's watcher (`autoedit --events watch <project-folder>`) in a child process, one
// per project folder, and a status-bar item that shows its state from the event stream. The process and the
// reading of its events live in watch-process.ts / watch-events.ts (no `vscode`, unit-tested); this is the UI.
import type { ChildProcess } from 'node:child_process';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { describeEvent } from './run-events.js';
import type { EngineRunner } from './runner.js';
import { describeWatchEvent, type WatchState, WatchTracker } from './watch-events.js';
import { startWatch, watchArgs } from './watch-process.js';

interface Watch {
  child: ChildProcess;
  controller: AbortController;
  tracker: WatchTracker;
}

const ICONS: Record<WatchState, string> = {
  starting: '$(loading~spin)',
  watching: '$(eye)',
  regenerating: '$(sync~spin)',
  error: '$(error)',
};

export class Watchers implements vscode.Disposable {
  private readonly watches = new Map<string, Watch>();
  private readonly status = vscode.window.createStatusBarItem(
    'autoedit.watch',
    vscode.StatusBarAlignment.Left,
    50,
  );

  constructor(
    private readonly runner: EngineRunner,
    private readonly onChange: () => void,
  ) {
    this.status.name = 'AutoEdit Watcher';
    this.status.command = 'autoedit.stopWatching';
    this.render();
  }

  /** A project folder, or the run folder a watcher keeps (<project>/.autoedit). */
  isWatching(dir: string): boolean {
    return this.watches.has(dir) || (basename(dir) === '.autoedit' && this.watches.has(dirname(dir)));
  }

  start(project: string): void {
    if (this.watches.has(project)) return;
    const controller = new AbortController();
    const out = this.runner.output;
    const name = basename(project);
    const model = vscode.workspace.getConfiguration('autoedit').get<string>('whisperModel') || undefined;
    let cli: string;
    try {
      cli = this.runner.cli();
    } catch (e) {
      void vscode.window.showErrorMessage(`AutoEdit could not start the watcher: ${(e as Error).message}`);
      return;
    }
    out.appendLine(`$ autoedit ${watchArgs({ project, model }).join(' ')}`);
    const tracker = new WatchTracker();
    const run = startWatch({
      cli,
      project,
      model,
      env: this.runner.env(),
      signal: controller.signal,
      onLine: (l) => out.appendLine(`[watch ${name}] ${l}`),
      onEvent: (event) => {
        const line = event.type.startsWith('watch.')
          ? describeWatchEvent(event)
          : describeEvent(event as never);
        if (line) out.appendLine(`[watch ${name}] ${line}`);
        if (!this.watches.has(project)) return;
        const reaction = tracker.update(event);
        if (!reaction) return;
        this.render();
        if (reaction.refresh) this.onChange();
        const n = reaction.notify;
        if (n) {
          const show =
            n.level === 'error'
              ? vscode.window.showErrorMessage
              : n.level === 'warning'
                ? vscode.window.showWarningMessage
                : vscode.window.showInformationMessage;
          void show(`AutoEdit (${name}): ${n.message}`, 'Show Output').then((p) => p && out.show(true));
        }
      },
    });
    this.watches.set(project, { child: run.child, controller, tracker });
    this.render();
    void run.then(
      (r) => {
        this.watches.delete(project);
        this.render();
        this.onChange();
        if (!r.cancelled && r.exitCode !== 0)
          void vscode.window
            .showErrorMessage(
              `AutoEdit: the watcher for ${name} stopped (exit ${r.exitCode ?? r.signal}). ${r.stderrTail.split('\n').pop() ?? ''}`,
              'Show Output',
            )
            .then((p) => p && out.show(true));
      },
      (e) => {
        this.watches.delete(project);
        this.render();
        void vscode.window.showErrorMessage(`AutoEdit could not start the watcher: ${(e as Error).message}`);
      },
    );
  }

  stop(dir?: string): void {
    for (const [d, w] of this.watches) if (!dir || d === dir) w.controller.abort();
  }

  folders(): string[] {
    return [...this.watches.keys()];
  }

  private render(): void {
    const n = this.watches.size;
    if (!n) {
      this.status.hide();
      return;
    }
    const states = [...this.watches.values()].map((w) => w.tracker.state);
    // The most telling state of all the folders: an error, else work, else starting, else watching.
    const state =
      (['error', 'regenerating', 'starting', 'watching'] as const).find((s) => states.includes(s)) ??
      'watching';
    const label = n === 1 ? state : `${state} (${n} folders)`;
    this.status.text = `${ICONS[state]} AutoEdit: ${label}`;
    this.status.tooltip = `${[...this.watches].map(([d, w]) => `${d}: ${w.tracker.state}`).join('\n')}\nClick to stop watching`;
    this.status.backgroundColor =
      state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.status.show();
  }

  dispose(): void {
    this.stop();
    this.status.dispose();
  }
}
