import { frameToSeconds, type Rational } from '@autoedit/media';
import type { Rules } from '../schemas/rules.js';
import type { SelectedRange, Selection, SelectionSource } from '../schemas/selection.js';
import type { Scene } from '../schemas/sequence.js';
import type { Segment } from '../schemas/transcript.js';
import type { SpeechRange } from '../schemas/vad.js';
import type { Vision } from '../schemas/vision.js';
import { FrameMask, runsOf } from './frame-mask.js';

/** Everything known about one source; every analysis is optional. */
export interface SourceAnalysis {
  source: SelectionSource;
  /** Short name for messages (file name in raw/). */
  name: string;
  scenes?: Scene[];
  vad?: { detector: string; speech: SpeechRange[] };
  transcript?: { segments: Segment[] };
  faces?: Vision['sources'][number]['samples'];
}

const fmt = (s: number) => s.toFixed(2);
const normWord = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}']+/gu, '');

interface Ctx {
  mask: FrameMask;
  fps: Rational;
  n: number;
  toFrame: (t: number) => number;
  span: (a: number, b: number) => string;
}

/** Speech ranges from transcript words (preferred) or VAD, and a label saying which. */
function speechRanges(
  a: SourceAnalysis,
  rules: Rules,
): { ranges: { start: number; end: number }[]; from: string } | undefined {
  const words = a.transcript?.segments.flatMap((s) => s.words) ?? [];
  const wantTranscript = rules.speech.source !== 'vad';
  if (wantTranscript && words.length > 0)
    return { ranges: words.map((w) => ({ start: w.start, end: w.end })), from: 'transcript' };
  if (rules.speech.source === 'transcript') return undefined;
  if (a.vad) {
    return {
      ranges: a.vad.speech.filter((r) => r.probability >= rules.speech.min_probability),
      from: `${a.vad.detector} VAD`,
    };
  }
  return undefined;
}

function applySpeech(
  c: Ctx,
  a: SourceAnalysis,
  rules: Rules,
  skipped: Map<string, string>,
): Uint8Array | undefined {
  const sp = rules.speech.enabled ? speechRanges(a, rules) : undefined;
  if (!sp) {
    if (rules.speech.enabled) skipped.set('speech', 'no transcript words or VAD ranges');
    c.mask.set(
      0,
      c.n,
      true,
      rules.speech.enabled ? 'no speech data: whole source kept' : 'speech rule off: whole source kept',
    );
    return undefined;
  }
  const sound = new Uint8Array(c.n);
  for (const r of sp.ranges) sound.fill(1, c.toFrame(r.start), c.toFrame(r.end));
  const raw = sound.slice();
  // Ignore blips shorter than min_speech, then bridge pauses shorter than min_silence (auto-editor's minclip/mincut on the raw mask).
  const minSpeech = c.toFrame(rules.silence.min_speech);
  for (const [s, e] of runsOf(sound, 1)) if (e - s < minSpeech) sound.fill(0, s, e);
  const minSilence = c.toFrame(rules.silence.min_silence);
  const bridged = new Uint8Array(c.n);
  for (const [s, e] of runsOf(sound, 0)) {
    if (s > 0 && e < c.n && e - s < minSilence) {
      sound.fill(1, s, e);
      bridged.fill(1, s, e);
    }
  }
  c.mask.set(0, c.n, false, 'silence');
  const before = c.toFrame(rules.speech.margin_before);
  const after = c.toFrame(rules.speech.margin_after);
  for (const [s, e] of runsOf(sound, 1)) {
    c.mask.set(s - before, s, true, `margin ${fmt(rules.speech.margin_before)} s before speech`);
    c.mask.set(e, e + after, true, `margin ${fmt(rules.speech.margin_after)} s after speech`);
  }
  for (const [s, e] of runsOf(sound, 1)) {
    c.mask.set(s, e, true, `speech (${sp.from})`);
    for (const [bs, be] of runsOf(bridged.subarray(s, e), 1))
      c.mask.set(s + bs, s + be, true, `pause shorter than ${fmt(rules.silence.min_silence)} s kept`);
  }
  return raw;
}

