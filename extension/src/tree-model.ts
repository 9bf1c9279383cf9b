// What the "Projects" tree shows, computed from the files of a workspace: projects (run folders with
// media.db.json, and folders with autoedit.rules.json) → stages with state and timings → browsable
// artifacts. Pure data over the filesystem; no `vscode` import, so it is unit-tested with mocha. The
// TreeDataProvider (tree-provider.ts) only maps these nodes to TreeItems.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import {
  MediaDbSchema,
  PIPELINE_STAGES,
  type RunEvent,
  type Selection,
  SelectionSchema,
  SequencesSchema,
  type StageName,
} from '@autoedit/engine/schemas';
import type { ZodType } from 'zod';

export type StageState = 'done' | 'cached' | 'stale' | 'running' | 'failed' | 'skipped' | 'pending';

export interface ArtifactNode {
  kind: 'artifact';
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** File this node opens. */
  file?: string;
  /** Media time (seconds) this node reveals in `file`. */
  time?: number;
  /** contextValue for menus: export.mlt, export.kdenlive, transcript, range.kept, range.dropped, … */
  context: string;
  children?: ArtifactNode[];
}

export interface StageNode {
  kind: 'stage';
  id: string;
  project: string;
  stage: StageName;
  state: StageState;
  seconds?: number;
  summary?: string;
  /** Why it is stale, skipped or failed. */
  detail?: string;
  artifacts: ArtifactNode[];
}

export interface ProjectNode {
  kind: 'project';
  id: string;
  dir: string;
  label: string;
  description: string;
  /** run: a run folder; rules: a folder with autoedit.rules.json and no run yet. */
  type: 'run' | 'rules';
  rulesFile?: string;
  stages: StageNode[];
}

export type TreeNode = ProjectNode | StageNode | ArtifactNode;

const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  'raw',
  'audio',
  'proxies',
  'artifacts',
  'outputs',
  'logs',
]);

/** Run folders and rules folders under the given roots (breadth-first, a few levels deep). */
export function findProjects(roots: string[], maxDepth = 4): { dir: string; type: 'run' | 'rules' }[] {
  const found: { dir: string; type: 'run' | 'rules' }[] = [];
  const seen = new Set<string>();
  const walk = (dir: string, depth: number) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    if (existsSync(join(dir, 'media.db.json'))) {
      found.push({ dir, type: 'run' });
      return; // a run folder's subfolders are its own
    }
    if (existsSync(join(dir, 'autoedit.rules.json'))) found.push({ dir, type: 'rules' });
    if (depth >= maxDepth) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name)))
      if (e.isDirectory() && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name))
        walk(join(dir, e.name), depth + 1);
  };
  for (const r of roots) walk(resolve(r), 0);
  return found;
}

/** The rules file a run uses (what the engine reads by default), or a rules folder's autoedit.rules.json. */
export function rulesFileFor(projectDir: string, workspaceRoots: string[] = []): string | undefined {
  const candidates = [join(projectDir, 'rules.json'), join(projectDir, 'autoedit.rules.json')];
  for (const root of workspaceRoots) candidates.push(join(root, 'autoedit.rules.json'));
  return candidates.find((f) => existsSync(f));
}

/** Per-stage facts from the run's log (logs/pipeline.jsonl): each stage's latest event over all runs. */
export interface LoggedRun {
  /** The latest started/finished/skipped/failed event of each stage, and whether it is from the last run. */
  stages: Map<string, { event: string; last: boolean; [k: string]: unknown }>;
  /** The last run has not logged run.finished. */
  unfinished: boolean;
  pid?: number;
}

