import assert from 'node:assert/strict';
import type { RunEvent } from '@autoedit/engine/schemas';
import { describeEvent, LineSplitter, ProgressTracker, parseEventLine } from '../../src/run-events.js';

const header = { runId: 'r1', run: '/tmp/runs/x', time: '2026-01-01T00:00:00.000Z' };

describe('run events', () => {
  it('splits chunks into whole lines, keeping a partial line for the next chunk', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('{"a":1}\n{"b"'), ['{"a":1}']);
    assert.deepEqual(s.push(':2}\r\n\n'), ['{"b":2}']);
    assert.deepEqual(s.push('tail'), []);
    assert.deepEqual(s.end(), ['tail']);
  });

  it('parses valid events and rejects other lines and malformed events', () => {
    const ok = { type: 'stage.started', stage: 'scenes', index: 2, total: 7, ...header };
    assert.deepEqual(parseEventLine(JSON.stringify(ok)), ok);
    assert.equal(parseEventLine('Done in 2.00 s.'), undefined);
    assert.equal(parseEventLine('{not json'), undefined);
    assert.equal(parseEventLine(JSON.stringify({ ...ok, stage: 'nope' })), undefined);
  });

  it('turns stage events into a percentage that never goes back', () => {
    const t = new ProgressTracker();
    const ev = (e: object) => t.update({ ...header, ...e } as RunEvent);
    ev({ type: 'run.started', inputs: [], stages: ['ingest', 'scenes', 'select', 'export'], pid: 1 });
    assert.equal(ev({ type: 'stage.started', stage: 'ingest', index: 1, total: 4 })?.percent, 0);
    const mid = ev({
      type: 'stage.progress',
      stage: 'scenes',
      label: 'scenes talk.mp4',
      done: 50,
      total: 100,
      fraction: 0.5,
    });
    assert.equal(mid?.percent, 37.5);
    assert.match(mid?.message ?? '', /scenes talk\.mp4 — 50 %/);
    // A late progress event of an earlier stage does not lower it.
    assert.equal(
      ev({ type: 'stage.progress', stage: 'ingest', label: 'x', done: 1, total: 10, fraction: 0.1 })?.percent,
      37.5,
    );
    assert.equal(
      ev({
        type: 'stage.finished',
        stage: 'select',
        status: 'done',
        cached: false,
        seconds: 1,
        summary: 'kept',
        artifacts: [],
      })?.percent,
      75,
    );
    assert.equal(
      ev({
        type: 'run.finished',
        status: 'ok',
        exitCode: 0,
        seconds: 2,
        stages: [],
        outputs: [],
        failedInputs: [],
      })?.percent,
      100,
    );
  });

  it('describes finished stages with cache state and timing for the output channel', () => {
    const line = describeEvent({
      ...header,
      type: 'stage.finished',
      stage: 'scenes',
      status: 'cached',
      cached: true,
      seconds: 0.123,
      summary: '5 shots',
      artifacts: [],
    });
    assert.equal(line, '  ✓ scenes (cached) 0.12 s — 5 shots');
  });
});
