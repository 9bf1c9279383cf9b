// The "Projects" view: maps tree-model nodes to TreeItems. Refreshes through an EventEmitter fired by
// file-system watchers (debounced) and by run events from commands.

import type { RunEvent } from '@autoedit/engine/schemas';
import * as vscode from 'vscode';
import { applyEvent, buildTree, type LiveStates, type StageState, type TreeNode } from './tree-model.js';

const STATE_ICONS: Record<StageState, [string, string | undefined]> = {
  done: ['pass', 'testing.iconPassed'],
  cached: ['database', 'charts.blue'],
  stale: ['history', 'list.warningForeground'],
  running: ['sync~spin', undefined],
  failed: ['error', 'list.errorForeground'],
  skipped: ['debug-step-over', 'disabledForeground'],
  pending: ['circle-outline', 'disabledForeground'],
};

export class ProjectsProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly live = new Map<string, LiveStates>();
  private roots: TreeNode[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor() {
    // Artifacts, logs, rules and outputs: anything the tree shows.
    for (const glob of [
      '**/media.db.json',
      '**/artifacts/*.json',
      '**/logs/*.jsonl',
      '**/outputs/*',
      '**/rules.json',
      '**/autoedit.rules.json',
    ]) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      w.onDidCreate(() => this.refreshSoon());
      w.onDidChange(() => this.refreshSoon());
      w.onDidDelete(() => this.refreshSoon());
      this.disposables.push(w);
    }
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
  }

  /** Fold a run event of a run this window started into the live states, then refresh. */
  onRunEvent(event: RunEvent): void {
    this.live.set(event.run, applyEvent(this.live.get(event.run) ?? {}, event));
    if (event.type === 'run.finished') this.live.delete(event.run); // the log now says it all
    this.refreshSoon(event.type === 'stage.progress' ? 1000 : 100);
  }

  refresh(): void {
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  private refreshSoon(ms = 300): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, ms);
  }

  projects(): TreeNode[] {
    this.roots ??= buildTree(
      (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      this.live,
    );
    return this.roots;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.projects();
    if (node.kind === 'project') return node.stages;
    if (node.kind === 'stage') return node.artifacts;
    return node.children ?? [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'project') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = node.description;
      item.tooltip = `${node.dir}${node.rulesFile ? `\nrules: ${node.rulesFile}` : ''}`;
      item.iconPath = new vscode.ThemeIcon(node.type === 'run' ? 'folder-active' : 'settings-gear');
      item.contextValue = 'project';
      item.resourceUri = vscode.Uri.file(node.dir);
      return item;
    }
    if (node.kind === 'stage') {
      const item = new vscode.TreeItem(
        node.stage,
        node.artifacts.length
          ? vscode.TreeItemCollapsibleState.Collapsed
          : vscode.TreeItemCollapsibleState.None,
      );
      item.id = node.id;
      const time = node.seconds !== undefined ? `${node.seconds.toFixed(2)} s` : '';
      item.description = [node.state, time, node.detail ?? node.summary].filter(Boolean).join(' · ');
      item.tooltip = [`${node.stage}: ${node.state}`, time, node.summary, node.detail]
        .filter(Boolean)
        .join('\n');
      const [icon, color] = STATE_ICONS[node.state];
      item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
      item.contextValue = `stage.${node.stage}`;
      return item;
    }
    const item = new vscode.TreeItem(
      node.label,
      node.children?.length
        ? vscode.TreeItemCollapsibleState.Collapsed
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip ?? node.description;
    item.contextValue = node.context;
    if (node.file) item.resourceUri = vscode.Uri.file(node.file);
    if (node.context.startsWith('range.'))
      item.iconPath = new vscode.ThemeIcon(node.context === 'range.kept' ? 'check' : 'close');
    else if (node.context === 'scene')
      item.iconPath = new vscode.ThemeIcon('debug-breakpoint-log-unverified');
    if (node.time !== undefined && node.file)
      item.command = {
        command: 'autoedit.revealTime',
        title: 'Open Source at Time',
        arguments: [node.file, node.time],
      };
    else if (node.context === 'transcript' && node.file)
      item.command = { command: 'autoedit.openTranscript', title: 'Open Transcript', arguments: [node.file] };
    else if (node.file && !node.children)
      item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(node.file)] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
