import { basename, dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { writeArtifact } from '../../project/artifacts.js';
import { DETECTORS, type DetectorChoice, type DetectorName } from '../../scenes/detect.js';
import { detectAll, sceneJobs } from '../../scenes/stage.js';
import { SequencesSchema } from '../../schemas/sequence.js';
import { action, EXIT } from '../context.js';
import { flags, numberArg } from '../flags.js';

interface Flags {
  output: string;
  detector?: DetectorName;
  threshold?: number;
  minSceneLen?: number;
  stats?: string | false;
  rgbFirst?: boolean;
  lumaOnly?: boolean;
  downscale?: number;
  filterMode?: 'merge' | 'suppress';
  fadeMethod?: 'floor' | 'ceiling';
  fadeBias?: number;
  addFinalScene?: boolean;
}

export function registerCut(program: Command): void {
  program
    .command('cut')
    .description(
      'detect scene cuts (PySceneDetect-compatible content, adaptive and threshold detectors) → sequences.json',
    )
    .argument('<inputs...>', "video files, directories, or a run folder's raw/")
    .addOption(flags.output('sequences.json to write').makeOptionMandatory())
    .addOption(flags.detector(DETECTORS, 'detector (default content, or config scenes.detector)'))
    .addOption(flags.threshold('content: score (27); adaptive: ratio (3); threshold: 8-bit intensity (12)'))
    .addOption(
      new Option('--min-scene-len <frames>', 'minimum scene length in frames (15)').argParser(
        numberArg({ min: 1, integer: true }),
      ),
    )
    .addOption(
      new Option(
        '--downscale <n>',
        'fixed integer downscale factor (default: automatic, longer side to 256 px)',
      ).argParser(numberArg({ min: 1, integer: true })),
    )
    .option('--luma-only', 'content/adaptive: score brightness changes only')
    .addOption(
      new Option(
        '--filter-mode <mode>',
        'content: how cuts closer than the minimum length are filtered (merge)',
      ).choices(['merge', 'suppress']),
    )
    .addOption(
      new Option(
        '--fade-method <m>',
        'threshold: floor (fades to black, default) | ceiling (fades to white)',
      ).choices(['floor', 'ceiling']),
    )
    .addOption(
      new Option(
        '--fade-bias <x>',
        'threshold: -1 cut where the fade out starts … 0 midway … +1 where it ends (0)',
      ).argParser(numberArg({ min: -1, max: 1 })),
    )
    .option('--add-final-scene', 'threshold: also cut where a final fade out begins')
    .option(
      '--rgb-first',
      "convert to RGB at full resolution before shrinking (PySceneDetect's exact colour path; slower)",
    )
    .option(
      '--stats <dir>',
      'folder for the per-frame scores (PySceneDetect stats CSV) that explain each cut (default: stats/ next to -o)',
    )
    .option('--no-stats', 'do not write stats files')
    .addHelpText(
      'after',
      '\nExamples:\n  $ autoedit cut runs/demo/raw -o runs/demo/artifacts/sequences.json\n  $ autoedit cut film.mp4 -d threshold -o fades.json --stats stats/',
    )
    .action(
      action(async (ctx, inputs: string[], f: Flags) => {
        const out = resolve(f.output);
        return ctx.inRun('cut', [out, ...inputs], async ({ config }) => {
          const choice: DetectorChoice = {
            detector: f.detector ?? config.scenes.detector,
            threshold: f.threshold ?? config.scenes.threshold,
            minSceneLen: f.minSceneLen ?? config.scenes.min_scene_len,
            colorPath: f.rgbFirst ? 'rgb-first' : 'sampled',
            lumaOnly: f.lumaOnly,
            downscale: f.downscale,
            filterMode: f.filterMode,
            fadeMethod: f.fadeMethod,
            fadeBias: f.fadeBias,
            addFinalScene: f.addFinalScene,
          };
          const { jobs, failed, runCache } = await sceneJobs(inputs, ctx.signal);
          // A run's own cache when the input is a run's raw/; otherwise beside the output.
          const cacheDir = runCache ?? join(dirname(out), 'cache');
          const statsDir = f.stats === false ? undefined : resolve(f.stats ?? join(dirname(out), 'stats'));
          const { sequences, hits } = await detectAll(jobs, choice, {
            cache: { dir: cacheDir, disabled: !ctx.globals.cache },
            statsDir,
            progress: ctx.progress,
            signal: ctx.signal,
          });
          await writeArtifact(out, SequencesSchema, sequences);
          ctx.result({
            ok: failed.length === 0,
            output: out,
            cached: hits,
            sources: sequences.sources.map((s) => ({
              source: s.source,
              frames: s.frameCount,
              cuts: s.scenes.slice(1).map((x) => x.startFrame),
              decoded: s.decoded,
              stats: s.statsFile,
              warnings: s.warnings,
            })),
            failed,
          });
          for (const s of sequences.sources) {
            const cuts = s.scenes.slice(1).map((x) => x.startFrame);
            ctx.say(
              `${basename(s.source)}: ${s.scenes.length} scene(s), cuts at frames ${cuts.join(', ') || '(none)'}`,
            );
            for (const w of s.warnings) ctx.say(`  warning: ${w}`);
          }
          for (const x of failed) ctx.say(`failed: ${x.input}: ${x.error}`);
          if (hits) ctx.say(`${hits} of ${sequences.sources.length} from cache`);
          ctx.say(`Scenes: ${out}`);
          return failed.length ? EXIT.failed : EXIT.ok;
        });
      }),
    );
}
