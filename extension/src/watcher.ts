// Start/Stop Watching: the engine's watcher (`autoedit watch <folder> --events`) in a child process, one per
// folder, and a status-bar item that shows its state from the event stream. Isolated here: when the engine
// exposes a watcher API, only this module changes.
import type { ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { runEngine } from './engine-process.js';
import type { EngineRunner } from './runner.js';

interface Watch {
  child: ChildProcess;
  controller: AbortController;
  state: string;
}

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

  isWatching(dir: string): boolean {
    return this.watches.has(dir);
  }

  start(dir: string): void {
    if (this.watches.has(dir)) return;
    const controller = new AbortController();
    const out = this.runner.output;
    out.appendLine(`$ autoedit watch ${dir} --events`);
    const run = runEngine({
      cli: this.runner.cli(),
      args: ['--events', 'watch', dir],
      env: this.runner.env(),
      signal: controller.signal,
      onLine: (l) => out.appendLine(`[watch ${basename(dir)}] ${l}`),
      onEvent: (event) => {
        const w = this.watches.get(dir);
        if (!w) return;
        if (event.type === 'run.started') w.state = 'regenerating';
        else if (event.type === 'run.finished') w.state = event.status === 'ok' ? 'up to date' : event.status;
        this.render();
        this.onChange();
      },
    });
    this.watches.set(dir, { child: run.child, controller, state: 'watching' });
    this.render();
    void run.then(
      (r) => {
        this.watches.delete(dir);
        this.render();
        if (!r.cancelled && r.exitCode !== 0)
          void vscode.window
            .showErrorMessage(
              `AutoEdit: the watcher for ${basename(dir)} stopped (exit ${r.exitCode ?? r.signal}). ${r.stderrTail.split('\n').pop() ?? ''}`,
              'Show Output',
            )
            .then((p) => p && out.show(true));
      },
      (e) => {
        this.watches.delete(dir);
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
    const states = [...this.watches.values()].map((w) => w.state);
    const busy = states.includes('regenerating');
    this.status.text = `${busy ? '$(sync~spin)' : '$(eye)'} AutoEdit: ${n === 1 ? states[0] : `${n} folders`}`;
    this.status.tooltip = `${[...this.watches].map(([d, w]) => `${d}: ${w.state}`).join('\n')}\nClick to stop watching`;
    this.status.show();
  }

  dispose(): void {
    this.stop();
    this.status.dispose();
  }
}
