// Entry point. activate() only wires: every provider, watcher and command is created here and handed to
// context.subscriptions; the work lives in the modules (and heavy work in the engine's child process).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from './commands.js';
import { EngineRunner } from './runner.js';
import { TranscriptPanels } from './transcript-panel.js';
import { findProjects, type TreeNode } from './tree-model.js';
import { ProjectsProvider } from './tree-provider.js';
import { Watchers } from './watcher.js';

export function activate(context: vscode.ExtensionContext): void {
  const runner = new EngineRunner(context.extensionPath);
  const tree = new ProjectsProvider();
  const commands = new Commands(runner, tree);
  const watchers = new Watchers(runner, () => tree.refresh());
  const panels = new TranscriptPanels(context.extensionUri, {
    regenerate: async (runDir) => {
      // A running watcher regenerates by itself when the rules change.
      if (!watchers.isWatching(runDir))
        await commands.stage(['select', 'export'], 'Select and Export', runDir);
    },
  });
  const view = vscode.window.createTreeView('autoedit.projects', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });

  const openTranscript = async (arg?: unknown, time?: number) => {
    const file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    const node = arg as TreeNode | undefined;
    let runDir: string | undefined;
    if (file) runDir = runOf(file);
    else if (node?.kind === 'project') runDir = node.dir;
    else if (node?.kind === 'stage') runDir = node.project;
    runDir ??= await commands.pickRun(undefined, 'Open Transcript');
    if (runDir) panels.show(runDir, time);
  };

  const register = (id: string, fn: (...args: unknown[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  register('autoedit.runPipeline', (a) => commands.runPipeline(a));
  register('autoedit.ingest', (a) => commands.ingest(a));
  register('autoedit.detectScenes', (a) => commands.stage(['scenes'], 'Detect Scenes', a));
  register('autoedit.transcribe', (a) => commands.stage(['vad', 'stt'], 'Transcribe', a));
  register('autoedit.select', (a) => commands.stage(['select'], 'Select', a));
  register('autoedit.exportTimeline', (a) => commands.stage(['export'], 'Export Timeline', a));
  register('autoedit.render', (a) => commands.stage(['render'], 'Render', a, ['--render']));
  register('autoedit.startWatching', async (a) => {
    const dir = await commands.pickWatchFolder(a);
    if (dir) watchers.start(dir);
  });
  register('autoedit.stopWatching', async () => {
    const dirs = watchers.folders();
    if (dirs.length <= 1) return watchers.stop();
    const pick = await vscode.window.showQuickPick(['All', ...dirs], { title: 'AutoEdit: Stop Watching' });
    if (pick) watchers.stop(pick === 'All' ? undefined : pick);
  });
  register('autoedit.openInKdenlive', (a) => commands.openIn('kdenlive', a));
  register('autoedit.openInShotcut', (a) => commands.openIn('shotcut', a));
  register('autoedit.openTranscript', (a) => openTranscript(a));
  register('autoedit.revealTime', (file, time) =>
    openTranscript(file, typeof time === 'number' ? time : undefined),
  );
  register('autoedit.createRulesFile', (a) => commands.createRulesFile(a));
  register('autoedit.pullWhisperModel', () => commands.pullWhisperModel());
  register('autoedit.refresh', () => tree.refresh());
  register('autoedit.showOutput', () => runner.output.show(true));

  context.subscriptions.push(
    runner,
    tree,
    view,
    watchers,
    panels,
    runner.onEvent((e) => tree.onRunEvent(e)),
  );

  if (vscode.workspace.getConfiguration('autoedit').get<boolean>('autoWatch')) {
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    for (const p of findProjects(roots)) if (p.type === 'rules') watchers.start(p.dir);
  }
}

export function deactivate(): void {}

/** The run folder a file belongs to (the file's own folder or an ancestor holding media.db.json). */
function runOf(file: string): string | undefined {
  let dir = file;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'media.db.json'))) return dir;
    dir = dirname(dir);
  }
  return undefined;
}
