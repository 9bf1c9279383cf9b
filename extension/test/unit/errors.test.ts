import assert from 'node:assert/strict';
import { explainFailure } from '../../src/errors.js';

describe('actionable engine errors', () => {
  it('a missing ffmpeg (exit 3) says how to install it and offers the setting', () => {
    const e = explainFailure({
      exitCode: 3,
      error: { message: 'ffmpeg was not found on PATH. Install it …', exitCode: 3 },
    });
    assert.match(e.message, /sudo apt-get install ffmpeg/);
    assert.match(e.message, /autoedit\.ffmpegPath/);
    assert.deepEqual(e.actions[0], {
      title: 'Open Settings',
      action: 'openSettings',
      setting: 'autoedit.ffmpegPath',
    });
  });

  it('a missing melt points at the melt setting and package', () => {
    const e = explainFailure({ exitCode: 3, stderrTail: 'melt was not found on PATH.' });
    assert.match(e.message, /apt-get install melt/);
    assert.equal(e.actions[0]?.setting, 'autoedit.meltPath');
  });

  it('a missing model offers to pull one', () => {
    const e = explainFailure({
      exitCode: 3,
      error: { message: 'no Whisper model "base.en" found', exitCode: 3 },
    });
    assert.equal(e.actions[0]?.action, 'pullModel');
  });

  it('cancellation is not an error', () => {
    assert.deepEqual(explainFailure({ exitCode: 130 }).actions, []);
    assert.match(explainFailure({ exitCode: null, signal: 'SIGINT' }).message, /cancelled/);
  });

  it('bad input (exit 1) shows the engine message with its hint', () => {
    const e = explainFailure({
      exitCode: 1,
      error: { message: 'rules.json: min_clip must be ≥ 0', hint: 'Fix the file.', exitCode: 1 },
    });
    assert.equal(e.message, 'AutoEdit: rules.json: min_clip must be ≥ 0 Fix the file.');
  });

  it('a crash of the engine process says VS Code is unaffected', () => {
    assert.match(
      explainFailure({ exitCode: null, signal: 'SIGSEGV' }).message,
      /killed \(SIGSEGV\).*unaffected/,
    );
  });
});
