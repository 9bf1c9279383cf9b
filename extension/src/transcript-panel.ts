// The transcript webview of one run: words with timings, kept/cut from selection.json, cut/restore written
// to the rules file (through a WorkspaceEdit, so Undo works) and select+export re-run; clicking a word seeks
// the player. CSP with a nonce, localResourceRoots limited to the extension's media and the run's sources,
// state kept with getState/setState and restored after a reload by the serializer.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MediaDbSchema, SelectionSchema, TranscriptSchema } from '@autoedit/engine/schemas';
import * as vscode from 'vscode';
import { cutWords, restoreWords, type SourceTranscript, wordViews } from './transcript-edit.js';
import { rulesFileFor } from './tree-model.js';

export const TRANSCRIPT_VIEW = 'autoedit.transcript';

type FromWebview =
  | { type: 'ready' }
  | { type: 'cut' | 'restore'; source: string; indices: number[] }
  | { type: 'openRules' };

export interface PanelHooks {
  /** Re-run select+export on the run (unless a watcher does it). */
  regenerate(runDir: string): Promise<void>;
}

export class TranscriptPanels implements vscode.Disposable {
  private readonly panels = new Map<string, TranscriptPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly hooks: PanelHooks,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(TRANSCRIPT_VIEW, {
        deserializeWebviewPanel: async (panel, state: { runDir?: string } | undefined) => {
          if (!state?.runDir || !existsSync(state.runDir)) {
            panel.dispose();
            return;
          }
          this.adopt(state.runDir, panel);
        },
      }),
    );
    const w = vscode.workspace.createFileSystemWatcher(
      '**/{artifacts/selection.json,artifacts/transcript*.json,rules.json,autoedit.rules.json}',
    );
    const update = () => {
      for (const p of this.panels.values()) p.updateSoon();
    };
    w.onDidChange(update);
    w.onDidCreate(update);
    this.disposables.push(w);
  }

  show(runDir: string, time?: number): TranscriptPanel {
    let panel = this.panels.get(runDir);
    if (!panel) {
      const webview = vscode.window.createWebviewPanel(
        TRANSCRIPT_VIEW,
        `Transcript: ${basename(runDir)}`,
        vscode.ViewColumn.Active,
        {
          enableScripts: true,
          retainContextWhenHidden: false,
          localResourceRoots: this.roots(runDir),
        },
      );
      panel = this.adopt(runDir, webview);
    } else panel.panel.reveal();
    if (time !== undefined) panel.seek(time);
    return panel;
  }

  private roots(runDir: string): vscode.Uri[] {
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.file(runDir)];
    // Sources are linked into raw/ but the webview needs the real folder of the original.
    try {
      const db = MediaDbSchema.parse(JSON.parse(readFileSync(join(runDir, 'media.db.json'), 'utf8')));
      for (const m of db.media) roots.push(vscode.Uri.file(dirname(m.original)));
    } catch {}
    return roots;
  }

  private adopt(runDir: string, webview: vscode.WebviewPanel): TranscriptPanel {
    webview.webview.options = { enableScripts: true, localResourceRoots: this.roots(runDir) };
    const panel = new TranscriptPanel(runDir, webview, this.extensionUri, this.hooks);
    this.panels.set(runDir, panel);
    webview.onDidDispose(() => this.panels.delete(runDir));
    return panel;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

class TranscriptPanel {
  private timer: NodeJS.Timeout | undefined;
  private pendingSeek: number | undefined;
  private ready = false;

  constructor(
    readonly runDir: string,
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly hooks: PanelHooks,
  ) {
    panel.webview.html = this.html();
    panel.webview.onDidReceiveMessage((m: FromWebview) => void this.onMessage(m));
    panel.onDidChangeViewState(() => panel.visible && this.updateSoon());
  }

  rulesFile(): string {
    const ancestors: string[] = [];
    for (let d = dirname(this.runDir), i = 0; i < 4 && d !== dirname(d); i++, d = dirname(d))
      ancestors.push(d);
    return rulesFileFor(this.runDir, ancestors) ?? join(this.runDir, 'rules.json');
  }

  seek(time: number): void {
    if (this.ready) void this.panel.webview.postMessage({ type: 'seek', time });
    else this.pendingSeek = time;
  }

  updateSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), 150);
  }

  private data(): {
    sources: (SourceTranscript & { mediaUri: string })[];
    rulesFile: string;
    problem?: string;
  } {
    const rulesFile = this.rulesFile();
    const rulesText = existsSync(rulesFile) ? readFileSync(rulesFile, 'utf8') : undefined;
    const read = <T>(f: string, schema: { parse(v: unknown): T }): T | undefined => {
      try {
        return schema.parse(JSON.parse(readFileSync(f, 'utf8')));
      } catch {
        return undefined;
      }
    };
    const db = read(join(this.runDir, 'media.db.json'), MediaDbSchema);
    if (!db)
      return {
        sources: [],
        rulesFile,
        problem: 'media.db.json is missing or unreadable: run the pipeline first.',
      };
    const selection = read(join(this.runDir, 'artifacts', 'selection.json'), SelectionSchema);
    const sources = [];
    for (const m of db.media) {
      const file = [
        join(this.runDir, 'artifacts', `transcript.${m.name}.json`),
        join(this.runDir, 'artifacts', 'transcript.json'),
      ].find((f) => existsSync(f));
      const transcript = file ? read(file, TranscriptSchema) : undefined;
      if (!transcript || (db.media.length > 1 && file?.endsWith('/transcript.json'))) continue;
      let words: SourceTranscript['words'] = [];
      try {
        words = wordViews(m.name, transcript, selection, rulesText);
      } catch {
        words = wordViews(m.name, transcript, selection, undefined);
      }
      sources.push({
        name: m.name,
        media: m.original,
        mediaUri: this.panel.webview.asWebviewUri(vscode.Uri.file(m.original)).toString(),
        words,
      });
    }
    return {
      sources,
      rulesFile,
      problem: sources.length
        ? undefined
        : 'No transcript yet: run "AutoEdit: Transcribe" (needs a Whisper model).',
    };
  }

  private async update(): Promise<void> {
    if (!this.ready) return;
    await this.panel.webview.postMessage({ type: 'data', runDir: this.runDir, ...this.data() });
  }

  private async onMessage(m: FromWebview): Promise<void> {
    if (m.type === 'ready') {
      this.ready = true;
      await this.update();
      if (this.pendingSeek !== undefined) this.seek(this.pendingSeek);
      this.pendingSeek = undefined;
      return;
    }
    if (m.type === 'openRules') {
      await vscode.window.showTextDocument(vscode.Uri.file(this.rulesFile()));
      return;
    }
    const data = this.data();
    const source = data.sources.find((s) => s.name === m.source);
    if (!source) return;
    const words = source.words.filter((w) => m.indices.includes(w.index));
    const rulesFile = data.rulesFile;
    try {
      const uri = vscode.Uri.file(rulesFile);
      const before = existsSync(rulesFile)
        ? (await vscode.workspace.openTextDocument(uri)).getText()
        : undefined;
      const after =
        m.type === 'cut' ? cutWords(before, source.name, words) : restoreWords(before, source.name, words);
      await writeThroughEditor(uri, before, after);
    } catch (e) {
      void vscode.window
        .showErrorMessage(
          `AutoEdit could not change ${basename(rulesFile)}: ${(e as Error).message}`,
          'Open Rules',
        )
        .then((p) => p && vscode.window.showTextDocument(vscode.Uri.file(rulesFile)));
      return;
    }
    await this.hooks.regenerate(this.runDir);
    await this.update();
  }

  private html(): string {
    const nonce = randomBytes(16).toString('base64');
    const web = this.panel.webview;
    const script = web.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'transcript.js'));
    const style = web.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'transcript.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${web.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `media-src ${web.cspSource}`,
      `img-src ${web.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${style}" rel="stylesheet">
<title>Transcript</title>
</head>
<body>
<header>
  <div class="toolbar" role="toolbar" aria-label="Transcript actions">
    <button id="cut" title="Cut the selected words (Delete)">Cut</button>
    <button id="restore" title="Restore the selected words (Insert)">Restore</button>
    <button id="rules" title="Open the rules file">Rules</button>
    <span id="status" role="status" aria-live="polite"></span>
  </div>
  <video id="player" controls preload="metadata"></video>
</header>
<main id="sources" tabindex="0" aria-label="Transcript words. Arrows move, Shift+arrows select, Delete cuts, Insert restores, Enter plays."></main>
<p id="problem" hidden></p>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}

/** Replace the rules file's text in its document and save it: one undoable edit, no unsaved copy left behind. */
async function writeThroughEditor(uri: vscode.Uri, before: string | undefined, after: string): Promise<void> {
  if (before === undefined) {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(after));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), after);
  if (!(await vscode.workspace.applyEdit(edit)) || !(await doc.save()))
    throw new Error('the edit was refused (is the file read-only?)');
}
