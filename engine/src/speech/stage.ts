import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readArtifact, writeArtifact } from '../project/artifacts.js';
import { perSourceArtifact, type RunLayout } from '../project/layout.js';
import type { MediaDb } from '../schemas/media-db.js';
import { TranscriptSchema } from '../schemas/transcript.js';
import { VadSchema } from '../schemas/vad.js';
import type { Progress } from '../util/progress.js';
import { BeamBackend, type BeamPlan } from './beam/backend.js';
import { transcribeFile } from './transcribe.js';
import { findModel, type ModelLookup, ModelNotFoundError } from './whisper/models.js';

/**
 * The pipeline's speech stage: a transcript per source with audio. With no model installed it returns a
 * warning instead of failing, so the rest of the pipeline goes on (silence rules still work from VAD).
 */
export async function runStt(
  layout: RunLayout,
  db: MediaDb,
  o: {
    lookup: ModelLookup;
    language?: string;
    prompt?: string;
    cache: boolean;
    progress?: Progress;
    signal?: AbortSignal;
    /** `beam`: windows go to the Beam service (`beam` says where); the local model is then the fallback. */
    backend?: 'local' | 'beam';
    beam?: BeamPlan;
  },
) {
  let modelPath: string | undefined;
  const warnings: string[] = [];
  try {
    modelPath = findModel(o.lookup);
  } catch (e) {
    if (e instanceof ModelNotFoundError && o.backend === 'beam') {
      warnings.push(
        `no local Whisper model, so windows that fail on Beam cannot fall back to this machine (${e.message})`,
      );
    } else if (e instanceof ModelNotFoundError) {
      return {
        summary: 'skipped: no Whisper model',
        outputs: [],
        cached: false,
        skipped: 'no Whisper model',
        warnings: [`${e.message}. ${e.hint}`],
      };
    }
    throw e;
  }
  const beam =
    o.backend === 'beam' && o.beam
      ? await BeamBackend.open(o.beam, { localModel: modelPath, signal: o.signal })
      : undefined;
  const outputs: string[] = [];
  try {
    for (const e of db.media) {
      if (!e.audio) continue;
      const vadFile = perSourceArtifact(layout, db.media.length, 'vad', e.name);
      const speech = existsSync(vadFile) ? (await readArtifact(vadFile, VadSchema)).speech : undefined;
      const tr = await transcribeFile(join(layout.root, e.audio), {
        modelPath: modelPath ?? '',
        language: o.language,
        prompt: o.prompt,
        speech,
        hash: e.hash,
        source: join(layout.root, e.raw),
        cache: { dir: layout.cache, disabled: !o.cache },
        progress: o.progress,
        signal: o.signal,
        ...beam?.transcribeOptions(join(layout.root, e.raw)),
      });
      const file = perSourceArtifact(layout, db.media.length, 'transcript', e.name);
      await writeArtifact(file, TranscriptSchema, tr);
      outputs.push(file);
    }
  } finally {
    await beam?.close();
  }
  if (beam) {
    const { line, warnings: where } = beam.summary();
    return {
      summary: `${outputs.length} transcript(s) with Beam (${beam.model.id}): windows ${line}`,
      outputs,
      cached: false,
      warnings: [...warnings, ...where],
    };
  }
  return {
    summary: `${outputs.length} transcript(s) with ${modelPath!.split('/').pop()}`,
    outputs,
    cached: false,
  };
}
