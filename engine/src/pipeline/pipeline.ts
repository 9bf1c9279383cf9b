import { basename, join, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { ExportFormat } from '../exporters/formats.js';
import { loadExporters } from '../exporters/load.js';
import { ingest, loadMediaDb } from '../ingest/ingest.js';
import { expandInputs } from '../ingest/inputs.js';
import { ensureRunDirs, type RunLayout, runLayout } from '../project/layout.js';
import { lockRun, type RunLock } from '../project/lock.js';
import { outputBaseName } from '../project/names.js';
import type { WhenEdited, WriteOutputOptions, WrittenOutput } from '../project/outputs.js';
import { renderSelection } from '../render/render.js';
import { runScenes } from '../scenes/stage.js';
import type { Config } from '../schemas/config.js';
import { PIPELINE_STAGES, type RunFinished, type StageName, type StageReport } from '../schemas/events.js';
import type { MediaDb } from '../schemas/media-db.js';
import type { Rules } from '../schemas/rules.js';
import type { Selection } from '../schemas/selection.js';
import { loadRules } from '../select/rules-file.js';
import { skippedRuleLines } from '../select/select.js';
import { runStt } from '../speech/stage.js';
import type { ProfileChoice } from '../timeline/profile.js';
import { errorInfo, UsageError, UserError } from '../util/errors.js';
import { fileLogger } from '../util/log.js';
import { type PipelinePlan, planFromConfig } from './assemble.js';
import { type EventListener, newRunId, RunEmitter } from './events.js';
import { runStages, type Stage } from './runner.js';
import { readSelection, runExport, runSelect, runVad, vadFromIngest } from './stages.js';

export { PIPELINE_STAGES, type StageName } from '../schemas/events.js';
/** @deprecated the stage names' type is StageName. */
export type PipelineStage = StageName;

export interface RunPipelineOptions {
  /** The run folder (`runs/<id>`; the watcher uses `<project>/.autoedit`). Created when missing. */
  runDir: string;
  /**
   * Media files, folders or glob patterns. The edit is made of these, in this order. Omitted: the media already
   * in the run (re-checked: a changed original is analysed again, a deleted one leaves the edit).
   */
  inputs?: readonly string[];
  /** The effective configuration; default: `loadConfig({ projectDir: runDir })`. */
  config?: Config;
  /** Selection rules; default: read from `rulesFile`, else config `rules`, else `<runDir>/rules.json`, else defaults. */
  rules?: Rules;
  rulesFile?: string;
  /** Run only these stages (the others are reported as skipped); default: every stage but render. */
  stages?: readonly StageName[];
  /** Stages not to run (scenes, vad, stt, render). */
  skip?: readonly StageName[];
  /** Also render the edit with ffmpeg: true for `<outputs>/<name>.mp4`, or the output path. */
  render?: boolean | string;
  /** Export formats; default: config `exports` (mlt, kdenlive, srt). */
  exports?: readonly ExportFormat[];
  /** Project size and/or rate, before config `profile`; default: the first video clip's (see chooseProfile). */
  profile?: ProfileChoice;
  /** Where outputs go and their base name; default `<runDir>/outputs/<run folder name>.<ext>`. */
  outputs?: {
    dir?: string;
    name?: string;
    /** A hand-edited output: backed up then replaced (default), or left alone with the new one beside it. */
    whenEdited?: WhenEdited;
    /** Keep this many replaced versions of each output in `<manifestDir>/history/` (default none). */
    history?: number;
    /** Where the record of what AutoEdit wrote (and backups, history) is kept; default the outputs folder. */
    manifestDir?: string;
  };
  /** A Whisper model file or folder, before config stt.model_path (the CLI's --model). */
  model?: string;
  /** Speech backend, before config stt_backend (the CLI's --backend): local, or beam (lightning = beam). */
  backend?: 'local' | 'beam' | 'lightning';
  /** false: recompute every stage instead of reusing cached results (results are still cached). */
  cache?: boolean;
  /** Cancels the run: child processes are killed, nothing is left half-written, the next run resumes. */
  signal?: AbortSignal;
  /** Receives every event of the run (see RunEventSchema). */
  onEvent?: EventListener;
  /** How long to wait for another process that holds the run folder (ms); default 0: fail at once. */
  lockWaitMs?: number;
  /** Named in the lock, for the message another process shows (default "autoedit pipeline"). */
  command?: string;
}

export interface PipelineResult extends RunFinished {
  selection?: Selection;
}

/** What a run produced, kept as it goes so that a failed or cancelled run still reports it. */
interface RunRecord {
  stages: StageReport[];
  outputs: WrittenOutput[];
  failedInputs: { input: string; error: string }[];
}

/** Everything the stages share during one run. */
interface Ctx {
  layout: RunLayout;
  inputs?: readonly string[];
  plan: PipelinePlan;
  rules: Rules;
  cache: boolean;
  outputs: { dir: string; name: string; write: WriteOutputOptions };
  renderTo: string;
  runsVad: boolean;
  record: RunRecord;
  /** Set by ingest (or read from the run when ingest does not run). */
  db?: MediaDb;
  /** Set by select (or read from the run when select does not run). */
  selection?: Selection;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const secs = (s: number) => `${s.toFixed(1)} s`;

const STAGES: readonly Stage<Ctx>[] = [
  {
    name: 'ingest',
    async run(c, { signal, progress }) {
      // With no inputs, the originals recorded in the run are checked again (cheap when unchanged).
      const inputs = c.inputs ?? (await loadMediaDb(c.layout)).media.map((m) => m.original);
      if (inputs.length === 0)
        throw new UserError(
          `${c.layout.root} holds no media yet`,
          'Give the media files to edit (autoedit pipeline <media…> -o <run folder>).',
        );
      const r = await ingest(inputs, {
        runDir: c.layout.root,
        cache: c.cache,
        progress,
        signal,
        // When VAD will run, it reuses the audio ingest decodes anyway (one decode for both stages).
        audioConsumer: c.runsVad ? vadFromIngest(c.layout, c.plan.vad) : undefined,
        // Load the exporters while ffmpeg decodes (the export stage awaits the same promise).
        onMediaWork: () => void loadExporters().catch(() => {}),
      });
      c.record.failedInputs.push(...r.failed);
      if (r.items.length === 0) {
        throw new UserError(
          `no usable media among the inputs: ${r.failed.map((f) => `${f.input}: ${f.error}`).join('; ')}`,
        );
      }
      c.db = { kind: 'media-db', schemaVersion: 1, media: r.items.map((i) => i.entry) };
      const fresh = r.items.filter((i) => i.status !== 'unchanged').length;
      return {
        summary: `${plural(r.items.length, 'file')} (${fresh} processed)`,
        outputs: [r.mediaDb],
        cached: fresh === 0,
        warnings: r.failed.map((f) => `${f.input}: ${f.error}`),
      };
    },
  },
  {
    name: 'scenes',
    skipIf: (c) =>
      !c.db?.media.some((m) => m.probe.video.some((v) => !v.attachedPic)) ? 'no video input' : undefined,
    run: (c, { signal, progress }) =>
      runScenes(c.layout, c.db!, c.plan.scenes, { cache: c.cache, progress, signal }),
  },
  {
    name: 'vad',
    skipIf: (c) => (!c.db?.media.some((m) => m.audio) ? 'no audio input' : undefined),
    async run(c, { signal }) {
      const r = await runVad(c.layout, c.db!, { cache: c.cache, vad: c.plan.vad, signal });
      return {
        summary: `speech ranges for ${plural(r.files.length, 'source')}`,
        outputs: r.files,
        cached: r.hits === r.files.length,
      };
    },
  },
  {
    name: 'stt',
    skipIf: (c) => (!c.db?.media.some((m) => m.audio) ? 'no audio input' : undefined),
    run: (c, { signal, progress }) =>
      runStt(c.layout, c.db!, {
        lookup: c.plan.stt.lookup,
        language: c.plan.stt.language,
        prompt: c.plan.stt.prompt,
        backend: c.plan.stt.backend,
        beam: c.plan.stt.beam,
        cache: c.cache,
        progress,
        signal,
      }),
  },
  {
    name: 'select',
    async run(c) {
      const out = join(c.layout.artifacts, 'selection.json');
      const { selection } = await runSelect(c.layout.artifacts, c.rules, out, c.db);
      c.selection = selection;
      const kept = selection.kept.reduce((a, k) => a + k.end - k.start, 0);
      const total = selection.sources.reduce((a, s) => a + s.duration, 0);
      return {
        summary: `kept ${secs(kept)} of ${secs(total)} in ${plural(selection.kept.length, 'clip')}`,
        outputs: [out],
        cached: false,
        warnings: skippedRuleLines(selection.skippedRules),
      };
    },
  },
  {
    name: 'export',
    async run(c, { signal }) {
      const r = await runExport(
        c.selection!,
        c.plan.exports,
        c.outputs.dir,
        c.outputs.name,
        c.layout.artifacts,
        { signal, subtitles: c.plan.subtitles, write: c.outputs.write, profile: c.plan.profile },
      );
      c.record.outputs.push(...r.written);
      return {
        summary: r.written.map((w) => basename(w.path)).join(', ') || 'nothing written',
        outputs: r.written.map((w) => w.path),
        cached: false,
        warnings: [
          ...r.written
            .filter((w) => w.backup)
            .map((w) => `${w.path} had been edited by hand: the previous version is kept as ${w.backup}`),
          ...r.skipped.map((s) => `${s.format} not written: ${s.why}`),
          ...r.warnings,
        ],
      };
    },
  },
  {
    name: 'render',
    async run(c, { signal }) {
      const out = c.renderTo;
      const r = await renderSelection(c.selection!, out, { signal, profile: c.plan.profile });
      c.record.outputs.push({ path: out, format: 'render' });
      return { summary: `${out} (${secs(r.seconds)})`, outputs: [out], cached: false };
    },
  },
];

/**
 * The stages this run goes through (in order) and those of them not to run, with why. Unknown or mandatory
 * names are usage errors.
 */
function planStages(o: RunPipelineOptions): { planned: StageName[]; skip: Map<StageName, string> } {
  const known = (s: string, flag: string) => {
    if (!(PIPELINE_STAGES as readonly string[]).includes(s))
      throw new UsageError(`${flag}: unknown stage "${s}"`, `Stages: ${PIPELINE_STAGES.join(', ')}.`);
  };
  for (const s of o.stages ?? []) known(s, 'stages');
  const planned = PIPELINE_STAGES.filter((s) => !o.stages || o.stages.includes(s));
  const skip = new Map<StageName, string>();
  for (const s of o.skip ?? []) {
    known(s, '--skip');
    if (s === 'ingest' || s === 'select' || s === 'export')
      throw new UsageError(
        `--skip: the ${s} stage cannot be skipped`,
        'Later stages need it; skip only scenes, vad, stt or render.',
      );
    skip.set(s, 'on request');
  }
  if (!o.stages && !o.render) skip.set('render', 'not requested; use --render');
  return { planned, skip };
}

/** What stages that do not run in this run would have handed to those that do. */
async function loadEarlierResults(c: Ctx, planned: readonly StageName[]): Promise<void> {
  if (!planned.includes('ingest')) {
    let db = await loadMediaDb(c.layout);
    if (c.inputs) {
      // The edit is made of the inputs given, in their order, even when the run holds more (a file deleted
      // from a watched folder stays in media.db.json but leaves the edit).
      const { files } = await expandInputs(c.inputs);
      const byOriginal = new Map(db.media.map((m) => [m.original, m] as const));
      const missing = files.filter((f) => !byOriginal.has(f));
      if (missing.length)
        throw new UserError(
          `${missing[0]} is not analysed in ${c.layout.root} yet`,
          'Run the whole pipeline with it first.',
        );
      db = { ...db, media: files.map((f) => byOriginal.get(f)!) };
    }
    if (db.media.length === 0)
      throw new UserError(
        `${c.layout.root} holds no media yet`,
        'Run the whole pipeline (or ingest) with the media files first.',
      );
    c.db = db;
  }
  if (!planned.includes('select') && (planned.includes('export') || planned.includes('render')))
    c.selection = await readSelection(join(c.layout.artifacts, 'selection.json'));
}

/**
 * ingest → scenes → vad → stt → select → export (→ render) on one run folder, holding its lock. Every stage is
 * cached by content hash, so a re-run (after a crash, a cancel, or a changed rule) redoes only what changed.
 * Reports every step through `onEvent`; resolves with the run's result (status `partial` when some inputs
 * could not be used), rejects with the error that stopped it (a CancelledError when cancelled).
 */
/** The run's shared context, once the run folder is locked: rules, outputs and the plan. */
async function contextFor(
  opts: RunPipelineOptions,
  layout: RunLayout,
  config: Config,
  plan: PipelinePlan,
  skip: ReadonlyMap<StageName, string>,
  record: RunRecord,
): Promise<Ctx & { rulesFile?: string }> {
  const explicitRules = opts.rulesFile ?? config.rules;
  const { rules, file } = opts.rules
    ? { rules: opts.rules, file: opts.rulesFile }
    : await loadRules(
        explicitRules ? resolve(explicitRules) : join(layout.root, 'rules.json'),
        !!explicitRules,
      );
  const outputs = {
    dir: resolve(opts.outputs?.dir ?? layout.outputs),
    name: outputBaseName(opts.outputs?.name ?? basename(layout.root), 'outputs.name'),
    write: {
      whenEdited: opts.outputs?.whenEdited,
      history: opts.outputs?.history,
      manifestDir: opts.outputs?.manifestDir,
    },
  };
  return {
    layout,
    inputs: opts.inputs,
    plan,
    rules,
    rulesFile: file,
    cache: opts.cache !== false,
    outputs,
    renderTo:
      typeof opts.render === 'string' ? resolve(opts.render) : join(outputs.dir, `${outputs.name}.mp4`),
    runsVad: !skip.has('vad'),
    record,
  };
}

/**
 * ingest → scenes → vad → stt → select → export (→ render) on one run folder, holding its lock. Every stage is
 * cached by content hash, so a re-run (after a crash, a cancel, or a changed rule) redoes only what changed.
 * Reports every step through `onEvent`; resolves with the run's result (status `partial` when some inputs
 * could not be used), rejects with the error that stopped it (a CancelledError when cancelled).
 */
export async function runPipeline(opts: RunPipelineOptions): Promise<PipelineResult> {
  const t0 = performance.now();
  const layout = runLayout(opts.runDir);
  const emitter = new RunEmitter(
    newRunId(),
    layout.root,
    opts.onEvent,
    fileLogger(join(layout.logs, 'pipeline.jsonl'), { stage: 'pipeline' }),
  );
  const record: RunRecord = { stages: [], outputs: [], failedInputs: [] };
  const finish = (body: Pick<RunFinished, 'status' | 'exitCode' | 'error'>) =>
    emitter.emit({
      type: 'run.finished',
      ...body,
      seconds: (performance.now() - t0) / 1000,
      ...record,
    }) as RunFinished;
  let lock: RunLock | undefined;
  try {
    const { planned, skip } = planStages(opts);
    const config = opts.config ?? loadConfig({ projectDir: layout.root }).config;
    // Before the lock: a configuration that cannot work fails without touching the run folder.
    const plan = planFromConfig(config, {
      model: opts.model,
      exports: opts.exports,
      backend: opts.backend,
      profile: opts.profile,
    });
    lock = await lockRun(layout.root, {
      command: opts.command ?? 'autoedit pipeline',
      waitMs: opts.lockWaitMs,
      signal: opts.signal,
      onWait: (h) =>
        emitter.emit({
          type: 'message',
          text: `waiting for pid ${h.pid} (${h.command}) to release ${layout.root}`,
        }),
    });
    await ensureRunDirs(layout);
    const ctx = await contextFor(opts, layout, config, plan, skip, record);
    emitter.emit({
      type: 'run.started',
      inputs: [...(opts.inputs ?? [])],
      stages: planned,
      pid: process.pid,
    });
    emitter.emit({ type: 'message', text: `Rules: ${ctx.rulesFile ?? 'built-in defaults'}` });
    await loadEarlierResults(ctx, planned);
    const stages = STAGES.filter((s) => planned.includes(s.name));
    await runStages(stages, ctx, { skip, emitter, signal: opts.signal, reports: record.stages });
    const partial = record.failedInputs.length > 0;
    return {
      ...finish({ status: partial ? 'partial' : 'ok', exitCode: partial ? 1 : 0 }),
      selection: ctx.selection,
    };
  } catch (e) {
    const error = errorInfo(e, opts.signal);
    finish({
      status: error.name === 'CancelledError' ? 'cancelled' : 'failed',
      exitCode: error.exitCode,
      error,
    });
    throw e;
  } finally {
    await lock?.release();
  }
}