function applyShots(
  c: Ctx,
  a: SourceAnalysis,
  rules: Rules,
  speech: Uint8Array | undefined,
  skipped: Map<string, string>,
): void {
  const shots = a.scenes;
  const wants =
    rules.shots.speech_gated || rules.shots.min_length > 0 || rules.shots.max_length !== undefined;
  if (!shots || shots.length === 0) {
    if (wants) skipped.set('shots', 'no scenes (run `autoedit cut`)');
    return;
  }
  // A minimum at or above the source's length would drop every shot: the rule cannot apply, so it says so.
  const duration = frameToSeconds(c.n, c.fps);
  const minLength = rules.shots.min_length < duration ? rules.shots.min_length : 0;
  if (minLength !== rules.shots.min_length)
    skipped.set(
      'shots.min_length',
      `${fmt(rules.shots.min_length)} s is at or above the length of ${a.name} (${fmt(duration)} s): it would drop every shot`,
    );
  for (const shot of shots) {
    const s = Math.max(0, shot.startFrame);
    const e = Math.min(c.n, shot.endFrame);
    if (rules.shots.split_at_cuts && s > 0) c.mask.breaks.add(s);
    if (rules.shots.speech_gated) {
      if (!speech) skipped.set('shots.speech_gated', 'no speech data');
      else if (speech.subarray(s, e).includes(1)) c.mask.set(s, e, true, `shot ${c.span(s, e)} has speech`);
      else c.mask.set(s, e, false, `shot ${c.span(s, e)} has no speech`);
    }
    if (e - s < c.toFrame(minLength)) c.mask.set(s, e, false, `shot shorter than ${fmt(minLength)} s`);
    if (rules.shots.max_length !== undefined) {
      const max = Math.max(1, c.toFrame(rules.shots.max_length));
      if (rules.shots.long_shots === 'trim')
        c.mask.set(s + max, e, false, `shot longer than ${fmt(rules.shots.max_length)} s trimmed`);
      else for (let f = s + max; f < e; f += max) c.mask.breaks.add(f);
    }
  }
}

function applyTranscriptRules(
  c: Ctx,
  a: SourceAnalysis,
  rules: Rules,
  skipped: Map<string, string>,
): Set<number> {
  const userCut = new Set<number>();
  const segments = a.transcript?.segments;
  if (!segments) {
    if (rules.fillers.enabled) skipped.set('fillers', 'no transcript');
    if (rules.transcript_cuts.length) skipped.set('transcript_cuts', 'no transcript');
    return userCut;
  }
  const cut = (start: number, end: number, reason: string) => {
    c.mask.set(c.toFrame(start), c.toFrame(end), false, reason);
    userCut.add(c.mask.code(reason));
  };
  const words = segments.flatMap((s) => s.words);
  if (rules.fillers.enabled) {
    const fillers = new Set(rules.fillers.words.map(normWord));
    for (const w of words)
      if (fillers.has(normWord(w.text))) cut(w.start, w.end, `filler "${normWord(w.text)}"`);
  }
  const norm = words.map((w) => normWord(w.text));
  for (const rule of rules.transcript_cuts) {
    if (rule.source && rule.source !== a.name && rule.source !== a.source.source) continue;
    if (rule.segment !== undefined) {
      const seg = segments[rule.segment];
      if (seg) cut(seg.start, seg.end, `transcript cut: sentence ${rule.segment} "${seg.text.trim()}"`);
    }
    if (rule.word !== undefined) {
      const w = words[rule.word];
      if (w) cut(w.start, w.end, `transcript cut: word ${rule.word} "${w.text.trim()}"`);
    }
    if (rule.text !== undefined) {
      const phrase = rule.text.split(/\s+/).map(normWord).filter(Boolean);
      for (let i = 0; phrase.length && i + phrase.length <= norm.length; i++) {
        if (phrase.every((p, k) => norm[i + k] === p))
          cut(words[i]!.start, words[i + phrase.length - 1]!.end, `transcript cut: "${rule.text}"`);
      }
    }
  }
  return userCut;
}

function applyFaces(c: Ctx, a: SourceAnalysis, rules: Rules, skipped: Map<string, string>): void {
  if (!rules.faces.required) return;
  if (!a.faces || a.faces.length === 0) {
    skipped.set('faces', 'no vision.json (face detection)');
    return;
  }
  const samples = [...a.faces].sort((x, y) => x.time - y.time);
  samples.forEach((s, i) => {
    if (s.faces.length >= rules.faces.min_faces) return;
    const end = samples[i + 1]?.time ?? frameToSeconds(c.n, c.fps);
    c.mask.set(c.toFrame(s.time), c.toFrame(end), false, 'no face visible');
  });
}

