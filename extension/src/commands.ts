// The Command Palette commands. Each resolves its project (tree node, URI or a pick) and hands the work to
// the engine process through EngineRunner.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import type { StageName } from '@autoedit/engine/schemas';
import * as vscode from 'vscode';
import type { EngineRunner } from './runner.js';
import { findProjects, type ProjectNode, rulesFileFor, type TreeNode } from './tree-model.js';
import type { ProjectsProvider } from './tree-provider.js';

const MEDIA = [
  'mp4',
  'mov',
  'mkv',
  'webm',
  'avi',
  'mts',
  'm4v',
  'mxf',
  'wav',
  'mp3',
  'm4a',
  'flac',
  'aac',
  'ogg',
];
const isMedia = (f: string) => MEDIA.includes(extname(f).slice(1).toLowerCase());

export const STARTER_RULES = `{
  "speech": { "enabled": true, "margin_before": 0.2, "margin_after": 0.2 },
  "silence": { "min_silence": 0.3, "min_speech": 0.1 },
  "fillers": { "enabled": true },
  "shots": { "speech_gated": false, "min_length": 0 },
  "transcript_cuts": [],
  "manual": { "keep": [], "cut": [] }
}
`;

export class Commands {
  constructor(
    private readonly runner: EngineRunner,
    private readonly tree: ProjectsProvider,
  ) {}

