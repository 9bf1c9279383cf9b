import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadMediaDb,
  type RunEvent,
  runLayout,
  runPipeline,
  type Selection,
  TranscriptSchema,
  writeArtifact,
} from '@autoedit/engine';
import { after, before, describe, it } from 'mocha';
import { transcriptFromSpans } from '../engine/test/helpers/run.js';
import { sample, samples } from '../engine/test/helpers/samples.js';

/** The select stage's warnings, as the CLI prints them and a watcher shows them. */
async function pipelineWarnings(runDir: string, inputs?: string[]) {
  const events: RunEvent[] = [];
  const r = await runPipeline({
    runDir,
    inputs,
    skip: ['stt', 'scenes'],
    exports: ['mlt'],
    onEvent: (e) => events.push(e),
  });
  assert.equal(r.exitCode, 0);
  const warnings = events.flatMap((e) => (e.type === 'warning' && e.stage === 'select' ? [e.message] : []));
  return { warnings, selection: r.selection! };
}

/** Was a filler cut in this source? */
const fillerCut = (sel: Selection, source: string) =>
  sel.dropped.some((d) => d.source.endsWith(source) && d.reasons.some((x) => x.startsWith('filler ')));

describe('honest warnings: skippedRules and pipeline warnings match what selection did (issue 14)', function () {
  this.timeout(300_000);
  let dir: string;
  before(async () => {
    samples();
    dir = await mkdtemp(join(tmpdir(), 'autoedit-warnings-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a transcript for talk.mp4 and a clip without audio: the filler is cut and no warning says fillers were skipped', async () => {
    const runDir = join(dir, 'two');
    const inputs = [sample('talk'), sample('videoOnly')];
    const first = await pipelineWarnings(runDir, inputs);
    // No transcript yet: talk.mp4's fillers could not run (said, naming it); nothing was cut as a filler.
    assert.ok(
      first.warnings.includes('rule fillers skipped for talk.mp4: no transcript'),
      first.warnings.join('\n'),
    );
    assert.ok(!fillerCut(first.selection, 'talk.mp4'));
    // Now talk.mp4 has its transcript (as the stt stage writes it: transcript.<name>.json, source = raw path).
    const db = await loadMediaDb(runLayout(runDir));
    const talk = db.media.find((m) => m.name === 'talk.mp4')!;
    await writeArtifact(
      join(runDir, 'artifacts', 'transcript.talk.mp4.json'),
      TranscriptSchema,
      transcriptFromSpans(samples().files.talk!.speech!, join(runDir, talk.raw)),
    );
    const { warnings, selection } = await pipelineWarnings(runDir);
    assert.ok(fillerCut(selection, 'talk.mp4'), 'the "um" is cut');
    // Before the fix one map served every source: video-only.mp4's "no transcript" became "rule fillers
    // skipped: no transcript" for the whole run, next to the filler it had cut.
    assert.ok(!warnings.some((w) => w.includes('fillers')), warnings.join('\n'));
    assert.ok(!selection.skippedRules.some((s) => s.rule === 'fillers'));
    // What was skipped is said for the source it concerns, and only that.
    assert.deepEqual(selection.skippedRules, [
      { rule: 'speech', why: 'no audio track: whole source kept', source: 'video-only.mp4' },
    ]);
    assert.deepEqual(warnings, ['rule speech skipped for video-only.mp4: no audio track: whole source kept']);
  });

  it('every skipped rule in the warnings is one that did not act on that source', async () => {
    const runDir = join(dir, 'one');
    await pipelineWarnings(runDir, [sample('talk')]);
    await writeArtifact(
      join(runDir, 'artifacts', 'transcript.json'),
      TranscriptSchema,
      transcriptFromSpans(samples().files.talk!.speech!),
    );
    const { warnings, selection } = await pipelineWarnings(runDir);
    assert.ok(fillerCut(selection, 'talk.mp4'));
    assert.deepEqual(warnings, []);
    assert.deepEqual(selection.skippedRules, []);
  });
});
