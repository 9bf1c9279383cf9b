import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../../exporters/formats.js';
import { runPipeline } from '../../pipeline/pipeline.js';
import type { StageName } from '../../schemas/events.js';
import type { ProfileChoice } from '../../timeline/profile.js';
import { action } from '../context.js';
import { flags, listArg } from '../flags.js';

interface Flags {
  output: string;
  skip?: StageName[];
  only?: StageName[];
  format?: ExportFormat[];
  render?: boolean | string;
  rules?: string;
  model?: string;
  backend?: 'local' | 'beam' | 'lightning';
  wait?: number | true;
  profile?: ProfileChoice;
}

export function registerPipeline(program: Command): void {
  program
    .command('pipeline')
    .description('ingest → scenes → vad → stt → select → export (→ render) in one go, cached and resumable')
    .argument(
      '[inputs...]',
      'media files, directories or glob patterns (default: the media already in the run)',
    )
    .addOption(flags.output('run folder, e.g. runs/demo', 'dir').makeOptionMandatory())
    .addOption(flags.stages('--skip', 'comma-separated stages to skip: scenes, vad, stt, render'))
    .addOption(
      flags.stages('--only', 'run only these stages on the run (e.g. select,export after a rules edit)'),
    )
    .addOption(flags.formats().default(undefined, 'config exports: mlt,kdenlive,srt'))
    .addOption(
      new Option('--export <list>', 'alias of --format').argParser(listArg(EXPORT_FORMATS)).hideHelp(),
    )
    .option('--render [file]', 'also render the edit with ffmpeg (default outputs/<name>.mp4)')
    .addOption(flags.rules())
    .addOption(flags.model())
    .addOption(flags.backend())
    .addOption(flags.profile())
    .addOption(flags.wait())
    .addHelpText(
      'after',
      `
Progress goes to stderr; --json prints the result, --events prints the run's events as JSON lines
(schema: @autoedit/engine/events.schema.json). Ctrl-C stops cleanly; the next run resumes from the cache.

Examples:
  $ autoedit pipeline interview.mp4 -o runs/interview --skip scenes --render
  $ autoedit pipeline -o runs/interview --only select,export      after editing runs/interview/rules.json`,
    )
    .action(
      action(async (ctx, inputs: string[], f: Flags & { export?: ExportFormat[] }) => {
        const runDir = resolve(f.output);
        const { config } = ctx.config(runDir);
        const result = await runPipeline({
          runDir,
          inputs: inputs.length ? inputs : undefined,
          config,
          rulesFile: f.rules,
          skip: f.skip,
          stages: f.only,
          exports: f.format ?? f.export,
          render: f.render,
          model: f.model,
          backend: f.backend,
          profile: f.profile,
          cache: ctx.globals.cache,
          signal: ctx.signal,
          onEvent: ctx.onEvent,
          lockWaitMs: f.wait === undefined ? 0 : f.wait === true ? Number.POSITIVE_INFINITY : f.wait * 1000,
        });
        const { selection: _s, ...summary } = result;
        ctx.result({ ok: result.status === 'ok', ...summary });
        ctx.say(`\nDone in ${result.seconds.toFixed(2)} s. Outputs:`);
        for (const o of result.outputs) ctx.say(`  ${o.path}`);
        for (const f of result.failedInputs) ctx.say(`Not used: ${f.input}: ${f.error}`);
        return result.exitCode;
      }),
    );
}
