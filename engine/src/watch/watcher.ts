import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { isStaleTempName, runUserCommand } from '@autoedit/media';
import type { FSWatcher } from 'chokidar';
import { loadConfig } from '../config/load.js';
import { expandInputs, MEDIA_EXTENSIONS } from '../ingest/inputs.js';
import { runPipeline } from '../pipeline/pipeline.js';
import { lockRun, type RunLock, RunLockedError } from '../project/lock.js';
import type { RunEvent, StageName } from '../schemas/events.js';
import type { Rules } from '../schemas/rules.js';
import type { WatchEvent, WatchOwnEvent } from '../schemas/watch.js';
import { errorInfo, UserError } from '../util/errors.js';
import { kdenliveHasOpen, reloadKdenlive } from './kdenlive.js';
import { describeRulesProblem, readRulesFile, writeRulesSchema } from './rules.js';

export type ReloadMode = 'kdenlive' | 'none' | 'auto';

export interface WatchOptions {
  /** The editor's project folder: outputs go here, run data in `<project>/.autoedit/`. */
  project: string;
  /** Where the media are (recursively; hidden folders skipped); default the project folder. */
  media?: string;
  /** Default `<project>/autoedit.rules.json`, created with the defaults when missing. */
  rulesFile?: string;
  /** After each regeneration: ask Kdenlive to reload (`kdenlive`), never (`none`), or when it has the file open (`auto`, default). */
  reload?: ReloadMode;
  /** A program (argument array, no shell) run after each regeneration, with AUTOEDIT_OUTPUTS in its env. */
  onChange?: readonly string[];
  /** Every event: the watcher's own (WatchOwnEventSchema) and those of each run (RunEventSchema). */
  onEvent?: (e: WatchEvent) => void;
  /** Quiet time after the last change before regenerating (ms, default 50). */
  debounceMs?: number;
  /** A media file is used once its size has not changed for this long (ms, default 2000): never half-copied. */
  stableMs?: number;
  /** Poll the file system instead of inotify (network folders). */
  usePolling?: boolean;
  /** Stages not to run (e.g. stt when no Whisper model is wanted). */
  skip?: readonly StageName[];
  model?: string;
  backend?: 'local' | 'beam' | 'lightning';
  /** How many replaced versions of each output to keep in `.autoedit/outputs/history/` (default 5). */
  history?: number;
}

export interface Watcher {
  /** The project folder, outputs and rules file being watched. */
  readonly project: string;
  readonly outputs: { kdenlive: string; mlt: string };
  readonly rulesFile: string;
  /** Regenerations so far (successful runs that wrote the outputs). */
  readonly regenerations: number;
  /** A live subscription to the events from now on (ends when the watcher stops). */
  events(): AsyncIterable<WatchEvent>;
  /** Resolves when nothing is running or scheduled (files still settling may start a run later). */
  whenIdle(): Promise<void>;
  /** Stop watching: the current run is cancelled (nothing half-written is left), then resolves. */
  stop(): Promise<void>;
}

/** The folder AutoEdit keeps its run data in, inside the project (hidden, so editors and the walker skip it). */
export const STATE_DIR = '.autoedit';
export const OUTPUT_NAME = 'autoedit';

const isHiddenUnder = (root: string, p: string) =>
  relative(root, p)
    .split(sep)
    .some((s) => s.startsWith('.') && s !== '..' && s !== '.');
const isMedia = (p: string) => MEDIA_EXTENSIONS.has(extname(p).toLowerCase());
/** A render of our own project (Kdenlive renders `autoedit.mp4` beside it by default): never an input. */
const isOwnRender = (p: string) => new RegExp(`^${OUTPUT_NAME}(-\\d+)?\\.[^.]+$`).test(basename(p));

/** Files whose last change is recent are still settling (maybe being copied in). */
async function settled(file: string, stableMs: number): Promise<boolean> {
  const st = await stat(file).catch(() => undefined);
  return !!st && Date.now() - st.mtimeMs >= stableMs;
}

