import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { writeArtifact } from '../../src/project/artifacts.js';
import { type Rules, RulesSchema } from '../../src/schemas/rules.js';
import type { Selection } from '../../src/schemas/selection.js';
import { SequencesSchema } from '../../src/schemas/sequence.js';
import { TranscriptSchema, type Word } from '../../src/schemas/transcript.js';
import { loadAnalyses } from '../../src/select/load.js';
import { select } from '../../src/select/select.js';
import { preparedRun, transcriptFromSpans } from '../helpers/run.js';
import { sample, samples } from '../helpers/samples.js';

const rules = (r: unknown = {}): Rules => RulesSchema.parse(r);
const covers = (s: Selection, t: number) => s.kept.some((k) => k.start <= t && t < k.end);
const MARGIN = /^margin .* speech$/;

/** The kept clips the timeline gets: none shorter than min_clip, none holding only margin. */
function assertNoSlivers(sel: Selection, minClip: number): void {
  for (const k of sel.kept) {
    assert.ok(k.end - k.start >= minClip - 1e-9, `clip ${k.start}–${k.end} shorter than ${minClip} s`);
    assert.ok(!k.reasons.every((r) => MARGIN.test(r)), `clip ${k.start}–${k.end} holds only margin`);
  }
}

/**
 * Real speech made of separately spoken words (espeak-ng, 22050 Hz mono) laid end to end with the given
 * silences, written as one WAV; word timings are their audible spans, as a forced aligner gives them.
 */
