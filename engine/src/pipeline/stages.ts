import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ExportFormat } from '../exporters/formats.js';
import { loadExporters } from '../exporters/load.js';
import type { SubtitleStyle } from '../exporters/subtitles.js';
import type { AudioConsumer } from '../ingest/ingest.js';
import { readArtifact, writeArtifact } from '../project/artifacts.js';
import { cached, cacheKey } from '../project/cache.js';
import { perSourceArtifact, type RunLayout } from '../project/layout.js';
import { outputBaseName } from '../project/names.js';
import { type WriteOutputOptions, type WrittenOutput, writeOutput } from '../project/outputs.js';
import { assertSourcesPresent } from '../project/sources.js';
import type { MediaDb } from '../schemas/media-db.js';
import type { Rules } from '../schemas/rules.js';
import { type Selection, SelectionSchema } from '../schemas/selection.js';
import { TranscriptSchema } from '../schemas/transcript.js';
import { VadSchema } from '../schemas/vad.js';
import { loadAnalyses } from '../select/load.js';
import { select } from '../select/select.js';
import { type DetectSpeechOptions, detectSpeech, speechDetector, vadParams } from '../speech/vad-stage.js';
import { timelineFromSelection } from '../timeline/from-selection.js';
import type { ProfileChoice } from '../timeline/profile.js';
import { throwIfCancelled } from '../util/errors.js';

const vadKey = (hash: string, choice: DetectSpeechOptions) =>
  cacheKey('vad', { hash, detector: choice.detector ?? 'energy', params: vadParams(choice) });

/**
 * An ingest consumer that runs VAD on the PCM ingest decodes anyway (as it is decoded), filling the VAD
 * stage's cache.
 */
export function vadFromIngest(layout: RunLayout, choice: DetectSpeechOptions): () => AudioConsumer {
  return () => {
    const vad = speechDetector(choice);
    return {
      write: vad.push,
      async end(e, audioFile) {
        await cached({ dir: layout.cache }, vadKey(e.hash, choice), VadSchema, async () => ({
          ...(await vad.finish(audioFile)),
          source: join(layout.root, e.raw),
          hash: e.hash,
        }));
      },
    };
  };
}

/**
 * Voice activity for every source with audio, cached by (media hash, detector, parameters). A cache entry is
 * found by content: two inputs with the same bytes share it, so the artifact is stamped with its own source.
 */
export async function runVad(
  layout: RunLayout,
  db: MediaDb,
  opts: { cache: boolean; vad?: DetectSpeechOptions; signal?: AbortSignal },
): Promise<{ files: string[]; hits: number }> {
  const choice = opts.vad ?? {};
  const files: string[] = [];
  let hits = 0;
  for (const e of db.media) {
    if (!e.audio) continue;
    throwIfCancelled(opts.signal);
    const key = vadKey(e.hash, choice);
    const source = join(layout.root, e.raw);
    const { value, hit } = await cached({ dir: layout.cache, disabled: !opts.cache }, key, VadSchema, () =>
      detectSpeech(join(layout.root, e.audio!), { ...choice, source, hash: e.hash, signal: opts.signal }),
    );
    const file = perSourceArtifact(layout, db.media.length, 'vad', e.name);
    await writeArtifact(file, VadSchema, { ...value, source, hash: e.hash });
    files.push(file);
    if (hit) hits++;
  }
  return { files, hits };
}

/** Selection over whatever artifacts exist (pure rules over loaded artifacts), written to `output`. */
export async function runSelect(
  artifactsDir: string,
  rules: Rules,
  output: string,
  media?: MediaDb,
): Promise<{ selection: Selection; inputs: string[] }> {
  const { analyses, found } = await loadAnalyses(artifactsDir, media);
  const selection = await writeArtifact(output, SelectionSchema, select(analyses, rules));
  return { selection, inputs: found };
}

/** Transcripts by source path, for subtitle exports. */
async function transcriptsFor(
  sel: Selection,
  artifactsDir: string | undefined,
): Promise<Map<string, { segments: import('../schemas/transcript.js').Segment[] }>> {
  const out = new Map();
  if (!artifactsDir) return out;
  for (const s of sel.sources) {
    for (const f of [
      join(artifactsDir, `transcript.${basename(s.source)}.json`),
      join(artifactsDir, 'transcript.json'),
    ]) {
      if (!existsSync(f)) continue;
      const tr = await readArtifact(f, TranscriptSchema);
      if (!tr.source || tr.source === s.source || sel.sources.length === 1) {
        out.set(s.source, tr);
        break;
      }
    }
  }
  return out;
}

/** Export a selection in each format into `outDir` as `<name>.<ext>`, keeping any hand-edited previous version. */
export async function runExport(
  sel: Selection,
  formats: readonly ExportFormat[],
  outDir: string,
  name: string,
  artifactsDir?: string,
  opts: {
    signal?: AbortSignal;
    subtitles?: SubtitleStyle;
    write?: WriteOutputOptions;
    profile?: ProfileChoice;
  } = {},
): Promise<{
  written: WrittenOutput[];
  skipped: { format: string; why: string }[];
  /** What a written format could not express (e.g. an EDL's single frame rate). */
  warnings: string[];
}> {
  await assertSourcesPresent(sel);
  const base = outputBaseName(name);
  const { EXPORTERS, exportCaveats } = await loadExporters();
  const timeline = timelineFromSelection(sel, name, { profile: opts.profile });
  const transcripts = await transcriptsFor(sel, artifactsDir);
  const written: WrittenOutput[] = [];
  const skipped: { format: string; why: string }[] = [];
  const warnings: string[] = [];
  for (const f of formats) {
    const ex = EXPORTERS[f];
    if ('needsTranscript' in ex && transcripts.size === 0) {
      skipped.push({ format: f, why: 'no transcript' });
      continue;
    }
    const content = ex.write(timeline, { transcripts, subtitles: opts.subtitles });
    throwIfCancelled(opts.signal);
    written.push({ ...(await writeOutput(outDir, `${base}${ex.ext}`, content, opts.write)), format: f });
    warnings.push(...exportCaveats(f, timeline));
  }
  return { written, skipped, warnings };
}

export async function readSelection(file: string): Promise<Selection> {
  return readArtifact(file, SelectionSchema);
}