  private roots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  }

  private config() {
    return vscode.workspace.getConfiguration('autoedit');
  }

  /** The run folder a command works on: from its argument, the only run, or a pick. */
  async pickRun(arg?: unknown, purpose = 'Run folder'): Promise<string | undefined> {
    const fromArg = dirOf(arg);
    if (fromArg && existsSync(join(fromArg, 'media.db.json'))) return fromArg;
    const runs = findProjects(this.roots()).filter((p) => p.type === 'run');
    if (runs.length === 1) return runs[0]!.dir;
    if (!runs.length) {
      void vscode.window.showWarningMessage(
        'AutoEdit: no run folder in this workspace yet. Run "AutoEdit: Run Pipeline" first.',
      );
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({ label: basename(r.dir), description: r.dir, dir: r.dir })),
      { title: `AutoEdit: ${purpose}`, placeHolder: 'Which run folder?' },
    );
    return pick?.dir;
  }

  /**
   * The project folder to watch: a folder with autoedit.rules.json (the watcher creates one when missing), the
   * media in it; a watcher's own run folder (<project>/.autoedit) stands for its project. Else the user picks one.
   */
  async pickWatchFolder(arg?: unknown): Promise<string | undefined> {
    const fromArg = dirOf(arg);
    if (fromArg && basename(fromArg) === '.autoedit') return dirname(fromArg);
    // A pipeline's run folder holds no media of its own: watching it would make no timeline.
    if (fromArg && !existsSync(join(fromArg, 'media.db.json'))) return fromArg;
    const projects = findProjects(this.roots()).filter((p) => p.type === 'rules');
    if (projects.length === 1) return projects[0]!.dir;
    const other = '$(folder) Other folder…';
    const pick = projects.length
      ? await vscode.window.showQuickPick(
          [
            ...projects.map((r) => ({ label: basename(r.dir), description: r.dir, dir: r.dir })),
            { label: other, description: '', dir: '' },
          ],
          { title: 'AutoEdit: Start Watching', placeHolder: 'Which project folder?' },
        )
      : { dir: '' };
    if (!pick) return undefined;
    if (pick.dir) return pick.dir;
    const folder = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      title: 'AutoEdit: the project folder to watch (its media, autoedit.rules.json, the timeline)',
      openLabel: 'Watch',
    });
    return folder?.[0]?.fsPath;
  }

  /** Arguments the pipeline gets from the settings and the project's rules file. */
  private pipelineFlags(runDir: string, projectDir?: string): string[] {
    const args: string[] = [];
    const model = this.config().get<string>('whisperModel');
    if (model) args.push('--model', model);
    if (!existsSync(join(runDir, 'rules.json'))) {
      const rules = rulesFileFor(projectDir ?? runDir, this.roots()) ?? this.defaultRules();
      if (rules && rules !== join(runDir, 'rules.json')) args.push('--rules', rules);
    }
    return args;
  }

  private defaultRules(): string | undefined {
    const r = this.config().get<string>('defaultRules');
    if (!r) return undefined;
    const root = this.roots()[0];
    return isAbsolute(r) || !root ? r : join(root, r);
  }

  /**
   * Run Pipeline: on a run folder (tree item or the only one), or on media. Without a run, a folder with
   * autoedit.rules.json and media files in it runs into <folder>/<runsFolder>/<first media name>; otherwise
   * it asks for media and a run name.
   */
  async runPipeline(arg?: unknown): Promise<void> {
    const roots = this.roots();
    const dir = dirOf(arg);
    const projects = dir
      ? [{ dir, type: existsSync(join(dir, 'media.db.json')) ? ('run' as const) : ('rules' as const) }]
      : findProjects(roots);
    let runDir: string | undefined;
    let inputs: string[] = [];
    let projectDir: string | undefined;
    const runs = projects.filter((p) => p.type === 'run');
    const rulesFolders = projects.filter((p) => p.type === 'rules' && mediaIn(p.dir).length);
    if (runs.length === 1 && !rulesFolders.length) runDir = runs[0]!.dir;
    else if (runs.length || rulesFolders.length) {
      const items = [
        ...runs.map((r) => ({
          label: `$(folder-active) ${basename(r.dir)}`,
          description: r.dir,
          dir: r.dir,
          type: 'run',
        })),
        ...rulesFolders.map((r) => ({
          label: `$(settings-gear) ${basename(r.dir)}`,
          description: `${mediaIn(r.dir).length} media file(s)`,
          dir: r.dir,
          type: 'rules',
        })),
        { label: '$(add) Choose media…', description: '', dir: '', type: 'new' },
      ];
      const pick =
        items.length === 2 && items[0]!.type === 'rules'
          ? items[0]
          : await vscode.window.showQuickPick(items, {
              title: 'AutoEdit: Run Pipeline',
              placeHolder: 'Project',
            });
      if (!pick) return;
      if (pick.type === 'run') runDir = pick.dir;
      else if (pick.type === 'rules') {
        projectDir = pick.dir;
        inputs = mediaIn(pick.dir);
        runDir = join(
          pick.dir,
          this.config().get<string>('runsFolder') || 'runs',
          basename(inputs[0]!, extname(inputs[0]!)),
        );
      }
    }
    if (!runDir) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true,
        openLabel: 'Use these media',
        title: 'AutoEdit: media to edit',
        filters: { Media: MEDIA },
      });
      if (!picked?.length) return;
      inputs = picked.map((u) => u.fsPath);
      const name = await vscode.window.showInputBox({
        title: 'AutoEdit: run folder name',
        value: basename(inputs[0]!, extname(inputs[0]!)),
        validateInput: (v) =>
          /^[\w.-]+$/.test(v) ? undefined : 'letters, digits, dot, dash and underscore only',
      });
      if (!name) return;
      const root = roots[0] ?? join(inputs[0]!, '..');
      runDir = join(root, this.config().get<string>('runsFolder') || 'runs', name);
    }
    await this.runner.run(`Run Pipeline (${basename(runDir)})`, [
      '--events',
      'pipeline',
      ...inputs,
      '-o',
      runDir,
      ...this.pipelineFlags(runDir, projectDir),
    ]);
    this.tree.refresh();
  }

  /** One stage (or a few) of the pipeline on an existing run folder. */
  async stage(stages: StageName[], title: string, arg?: unknown, extra: string[] = []): Promise<boolean> {
    const runDir = await this.pickRun(arg, title);
    if (!runDir) return false;
    const r = await this.runner.run(`${title} (${basename(runDir)})`, [
      '--events',
      'pipeline',
      '-o',
      runDir,
      '--only',
      stages.join(','),
      ...this.pipelineFlags(runDir),
      ...extra,
    ]);
    this.tree.refresh();
    return r?.exitCode === 0;
  }

  async ingest(arg?: unknown): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: true,
      title: 'AutoEdit: media to ingest',
      filters: { Media: MEDIA },
    });
    if (!picked?.length) return;
    const runDir = dirOf(arg) ?? (await this.pickRun(undefined, 'Ingest into'));
    if (!runDir) return;
    await this.runner.run('Ingest', [
      '--events',
      'pipeline',
      ...picked.map((u) => u.fsPath),
      '-o',
      runDir,
      '--only',
      'ingest',
    ]);
    this.tree.refresh();
  }

  /** Open an exported timeline in Kdenlive or Shotcut (a detached process: closing VS Code leaves it open). */
  async openIn(editor: 'kdenlive' | 'shotcut', arg?: unknown): Promise<void> {
    const ext = editor === 'kdenlive' ? '.kdenlive' : '.mlt';
    let file = fileOf(arg);
    if (!file?.endsWith(ext)) {
      const runDir = await this.pickRun(arg, `Open in ${editor === 'kdenlive' ? 'Kdenlive' : 'Shotcut'}`);
      if (!runDir) return;
      const outs = listOutputs(runDir).filter((f) => f.endsWith(ext));
      if (!outs.length) {
        void vscode.window.showWarningMessage(
          `AutoEdit: ${basename(runDir)} has no ${ext} timeline yet. Run "AutoEdit: Export Timeline".`,
        );
        return;
      }
      file = outs.length === 1 ? outs[0] : await vscode.window.showQuickPick(outs, { title: 'Timeline' });
      if (!file) return;
    }
    const setting = editor === 'kdenlive' ? 'kdenlivePath' : 'shotcutPath';
    const exe = this.config().get<string>(setting) || editor;
    const child = spawn(exe, [file], { detached: true, stdio: 'ignore' });
    child.on('error', (e) => {
      void vscode.window
        .showErrorMessage(
          `AutoEdit could not start ${editor} ("${exe}": ${(e as NodeJS.ErrnoException).code ?? e.message}). Install it (Debian/Ubuntu: sudo apt-get install ${editor}) or set "autoedit.${setting}".`,
          'Open Settings',
        )
        .then(
          (p) => p && vscode.commands.executeCommand('workbench.action.openSettings', `autoedit.${setting}`),
        );
    });
    child.unref();
  }

  async createRulesFile(arg?: unknown): Promise<void> {
    const dir = dirOf(arg) ?? this.roots()[0];
    if (!dir) {
      void vscode.window.showWarningMessage('AutoEdit: open a folder first.');
      return;
    }
    const file = existsSync(join(dir, 'media.db.json'))
      ? join(dir, 'rules.json')
      : join(dir, 'autoedit.rules.json');
    const uri = vscode.Uri.file(file);
    if (!existsSync(file)) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(STARTER_RULES));
    await vscode.window.showTextDocument(uri);
    this.tree.refresh();
  }

  async pullWhisperModel(): Promise<void> {
    const names = [
      'tiny.en',
      'tiny',
      'base.en',
      'base',
      'small.en',
      'small',
      'medium.en',
      'medium',
      'large-v3-turbo',
    ];
    const name = await vscode.window.showQuickPick(names, {
      title: 'AutoEdit: Whisper model to download',
      placeHolder: 'base.en is a good start for English',
    });
    if (!name) return;
    const r = await this.runner.run(`Pull Whisper model ${name}`, ['models', 'pull', name]);
    if (r?.exitCode === 0) {
      const set = await vscode.window.showInformationMessage(`Whisper model ${name} is ready.`, 'Use It');
      if (set) await this.config().update('whisperModel', name, vscode.ConfigurationTarget.Global);
    }
  }
}

function dirOf(arg: unknown): string | undefined {
  if (!arg) return undefined;
  if (arg instanceof vscode.Uri)
    return existsSync(join(arg.fsPath, 'media.db.json')) || !extname(arg.fsPath)
      ? arg.fsPath
      : join(arg.fsPath, '..');
  const node = arg as TreeNode;
  if (node.kind === 'project') return (node as ProjectNode).dir;
  if (node.kind === 'stage') return node.project;
  if (typeof arg === 'string') return arg;
  return undefined;
}

function fileOf(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const node = arg as TreeNode | undefined;
  return node?.kind === 'artifact' ? node.file : undefined;
}

function mediaIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter(isMedia)
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function listOutputs(runDir: string): string[] {
  try {
    return readdirSync(join(runDir, 'outputs'))
      .filter((f) => !f.startsWith('.'))
      .map((f) => join(runDir, 'outputs', f));
  } catch {
    return [];
  }
}
