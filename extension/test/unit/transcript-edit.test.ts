import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Selection, SelectionSchema, type Transcript, TranscriptSchema } from '@autoedit/engine/schemas';
import { runEngine } from '../../src/engine-process.js';
import { cutWords, restoreWords, sentenceOf, type WordView, wordViews } from '../../src/transcript-edit.js';
import { CLI, sampleRun } from '../helpers/run.js';

const w = (index: number, start: number, end: number, over: Partial<WordView> = {}): WordView => ({
  index,
  segment: 0,
  start,
  end,
  text: `w${index}`,
  kept: true,
  reasons: [],
  cutByUser: false,
  ...over,
});

describe('transcript ↔ rules editing', () => {
  it('cutting adds one { source, word } cut per word, keeps the other fields and their order', () => {
    const before = '{\n  "min_clip": 0.5,\n  "transcript_cuts": [{ "text": "you know" }]\n}\n';
    const after = cutWords(before, 'talk.mp4', [w(3, 1, 1.2), w(4, 1.2, 1.5)]);
    assert.deepEqual(JSON.parse(after), {
      min_clip: 0.5,
      transcript_cuts: [
        { text: 'you know' },
        { source: 'talk.mp4', word: 3 },
        { source: 'talk.mp4', word: 4 },
      ],
    });
    // Cutting again adds nothing.
    assert.equal(cutWords(after, 'talk.mp4', [w(3, 1, 1.2)]), after);
  });

  it('cutting a word an earlier restore kept removes that keep range (keep wins over cuts)', () => {
    const before = JSON.stringify({
      manual: {
        keep: [
          { source: 'talk.mp4', start: 1, end: 1.2 },
          { start: 5, end: 9 },
        ],
      },
    });
    const after = JSON.parse(cutWords(before, 'talk.mp4', [w(3, 1, 1.2)]));
    assert.deepEqual(after.manual.keep, [{ start: 5, end: 9 }]);
  });

  it('restoring removes the word cuts; a word cut by another rule gets a manual keep over its time', () => {
    const before = JSON.stringify({
      transcript_cuts: [
        { source: 'talk.mp4', word: 3 },
        { source: 'other.mp4', word: 3 },
      ],
    });
    const filler = w(7, 2, 2.3, { kept: false, reasons: ['filler "um"'] });
    const mine = w(3, 1, 1.2, { kept: false, reasons: ['transcript cut: word 3 "w3"'], cutByUser: true });
    const after = JSON.parse(restoreWords(before, 'talk.mp4', [mine, filler]));
    assert.deepEqual(after.transcript_cuts, [{ source: 'other.mp4', word: 3 }]);
    assert.deepEqual(after.manual.keep, [{ source: 'talk.mp4', start: 2, end: 2.3 }]);
  });

  it('leaves out words without duration, and says so when nothing is left to cut', () => {
    const after = JSON.parse(cutWords('{}', 'talk.mp4', [w(1, 2, 2), w(2, 2, 2.4)]));
    assert.deepEqual(after.transcript_cuts, [{ source: 'talk.mp4', word: 2 }]);
    assert.throws(() => cutWords('{}', 'talk.mp4', [w(1, 2, 2)]), /"w1" has no duration in the transcript/);
  });

  it('refuses to produce an invalid rules file and says which field', () => {
    assert.throws(() => cutWords('{"min_clip": -1}', 'talk.mp4', [w(1, 0, 1)]), /min_clip/);
    assert.throws(() => cutWords('[1]', 'talk.mp4', [w(1, 0, 1)]), /JSON object/);
  });

  it('word views carry kept/cut state and the selection’s reasons', () => {
    const transcript = {
      segments: [
        {
          start: 0,
          end: 2,
          text: 'a b',
          words: [
            { start: 0, end: 1, text: ' a' },
            { start: 1, end: 2, text: ' b' },
          ],
        },
        { start: 3, end: 4, text: 'c', words: [{ start: 3, end: 4, text: ' c' }] },
      ],
    } as Transcript;
    const range = (start: number, end: number, reasons: string[]) => ({
      source: '/r/raw/talk.mp4',
      start,
      end,
      startFrame: 0,
      endFrame: 0,
      reasons,
    });
    const selection = {
      kept: [range(0, 1, ['speech'])],
      dropped: [range(1, 4, ['transcript cut: word 1 "b"'])],
    } as unknown as Selection;
    const views = wordViews(
      'talk.mp4',
      transcript,
      selection,
      '{"transcript_cuts":[{"source":"talk.mp4","word":1}]}',
    );
    assert.deepEqual(
      views.map((v) => [v.index, v.text, v.kept, v.cutByUser, v.segment]),
      [
        [0, 'a', true, false, 0],
        [1, 'b', false, true, 0],
        [2, 'c', false, false, 1],
      ],
    );
    assert.deepEqual(views[1]!.reasons, ['transcript cut: word 1 "b"']);
    assert.deepEqual(
      sentenceOf(views, 1).map((v) => v.index),
      [0, 1],
    );
  });

  it('with the real engine: a cut word leaves the selection, a restored word comes back', async function () {
    this.timeout(300_000);
    const { runDir: original } = await sampleRun();
    const runDir = join(mkdtempSync(join(tmpdir(), 'autoedit-edit-')), 'talk');
    cpSync(original, runDir, { recursive: true, verbatimSymlinks: true });
    const read = () => ({
      transcript: TranscriptSchema.parse(
        JSON.parse(readFileSync(join(runDir, 'artifacts', 'transcript.json'), 'utf8')),
      ),
      selection: SelectionSchema.parse(
        JSON.parse(readFileSync(join(runDir, 'artifacts', 'selection.json'), 'utf8')),
      ),
    });
    const reselect = async () => {
      const r = await runEngine({
        cli: CLI,
        args: ['--events', 'pipeline', '-o', runDir, '--only', 'select,export'],
      });
      assert.equal(r.exitCode, 0, r.stderrTail);
    };
    const rulesFile = join(runDir, 'rules.json');
    const { transcript, selection } = read();
    const target = wordViews('talk.mp4', transcript, selection, undefined).find(
      (v) => v.kept && v.end - v.start > 0.1,
    );
    assert.ok(target, 'the sample run keeps at least one word');
    const mlt = readFileSync(join(runDir, 'outputs', 'talk.mlt'), 'utf8');

    writeFileSync(rulesFile, cutWords(undefined, 'talk.mp4', [target]));
    await reselect();
    const afterCut = wordViews('talk.mp4', transcript, read().selection, readFileSync(rulesFile, 'utf8'));
    const cut = afterCut.find((v) => v.index === target.index)!;
    assert.equal(cut.kept, false);
    assert.equal(cut.cutByUser, true);
    assert.ok(
      cut.reasons.some((r) => r.startsWith(`transcript cut: word ${target.index} `)),
      cut.reasons.join('; '),
    );
    assert.notEqual(
      readFileSync(join(runDir, 'outputs', 'talk.mlt'), 'utf8'),
      mlt,
      'the exported timeline changed',
    );

    writeFileSync(rulesFile, restoreWords(readFileSync(rulesFile, 'utf8'), 'talk.mp4', [cut]));
    await reselect();
    const restored = wordViews('talk.mp4', transcript, read().selection, readFileSync(rulesFile, 'utf8'));
    assert.equal(restored.find((v) => v.index === target.index)!.kept, true);
  });
});
