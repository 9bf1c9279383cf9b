import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { displaySize, mainVideo, secondsToFrame } from '@autoedit/media';
import type { z } from 'zod';
import { readArtifact } from '../project/artifacts.js';
import { runLayout } from '../project/layout.js';
import { type MediaDb, MediaDbSchema, type MediaEntry } from '../schemas/media-db.js';
import type { SelectionSource } from '../schemas/selection.js';
import { SequencesSchema } from '../schemas/sequence.js';
import { TranscriptSchema } from '../schemas/transcript.js';
import { VadSchema } from '../schemas/vad.js';
import { VisionSchema } from '../schemas/vision.js';
import { UserError } from '../util/errors.js';
import type { SourceAnalysis } from './select.js';

/** What exporters need about a source, from its probe (so they never probe again). */
export function selectionSource(runRoot: string, e: MediaEntry): SelectionSource {
  const v = mainVideo(e.probe);
  const a = e.probe.audio[0];
  // Audio-only sources still live on a frame grid: 25 fps is what Kdenlive/Shotcut assume by default.
  const fps = v?.fps ?? { num: 25, den: 1 };
  // Exporters and the render need the picture as shown, not as stored (portrait phone clips).
  const shown = v && displaySize(v);
  return {
    source: join(runRoot, e.raw),
    fps,
    width: shown?.width,
    height: shown?.height,
    sar: shown?.sar,
    // Only when set: an `undefined` field would not survive the JSON round trip of selection.json.
    ...(v?.rotation ? { rotation: v.rotation } : {}),
    duration: e.probe.duration,
    frameCount: Math.max(1, secondsToFrame(e.probe.duration, fps)),
    hasVideo: !!v,
    hasAudio: !!a,
    audioChannels: a?.channels,
    audioSampleRate: a?.sampleRate,
  };
}

/**
 * The source's analysis of one kind: `<kind>.<media name>.json`, else `<kind>.json`, skipping one stamped with
 * another content hash when one with the source's own hash exists (a left-over from when the run had more
 * sources).
 */
async function analysisFor<S extends typeof VadSchema | typeof TranscriptSchema>(
  dir: string,
  kind: string,
  e: MediaEntry,
  schema: S,
): Promise<{ file?: string; value?: z.infer<S> }> {
  let first: { file?: string; value?: z.infer<S> } = {};
  type Found = z.infer<S> & { hash?: string };
  for (const file of [join(dir, `${kind}.${e.name}.json`), join(dir, `${kind}.json`)]) {
    if (!existsSync(file)) continue;
    const value = (await readArtifact(file, schema)) as Found;
    if (value.hash === e.hash) return { file, value };
    if (!first.file) first = { file, value };
  }
  return first;
}

const sameSource = (artifactSource: string | undefined, runRoot: string, e: MediaEntry) =>
  artifactSource === undefined ||
  artifactSource === join(runRoot, e.raw) ||
  artifactSource === e.original ||
  basename(artifactSource) === e.name;

/**
 * Read every analysis artifact in `artifactsDir` (a run's artifacts/ folder) and pair it with the media in the
 * run's media.db.json. Missing artifacts are fine; invalid ones are errors naming the file.
 */
export async function loadAnalyses(
  artifactsDir: string,
  /** The media to select from (a pipeline's inputs); default: every medium in the run's media.db.json. */
  media?: MediaDb,
): Promise<{ analyses: SourceAnalysis[]; db: MediaDb; found: string[] }> {
  const runRoot = dirname(artifactsDir);
  const layout = runLayout(runRoot);
  if (!media && !existsSync(layout.mediaDb)) {
    throw new UserError(
      `${layout.mediaDb}: not found`,
      `Is ${artifactsDir} the artifacts/ folder of a run? Run \`autoedit ingest <media> -o ${runRoot}\` first.`,
    );
  }
  const db = media ?? (await readArtifact(layout.mediaDb, MediaDbSchema));
  const found = new Set<string>();
  const seqFile = join(artifactsDir, 'sequences.json');
  const sequences = existsSync(seqFile) ? await readArtifact(seqFile, SequencesSchema) : undefined;
  if (sequences) found.add(seqFile);
  const visionFile = join(artifactsDir, 'vision.json');
  const vision = existsSync(visionFile) ? await readArtifact(visionFile, VisionSchema) : undefined;
  if (vision) found.add(visionFile);
  const analyses: SourceAnalysis[] = [];
  for (const e of db.media) {
    const source = selectionSource(runRoot, e);
    const scenes = sequences?.sources.find(
      (s) => sameSource(s.source, runRoot, e) && s.source !== undefined,
    )?.scenes;
    const { file: vadFile, value: vad } = await analysisFor(artifactsDir, 'vad', e, VadSchema);
    const { file: trFile, value: transcript } = await analysisFor(
      artifactsDir,
      'transcript',
      e,
      TranscriptSchema,
    );
    const useVad = vad && (sameSource(vad.source, runRoot, e) || db.media.length === 1);
    const useTr = transcript && (sameSource(transcript.source, runRoot, e) || db.media.length === 1);
    if (useVad) found.add(vadFile!);
    if (useTr) found.add(trFile!);
    analyses.push({
      source,
      name: e.name,
      scenes: scenes?.map((s) => ({ ...s, source: source.source })),
      vad: useVad ? vad : undefined,
      transcript: useTr ? transcript : undefined,
      faces: vision?.sources.find((s) => sameSource(s.source, runRoot, e))?.samples,
    });
  }
  return { analyses, db, found: [...found] };
}
