import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { runPipeline } from '../../pipeline/pipeline.js';
import { runLayout } from '../../project/layout.js';
import { runScenes } from '../../scenes/stage.js';
import { loadRules } from '../../select/rules-file.js';
import { runStt } from '../../speech/stage.js';
import { fileLogger } from '../../util/log.js';
import { action } from '../context.js';
import { parseFormats } from './export.js';
import { vadChoice } from './vad.js';

interface Flags {
  output: string;
  skip?: string;
  export: string;
  render?: boolean;
  rules?: string;
  model?: string;
}

export function registerPipeline(program: Command): void {
  program
    .command('pipeline')
    .description('ingest → scenes → vad → stt → select → export (→ render) in one go, cached and resumable')
    .argument('<inputs...>', 'media files, directories or glob patterns')
    .requiredOption('-o, --output <dir>', 'run folder, e.g. runs/demo')
    .option('--skip <stages>', 'comma-separated stages to skip: scenes, vad, stt, render')
    .option(
      '--export <formats>',
      'export formats (mlt, kdenlive, edl, fcpxml, otio, srt, vtt)',
      'mlt,kdenlive,srt',
    )
    .option('--render', 'also render outputs/<name>.mp4 with ffmpeg')
    .option(
      '-r, --rules <file>',
      'rules.json (default: rules.json in the run folder, else built-in defaults)',
    )
    .option('-m, --model <path>', 'Whisper model file or folder for the stt stage')
    .addHelpText(
      'after',
      '\nExample:\n  $ autoedit pipeline interview.mp4 -o runs/interview --skip scenes --render',
    )
    .action(
      action(async (ctx, inputs: string[], flags: Flags) => {
        const layout = runLayout(flags.output);
        const { config } = loadConfig({ projectDir: layout.root, configFile: ctx.globals.config });
        const explicit = flags.rules ?? config.rules;
        const { rules, file } = await loadRules(
          explicit ? resolve(explicit) : join(layout.root, 'rules.json'),
          !!explicit,
        );
        const logger = fileLogger(join(layout.logs, 'pipeline.jsonl'), { stage: 'pipeline' });
        ctx.progress.line(`Rules: ${file ?? 'built-in defaults'}`);
        const result = await runPipeline(inputs, {
          runDir: layout.root,
          rules,
          exportFormats: parseFormats(flags.export),
          render: !!flags.render,
          skip: new Set(
            (flags.skip ?? '')
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          ),
          cache: ctx.globals.cache,
          vad: vadChoice(config.vad.detector, config.vad.threshold),
          progress: ctx.progress,
          logger,
          scenes: (l, db, cache) =>
            runScenes(
              l,
              db,
              {
                detector: config.scenes.detector,
                threshold: config.scenes.threshold,
                minSceneLen: config.scenes.min_scene_len,
              },
              cache,
            ),
          stt: (l, db, cache) =>
            runStt(l, db, {
              lookup: { explicit: flags.model, configured: config.stt.model_path, name: config.stt.model },
              language: config.stt.language,
              prompt: config.stt.prompt,
              cache,
            }),
        });
        ctx.result({
          ok: true,
          run: result.run,
          seconds: result.seconds,
          stages: result.stages,
          outputs: result.outputs,
        });
        ctx.say(`\nDone in ${result.seconds.toFixed(2)} s. Outputs:`);
        for (const o of result.outputs) ctx.say(`  ${o.path}`);
        return 0;
      }),
    );
}
