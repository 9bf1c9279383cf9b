import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import {
  type Cue,
  DEFAULT_SUBTITLE_STYLE,
  retimedCues,
  type SubtitleStyle,
  toSrt,
  toVtt,
  transcriptCues,
} from '../../src/exporters/subtitles.js';
import { subtitleStyle } from '../../src/pipeline/assemble.js';
import { ConfigSchema } from '../../src/schemas/config.js';
import type { SelectionSource } from '../../src/schemas/selection.js';
import type { Transcript, Word } from '../../src/schemas/transcript.js';
import { timelineFromSelection } from '../../src/timeline/from-selection.js';
import { selection } from './fixtures.js';

/**
 * A long talk of real speech rate: each sentence spoken by espeak-ng (170 words a minute), its length
 * measured from the WAV, words spread over it by length, 0.3–1.2 s pauses between sentences. It has what
 * broke cues before: sentences of 2–3 lines whose last word would fall alone, one-word sentences ("Right."),
 * short answers between pauses, long words.
 */
const TALK = [
  'Welcome back to the channel, today we are looking at how automatic editing tools decide what to keep.',
  'Right.',
  'The first thing any of them does is listen for silence, because long pauses are the easiest thing to remove.',
  'But silence alone is not enough.',
  'A good editor also listens for filler words, false starts, and the little noises people make while thinking.',
  'Yes.',
  'And then there are the subtitles, which have their own rules about line length, timing and reading speed.',
  'Nobody can read a forty word sentence that flashes on the screen for a fraction of a second.',
  'So the cues are split at natural pauses, the lines are balanced, and nothing overlaps.',
  'Okay?',
  'Internationalization and telecommunications are long words that still have to fit somewhere.',
  'That is all for today, thank you for watching, and see you in the next one.',
];

interface Spoken {
  transcript: Transcript;
  duration: number;
}

