import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readArtifact, writeArtifact } from '../project/artifacts.js';
import { perSourceArtifact, type RunLayout } from '../project/layout.js';
import type { MediaDb } from '../schemas/media-db.js';
import { TranscriptSchema } from '../schemas/transcript.js';
import { VadSchema } from '../schemas/vad.js';
import type { Progress } from '../util/progress.js';
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
  },
) {
  let modelPath: string;
  try {
    modelPath = findModel(o.lookup);
  } catch (e) {
    if (e instanceof ModelNotFoundError) {
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
  const outputs: string[] = [];
  for (const e of db.media) {
    if (!e.audio) continue;
    const vadFile = perSourceArtifact(layout, db.media.length, 'vad', e.name);
    const speech = existsSync(vadFile) ? (await readArtifact(vadFile, VadSchema)).speech : undefined;
    const tr = await transcribeFile(join(layout.root, e.audio), {
      modelPath,
      language: o.language,
      prompt: o.prompt,
      speech,
      hash: e.hash,
      source: join(layout.root, e.raw),
      cache: { dir: layout.cache, disabled: !o.cache },
      progress: o.progress,
      signal: o.signal,
    });
    const file = perSourceArtifact(layout, db.media.length, 'transcript', e.name);
    await writeArtifact(file, TranscriptSchema, tr);
    outputs.push(file);
  }
  return {
    summary: `${outputs.length} transcript(s) with ${modelPath.split('/').pop()}`,
    outputs,
    cached: false,
  };
}
