import { join } from 'node:path';
import { ingest } from '../../src/ingest/ingest.js';
import { runVad } from '../../src/pipeline/stages.js';
import { runLayout } from '../../src/project/layout.js';
import type { MediaDb } from '../../src/schemas/media-db.js';
import type { Transcript, Word } from '../../src/schemas/transcript.js';
import type { SampleSpan } from './samples.js';

/** A real run folder: ingest (real ffmpeg) + energy VAD, as the pipeline does. */
export async function preparedRun(dir: string, inputs: string[], opts: { vad?: boolean } = {}) {
  const layout = runLayout(dir);
  const r = await ingest(inputs, { runDir: dir });
  if (r.failed.length) throw new Error(`ingest failed: ${JSON.stringify(r.failed)}`);
  const db: MediaDb = { kind: 'media-db', schemaVersion: 1, media: r.items.map((i) => i.entry) };
  if (opts.vad !== false) await runVad(layout, db, { cache: true });
  return { layout, db, source: (name: string) => join(layout.root, 'raw', name) };
}

/**
 * A transcript with realistic word timings for generated speech: each phrase's words are spread over its
 * audible span in proportion to their length (what a forced aligner gives for even-paced TTS).
 */
export function transcriptFromSpans(spans: SampleSpan[], source?: string): Transcript {
  const segments = spans.map((s) => {
    const tokens = s.text.split(/\s+/).filter(Boolean);
    const weights = tokens.map((t) => t.replace(/[^\p{L}]/gu, '').length + 1);
    const total = weights.reduce((a, b) => a + b, 0);
    let t = s.voicedStart;
    const words: Word[] = tokens.map((text, i) => {
      const d = ((s.voicedEnd - s.voicedStart) * weights[i]!) / total;
      const w = { start: +t.toFixed(3), end: +(t + d).toFixed(3), text, probability: 0.9 };
      t += d;
      return w;
    });
    return { start: s.voicedStart, end: s.voicedEnd, text: s.text, words };
  });
  return {
    kind: 'transcript',
    schemaVersion: 1,
    source,
    language: 'en',
    text: spans.map((s) => s.text).join(' '),
    segments,
    model: 'fixture (timings from the generator manifest)',
    hash: `sha256:${'0'.repeat(64)}`,
  };
}
