// A real run folder made by the real engine CLI on generated media (samples/out/talk.mp4), with a transcript
// from the tiny random-weight Whisper model: what the extension's pure modules read in their tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sample } from '../../../engine/test/helpers/samples.js';
import { tinyModel } from '../../../engine/test/speech/tiny-model.js';
import { runEngine } from '../../src/engine-process.js';

export const REPO = resolve(import.meta.dirname, '..', '..', '..');
export const CLI = join(REPO, 'engine', 'bin', 'autoedit.js');

let made: Promise<{ runDir: string; model: string; media: string }> | undefined;

/** One run per test process: ingest → … → export on talk.mp4, transcribed by the tiny model. */
export function sampleRun(): Promise<{ runDir: string; model: string; media: string }> {
  made ??= (async () => {
    const media = sample('talk');
    const model = await tinyModel();
    const runDir = join(mkdtempSync(join(tmpdir(), 'autoedit-ext-')), 'runs', 'talk');
    const r = await runEngine({
      cli: CLI,
      args: ['--events', 'pipeline', media, '-o', runDir, '--model', model],
    });
    if (r.exitCode !== 0) throw new Error(`sample run failed (exit ${r.exitCode}): ${r.stderrTail}`);
    return { runDir, model, media };
  })();
  return made;
}