export function readRunLog(runDir: string): LoggedRun | undefined {
  let text: string;
  try {
    text = readFileSync(join(runDir, 'logs', 'pipeline.jsonl'), 'utf8');
  } catch {
    return undefined;
  }
  const stages: LoggedRun['stages'] = new Map();
  let unfinished = false;
  let pid: number | undefined;
  for (const line of text.split('\n')) {
    if (!line) continue;
    let e: { event?: string; stage?: string; pid?: unknown; [k: string]: unknown };
    try {
      e = JSON.parse(line);
    } catch {
      continue; // a line being written right now
    }
    if (e.event === 'run.started') {
      unfinished = true;
      pid = typeof e.pid === 'number' ? e.pid : undefined;
      for (const v of stages.values()) v.last = false;
    } else if (e.event === 'run.finished') unfinished = false;
    else if (e.stage && /^stage\.(started|finished|skipped|failed)$/.test(e.event ?? '')) {
      const prev = stages.get(e.stage);
      // "Not requested" skips do not hide what an earlier run produced.
      if (e.event === 'stage.skipped' && prev && prev.event === 'stage.finished') continue;
      stages.set(e.stage, { ...e, event: e.event as string, last: true });
    }
  }
  return { stages, unfinished, pid };
}

function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readJson<T>(file: string, schema: ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const mtime = (f: string): number => {
  try {
    return statSync(f).mtimeMs;
  } catch {
    return 0;
  }
};

export const fmtTime = (s: number): string => {
  const m = Math.floor(s / 60);
  const sec = s - m * 60;
  return `${m}:${sec.toFixed(2).padStart(5, '0')}`;
};

/** Stage states overlaid by live run events (a run the extension started, before its log is re-read). */
export type LiveStates = Partial<
  Record<StageName, { state: StageState; seconds?: number; summary?: string }>
>;

/** Folds one run event into live states (running while started, its outcome when finished). */
export function applyEvent(live: LiveStates, event: RunEvent): LiveStates {
  const next = { ...live };
  switch (event.type) {
    case 'run.started':
      for (const s of event.stages) next[s] = { state: 'pending' };
      break;
    case 'stage.started':
      next[event.stage] = { state: 'running' };
      break;
    case 'stage.finished':
      next[event.stage] = {
        state: event.cached ? 'cached' : 'done',
        seconds: event.seconds,
        summary: event.summary,
      };
      break;
    case 'stage.skipped':
      next[event.stage] = { state: 'skipped', summary: event.reason };
      break;
    case 'stage.failed':
      next[event.stage] = { state: 'failed', seconds: event.seconds, summary: event.error.message };
      break;
    default:
      break;
  }
  return next;
}

/** The whole node for one project folder. */
export function buildProject(
  dir: string,
  type: 'run' | 'rules',
  opts: { workspaceRoots?: string[]; live?: LiveStates } = {},
): ProjectNode {
  const roots = opts.workspaceRoots ?? [];
  const root = roots.find((r) => !relative(r, dir).startsWith('..'));
  const rulesFile = rulesFileFor(dir, roots);
  const project: ProjectNode = {
    kind: 'project',
    id: `project:${dir}`,
    dir,
    label: basename(dir),
    description: root ? relative(root, dir) || '.' : dir,
    type,
    rulesFile,
    stages: [],
  };
  if (type === 'rules') {
    const runs = findProjects([dir]).filter((p) => p.type === 'run').length;
    project.description = `${project.description} — ${runs ? `rules for ${runs} run${runs > 1 ? 's' : ''}` : 'rules only, not run yet'}`;
    return project;
  }
  project.stages = buildStages(dir, rulesFile, opts.live ?? {});
  return project;
}

function buildStages(dir: string, rulesFile: string | undefined, live: LiveStates): StageNode[] {
  const run = readRunLog(dir);
  const running = !!run?.unfinished && isAlive(run.pid);
  const fromLog = new Map<
    string,
    { state: StageState; seconds?: number; summary?: string; detail?: string }
  >();
  for (const [stage, e] of run?.stages ?? []) {
    if (e.event === 'stage.started') {
      const live = running && e.last;
      fromLog.set(stage, { state: live ? 'running' : 'failed', detail: live ? undefined : 'interrupted' });
    } else if (e.event === 'stage.finished')
      fromLog.set(stage, {
        state: e.cached ? 'cached' : 'done',
        seconds: e.seconds as number,
        summary: e.summary as string,
      });
    else if (e.event === 'stage.skipped')
      fromLog.set(stage, { state: 'skipped', detail: e.reason as string });
    else if (e.event === 'stage.failed')
      fromLog.set(stage, {
        state: 'failed',
        seconds: e.seconds as number,
        detail: (e.error as { message?: string } | undefined)?.message,
      });
  }
  const a = (f: string) => join(dir, 'artifacts', f);
  const artifacts = listFiles(join(dir, 'artifacts'));
  const perSource = (kind: string) =>
    artifacts.filter((f) => f === `${kind}.json` || (f.startsWith(`${kind}.`) && f.endsWith('.json')));
  const outputs = listFiles(join(dir, 'outputs')).filter(
    (f) => !f.startsWith('.') && !f.includes('.partial'),
  );
  const mediaDb = join(dir, 'media.db.json');
  const selection = a('selection.json');

  const nodes: StageNode[] = [];
  const add = (stage: StageName, files: string[], children: () => ArtifactNode[]) => {
    const logged = fromLog.get(stage);
    const liveState = live[stage];
    const exists = files.some((f) => existsSync(f));
    let state: StageState = liveState?.state ?? logged?.state ?? (exists ? 'done' : 'pending');
    let detail =
      logged?.detail ??
      (liveState?.state === 'skipped' || liveState?.state === 'failed' ? liveState.summary : undefined);
    const stale = staleness(stage, dir, rulesFile, files);
    if (stale && (state === 'done' || state === 'cached')) {
      state = 'stale';
      detail = stale;
    }
    nodes.push({
      kind: 'stage',
      id: `stage:${dir}:${stage}`,
      project: dir,
      stage,
      state,
      seconds: liveState?.seconds ?? logged?.seconds,
      summary: liveState?.summary ?? logged?.summary,
      detail,
      artifacts: exists ? children() : [],
    });
  };
  add('ingest', [mediaDb], () => mediaChildren(dir, mediaDb));
  add('scenes', perSource('sequences').map(a), () =>
    perSource('sequences').flatMap((f) => sceneChildren(a(f))),
  );
  add('vad', perSource('vad').map(a), () => perSource('vad').map((f) => fileNode(a(f), 'vad')));
  add('stt', perSource('transcript').map(a), () =>
    perSource('transcript').map((f) => ({ ...fileNode(a(f), 'transcript'), description: 'Open Transcript' })),
  );
  add('select', [selection], () => selectionChildren(selection));
  const timelines = outputs.filter((f) => !/\.(mp4|mkv|mov|webm)$/i.test(f));
  const renders = outputs.filter((f) => /\.(mp4|mkv|mov|webm)$/i.test(f));
  add(
    'export',
    timelines.map((f) => join(dir, 'outputs', f)),
    () => timelines.map((f) => exportNode(join(dir, 'outputs', f))),
  );
  add(
    'render',
    renders.map((f) => join(dir, 'outputs', f)),
    () => renders.map((f) => exportNode(join(dir, 'outputs', f))),
  );
  // Order as the pipeline runs them.
  return PIPELINE_STAGES.map((s) => nodes.find((n) => n.stage === s)!).filter(Boolean);
}

/** Why a finished stage's result no longer matches its inputs, or undefined when it does. */
function staleness(
  stage: StageName,
  dir: string,
  rulesFile: string | undefined,
  files: string[],
): string | undefined {
  const newest = Math.max(0, ...files.map(mtime));
  if (!newest) return undefined;
  const selection = mtime(join(dir, 'artifacts', 'selection.json'));
  if (stage === 'select' && rulesFile && mtime(rulesFile) > newest)
    return `${basename(rulesFile)} changed since`;
  if ((stage === 'export' || stage === 'render') && selection > newest + 1) return 'selection changed since';
  if ((stage === 'export' || stage === 'render') && rulesFile && mtime(rulesFile) > newest)
    return `${basename(rulesFile)} changed since`;
  return undefined;
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function fileNode(file: string, context: string): ArtifactNode {
  return { kind: 'artifact', id: `file:${file}`, label: basename(file), file, context, tooltip: file };
}

function exportNode(file: string): ArtifactNode {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  const describe: Record<string, string> = {
    mlt: 'Shotcut / melt',
    kdenlive: 'Kdenlive',
    srt: 'subtitles',
    vtt: 'subtitles',
    edl: 'EDL',
    fcpxml: 'Final Cut XML',
    otio: 'OpenTimelineIO',
  };
  return {
    ...fileNode(file, `export.${ext}`),
    description: describe[ext] ?? (ext === 'mp4' ? 'render' : ''),
  };
}

function mediaChildren(dir: string, mediaDb: string): ArtifactNode[] {
  const db = readJson(mediaDb, MediaDbSchema);
  if (!db) return [{ ...fileNode(mediaDb, 'invalid'), description: 'unreadable' }];
  return db.media.map((m) => ({
    kind: 'artifact',
    id: `media:${dir}:${m.name}`,
    label: m.name,
    description: `${m.probe.duration?.toFixed(1) ?? '?'} s`,
    tooltip: m.original,
    file: join(dir, m.raw),
    time: 0,
    context: 'media',
  }));
}

function sceneChildren(file: string): ArtifactNode[] {
  const seq = readJson(file, SequencesSchema);
  if (!seq) return [{ ...fileNode(file, 'invalid'), description: 'unreadable' }];
  return seq.sources.map((src) => ({
    kind: 'artifact',
    id: `scenes:${file}:${src.source}`,
    label: basename(src.source),
    description: `${src.scenes.length} shot(s), ${Math.max(0, src.scenes.length - 1)} cut(s)`,
    file: src.source,
    context: 'scenes.source',
    children: src.scenes.map((sc, i) => ({
      kind: 'artifact' as const,
      id: `scene:${file}:${src.source}:${i}`,
      label: i === 0 ? `shot 1 at ${fmtTime(sc.start)}` : `cut ${i} at ${fmtTime(sc.start)}`,
      description: `${sc.startTimecode} – ${sc.endTimecode}`,
      file: src.source,
      time: sc.start,
      context: 'scene',
    })),
  }));
}

export function selectionChildren(file: string): ArtifactNode[] {
  const sel = readJson(file, SelectionSchema);
  if (!sel) return [{ ...fileNode(file, 'invalid'), description: 'unreadable' }];
  const total = (rs: Selection['kept']) => rs.reduce((s, r) => s + (r.end - r.start), 0);
  const group = (which: 'kept' | 'dropped'): ArtifactNode => ({
    kind: 'artifact',
    id: `sel:${file}:${which}`,
    label: which === 'kept' ? `Kept (${sel.kept.length})` : `Dropped (${sel.dropped.length})`,
    description: `${total(sel[which]).toFixed(1)} s`,
    file,
    context: `selection.${which}`,
    children: sel[which].map((r, i) => ({
      kind: 'artifact' as const,
      id: `range:${file}:${which}:${i}`,
      label: `${fmtTime(r.start)}–${fmtTime(r.end)}`,
      description: r.reasons.join('; '),
      tooltip: `${basename(r.source)} ${r.start.toFixed(2)}–${r.end.toFixed(2)} s\n${r.reasons.join('\n')}`,
      file: r.source,
      time: r.start,
      context: `range.${which}`,
    })),
  });
  const nodes = [group('kept'), group('dropped')];
  for (const s of sel.skippedRules)
    nodes.push({
      kind: 'artifact',
      id: `skipped:${file}:${s.rule}`,
      label: `rule ${s.rule} skipped`,
      description: s.why,
      context: 'selection.skippedRule',
    });
  return nodes;
}

/** Everything the tree shows for the workspace. */
export function buildTree(roots: string[], live: Map<string, LiveStates> = new Map()): ProjectNode[] {
  return findProjects(roots).map((p) =>
    buildProject(p.dir, p.type, { workspaceRoots: roots, live: live.get(p.dir) }),
  );
}
