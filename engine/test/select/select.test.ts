import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { writeArtifact } from '../../src/project/artifacts.js';
import { type Rules, RulesSchema } from '../../src/schemas/rules.js';
import type { Selection } from '../../src/schemas/selection.js';
import { SequencesSchema } from '../../src/schemas/sequence.js';
import { TranscriptSchema } from '../../src/schemas/transcript.js';
import { loadAnalyses } from '../../src/select/load.js';
import { select, skippedRuleLines } from '../../src/select/select.js';
import { preparedRun, transcriptFromSpans } from '../helpers/run.js';
import { sample, samples } from '../helpers/samples.js';
import { fixture, requireShared } from '../helpers/shared.js';

const rules = (r: unknown = {}): Rules => RulesSchema.parse(r);
const keptSeconds = (s: Selection) => s.kept.reduce((a, k) => a + k.end - k.start, 0);
const covers = (s: Selection, t: number) => s.kept.some((k) => k.start <= t && t < k.end);

describe('selection rules (real artifacts)', () => {
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-select-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('silence rule on generated speech: every phrase kept with its margins, long pauses cut', async () => {
    const run = await preparedRun(join(dir, 'talk'), [sample('talk')]);
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const sel = select(analyses, rules());
    const spans = samples().files.talk!.speech!;
    for (const s of spans) {
      assert.ok(covers(sel, (s.voicedStart + s.voicedEnd) / 2), `phrase "${s.text}" kept`);
      // The kept clip starts within margin (+1 frame) of the audible start.
      const k = sel.kept.find((r) => r.start <= s.voicedStart + 0.05 && s.voicedStart < r.end)!;
      assert.ok(
        s.voicedStart - k.start <= 0.2 + 0.05,
        `pre-roll for "${s.text}": ${s.voicedStart - k.start}`,
      );
    }
    // Silences of 2 s and 3 s are cut (minus margins), and the reason says so.
    for (const t of [4.6, 14.6, 15.6]) assert.ok(!covers(sel, t), `silence at ${t} s cut`);
    assert.ok(sel.dropped.some((d) => d.start <= 4.6 && 4.6 < d.end && d.reasons.includes('silence')));
    const voiced = spans.reduce((a, s) => a + s.voicedEnd - s.voicedStart, 0);
    assert.ok(
      keptSeconds(sel) > voiced && keptSeconds(sel) < voiced + spans.length * 0.5 + 1.5,
      `kept ${keptSeconds(sel)} vs voiced ${voiced}`,
    );
    // Frames are integers on the source's 25 fps grid, end exclusive, and seconds derive from them.
    for (const k of sel.kept) {
      assert.equal(k.start, k.startFrame / 25);
      assert.equal(k.end, k.endFrame / 25);
      assert.ok(k.endFrame > k.startFrame);
    }
    assert.deepEqual(sel.skippedRules, [{ rule: 'fillers', why: 'no transcript', source: 'talk.mp4' }]);
  });

  it('cuts the filler word and transcript cuts by text and by sentence index', async () => {
    const run = await preparedRun(join(dir, 'talk-tr'), [sample('talk')]);
    const spans = samples().files.talk!.speech!;
    await writeArtifact(
      join(run.layout.artifacts, 'transcript.json'),
      TranscriptSchema,
      transcriptFromSpans(spans),
    );
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const um = spans.find((s) => s.filler)!;
    const sel = select(analyses, rules({ transcript_cuts: [{ text: 'we keep talking' }, { segment: 4 }] }));
    assert.ok(!covers(sel, (um.voicedStart + um.voicedEnd) / 2), 'filler cut');
    assert.ok(sel.dropped.some((d) => d.reasons.includes('filler "um"')));
    assert.ok(
      sel.dropped.some((d) => d.reasons.some((r) => r.startsWith('transcript cut: "we keep talking"'))),
    );
    const last = spans[4]!;
    assert.ok(!covers(sel, (last.voicedStart + last.voicedEnd) / 2), 'sentence 4 cut');
    assert.ok(covers(sel, (spans[0]!.voicedStart + spans[0]!.voicedEnd) / 2), 'sentence 0 kept');
    // With fillers off, the "um" stays (as speech).
    const keepUm = select(analyses, rules({ fillers: { enabled: false } }));
    assert.ok(covers(keepUm, (um.voicedStart + um.voicedEnd) / 2));
    assert.deepEqual(sel.skippedRules, []);
  });

  it('shot rules: speech-gated shots, min length and max length split/trim, markers at cuts', async () => {
    const run = await preparedRun(join(dir, 'scenes'), [sample('scenesA')]);
    const m = samples().files.scenesA!;
    const bounds = [0, ...m.sceneCuts!, m.frames!];
    const source = run.source('scenes-a.mp4');
    const scenes = bounds.slice(0, -1).map((s, i) => ({
      source,
      start: s / 25,
      end: bounds[i + 1]! / 25,
      startFrame: s,
      endFrame: bounds[i + 1]!,
      startTimecode: '',
      endTimecode: '',
    }));
    await writeArtifact(join(run.layout.artifacts, 'sequences.json'), SequencesSchema, {
      kind: 'sequences',
      schemaVersion: 1,
      detector: { name: 'fixture', params: {} },
      sources: [
        {
          source,
          fps: { num: 25, den: 1 },
          frameCount: m.frames!,
          decoded: { start: 0, end: m.frames! / 25, frames: m.frames! },
          warnings: [],
          scenes,
        },
      ],
    });
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    // Speech: "Scene one." in shot 0 (0–3 s), "Scene two starts here." from ~4.4 s (shot 2: 5–8 s, and shot 1's end).
    const gated = select(analyses, rules({ speech: { enabled: true }, shots: { speech_gated: true } }));
    const shotKept = (i: number) =>
      gated.kept.some((k) => k.startFrame <= bounds[i]! && bounds[i + 1]! <= k.endFrame);
    assert.ok(shotKept(0));
    assert.ok(
      gated.kept.every((k) => !(k.startFrame < bounds[1]! && k.endFrame > bounds[1]!)),
      'clips split at scene cuts',
    );
    assert.ok(
      gated.markers.length >= 1 &&
        gated.markers.every((mk) => m.sceneCuts!.includes(Math.round(mk.time * 25))),
    );
    const short = select(analyses, rules({ speech: { enabled: false }, shots: { min_length: 2.5 } }));
    assert.ok(!covers(short, 4), 'the 2 s shot is dropped');
    assert.ok(short.dropped.some((d) => d.reasons.includes('shot shorter than 2.50 s')));
    const split = select(analyses, rules({ speech: { enabled: false }, shots: { max_length: 1 } }));
    assert.ok(split.kept.every((k) => k.endFrame - k.startFrame <= 25));
    assert.equal(keptSeconds(split), 8);
    const trim = select(
      analyses,
      rules({ speech: { enabled: false }, shots: { max_length: 1, long_shots: 'trim' } }),
    );
    assert.equal(trim.kept.length, 3);
    assert.ok(Math.abs(keptSeconds(trim) - 3) < 1e-9);
  });

  it('manual keep wins over everything; manual cut over speech', async () => {
    const run = await preparedRun(join(dir, 'manual'), [sample('talk')]);
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const sel = select(
      analyses,
      rules({
        manual: {
          keep: [{ start: 4, end: 5 }],
          cut: [
            { start: 2, end: 2.5 },
            { start: 4.5, end: 6 },
          ],
        },
      }),
    );
    assert.ok(covers(sel, 4.2) && covers(sel, 4.9), 'kept by hand in a silence');
    assert.ok(!covers(sel, 2.2), 'cut by hand in speech');
    assert.ok(sel.kept.some((k) => k.reasons.includes('manual keep 4.00–5.00 s')));
  });

  it('works with no analyses at all, and says which rules were skipped', async () => {
    const run = await preparedRun(join(dir, 'bare'), [sample('videoOnly')], { vad: false });
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const sel = select(analyses, rules({ shots: { min_length: 1 }, faces: { required: true } }));
    assert.equal(sel.kept.length, 1);
    assert.equal(keptSeconds(sel), 2);
    // No audio: the speech rule could not gate (said), fillers had nothing to act on (not "skipped").
    assert.deepEqual(sel.skippedRules.map((s) => s.rule).sort(), ['faces', 'shots', 'speech']);
    assert.equal(sel.skippedRules.find((s) => s.rule === 'speech')?.why, 'no audio track: whole source kept');
    assert.ok(sel.skippedRules.every((s) => s.source === 'video-only.mp4'));
  });

  it('speech.source: transcript with only VAD present: says the transcript is what is missing', async () => {
    const run = await preparedRun(join(dir, 'forced'), [sample('talk')]);
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const sel = select(analyses, rules({ speech: { source: 'transcript' } }));
    assert.deepEqual(sel.skippedRules, [
      { rule: 'fillers', why: 'no transcript', source: 'talk.mp4' },
      {
        rule: 'speech',
        why: 'no transcript words (speech.source: transcript): whole source kept',
        source: 'talk.mp4',
      },
    ]);
    assert.equal(sel.kept.length, 1);
  });

  it('skipped rules in words: one line per rule and reason, naming up to three sources', () => {
    const f = (source: string) => ({ rule: 'fillers', why: 'no transcript', source });
    assert.deepEqual(
      skippedRuleLines([
        f('a.mp4'),
        { rule: 'speech', why: 'no audio track: whole source kept', source: 'b.mp4' },
        ...['c.mp4', 'd.mp4', 'e.mp4', 'f.mp4'].map(f),
      ]),
      [
        'rule fillers skipped for a.mp4, c.mp4, d.mp4 and 2 more: no transcript',
        'rule speech skipped for b.mp4: no audio track: whole source kept',
      ],
    );
  });

  it('jfk.wav with default silence rules keeps about what auto-editor keeps (9.7 s of 11 s, in 3 clips)', async () => {
    // auto-editor 22w52a (Debian), defaults (4 % threshold, 0.2 s margin): frames 0–72, 93–138 and 157–331
    // at 30/1, i.e. 0–2.4 s, 3.1–4.6 s and 5.23–11.03 s.
    const run = await preparedRun(join(dir, 'jfk'), [fixture('media/speech/jfk.wav')]);
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const sel = select(analyses, rules());
    assert.ok(Math.abs(keptSeconds(sel) - 9.7) < 0.5, `kept ${keptSeconds(sel).toFixed(2)} s`);
    const autoEditor = [
      [0, 2.4],
      [3.1, 4.6],
      [5.233, 11.0],
    ];
    assert.equal(sel.kept.length, autoEditor.length, JSON.stringify(sel.kept));
    sel.kept.forEach((k, i) => {
      const [a, b] = autoEditor[i]!;
      assert.ok(Math.abs(k.start - a!) < 0.2 && Math.abs(k.end - b!) < 0.2, `clip ${i}: ${k.start}–${k.end}`);
    });
  });

  it('example.mp4 with default silence rules keeps about what auto-editor keeps (17.6 s of 42.5 s)', async function () {
    const run = await preparedRun(join(dir, 'example'), [
      requireShared(this, 'media/auto-editor/example.mp4'),
    ]);
    const { analyses } = await loadAnalyses(run.layout.artifacts);
    const kept = keptSeconds(select(analyses, rules()));
    assert.ok(Math.abs(kept - 17.6) < 1.5, `kept ${kept.toFixed(2)} s`);
  });
});