function applyManual(c: Ctx, a: SourceAnalysis, rules: Rules, skipped: Map<string, string>): Set<number> {
  const forced = new Set<number>();
  const mine = (r: { source?: string }) => !r.source || r.source === a.name || r.source === a.source.source;
  // A range naming this source that starts past its end cannot apply: say so rather than ignore it.
  const duration = frameToSeconds(c.n, c.fps);
  for (const kind of ['keep', 'cut'] as const) {
    rules.manual[kind].forEach((r, i) => {
      if (r.source && mine(r) && r.start >= duration)
        skipped.set(
          `manual.${kind}[${i}]`,
          `${fmt(r.start)}–${fmt(r.end)} s starts after the end of ${a.name} (${fmt(duration)} s)`,
        );
    });
  }
  for (const r of rules.manual.cut.filter(mine)) {
    const reason = `manual cut ${fmt(r.start)}–${fmt(r.end)} s`;
    c.mask.set(c.toFrame(r.start), c.toFrame(r.end), false, reason);
    forced.add(c.mask.code(reason));
  }
  for (const r of rules.manual.keep.filter(mine)) {
    const reason = `manual keep ${fmt(r.start)}–${fmt(r.end)} s`;
    c.mask.set(c.toFrame(r.start), c.toFrame(r.end), true, reason);
    forced.add(c.mask.code(reason));
  }
  return forced;
}

/** Fill short cuts and drop short clips, leaving explicit (user/filler/manual) decisions alone. */
function applyMinimums(c: Ctx, rules: Rules, explicit: Set<number>): void {
  const minCut = c.toFrame(rules.min_cut);
  for (const [s, e] of runsOf(c.mask.keep, 0)) {
    if (s === 0 || e === c.n || e - s >= minCut) continue;
    if (Array.from(c.mask.why.subarray(s, e)).some((w) => explicit.has(w))) continue;
    c.mask.set(s, e, true, `cut shorter than ${fmt(rules.min_cut)} s filled`);
  }
  const minClip = c.toFrame(rules.min_clip);
  for (const [s, e] of runsOf(c.mask.keep, 1)) {
    if (e - s >= minClip) continue;
    if (Array.from(c.mask.why.subarray(s, e)).some((w) => explicit.has(w))) continue;
    c.mask.set(s, e, false, `clip shorter than ${fmt(rules.min_clip)} s`);
  }
}

/**
 * The selection: pure over analyses and rules. Works with whatever analyses exist and lists the rules it
 * had to skip. Ranges are in integer source frames (end exclusive) with seconds derived from them.
 */
export function select(analyses: readonly SourceAnalysis[], rules: Rules): Selection {
  const kept: SelectedRange[] = [];
  const dropped: SelectedRange[] = [];
  const skipped = new Map<string, string>();
  const markers: Selection['markers'] = [];
  for (const a of analyses) {
    const { fps, frameCount: n } = a.source;
    const toFrame = (t: number) => Math.min(n, Math.max(0, Math.round((t * fps.num) / fps.den)));
    const mask = new FrameMask(n);
    const c: Ctx = {
      mask,
      fps,
      n,
      toFrame,
      span: (s, e) => `${fmt(frameToSeconds(s, fps))}–${fmt(frameToSeconds(e, fps))} s`,
    };
    const speech = applySpeech(c, a, rules, skipped);
    applyShots(c, a, rules, speech, skipped);
    const explicit = applyTranscriptRules(c, a, rules, skipped);
    applyFaces(c, a, rules, skipped);
    for (const code of applyManual(c, a, rules, skipped)) explicit.add(code);
    applyMinimums(c, rules, explicit);
    for (const run of mask.runs()) {
      const range: SelectedRange = {
        source: a.source.source,
        start: frameToSeconds(run.start, fps),
        end: frameToSeconds(run.end, fps),
        startFrame: run.start,
        endFrame: run.end,
        reasons: run.reasons.map((r) => mask.reason(r)),
      };
      (run.keep ? kept : dropped).push(range);
    }
    for (const shot of a.scenes ?? []) {
      if (shot.startFrame > 0 && mask.keep[shot.startFrame] === 1) {
        markers.push({
          source: a.source.source,
          time: frameToSeconds(shot.startFrame, fps),
          label: `scene cut (${a.name} ${shot.startTimecode})`,
        });
      }
    }
  }
  return {
    kind: 'selection',
    schemaVersion: 1,
    sources: analyses.map((a) => a.source),
    kept,
    dropped,
    skippedRules: [...skipped].map(([rule, why]) => ({ rule, why })),
    markers,
  };
}
