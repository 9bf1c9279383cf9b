import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { retimedCues, toSrt, toVtt, transcriptCues, wrapLines } from '../../src/exporters/subtitles.js';
import { timelineFromSelection } from '../../src/timeline/from-selection.js';
import { transcriptFromSpans } from '../helpers/run.js';
import { samples } from '../helpers/samples.js';
import { SOURCES, selection } from './fixtures.js';

describe('subtitles', () => {
  const spans = () => samples().files.talk!.speech!;

  it('re-times cues to the edit: cut pauses close up, cut words disappear', () => {
    const talk = SOURCES.talk();
    const tr = transcriptFromSpans(spans(), talk.source);
    // Keep each phrase with 0.2 s margins, except the filler "um" (what a silence + filler edit keeps).
    const kept = spans()
      .filter((s) => !s.filler)
      .map(
        (s) => [talk, Math.floor((s.voicedStart - 0.2) * 25), Math.ceil((s.voicedEnd + 0.2) * 25)] as const,
      );
    const t = timelineFromSelection(selection(kept.map((k) => [...k])));
    const cues = retimedCues(t, new Map([[talk.source, tr]]));
    assert.deepEqual(
      cues.map((c) => c.text.replace(/\n/g, ' ')),
      spans()
        .filter((s) => !s.filler)
        .map((s) => s.text),
    );
    // Each cue starts where its phrase now sits on the timeline: the clip start plus the 0.2 s margin.
    let at = 0;
    kept.forEach(([, a, b], i) => {
      const want = at / 25 + (spans().filter((s) => !s.filler)[i]!.voicedStart - a / 25);
      assert.ok(Math.abs(cues[i]!.start - want) < 0.002, `cue ${i} at ${cues[i]!.start}, want ${want}`);
      assert.ok(cues[i]!.end <= (at + b - a) / 25 + 1e-9, 'a cue ends inside its clip');
      at += b - a;
    });
    assert.match(
      toSrt(cues),
      /^1\n00:00:00,20\d --> 00:00:02,\d{3}\nWelcome to the automatic editing demo\.\n\n2\n/,
    );
    assert.match(toVtt(cues), /^WEBVTT\n\n00:00:00\.20\d --> 00:00:02\.\d{3}\nWelcome/);
  });

  it('drops the words of a phrase that was partly cut', () => {
    const talk = SOURCES.talk();
    const s = spans()[0]!;
    const tr = transcriptFromSpans([s], talk.source);
    // Keep the first half of "Welcome to the automatic editing demo." only.
    const words = tr.segments[0]!.words;
    const endFrame = Math.ceil(words[2]!.end * 25);
    const t = timelineFromSelection(selection([[talk, Math.floor(s.voicedStart * 25), endFrame]]));
    const cues = retimedCues(t, new Map([[talk.source, tr]]));
    assert.equal(cues.length, 1);
    assert.equal(cues[0]!.text, 'Welcome to the');
  });

  it('raw transcript cues: two lines of at most 42 characters, at most 7 s, escaped for VTT', () => {
    const long =
      'and this is a very long sentence that goes on and on, far past what fits on two subtitle lines at once';
    const tokens = long.split(' ');
    const tr = {
      segments: [
        {
          start: 0,
          end: 12,
          text: long,
          words: tokens.map((text, i) => ({ start: i * 0.5, end: i * 0.5 + 0.4, text })),
        },
        { start: 13, end: 14, text: ' Q&A <now> ', words: [] },
      ],
    };
    const cues = transcriptCues(tr);
    assert.ok(cues.length >= 2);
    for (const c of cues.slice(0, -1)) {
      const lines = c.text.split('\n');
      assert.ok(lines.length <= 2 && lines.every((l) => l.length <= 42), JSON.stringify(c.text));
      assert.ok(c.end - c.start <= 7);
    }
    assert.equal(
      cues
        .slice(0, -1)
        .map((c) => c.text.replace(/\n/g, ' '))
        .join(' '),
      long,
    );
    assert.match(toVtt(cues), /\nQ&amp;A &lt;now&gt;\n$/);
    assert.match(toSrt(cues), /\nQ&A <now>\n$/);
    assert.equal(wrapLines('a'.repeat(50)), 'a'.repeat(50));
  });
});
