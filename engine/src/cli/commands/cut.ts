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
  stats?: string;
  rgbFirst?: boolean;
}

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
      const [p, hash] = await Promise.all([probe(f), hashFile(f)]);
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
    .option(
      '--rgb-first',
      "convert to RGB at full resolution before shrinking (PySceneDetect's exact colour path; slower)",
    )
    .option('--stats <dir>', 'write per-frame scores (CSV, PySceneDetect stats format) into this folder')
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
        };
        const { jobs, failed } = await jobsFor(inputs);
        const out = resolve(flags.output);
        const cacheDir = join(dirname(out), 'cache');
        const { sequences, hits } = await detectAll(jobs, choice, {
          cache: { dir: cacheDir, disabled: !ctx.globals.cache },
          statsDir: flags.stats ? resolve(flags.stats) : undefined,
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
