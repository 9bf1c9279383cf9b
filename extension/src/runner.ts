// Runs an engine command with a progress notification (Cancel kills the child), logs to the "AutoEdit"
// output channel and turns failures into actionable messages.

import type { RunEvent } from '@autoedit/engine/schemas';
import * as vscode from 'vscode';
import { type EngineResult, engineEnv, findEngineCli, runEngine } from './engine-process.js';
import { explainFailure } from './errors.js';
import { describeEvent, ProgressTracker } from './run-events.js';

export class EngineRunner implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('AutoEdit');
  private readonly eventsEmitter = new vscode.EventEmitter<RunEvent>();
  /** Every event of every run this window starts (the tree and the transcript panel listen). */
  readonly onEvent = this.eventsEmitter.event;
  private readonly running = new Set<AbortController>();

  constructor(private readonly extensionDir: string) {}

  cli(): string {
    return findEngineCli(this.extensionDir);
  }

  env(): Record<string, string> {
    const c = vscode.workspace.getConfiguration('autoedit');
    return engineEnv({ ffmpegPath: c.get<string>('ffmpegPath'), meltPath: c.get<string>('meltPath') });
  }

  /** Runs `autoedit <args>` with a cancellable progress notification; resolves with the result (never throws). */
  async run(
    title: string,
    args: string[],
    opts: { cwd?: string; quiet?: boolean } = {},
  ): Promise<EngineResult | undefined> {
    let cli: string;
    try {
      cli = this.cli();
    } catch (e) {
      void vscode.window.showErrorMessage(String((e as Error).message));
      return undefined;
    }
    this.output.appendLine(`$ autoedit ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
    const controller = new AbortController();
    this.running.add(controller);
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `AutoEdit: ${title}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          const tracker = new ProgressTracker();
          let last = 0;
          return runEngine({
            cli,
            args,
            cwd: opts.cwd,
            env: this.env(),
            signal: controller.signal,
            onEvent: (event) => {
              const line = describeEvent(event);
              if (line) this.output.appendLine(line);
              const view = tracker.update(event);
              if (view) {
                progress.report({ message: view.message, increment: view.percent - last });
                last = view.percent;
              }
              this.eventsEmitter.fire(event);
            },
            onLine: (line) => this.output.appendLine(line),
          });
        },
      );
      this.report(title, result, opts.quiet);
      return result;
    } catch (e) {
      this.output.appendLine(`could not start the engine: ${(e as Error).message}`);
      void vscode.window.showErrorMessage(`AutoEdit could not start its engine: ${(e as Error).message}`);
      return undefined;
    } finally {
      this.running.delete(controller);
    }
  }

  private report(title: string, r: EngineResult, quiet = false): void {
    const ok = r.exitCode === 0;
    this.output.appendLine(`(exit ${r.exitCode ?? r.signal})`);
    if (ok) {
      const f = r.finished;
      if (!quiet) {
        const outputs = f?.outputs.map((o) => o.path.split(/[\\/]/).pop()).join(', ');
        void vscode.window.showInformationMessage(
          `AutoEdit: ${title} finished${f ? ` in ${f.seconds.toFixed(1)} s` : ''}${outputs ? ` — ${outputs}` : ''}.`,
        );
      }
      return;
    }
    const stageError = r.events.find((e) => e.type === 'stage.failed');
    const failure = explainFailure({
      exitCode: r.exitCode,
      signal: r.cancelled ? 'SIGINT' : r.signal,
      error: r.finished?.error ?? (stageError?.type === 'stage.failed' ? stageError.error : undefined),
      stderrTail: r.stderrTail,
    });
    if (!failure.actions.length) {
      void vscode.window.showInformationMessage(failure.message);
      return;
    }
    const show =
      r.exitCode === 1 && r.finished?.status === 'partial'
        ? vscode.window.showWarningMessage
        : vscode.window.showErrorMessage;
    void show(failure.message, ...failure.actions.map((a) => a.title)).then((picked) => {
      const action = failure.actions.find((a) => a.title === picked);
      if (!action) return;
      if (action.action === 'showOutput') this.output.show(true);
      else if (action.action === 'openSettings')
        void vscode.commands.executeCommand('workbench.action.openSettings', action.setting ?? 'autoedit');
      else if (action.action === 'pullModel')
        void vscode.commands.executeCommand('autoedit.pullWhisperModel');
    });
  }

  dispose(): void {
    for (const c of this.running) c.abort();
    this.eventsEmitter.dispose();
    this.output.dispose();
  }
}
