import { basename, join } from 'node:path';
import type { ExportFormat } from '../exporters/formats.js';
import { loadExporters } from '../exporters/load.js';
import { ingest } from '../ingest/ingest.js';
import { type RunLayout, runLayout } from '../project/layout.js';
import type { WrittenOutput } from '../project/outputs.js';
import { renderSelection } from '../render/render.js';
import type { MediaDb } from '../schemas/media-db.js';
import type { Rules } from '../schemas/rules.js';
import type { Selection } from '../schemas/selection.js';
import type { DetectSpeechOptions } from '../speech/vad-stage.js';
import { UserError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import type { Progress } from '../util/progress.js';
import { runStages, type Stage, type StageReport } from './runner.js';
import { runExport, runSelect, runVad, vadFromIngest } from './stages.js';

export const PIPELINE_STAGES = ['ingest', 'scenes', 'vad', 'stt', 'select', 'export', 'render'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export interface PipelineOptions {
  runDir: string;
  rules: Rules;
  exportFormats: ExportFormat[];
  render: boolean;
  skip: ReadonlySet<string>;
  cache: boolean;
  vad?: DetectSpeechOptions;
  progress: Progress;
  logger: Logger;
  /** Optional stages provided by their modules (scene detection, speech recognition). */
  scenes?: (
    layout: RunLayout,
    db: MediaDb,
    cache: boolean,
  ) => Promise<{ summary: string; outputs: string[]; cached: boolean; warnings?: string[] }>;
  stt?: (
    layout: RunLayout,
    db: MediaDb,
    cache: boolean,
  ) => Promise<{ summary: string; outputs: string[]; cached: boolean; warnings?: string[] }>;
}

interface Ctx {
  inputs: readonly string[];
  layout: RunLayout;
  db?: MediaDb;
  selection?: Selection;
  outputs: WrittenOutput[];
  opts: PipelineOptions;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const secs = (s: number) => `${s.toFixed(1)} s`;

function stages(): Stage<Ctx>[] {
  return [
    {
      name: 'ingest',
      async run(c) {
        // When VAD will run, it reuses the audio ingest decodes anyway (one decode for both stages).
        const audioConsumer = c.opts.skip.has('vad') ? undefined : vadFromIngest(c.layout, c.opts.vad ?? {});
        const r = await ingest(c.inputs, {
          runDir: c.layout.root,
          cache: c.opts.cache,
          logger: c.opts.logger,
          audioConsumer,
          // Load the exporters while ffmpeg decodes (the export stage awaits the same promise).
          onMediaWork: () => void loadExporters().catch(() => {}),
        });
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
        !c.opts.scenes
          ? 'scene detection is not available in this build'
          : !c.db?.media.some((m) => m.probe.video.length)
            ? 'no video input'
            : undefined,
      run: (c) => c.opts.scenes!(c.layout, c.db!, c.opts.cache),
    },
    {
      name: 'vad',
      skipIf: (c) => (!c.db?.media.some((m) => m.audio) ? 'no audio input' : undefined),
      async run(c) {
        const r = await runVad(c.layout, c.db!, { cache: c.opts.cache, vad: c.opts.vad });
        return {
          summary: `speech ranges for ${plural(r.files.length, 'source')}`,
          outputs: r.files,
          cached: r.hits === r.files.length,
        };
      },
    },
    {
      name: 'stt',
      skipIf: (c) =>
        !c.opts.stt
          ? 'speech recognition is not available in this build'
          : !c.db?.media.some((m) => m.audio)
            ? 'no audio input'
            : undefined,
      run: (c) => c.opts.stt!(c.layout, c.db!, c.opts.cache),
    },
    {
      name: 'select',
      async run(c) {
        const out = join(c.layout.artifacts, 'selection.json');
        const { selection } = await runSelect(c.layout.artifacts, c.opts.rules, out);
        c.selection = selection;
        const kept = selection.kept.reduce((a, k) => a + k.end - k.start, 0);
        const total = selection.sources.reduce((a, s) => a + s.duration, 0);
        const skipped = selection.skippedRules.map((s) => `rule ${s.rule} skipped: ${s.why}`);
        return {
          summary: `kept ${secs(kept)} of ${secs(total)} in ${plural(selection.kept.length, 'clip')}`,
          outputs: [out],
          cached: false,
          warnings: skipped,
        };
      },
    },
    {
      name: 'export',
      async run(c) {
        const name = basename(c.layout.root);
        const r = await runExport(
          c.selection!,
          c.opts.exportFormats,
          c.layout.outputs,
          name,
          c.layout.artifacts,
        );
        c.outputs.push(...r.written);
        return {
          summary: r.written.map((w) => basename(w.path)).join(', '),
          outputs: r.written.map((w) => w.path),
          cached: false,
          warnings: [
            ...r.written
              .filter((w) => w.backup)
              .map((w) => `${w.path} had been edited by hand: the previous version is kept as ${w.backup}`),
            ...r.skipped.map((s) => `${s.format} not written: ${s.why}`),
          ],
        };
      },
    },
    {
      name: 'render',
      skipIf: (c) => (!c.opts.render ? 'not requested (use --render)' : undefined),
      async run(c) {
        const out = join(c.layout.outputs, `${basename(c.layout.root)}.mp4`);
        const r = await renderSelection(c.selection!, out);
        c.outputs.push({ path: out });
        return { summary: `${out} (${secs(r.seconds)})`, outputs: [out], cached: false };
      },
    },
  ];
}

export interface PipelineResult {
  run: string;
  stages: StageReport[];
  outputs: WrittenOutput[];
  selection?: Selection;
  seconds: number;
}

/** ingest → scenes → vad → stt → select → export (→ render). Every stage is cached, so a re-run resumes. */
export async function runPipeline(inputs: readonly string[], opts: PipelineOptions): Promise<PipelineResult> {
  const t0 = performance.now();
  for (const s of opts.skip) {
    if (!(PIPELINE_STAGES as readonly string[]).includes(s))
      throw new UserError(`--skip: unknown stage "${s}"`, `Stages: ${PIPELINE_STAGES.join(', ')}.`);
    if (s === 'ingest' || s === 'select' || s === 'export')
      throw new UserError(`--skip: the ${s} stage cannot be skipped`);
  }
  const layout = runLayout(opts.runDir);
  const ctx: Ctx = { inputs, layout, outputs: [], opts };
  const { reports } = await runStages(stages(), ctx, {
    skip: opts.skip,
    progress: opts.progress,
    logger: opts.logger,
  });
  return {
    run: layout.root,
    stages: reports,
    outputs: ctx.outputs,
    selection: ctx.selection,
    seconds: (performance.now() - t0) / 1000,
  };
}
