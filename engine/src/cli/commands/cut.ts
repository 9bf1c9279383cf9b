import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { probe } from '@autoedit/media';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { loadMediaDb } from '../../ingest/ingest.js';
import { expandInputs } from '../../ingest/inputs.js';
import { writeArtifact } from '../../project/artifacts.js';
import { runLayout } from '../../project/layout.js';
import { DETECTORS, type DetectorName } from '../../scenes/detect.js';
import { detectAll, type SceneJob } from '../../scenes/stage.js';
import { SequencesSchema } from '../../schemas/sequence.js';
import { UserError } from '../../util/errors.js';
import { hashFile } from '../../util/hash.js';
import { action, EXIT } from '../context.js';

interface Flags {
  output: string;
  detector?: string;
  threshold?: string;
  minSceneLen?: string;
  stats?: string | false;
  rgbFirst?: boolean;
  lumaOnly?: boolean;
  downscale?: string;
  filterMode?: string;
  fadeMethod?: string;
  fadeBias?: string;
  addFinalScene?: boolean;
}

const oneOf = <T extends string>(
  v: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined => {
  if (v === undefined) return undefined;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new UserError(`${flag} must be one of ${allowed.join(', ')}, got "${v}"`);
};

/** Inputs → jobs. A run's raw/ folder reuses media.db.json (no re-probe, no re-hash). */
async function jobsFor(
  inputs: string[],
): Promise<{ jobs: SceneJob[]; failed: { input: string; error: string }[]; cacheDir?: string }> {
  if (
    inputs.length === 1 &&
    existsSync(join(resolve(inputs[0]!), '..', 'media.db.json')) &&
    basename(resolve(inputs[0]!)) === 'raw'
  ) {
    const layout = runLayout(dirname(resolve(inputs[0]!)));
    const db = await loadMediaDb(layout);
    return {
      jobs: db.media.map((e) => ({ source: join(layout.root, e.raw), probe: e.probe, hash: e.hash })),
      failed: [],
      cacheDir: layout.cache,
    };
  }
  const { files, missing } = await expandInputs(inputs);
  const failed = [...missing];
  const jobs: SceneJob[] = [];
  for (const f of files) {
    try {
      const hash = hashFile(f);
      hash.catch(() => {}); // awaited later by detectAll; a failure surfaces there
      const p = await probe(f);
      if (!p.video.some((v) => !v.attachedPic))
        throw new Error('no video stream (scene detection needs video)');
      jobs.push({ source: f, probe: p, hash });
    } catch (e) {
      failed.push({ input: f, error: (e as Error).message.replace(`${f}: `, '') });
    }
  }
  return { jobs, failed };
}

export function registerCut(program: Command): void {
  program
    .command('cut')
    .description(
      'detect scene cuts (PySceneDetect-compatible content, adaptive and threshold detectors) → sequences.json',
    )
    .argument('<inputs...>', "video files, directories, or a run folder's raw/")
    .requiredOption('-o, --output <file>', 'sequences.json to write')
    .option(
      '-d, --detector <name>',
      `detector: ${DETECTORS.join(' | ')} (default content, or config scenes.detector)`,
    )
    .option(
      '-t, --threshold <n>',
      'content: score (27); adaptive: ratio (3); threshold: 8-bit intensity (12)',
    )
    .option('-m, --min-scene-len <frames>', 'minimum scene length in frames (15)')
    .option('--downscale <n>', 'fixed integer downscale factor (default: automatic, longer side to 256 px)')
    .option('--luma-only', 'content/adaptive: score brightness changes only')
    .option('--filter-mode <mode>', 'content: merge | suppress cuts closer than the minimum length (merge)')
    .option('--fade-method <m>', 'threshold: floor (fades to black, default) | ceiling (fades to white)')
    .option(
      '--fade-bias <x>',
      'threshold: -1 cut where the fade out starts … 0 midway … +1 where it ends (0)',
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
      action(async (ctx, inputs: string[], flags: Flags) => {
        const { config } = loadConfig({ configFile: ctx.globals.config });
        const detector = (flags.detector ?? config.scenes.detector) as DetectorName;
        if (!DETECTORS.includes(detector))
          throw new UserError(`unknown detector "${detector}"`, `Detectors: ${DETECTORS.join(', ')}.`);
        const num = (s: string | undefined, what: string) => {
          if (s === undefined) return undefined;
          const n = Number(s);
          if (!Number.isFinite(n) || n < 0)
            throw new UserError(`${what} must be a non-negative number, got "${s}"`);
          return n;
        };
        const choice = {
          detector,
          threshold: num(flags.threshold, '--threshold') ?? config.scenes.threshold,
          minSceneLen: num(flags.minSceneLen, '--min-scene-len') ?? config.scenes.min_scene_len,
          colorPath: flags.rgbFirst ? ('rgb-first' as const) : ('sampled' as const),
          lumaOnly: flags.lumaOnly,
          downscale: num(flags.downscale, '--downscale'),
          filterMode: oneOf(flags.filterMode, ['merge', 'suppress'] as const, '--filter-mode'),
          fadeMethod: oneOf(flags.fadeMethod, ['floor', 'ceiling'] as const, '--fade-method'),
          fadeBias: flags.fadeBias === undefined ? undefined : Number(flags.fadeBias),
          addFinalScene: flags.addFinalScene,
        };
        if (choice.downscale !== undefined && !(Number.isInteger(choice.downscale) && choice.downscale >= 1))
          throw new UserError(`--downscale must be a whole number ≥ 1, got "${flags.downscale}"`);
        if (choice.fadeBias !== undefined && !(Math.abs(choice.fadeBias) <= 1))
          throw new UserError(`--fade-bias must be between -1 and 1, got "${flags.fadeBias}"`);
        const { jobs, failed, cacheDir: runCache } = await jobsFor(inputs);
        const out = resolve(flags.output);
        // A run's own cache when the input is a run's raw/; otherwise beside the output.
        const cacheDir = runCache ?? join(dirname(out), 'cache');
        const statsDir =
          flags.stats === false ? undefined : resolve(flags.stats ?? join(dirname(out), 'stats'));
        const { sequences, hits } = await detectAll(jobs, choice, {
          cache: { dir: cacheDir, disabled: !ctx.globals.cache },
          statsDir,
          progress: ctx.progress,
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
          ctx.say(
            `${basename(s.source)}: ${s.scenes.length} scene(s), cuts at frames ${
              s.scenes
                .slice(1)
                .map((x) => x.startFrame)
                .join(', ') || '(none)'
            }`,
          );
          for (const w of s.warnings) ctx.say(`  warning: ${w}`);
        }
        for (const f of failed) ctx.say(`failed: ${f.input}: ${f.error}`);
        if (hits) ctx.say(`${hits} of ${sequences.sources.length} from cache`);
        ctx.say(`Scenes: ${out}`);
        return failed.length ? EXIT.failed : EXIT.ok;
      }),
    );
}
