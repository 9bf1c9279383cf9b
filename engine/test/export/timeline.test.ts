import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { timelineFromSelection } from '../../src/timeline/from-selection.js';
import { clipLength, TimelineSchema } from '../../src/timeline/model.js';
import { clock, smpte, subtitleTime } from '../../src/timeline/timecode.js';
import { UserError } from '../../src/util/errors.js';
import { fixtures, SOURCES, selection } from './fixtures.js';

describe('timeline model (pure)', () => {
  it('keeps every cut on its source frame and lays clips end to end', () => {
    for (const [name, sel] of Object.entries(fixtures())) {
      const t = TimelineSchema.parse(timelineFromSelection(sel, name));
      let at = 0;
      for (const c of t.clips) {
        assert.equal(c.start, at, `${name}: clips are contiguous`);
        assert.ok(c.in >= 0 && c.out > c.in && Number.isInteger(c.in) && Number.isInteger(c.out));
        at += clipLength(c);
      }
      assert.equal(t.length, at);
    }
    // Single-rate edits: project frames are the source frames, untouched (29.97 included).
    const { ntsc, example } = fixtures();
    for (const sel of [ntsc!, example!]) {
      const t = timelineFromSelection(sel);
      assert.deepEqual(
        t.clips.map((c) => [c.in, c.out]),
        sel.kept.map((k) => [k.startFrame, k.endFrame]),
      );
      assert.equal(
        t.length,
        sel.kept.reduce((a, k) => a + k.endFrame - k.startFrame, 0),
      );
    }
    assert.deepEqual(timelineFromSelection(ntsc!).fps, { num: 30000, den: 1001 });
  });

  it('takes the project format from the first video source and converts other rates exactly', () => {
    const t = timelineFromSelection(fixtures().mixed!);
    assert.deepEqual([t.fps, t.width, t.height], [{ num: 25, den: 1 }, 1280, 720]);
    // testvideo frames 30–120 at 30000/1001 are 1.001–4.004 s: project frames 25–100 at 25 fps.
    assert.deepEqual([t.clips[1]!.in, t.clips[1]!.out], [25, 100]);
    const ana = timelineFromSelection(fixtures().anamorphic!);
    assert.deepEqual([ana.width, ana.height, ana.sar], [704, 576, { num: 16, den: 11 }]);
    const audio = timelineFromSelection(fixtures().audioOnly!);
    assert.deepEqual([audio.fps, audio.width], [{ num: 25, den: 1 }, 1280]);
  });

  it('puts markers on the edited timeline and drops those inside cut ranges', () => {
    const t = timelineFromSelection(fixtures().example!);
    // 5 s = source frame 150, in the second clip (source 120–301, starting at timeline frame 75).
    assert.deepEqual(t.markers, [
      { frame: 75 + 30, label: 'scene 2' },
      { frame: 75 + 181 + 110 + (900 - 840), label: 'scene 3' },
    ]);
  });

  it('refuses a selection it cannot lay out, saying what is wrong', () => {
    const ex = SOURCES.example();
    assert.throws(() => timelineFromSelection(selection([])), UserError);
    assert.throws(() => timelineFromSelection(selection([[ex, 10, 10]])), /frames 10–10 of .*example\.mp4/);
    assert.throws(() => timelineFromSelection(selection([[ex, 1200, 1300]])), /has frames 0–1272/);
    const orphan = selection([[ex, 0, 10]]);
    orphan.sources = [];
    assert.throws(() => timelineFromSelection(orphan), /not among its "sources"/);
  });

  it('formats times only at the edges, from integer frames', () => {
    const ntsc = { num: 30000, den: 1001 };
    assert.equal(clock(1799, ntsc), '00:01:00.027');
    assert.equal(smpte(1799, ntsc), '00:00:59:29');
    assert.equal(smpte(30 * 3600, ntsc), '01:00:00:00');
    assert.equal(subtitleTime(3661.5, ','), '01:01:01,500');
    assert.equal(subtitleTime(0.0004, '.'), '00:00:00.000');
  });
});