async function spokenWords(dir: string, parts: ({ say: string } | { silence: number })[]) {
  const rate = 22050;
  const chunks: Int16Array[] = [];
  const words: Word[] = [];
  let t = 0;
  for (const [i, p] of parts.entries()) {
    if ('silence' in p) {
      chunks.push(new Int16Array(Math.round(p.silence * rate)));
      t += Math.round(p.silence * rate);
      continue;
    }
    const wav = join(dir, `word-${i}.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', wav, p.say]);
    const buf = await readFile(wav);
    const data = buf.indexOf('data', 12) + 8;
    const pcm = new Int16Array(
      buf.buffer.slice(buf.byteOffset + data, buf.byteOffset + buf.length - ((buf.length - data) % 2)),
    );
    const loud = (v: number) => Math.abs(v) > 300;
    const first = Math.max(0, pcm.findIndex(loud));
    let last = pcm.length - 1;
    while (last > 0 && !loud(pcm[last]!)) last--;
    words.push({ start: (t + first) / rate, end: (t + last + 1) / rate, text: p.say, probability: 0.9 });
    chunks.push(pcm);
    t += pcm.length;
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + t * 2, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(t * 2, 40);
  const file = join(dir, 'spoken.wav');
  await writeFile(
    file,
    Buffer.concat([header, ...chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))]),
  );
  return { file, words, duration: t / rate };
}

describe('no slivers: min_clip, min_cut and margins of cut words (issue 14)', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-slivers-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('defaults: min_clip 0.4 s, min_cut 0.2 s', () => {
    assert.equal(rules().min_clip, 0.4);
    assert.equal(rules().min_cut, 0.2);
  });

  it('a filler between two pauses (talk.mp4) leaves no 5-frame margin clips around its cut', async () => {
    const run = await preparedRun(join(dir, 'talk'), [sample('talk')]);
    const spans = samples().files.talk!.speech!;
    await writeArtifact(
      join(run.layout.artifacts, 'transcript.json'),
      TranscriptSchema,
      transcriptFromSpans(spans),
    );
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const sel = select(analyses, rules());
    const um = spans.find((s) => s.filler)!;
    // Before the fix: kept 226–231 and 241–246 (0.2 s each), nothing but the margins of the cut "um".
    assertNoSlivers(sel, 0.4);
    assert.ok(
      sel.kept.every((k) => k.end <= um.voicedStart - 0.4 || k.start >= um.voicedEnd + 0.4),
      `nothing kept around the cut filler: ${JSON.stringify(sel.kept.map((k) => [k.start, k.end]))}`,
    );
    assert.ok(
      sel.dropped.some((d) => d.reasons.includes('filler "um"')),
      'the cut says "filler"',
    );
    for (const s of spans.filter((x) => !x.filler))
      assert.ok(covers(sel, (s.voicedStart + s.voicedEnd) / 2), `"${s.text}" kept`);
    // Every phrase keeps its own margins: the phrases around the filler start/end 0.2 s from their speech.
    const after = spans[spans.indexOf(um) + 1]!;
    const k = sel.kept.find((r) => r.start <= after.voicedStart && after.voicedStart < r.end)!;
    assert.ok(
      Math.abs(after.voicedStart - k.start - 0.2) <= 0.041,
      `pre-roll ${after.voicedStart - k.start}`,
    );
  });

  it('VAD speech (no transcript): a manual cut of a whole phrase leaves no margin-only clips', async () => {
    const run = await preparedRun(join(dir, 'vad'), [sample('talk')]);
    const um = samples().files.talk!.speech!.find((s) => s.filler)!;
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const sel = select(
      analyses,
      rules({ manual: { cut: [{ start: um.voicedStart - 0.05, end: um.voicedEnd + 0.05 }] } }),
    );
    assertNoSlivers(sel, 0.4);
    assert.ok(sel.dropped.some((d) => d.reasons.includes('only margin left (the speech it padded was cut)')));
  });

  it('"so um I think" spoken (espeak-ng): the filler is cut, "so" and "I think" kept, no clip under min_clip', async () => {
    const sp = await spokenWords(dir, [
      { silence: 0.5 },
      { say: 'so' },
      { silence: 0.12 },
      { say: 'um' },
      { silence: 0.12 },
      { say: 'I' },
      { silence: 0.05 },
      { say: 'think' },
      { silence: 0.8 },
    ]);
    const run = await preparedRun(join(dir, 'so-um'), [sp.file]);
    await writeArtifact(join(run.layout.artifacts, 'transcript.json'), TranscriptSchema, {
      kind: 'transcript',
      schemaVersion: 1,
      language: 'en',
      text: 'so um I think',
      segments: [
        { start: sp.words[0]!.start, end: sp.words.at(-1)!.end, text: 'so um I think', words: sp.words },
      ],
      model: 'hand-written (timings from the spoken words)',
      hash: `sha256:${'0'.repeat(64)}`,
    });
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const sel = select(analyses, rules());
    const [so, um, , think] = sp.words;
    const mid = (w: Word) => (w.start + w.end) / 2;
    assert.ok(!covers(sel, mid(um!)), 'um cut');
    assert.ok(covers(sel, mid(so!)) && covers(sel, mid(think!)), 'so and think kept');
    assertNoSlivers(sel, 0.4);
    // A stricter min_clip drops the short "so" piece, and the reason names the word it held.
    const strict = select(analyses, rules({ min_clip: 1 }));
    assert.ok(!covers(strict, mid(so!)));
    const gone = strict.dropped.find((d) => d.start <= mid(so!) && mid(so!) < d.end)!;
    assert.match(
      gone.reasons.join(' | '),
      /clip of \d\.\d\d s shorter than 1\.00 s \(min_clip\) dropped; held: "so"/,
    );
    assertNoSlivers(strict, 1);
  });

  it('scene cuts: a margin-only piece at a split is dropped, a short piece with speech is not split off', async () => {
    const run = await preparedRun(join(dir, 'split'), [sample('talk')]);
    const spans = samples().files.talk!.speech!;
    await writeArtifact(
      join(run.layout.artifacts, 'transcript.json'),
      TranscriptSchema,
      transcriptFromSpans(spans),
    );
    const plain = select((await loadAnalyses(run.layout.artifacts)).analyses, rules());
    const first = plain.kept[0]!; // "Welcome…": margin, speech, margin
    const n = samples().files.talk!.frames!;
    // A cut 3 frames into the pre-roll, and one 8 frames before the clip's end (speech and post-roll).
    const cuts = [first.startFrame + 3, first.endFrame - 8];
    const bounds = [0, ...cuts, n];
    const source = run.source('talk.mp4');
    await writeArtifact(join(run.layout.artifacts, 'sequences.json'), SequencesSchema, {
      kind: 'sequences',
      schemaVersion: 1,
      detector: { name: 'fixture', params: {} },
      sources: [
        {
          source,
          fps: { num: 25, den: 1 },
          frameCount: n,
          decoded: { start: 0, end: n / 25, frames: n },
          warnings: [],
          scenes: bounds.slice(0, -1).map((s, i) => ({
            source,
            start: s / 25,
            end: bounds[i + 1]! / 25,
            startFrame: s,
            endFrame: bounds[i + 1]!,
            startTimecode: '',
            endTimecode: '',
          })),
        },
      ],
    });
    const sel = select((await loadAnalyses(run.layout.artifacts)).analyses, rules());
    assertNoSlivers(sel, 0.4);
    const clip = sel.kept[0]!;
    assert.equal(clip.startFrame, cuts[0], 'the 3-frame pre-roll before the cut is dropped');
    assert.equal(clip.endFrame, first.endFrame, 'the 8-frame tail stays with its clip');
    assert.ok(
      clip.reasons.some((r) => r.startsWith(`no split at ${(cuts[1]! / 25).toFixed(2)} s`)),
      clip.reasons.join(' | '),
    );
    assert.ok(
      sel.dropped.some(
        (d) => d.endFrame === cuts[0] && d.reasons.some((r) => r.includes('(min_clip) at a split')),
      ),
    );
  });

  it('min_cut joins kept pieces across a short gap and says what the gap was; never across a filler', async () => {
    const run = await preparedRun(join(dir, 'gap'), [sample('talk')]);
    const spans = samples().files.talk!.speech!;
    await writeArtifact(
      join(run.layout.artifacts, 'transcript.json'),
      TranscriptSchema,
      transcriptFromSpans(spans),
    );
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    // The pause between phrases 0 and 1 leaves a 2.0 s cut after margins: a 2.5 s min_cut joins them. The
    // cut around the filler ("silence", "filler", "silence", also under 2.5 s) is a decision and stays.
    const joined = select(analyses, rules({ min_cut: 2.5 }));
    const p0 = spans[0]!;
    const p1 = spans[1]!;
    const k = joined.kept.find((r) => r.start <= p0.voicedStart && p1.voicedEnd <= r.end);
    assert.ok(k, 'phrases 0 and 1 joined over their pause');
    assert.ok(
      k.reasons.some((r) => r === 'gap shorter than 2.50 s (min_cut) joined; was: silence'),
      k.reasons.join(' | '),
    );
    const um = spans.find((s) => s.filler)!;
    assert.ok(!covers(joined, (um.voicedStart + um.voicedEnd) / 2), 'the filler cut is never joined over');
  });
});