function speakTalk(dir: string): Spoken {
  const segments: Transcript['segments'] = [];
  let t = 0.4;
  TALK.forEach((sentence, i) => {
    const wav = join(dir, `s${i}.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '170', '-w', wav, sentence]);
    // espeak-ng writes a 44-byte header, 22050 Hz mono s16; lead-in and tail silence ~0.1 s each.
    const d = (statSync(wav).size - 44) / 2 / 22050 - 0.2;
    const tokens = sentence.split(' ');
    const weights = tokens.map((w) => w.length + 1);
    const total = weights.reduce((a, b) => a + b, 0);
    let at = t;
    const words: Word[] = tokens.map((text, k) => {
      const len = (d * weights[k]!) / total;
      const w = { start: at, end: at + len * 0.9, text: ` ${text}` };
      at += len;
      return w;
    });
    segments.push({ start: t, end: t + d, text: ` ${sentence}`, words });
    t += d + 0.3 + ((i * 37) % 10) / 10;
  });
  return {
    transcript: {
      kind: 'transcript',
      schemaVersion: 1,
      language: 'en',
      text: TALK.join(' '),
      segments,
      model: 'hand-written (timings from espeak-ng)',
      hash: `sha256:${'0'.repeat(64)}`,
    },
    duration: t + 1,
  };
}

/** A tiny SRT / VTT reader: cue times and lines, strict about the layout (blank line between cues). */
function parseCues(text: string, kind: 'srt' | 'vtt'): Cue[] {
  const body = kind === 'vtt' ? text.replace(/^WEBVTT\n\n/, '') : text;
  assert.ok(kind === 'srt' || text.startsWith('WEBVTT\n\n'), 'VTT header');
  const time = (s: string) => {
    const m = /^(\d\d):(\d\d):(\d\d)[,.](\d\d\d)$/.exec(s);
    assert.ok(m, `timestamp ${s}`);
    return +m[1]! * 3600 + +m[2]! * 60 + +m[3]! + +m[4]! / 1000;
  };
  return body
    .trimEnd()
    .split('\n\n')
    .map((block, i) => {
      const lines = block.split('\n');
      if (kind === 'srt') assert.equal(lines.shift(), String(i + 1), 'SRT cue number');
      const [a, arrow, b] = lines.shift()!.split(' ');
      assert.equal(arrow, '-->');
      return { start: time(a!), end: time(b!), text: lines.join('\n') };
    });
}

/** Cue start and duration as ffprobe reads the file (an independent parser). */
function ffprobeCues(file: string): { start: number; end: number }[] {
  const out = execFileSync('ffprobe', [
    ...['-v', 'error', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file],
  ]).toString();
  return out
    .trim()
    .split('\n')
    .map((l) => {
      const [pts, dur] = l.split(',').map(Number);
      return { start: pts!, end: pts! + dur! };
    });
}

/** Every limit of the style, on parsed cues; `words` is what the cues must say, in order. */
function assertReadable(cues: Cue[], words: string[], s: SubtitleStyle): void {
  const ms = 0.0015; // timestamps are whole milliseconds
  assert.equal(
    cues.map((c) => c.text.replace(/\n/g, ' ')).join(' '),
    words.join(' '),
    'every kept word, in order, once',
  );
  cues.forEach((c, i) => {
    const lines = c.text.split('\n');
    const say = `cue ${i + 1} ${c.start}–${c.end} ${JSON.stringify(c.text)}`;
    const next = cues[i + 1];
    assert.ok(lines.length <= s.maxLines, `${say}: lines`);
    for (const l of lines) assert.ok(l.length <= s.maxLineChars || !l.includes(' '), `${say}: line length`);
    if (lines.length === 2) {
      const [a, b] = lines.map((l) => l.length) as [number, number];
      assert.ok(Math.min(a, b) >= 0.45 * Math.max(a, b), `${say}: balanced lines`);
    }
    if (c.text.split(/\s+/).length >= 3)
      assert.ok(
        lines.every((l) => l.includes(' ')),
        `${say}: orphan line`,
      );
    assert.ok(c.text.includes(' '), `${say}: one-word cue`);
    assert.ok(c.end > c.start, `${say}: empty`);
    assert.ok(c.end - c.start <= s.maxDuration + ms, `${say}: too long`);
    if (next) assert.ok(c.end <= next.start + 1e-9, `${say}: overlaps the next cue`);
    // Held to the minimum and to the reading speed unless the next cue comes first.
    const held = next ? c.end >= next.start - s.minGap - ms : false;
    assert.ok(c.end - c.start >= s.minDuration - ms || held, `${say}: shorter than ${s.minDuration} s`);
    const cps = c.text.replace(/\n/g, ' ').length / (c.end - c.start);
    assert.ok(cps <= s.maxCps + 0.05 || held, `${say}: ${cps.toFixed(1)} characters per second`);
  });
}

const words = (tr: Transcript) => tr.segments.flatMap((s) => s.words.map((w) => w.text.trim()));

describe('subtitle cues follow broadcast limits (issue 14)', () => {
  let dir: string;
  let talk: Spoken;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoedit-subs-'));
    talk = speakTalk(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('defaults: 2 lines of 42, 0.8–7 s, 17 characters per second, 0.08 s gap; config.yaml subtitles: sets them', () => {
    assert.deepEqual(DEFAULT_SUBTITLE_STYLE, {
      maxLineChars: 42,
      maxLines: 2,
      minDuration: 0.8,
      maxDuration: 7,
      maxCps: 17,
      minGap: 0.08,
    });
    assert.deepEqual(subtitleStyle(ConfigSchema.parse({})), DEFAULT_SUBTITLE_STYLE);
    const custom = subtitleStyle(ConfigSchema.parse({ subtitles: { max_line_chars: 32, max_cps: 20 } }));
    assert.equal(custom.maxLineChars, 32);
    assert.equal(custom.maxCps, 20);
    assert.throws(() => ConfigSchema.parse({ subtitles: { max_lines: 0 } }));
  });

  it('a long transcript (SRT and VTT, read back by a parser and by ffprobe): every limit holds', async () => {
    const cues = transcriptCues(talk.transcript);
    for (const kind of ['srt', 'vtt'] as const) {
      const file = join(dir, `talk.${kind}`);
      await writeFile(file, kind === 'srt' ? toSrt(cues) : toVtt(cues));
      const parsed = parseCues(await readFile(file, 'utf8'), kind);
      assertReadable(parsed, words(talk.transcript), DEFAULT_SUBTITLE_STYLE);
      const probed = ffprobeCues(file);
      assert.equal(probed.length, parsed.length, `${kind}: ffprobe reads every cue`);
      probed.forEach((p, i) => {
        assert.ok(Math.abs(p.start - parsed[i]!.start) < 0.002 && Math.abs(p.end - parsed[i]!.end) < 0.002);
      });
    }
    // One-word sentences ("Right.", "Yes.", "Okay?") join a neighbour instead of flashing alone.
    for (const w of ['Right.', 'Yes.', 'Okay?'])
      assert.ok(
        cues.some((c) => c.text.includes(w) && c.text.includes(' ')),
        w,
      );
  });

  it('other limits from config are honoured (1 line of 32, 20 characters per second)', () => {
    const style = { ...DEFAULT_SUBTITLE_STYLE, maxLineChars: 32, maxLines: 1, maxCps: 20 };
    const cues = parseCues(toSrt(transcriptCues(talk.transcript, style)), 'srt');
    assertReadable(cues, words(talk.transcript), style);
  });

  it('re-timed to an edit with cut words and closed-up pauses: the same limits, no overlap at cuts', () => {
    const source: SelectionSource = {
      source: join(dir, 'talk.wav'),
      fps: { num: 25, den: 1 },
      duration: talk.duration,
      frameCount: Math.round(talk.duration * 25),
      hasVideo: false,
      hasAudio: true,
      audioChannels: 1,
      audioSampleRate: 22050,
    };
    // Keep each sentence with 0.2 s margins, but cut the middle third of every third sentence.
    const ranges: [SelectionSource, number, number][] = [];
    const kept: string[] = [];
    talk.transcript.segments.forEach((seg, i) => {
      const a = Math.floor((seg.start - 0.2) * 25);
      const b = Math.ceil((seg.end + 0.2) * 25);
      if (i % 3 !== 2 || seg.words.length < 6) {
        ranges.push([source, a, b]);
        kept.push(...seg.words.map((w) => w.text.trim()));
        return;
      }
      const cutFrom = seg.words[Math.floor(seg.words.length / 3)]!;
      const cutTo = seg.words[Math.floor((2 * seg.words.length) / 3)]!;
      const x = Math.round(cutFrom.start * 25);
      const y = Math.round(cutTo.start * 25);
      ranges.push([source, a, x], [source, y, b]);
      for (const w of seg.words) {
        const mid = ((w.start + w.end) / 2) * 25;
        if (mid < x || mid >= y) kept.push(w.text.trim());
      }
    });
    const t = timelineFromSelection(selection(ranges));
    const cues = parseCues(toVtt(retimedCues(t, new Map([[source.source, talk.transcript]]))), 'vtt');
    assertReadable(cues, kept, DEFAULT_SUBTITLE_STYLE);
    assert.ok(cues.at(-1)!.end <= t.length / 25 + 1, 'cues stay within the edit (plus a held last cue)');
  });

  it('punctuation the model gives as words of its own sticks to the word before it', () => {
    const w = (text: string, start: number) => ({ text, start, end: start + 0.3 });
    const cues = transcriptCues({
      segments: [
        {
          start: 0,
          end: 2,
          text: 'Hello, world.',
          words: [w(' Hello', 0), w(',', 0.3), w(' world', 0.5), w('.', 0.8)],
        },
      ],
    });
    assert.deepEqual(cues, [{ start: 0, end: 1.1, text: 'Hello, world.' }]);
  });

  it('the regression: a sentence one word longer than two lines no longer leaves a one-word 0.16 s cue', () => {
    // Greedy wrapping filled two lines of 42 and put "more." alone in a 0.16 s cue.
    const text = 'this sentence is exactly long enough to need two full lines of subtitles and then more.';
    const tokens = text.split(' ');
    const tr = {
      segments: [
        {
          start: 0,
          end: tokens.length * 0.3,
          text,
          words: tokens.map((w, i) => ({ start: i * 0.3, end: i * 0.3 + 0.16, text: w })),
        },
      ],
    };
    const cues = transcriptCues(tr);
    assert.ok(cues.length >= 2);
    assertReadable(cues, tokens, DEFAULT_SUBTITLE_STYLE);
  });
});
