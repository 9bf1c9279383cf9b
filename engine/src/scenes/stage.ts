import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { mainVideo, type Probe, probe, UnsupportedMediaError } from '@autoedit/media';
import { loadMediaDb } from '../ingest/ingest.js';
import { expandInputs } from '../ingest/inputs.js';
import { writeArtifact } from '../project/artifacts.js';
import { cached, cacheKey, type StageCache } from '../project/cache.js';
import { type RunLayout, runLayout } from '../project/layout.js';
import { fittingName } from '../project/names.js';
import type { MediaDb } from '../schemas/media-db.js';
import { type Sequences, SequencesSchema, SourceScenesSchema } from '../schemas/sequence.js';
import { throwIfCancelled } from '../util/errors.js';
import { hashFile } from '../util/hash.js';
import type { Progress } from '../util/progress.js';
import { type DetectorChoice, detectorParams, detectScenes } from './detect.js';

export interface SceneJob {
  /** Path written into the artifact (the run's raw/<name> link, or the file itself). */
  source: string;
  probe: Probe;
  /** Content hash; a promise lets hashing overlap decoding when no cache lookup needs it first. */
  hash: string | Promise<string>;
}

/**
 * Media inputs → scene jobs. A run's raw/ folder reuses its media.db.json (no re-probe, no re-hash) and its
 * cache; other files are probed here (hashing overlaps the decode) and non-video inputs are failures.
 */
export async function sceneJobs(
  inputs: readonly string[],
  signal?: AbortSignal,
): Promise<{ jobs: SceneJob[]; failed: { input: string; error: string }[]; runCache?: string }> {
  const first = inputs.length === 1 ? resolve(inputs[0]!) : undefined;
  if (first && basename(first) === 'raw' && existsSync(join(first, '..', 'media.db.json'))) {
    const layout = runLayout(dirname(first));
    const db = await loadMediaDb(layout);
    return {
      jobs: db.media.map((e) => ({ source: join(layout.root, e.raw), probe: e.probe, hash: e.hash })),
      failed: [],
      runCache: layout.cache,
    };
  }
  const { files, missing } = await expandInputs(inputs);
  const failed = [...missing];
  const jobs: SceneJob[] = [];
  for (const f of files) {
    throwIfCancelled(signal);
    try {
      const p = await probe(f, { signal });
      if (!mainVideo(p)) throw new UnsupportedMediaError(f, 'no video stream (scene detection needs video)');
      const hash = hashFile(f, signal);
      hash.catch(() => {}); // awaited by detectAll; a failure surfaces there
      jobs.push({ source: f, probe: p, hash });
    } catch (e) {
      if (!(e instanceof UnsupportedMediaError)) throw e;
      failed.push({ input: f, error: e.message.replace(`${f}: `, '') });
    }
  }
  return { jobs, failed };
}

/**
 * Scenes for several videos, each cached by (content hash, detector, parameters): a second run on the same
 * input does no decoding. Stats files (per-frame scores) go to `statsDir`.
 */
export async function detectAll(
  jobs: readonly SceneJob[],
  choice: DetectorChoice,
  opts: { cache?: StageCache; statsDir?: string; progress?: Progress; signal?: AbortSignal },
): Promise<{ sequences: Sequences; hits: number }> {
  const params = detectorParams(choice);
  let hits = 0;
  const sources = [];
  for (const job of jobs) {
    if (!mainVideo(job.probe)) continue;
    throwIfCancelled(opts.signal);
    const statsFile = opts.statsDir
      ? join(opts.statsDir, `${fittingName(basename(job.source))}.${choice.detector}.stats.csv`)
      : undefined;
    // A stats file is a by-product of decoding: when it is missing, decode again rather than reuse the cache.
    const cache =
      statsFile && !existsSync(statsFile) && opts.cache ? { ...opts.cache, disabled: true } : opts.cache;
    const detect = () =>
      detectScenes(job.source, job.probe, {
        ...choice,
        statsFile,
        progress: opts.progress,
        signal: opts.signal,
      });
    // Without a cache read the hash only names the result: compute it while decoding.
    const early = !cache || cache.disabled ? detect() : undefined;
    const hash = await Promise.all([job.hash, early]).then(([h]) => h);
    const key = cacheKey('scenes', { hash, detector: choice.detector, params });
    const { value, hit } = await cached(cache, key, SourceScenesSchema, async () => ({
      ...(await (early ?? detect())),
      mediaHash: hash,
    }));
    if (hit) hits++;
    sources.push({
      ...value,
      ...(statsFile ? { statsFile } : {}),
      source: job.source,
      scenes: value.scenes.map((s) => ({ ...s, source: job.source })),
    });
  }
  return {
    sequences: { kind: 'sequences', schemaVersion: 1, detector: { name: choice.detector, params }, sources },
    hits,
  };
}

/** The pipeline's scene stage: every video of the run → artifacts/sequences.json. */
export async function runScenes(
  layout: RunLayout,
  db: MediaDb,
  choice: DetectorChoice,
  o: { cache: boolean; progress?: Progress; signal?: AbortSignal },
) {
  const jobs = db.media.map((e) => ({ source: join(layout.root, e.raw), probe: e.probe, hash: e.hash }));
  const { sequences, hits } = await detectAll(jobs, choice, {
    cache: { dir: layout.cache, disabled: !o.cache },
    statsDir: join(layout.artifacts, 'stats'),
    progress: o.progress,
    signal: o.signal,
  });
  const file = join(layout.artifacts, 'sequences.json');
  await writeArtifact(file, SequencesSchema, sequences);
  const cuts = sequences.sources.reduce((a, s) => a + s.scenes.length - 1, 0);
  return {
    summary: `${cuts} cut${cuts === 1 ? '' : 's'} in ${sequences.sources.length} video${sequences.sources.length === 1 ? '' : 's'} (${choice.detector})`,
    outputs: [file],
    cached: hits === sequences.sources.length,
    warnings: sequences.sources.flatMap((s) => s.warnings.map((w) => `${basename(s.source)}: ${w}`)),
  };
}