/**
 * Watch a project folder and keep `autoedit.kdenlive` / `autoedit.mlt` in it up to date with its media and
 * rules: a first full run at start, then a regeneration after each burst of changes — never two runs at once,
 * the latest state always wins, a rules edit re-runs only selection and export from the cached analysis.
 * Resolves once watching (the first run is under way; see whenIdle()).
 */
export async function startWatcher(opts: WatchOptions): Promise<Watcher> {
  const project = resolve(opts.project);
  const mediaRoot = resolve(opts.media ?? project);
  const runDir = join(project, STATE_DIR);
  const rulesFile = resolve(opts.rulesFile ?? join(project, `${OUTPUT_NAME}.rules.json`));
  const configFile = join(project, 'config.yaml');
  const outputs = {
    kdenlive: join(project, `${OUTPUT_NAME}.kdenlive`),
    mlt: join(project, `${OUTPUT_NAME}.mlt`),
  };
  const debounceMs = opts.debounceMs ?? 50;
  const stableMs = opts.stableMs ?? 2000;
  const reloadMode = opts.reload ?? 'auto';

  // --- events -----------------------------------------------------------------------------------------
  const subscribers = new Set<(e: WatchEvent | undefined) => void>();
  const emit = (e: WatchEvent) => {
    opts.onEvent?.(e);
    for (const s of subscribers) s(e);
  };
  const own = <T extends WatchOwnEvent['type']>(
    type: T,
    body: Omit<Extract<WatchOwnEvent, { type: T }>, 'type' | 'project' | 'time'>,
  ) => emit({ type, project, time: new Date().toISOString(), ...body } as unknown as WatchOwnEvent);

  for (const [dir, what] of [
    [project, 'project folder'],
    [mediaRoot, '--media folder'],
  ] as const) {
    const st = await stat(dir).catch(() => undefined);
    if (!st?.isDirectory())
      throw new UserError(`${dir}: ${st ? 'not a folder' : 'no such folder'}`, `Give an existing ${what}.`);
  }

  // One watcher per project folder: a second one would fight the first over the outputs.
  const watchLock: RunLock = await lockRun(join(runDir, 'watch'), { command: 'autoedit watch' }).catch(
    (e) => {
      if (!(e instanceof RunLockedError)) throw e;
      throw new UserError(
        `${project} is already watched by another AutoEdit (pid ${e.holder.pid}, "${e.holder.command}", since ${e.holder.startedAt})`,
        'Stop that one first (Ctrl-C in its terminal, or close the VS Code window that runs it), or watch another folder.',
      );
    },
  );

  /** A start-up step that may fail (e.g. a read-only folder): the lock is released before the error goes on. */
  const guard = <T>(p: Promise<T>): Promise<T> =>
    p.catch(async (e) => {
      await watchLock.release();
      throw e;
    });

  // --- state ------------------------------------------------------------------------------------------
  const media = new Set<string>();
  /** The media the last good timeline was built from (those that could be analysed). */
  let analysed: string[] | undefined;
  let analysedFrom: string | undefined; // the media set (joined) that analysis was done for
  const dirty = { media: false, rules: false, config: false, reason: 'start' };
  let timer: NodeJS.Timeout | undefined;
  let running: { controller: AbortController; inputs: Set<string>; mode: 'full' | 'rules' } | undefined;
  let loop: Promise<void> | undefined;
  let stopped = false;
  let needFirst = true;
  let saidNoMedia = false;
  let regenerations = 0;
  let lastRulesProblem: string | undefined;
  const announcedBeside = new Set<string>();
  const idleWaiters: (() => void)[] = [];
  const settleIdle = () => {
    if (running || timer || loop) return;
    for (const w of idleWaiters.splice(0)) w();
  };

  // A watcher killed (kill -9) while writing leaves its hidden temp files behind; the outputs themselves are
  // whole (renamed into place). A temp name carries its writer's pid: only those of dead processes go.
  for (const f of await readdir(project).catch(() => [] as string[]))
    if (isStaleTempName(f)) await rm(join(project, f), { force: true }).catch(() => {});

  // --- the first media list (files still being written join when they settle) ---------------------------
  const { files } = await guard(expandInputs([mediaRoot]));
  for (const f of files) {
    if (isHiddenUnder(mediaRoot, f) || isOwnRender(f)) continue;
    if (await settled(f, stableMs)) media.add(f);
  }
  const schemaFile = await guard(writeRulesSchema(runDir));
  // Created before watching starts, so that our own write is not taken for the user's edit.
  const rulesCreated =
    !existsSync(rulesFile) && (await guard(readRulesFile(rulesFile, { create: { schemaFile } }))).ok;

  type Change = { path: string; kind: 'media' | 'rules' | 'config'; event: 'add' | 'change' | 'unlink' };
  const pending = new Map<string, Change>();
  const schedule = (delay = debounceMs) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      // One event per burst: each path once, with its last event.
      if (pending.size) own('watch.changed', { changes: [...pending.values()] });
      pending.clear();
      kick();
    }, delay);
  };

  const kick = () => {
    if (loop || stopped) return settleIdle();
    loop = runLoop().finally(() => {
      loop = undefined;
      settleIdle();
    });
  };

  const onMedia = (event: 'add' | 'change' | 'unlink', path: string) => {
    if (!isMedia(path) || isOwnRender(path) || isHiddenUnder(mediaRoot, path)) return;
    if (event === 'unlink') media.delete(path);
    else media.add(path);
    dirty.media = true;
    dirty.reason = 'media';
    pending.set(path, { path, kind: 'media', event });
    // A file the current run is reading changed or went away: its result would be stale, so start over.
    if (running?.mode === 'full' && event !== 'add' && running.inputs.has(path)) running.controller.abort();
    // A rename is an unlink now and an add once the new name has settled: wait for both, so the timeline does
    // not lose the clip in between.
    schedule(event === 'unlink' ? stableMs + debounceMs + 250 : debounceMs);
  };

  const onSetting = (event: 'add' | 'change' | 'unlink', path: string) => {
    const kind = path === rulesFile ? 'rules' : 'config';
    if (kind === 'rules') dirty.rules = true;
    else dirty.config = true;
    if (dirty.reason !== 'media') dirty.reason = kind;
    pending.set(path, { path, kind, event });
    schedule();
  };

  // --- one regeneration -------------------------------------------------------------------------------
  /** One regeneration; false when it cannot go on before the user changes something. */
  async function regenerate(): Promise<boolean> {
    const wantFull = dirty.media || dirty.config || analysed === undefined;
    const reason = dirty.reason;
    const snapshot = { ...dirty };
    dirty.media = dirty.rules = dirty.config = false;
    dirty.reason = 'rules';
    const restore = () => {
      dirty.media ||= snapshot.media;
      dirty.config ||= snapshot.config;
      dirty.rules ||= snapshot.rules;
    };

    const rulesRead = await readRulesFile(rulesFile, { create: { schemaFile } });
    if (!rulesRead.ok) {
      const line = describeRulesProblem(rulesRead.problem);
      if (line !== lastRulesProblem) own('watch.rules-invalid', { ...rulesRead.problem, message: line });
      lastRulesProblem = line;
      restore(); // run again once the rules are fixed
      return false;
    }
    lastRulesProblem = undefined;
    const rules: Rules = rulesRead.rules;
    if (rulesRead.created) own('watch.notice', { message: `created ${rulesFile} with the default rules` });

    const all = [...media].sort();
    const mediaKey = all.join('\n');
    const full = wantFull || mediaKey !== analysedFrom;
    const inputs = full ? all : (analysed ?? []);
    if (inputs.length === 0) {
      if (!saidNoMedia)
        own('watch.notice', {
          message: `no media in ${mediaRoot} yet: copy video or audio files there (the timeline appears when they are complete)`,
        });
      saidNoMedia = true;
      if (full) analysedFrom = mediaKey;
      return true;
    }
    let config: ReturnType<typeof loadConfig>['config'];
    try {
      config = loadConfig({ projectDir: project }).config;
    } catch (e) {
      const info = errorInfo(e);
      own('watch.error', { message: info.message, hint: info.hint, exitCode: info.exitCode });
      restore();
      return false;
    }
    saidNoMedia = false;
    const controller = new AbortController();
    running = { controller, inputs: new Set(inputs), mode: full ? 'full' : 'rules' };
    const t0 = performance.now();
    try {
      const result = await runPipeline({
        runDir,
        inputs,
        config,
        rules,
        rulesFile,
        stages: full ? undefined : ['select', 'export'],
        skip: full ? opts.skip : undefined,
        exports: ['kdenlive', 'mlt'],
        outputs: {
          dir: project,
          name: OUTPUT_NAME,
          whenEdited: 'beside',
          history: opts.history ?? 5,
          manifestDir: join(runDir, 'outputs'),
        },
        model: opts.model,
        backend: opts.backend,
        signal: controller.signal,
        onEvent: (e: RunEvent) => emit(e),
        lockWaitMs: 60_000,
        command: 'autoedit watch',
      });
      if (full) {
        const failed = new Set(result.failedInputs.map((f) => f.input));
        for (const f of result.failedInputs) own('watch.media-skipped', { file: f.input, error: f.error });
        analysed = inputs.filter((i) => !failed.has(i));
        analysedFrom = mediaKey;
      }
      regenerations++;
      own('watch.regenerated', {
        mode: full ? 'full' : 'rules',
        reason,
        outputs: result.outputs,
        media: analysed ?? inputs,
        seconds: (performance.now() - t0) / 1000,
      });
      for (const o of result.outputs) {
        if (!o.besideEdited || announcedBeside.has(o.besideEdited)) continue;
        announcedBeside.add(o.besideEdited);
        own('watch.beside', {
          edited: o.besideEdited,
          wroteTo: o.path,
          message: `${basename(o.besideEdited)} was changed since AutoEdit wrote it (your edits are kept): the regenerated timeline is written beside it as ${basename(o.path)}${o.format === 'kdenlive' ? '; Kdenlive is not reloaded' : ''}`,
        });
      }
      const kd = result.outputs.find((o) => o.format === 'kdenlive');
      if (kd && kd.path === outputs.kdenlive && kd.changed !== false) await reload();
      if (opts.onChange?.length) await onChange(result.outputs.map((o) => o.path));
    } catch (e) {
      if (controller.signal.aborted) {
        restore(); // cancelled for newer state (or stopping): the next run covers it
        if (full) dirty.media = true;
      } else {
        const info = errorInfo(e);
        own('watch.error', {
          message: `${info.message} (the previous timeline is kept)`,
          hint: info.hint,
          exitCode: info.exitCode,
        });
        // Nothing gets better by retrying the same state; the next change tries again.
        if (full) analysedFrom = mediaKey;
      }
    } finally {
      running = undefined;
    }
    return true;
  }

  async function reload(): Promise<void> {
    if (reloadMode === 'none') return;
    if (reloadMode === 'auto' && !(await kdenliveHasOpen(outputs.kdenlive))) return;
    for (const r of await reloadKdenlive(outputs.kdenlive)) own('watch.reload', { editor: 'kdenlive', ...r });
  }

  async function onChange(written: string[]): Promise<void> {
    const command = [...opts.onChange!];
    try {
      const r = await runUserCommand(command, {
        cwd: project,
        env: { ...process.env, AUTOEDIT_OUTPUTS: written.join('\n'), AUTOEDIT_PROJECT: project } as Record<
          string,
          string
        >,
      });
      own('watch.on-change', { command, exitCode: r.exitCode, output: r.output || undefined });
    } catch (e) {
      own('watch.on-change', { command, error: (e as Error).message });
    }
  }

  async function runLoop(): Promise<void> {
    while (!stopped && (needFirst || dirty.media || dirty.rules || dirty.config)) {
      needFirst = false;
      // false: nothing will change until the user acts (bad rules or config): wait for the next change.
      if (!(await regenerate())) break;
      if (timer) break; // a change is settling: its timer starts the next run
    }
  }

  // --- watching ---------------------------------------------------------------------------------------
  const { watch } = await import('chokidar');
  const base = { ignoreInitial: true, usePolling: opts.usePolling, interval: 100, binaryInterval: 300 };
  const mediaWatcher: FSWatcher = watch(mediaRoot, {
    ...base,
    ignored: (p: string) => p !== mediaRoot && isHiddenUnder(mediaRoot, p),
    // A file is reported only once its size has stopped changing: a half-copied file is never analysed.
    awaitWriteFinish: { stabilityThreshold: stableMs, pollInterval: 100 },
  });
  const settingsDirs = [...new Set([project, resolve(rulesFile, '..')])];
  const settingsWatcher: FSWatcher = watch(settingsDirs, {
    ...base,
    depth: 0,
    ignored: (p: string) => !settingsDirs.includes(p) && p !== rulesFile && p !== configFile,
  });
  for (const ev of ['add', 'change', 'unlink'] as const) {
    mediaWatcher.on(ev, (p: string) => onMedia(ev, resolve(p)));
    settingsWatcher.on(ev, (p: string) => onSetting(ev, resolve(p)));
  }
  const errorOut = (e: unknown) =>
    own('watch.error', { message: `watching failed: ${(e as Error).message}`, exitCode: 1 });
  mediaWatcher.on('error', errorOut);
  settingsWatcher.on('error', errorOut);
  await Promise.all([
    new Promise<void>((r) => mediaWatcher.once('ready', () => r())),
    new Promise<void>((r) => settingsWatcher.once('ready', () => r())),
  ]);
  // Files that were still settling at start join when chokidar sees them finish (they are not "initial").
  for (const f of files)
    if (!media.has(f) && !isHiddenUnder(mediaRoot, f) && !isOwnRender(f))
      void (async () => {
        while (!stopped && !(await settled(f, stableMs))) await new Promise((r) => setTimeout(r, 200));
        if (!stopped && !media.has(f) && (await stat(f).catch(() => undefined))) onMedia('add', f);
      })();

  own('watch.ready', {
    media: [...media].sort(),
    rules: rulesFile,
    outputs: [outputs.kdenlive, outputs.mlt],
    reload: reloadMode,
  });
  if (rulesCreated)
    own('watch.notice', {
      message: `created ${rulesFile} with the default rules (edit it: the timeline follows)`,
    });
  own('watch.notice', {
    message: `Shotcut cannot be told to reload a file: reopen ${basename(outputs.mlt)} in Shotcut after a change (Kdenlive reloads ${basename(outputs.kdenlive)} itself)`,
  });
  kick();

  return {
    project,
    outputs,
    rulesFile,
    get regenerations() {
      return regenerations;
    },
    events() {
      const queue: (WatchEvent | undefined)[] = [];
      let wake: (() => void) | undefined;
      const push = (e: WatchEvent | undefined) => {
        queue.push(e);
        wake?.();
      };
      subscribers.add(push);
      if (stopped) push(undefined);
      return {
        async *[Symbol.asyncIterator]() {
          try {
            while (true) {
              if (queue.length === 0) await new Promise<void>((r) => (wake = r));
              wake = undefined;
              const e = queue.shift();
              if (e === undefined) return;
              yield e;
            }
          } finally {
            subscribers.delete(push);
          }
        },
      };
    },
    whenIdle() {
      return new Promise<void>((r) => {
        idleWaiters.push(r);
        settleIdle();
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      running?.controller.abort();
      await Promise.all([mediaWatcher.close(), settingsWatcher.close()]);
      await loop?.catch(() => {});
      await watchLock.release();
      own('watch.stopped', { regenerations });
      for (const s of subscribers) s(undefined);
      for (const w of idleWaiters.splice(0)) w();
    },
  };
}
