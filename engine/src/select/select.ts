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
/** Records that a rule could not run on the current source, and why. */
type Skip = (rule: string, why: string) => void;
const normWord = (w: string) => w.toLowerCase().replace(/[^\p{L}\p{N}']+/gu, '');

interface Ctx {
  mask: FrameMask;
  fps: Rational;
  n: number;
  toFrame: (t: number) => number;
  span: (a: number, b: number) => string;
  /** Reason codes of frames kept only to pad something else (speech margins, joined gaps): no content. */
  padding: Set<number>;
  /** Notes for the kept clip holding a frame (a split that was not made). */
  notes: { frame: number; text: string }[];
}

/** A cut decided from the transcript (filler, transcript_cuts): its words are not speech to keep. */
interface WordCut {
  start: number;
  end: number;
  reason: string;
  /** Indexes into the transcript's words (over all segments). */
  words: number[];
}

/** Speech ranges from transcript words (preferred) or VAD, and a label saying which. */
function speechRanges(
  a: SourceAnalysis,
  rules: Rules,
  cutWords: ReadonlySet<number>,
): { ranges: { start: number; end: number }[]; from: string } | undefined {
  const words = a.transcript?.segments.flatMap((s) => s.words) ?? [];
  const wantTranscript = rules.speech.source !== 'vad';
  // Words the transcript rules cut are not speech: they get no margins, so cutting a filler between two
  // pauses leaves no pre-roll and post-roll of it behind (the 5-frame slivers of issue 14).
  if (wantTranscript && words.length > 0)
    return {
      ranges: words.filter((_, i) => !cutWords.has(i)).map((w) => ({ start: w.start, end: w.end })),
      from: 'transcript',
    };
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
  cutWords: ReadonlySet<number>,
  skip: Skip,
): Uint8Array | undefined {
  const sp = rules.speech.enabled ? speechRanges(a, rules, cutWords) : undefined;
  if (!sp) {
    const missing = {
      auto: 'no transcript words or VAD ranges',
      transcript: 'no transcript words',
      vad: 'no VAD ranges',
    };
    const why = !a.source.hasAudio
      ? 'no audio track: whole source kept'
      : `${missing[rules.speech.source]}${rules.speech.source === 'auto' ? '' : ` (speech.source: ${rules.speech.source})`}: whole source kept`;
    if (rules.speech.enabled) skip('speech', why);
    c.mask.set(0, c.n, true, rules.speech.enabled ? why : 'speech rule off: whole source kept');
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
  const marginBefore = `margin ${fmt(rules.speech.margin_before)} s before speech`;
  const marginAfter = `margin ${fmt(rules.speech.margin_after)} s after speech`;
  c.padding.add(c.mask.code(marginBefore)).add(c.mask.code(marginAfter));
  for (const [s, e] of runsOf(sound, 1)) {
    c.mask.set(s - before, s, true, marginBefore);
    c.mask.set(e, e + after, true, marginAfter);
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
  skip: Skip,
): void {
  const shots = a.scenes;
  const wants =
    rules.shots.speech_gated || rules.shots.min_length > 0 || rules.shots.max_length !== undefined;
  if (!shots || shots.length === 0) {
    if (wants) skip('shots', a.source.hasVideo ? 'no scenes (run `autoedit cut`)' : 'no video track');
    return;
  }
  // A minimum at or above the source's length would drop every shot: the rule cannot apply, so it says so.
  const duration = frameToSeconds(c.n, c.fps);
  const minLength = rules.shots.min_length < duration ? rules.shots.min_length : 0;
  if (minLength !== rules.shots.min_length)
    skip(
      'shots.min_length',
      `${fmt(rules.shots.min_length)} s is at or above the length of ${a.name} (${fmt(duration)} s): it would drop every shot`,
    );
  for (const shot of shots) {
    const s = Math.max(0, shot.startFrame);
    const e = Math.min(c.n, shot.endFrame);
    if (rules.shots.split_at_cuts && s > 0) c.mask.breaks.add(s);
    if (rules.shots.speech_gated) {
      if (!speech) skip('shots.speech_gated', 'no speech data');
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

/**
 * The cuts the transcript rules ask for (fillers, transcript_cuts), planned before the speech rule so that
 * the words they remove are not treated as speech.
 */
function planWordCuts(a: SourceAnalysis, rules: Rules, skip: Skip): WordCut[] {
  const segments = a.transcript?.segments;
  const mine = (r: { source?: string }) => !r.source || r.source === a.name || r.source === a.source.source;
  const userRules = rules.transcript_cuts.filter(mine);
  if (!segments) {
    // A source without audio has no speech to cut: the rules are not skipped, they have nothing to act on.
    const why = a.source.hasAudio ? 'no transcript' : 'no audio track';
    if (rules.fillers.enabled && a.source.hasAudio) skip('fillers', why);
    if (userRules.some((r) => r.source) || (userRules.length && a.source.hasAudio))
      skip('transcript_cuts', why);
    return [];
  }
  const cuts: WordCut[] = [];
  const words = segments.flatMap((s) => s.words);
  const firstWord: number[] = [];
  let count = 0;
  for (const seg of segments) {
    firstWord.push(count);
    count += seg.words.length;
  }
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
  if (rules.fillers.enabled) {
    const fillers = new Set(rules.fillers.words.map(normWord));
    words.forEach((w, i) => {
      if (fillers.has(normWord(w.text)))
        cuts.push({ start: w.start, end: w.end, reason: `filler "${normWord(w.text)}"`, words: [i] });
    });
  }
  const norm = words.map((w) => normWord(w.text));
  for (const rule of userRules) {
    if (rule.segment !== undefined) {
      const seg = segments[rule.segment];
      const from = firstWord[rule.segment] ?? 0;
      if (seg)
        cuts.push({
          start: seg.start,
          end: seg.end,
          reason: `transcript cut: sentence ${rule.segment} "${seg.text.trim()}"`,
          words: range(from, from + seg.words.length),
        });
    }
    if (rule.word !== undefined) {
      const w = words[rule.word];
      if (w)
        cuts.push({
          start: w.start,
          end: w.end,
          reason: `transcript cut: word ${rule.word} "${w.text.trim()}"`,
          words: [rule.word],
        });
    }
    if (rule.text !== undefined) {
      const phrase = rule.text.split(/\s+/).map(normWord).filter(Boolean);
      for (let i = 0; phrase.length && i + phrase.length <= norm.length; i++) {
        if (phrase.every((p, k) => norm[i + k] === p))
          cuts.push({
            start: words[i]!.start,
            end: words[i + phrase.length - 1]!.end,
            reason: `transcript cut: "${rule.text}"`,
            words: range(i, i + phrase.length),
          });
      }
    }
  }
  return cuts;
}

/** Apply the planned word cuts; returns their reason codes (explicit decisions the tidy-up leaves alone). */
function applyWordCuts(c: Ctx, cuts: readonly WordCut[]): Set<number> {
  const codes = new Set<number>();
  for (const cut of cuts) {
    c.mask.set(c.toFrame(cut.start), c.toFrame(cut.end), false, cut.reason);
    codes.add(c.mask.code(cut.reason));
  }
  return codes;
}

function applyFaces(c: Ctx, a: SourceAnalysis, rules: Rules, skip: Skip): void {
  if (!rules.faces.required) return;
  if (!a.faces || a.faces.length === 0) {
    skip('faces', a.source.hasVideo ? 'no vision.json (face detection)' : 'no video track');
    return;
  }
  const samples = [...a.faces].sort((x, y) => x.time - y.time);
  samples.forEach((s, i) => {
    if (s.faces.length >= rules.faces.min_faces) return;
    const end = samples[i + 1]?.time ?? frameToSeconds(c.n, c.fps);
    c.mask.set(c.toFrame(s.time), c.toFrame(end), false, 'no face visible');
  });
}

function applyManual(c: Ctx, a: SourceAnalysis, rules: Rules, skip: Skip): Set<number> {
  const forced = new Set<number>();
  const mine = (r: { source?: string }) => !r.source || r.source === a.name || r.source === a.source.source;
  // A range naming this source that starts past its end cannot apply: say so rather than ignore it.
  const duration = frameToSeconds(c.n, c.fps);
  for (const kind of ['keep', 'cut'] as const) {
    rules.manual[kind].forEach((r, i) => {
      if (r.source && mine(r) && r.start >= duration)
        skip(
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

/** The distinct reason codes over frames [s, e). */
function reasonsIn(c: Ctx, s: number, e: number): number[] {
  return [...new Set(c.mask.why.subarray(s, e))];
}

/** Kept run [s, e) split at breaks (sorted, possibly stale: deleted ones are skipped): the clips it gives. */
function keptPieces(c: Ctx, s: number, e: number, sorted: readonly number[]): [number, number][] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= s) lo = mid + 1;
    else hi = mid;
  }
  const edges = [s];
  for (let k = lo; k < sorted.length && sorted[k]! < e; k++)
    if (c.mask.breaks.has(sorted[k]!)) edges.push(sorted[k]!);
  edges.push(e);
  return edges.slice(0, -1).map((from, i) => [from, edges[i + 1]!] as [number, number]);
}

/**
 * After all rules, no slivers: gaps shorter than min_cut are joined, kept pieces holding nothing but margin
 * are dropped, a split that would leave a piece shorter than min_clip is not made, and clips shorter than
 * min_clip are dropped. Explicit decisions (fillers, transcript and manual cuts, manual keeps) stay as they
 * are. Every change says what it replaced, so selection.json explains it.
 */
function tidy(c: Ctx, a: SourceAnalysis, rules: Rules, explicit: Set<number>): void {
  const isExplicit = (s: number, e: number) => reasonsIn(c, s, e).some((w) => explicit.has(w));
  const was = (s: number, e: number) =>
    reasonsIn(c, s, e)
      .map((w) => c.mask.reason(w))
      .join(', ');
  const minCut = c.toFrame(rules.min_cut);
  for (const [s, e] of runsOf(c.mask.keep, 0)) {
    if (s === 0 || e === c.n || e - s >= minCut || isExplicit(s, e)) continue;
    const reason = `gap shorter than ${fmt(rules.min_cut)} s (min_cut) joined; was: ${was(s, e)}`;
    c.mask.set(s, e, true, reason);
    c.padding.add(c.mask.code(reason));
  }
  const padOnly = (s: number, e: number) => reasonsIn(c, s, e).every((w) => c.padding.has(w));
  for (const [s, e] of runsOf(c.mask.keep, 1)) {
    if (padOnly(s, e) && !isExplicit(s, e))
      c.mask.set(s, e, false, 'only margin left (the speech it padded was cut)');
  }
  const minClip = c.toFrame(rules.min_clip);
  // One change at a time, then look at that run again: a join or a drop changes the pieces around it.
  const sortedBreaks = [...c.mask.breaks].sort((x, y) => x - y);
  const todo = runsOf(c.mask.keep, 1);
  for (let run = todo.pop(); run; run = todo.pop()) {
    const [s, e] = run;
    const pieces = keptPieces(c, s, e, sortedBreaks);
    const i = pieces.findIndex(([ps, pe]) => pe - ps < minClip && !isExplicit(ps, pe));
    if (pieces.length === 1 || i < 0) continue;
    const [ps, pe] = pieces[i]!;
    if (padOnly(ps, pe)) {
      c.mask.set(ps, pe, false, `margin piece shorter than ${fmt(rules.min_clip)} s (min_clip) at a split`);
      if (ps > s) todo.push([s, ps]);
      if (e > pe) todo.push([pe, e]);
      continue;
    }
    // Join it to the piece across its split (the one before when it has one, as a clip's tail).
    const at = i > 0 ? ps : pe;
    c.mask.breaks.delete(at);
    c.notes.push({
      frame: at,
      text: `no split at ${fmt(frameToSeconds(at, c.fps))} s: it would leave a ${fmt(frameToSeconds(pe - ps, c.fps))} s piece (min_clip ${fmt(rules.min_clip)} s)`,
    });
    todo.push([s, e]);
  }
  const words = a.transcript?.segments.flatMap((s) => s.words) ?? [];
  for (const [s, e] of runsOf(c.mask.keep, 1)) {
    if (e - s >= minClip || isExplicit(s, e)) continue;
    const held = words
      .filter((w) => {
        const mid = c.toFrame((w.start + w.end) / 2);
        return mid >= s && mid < e;
      })
      .map((w) => w.text.trim())
      .join(' ');
    const what = held ? `"${held}"` : was(s, e);
    c.mask.set(
      s,
      e,
      false,
      `clip of ${fmt(frameToSeconds(e - s, c.fps))} s shorter than ${fmt(rules.min_clip)} s (min_clip) dropped; held: ${what}`,
    );
  }
}

/**
 * Skipped rules in words, one line per rule and reason: "rule fillers skipped for b.mp4: no transcript",
 * "rule fillers skipped for a.mp4, b.mp4, c.mp4 and 4 more: no transcript".
 */
export function skippedRuleLines(skipped: Selection['skippedRules']): string[] {
  const groups = new Map<string, { rule: string; why: string; sources: string[] }>();
  for (const s of skipped) {
    const key = `${s.rule}\n${s.why}`;
    const g = groups.get(key) ?? { rule: s.rule, why: s.why, sources: [] };
    if (s.source) g.sources.push(s.source);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ rule, why, sources }) => {
    const named = sources.slice(0, 3).join(', ');
    const more = sources.length > 3 ? ` and ${sources.length - 3} more` : '';
    return `rule ${rule} skipped${sources.length ? ` for ${named}${more}` : ''}: ${why}`;
  });
}

/**
 * The selection: pure over analyses and rules. Works with whatever analyses exist and lists the rules it
 * had to skip. Ranges are in integer source frames (end exclusive) with seconds derived from them.
 */
export function select(analyses: readonly SourceAnalysis[], rules: Rules): Selection {
  const kept: SelectedRange[] = [];
  const dropped: SelectedRange[] = [];
  const skippedRules: Selection['skippedRules'] = [];
  const markers: Selection['markers'] = [];
  for (const a of analyses) {
    // Per source: a rule skipped for one source may well have run on another (issue 14's "fillers skipped").
    const skip: Skip = (rule, why) => {
      if (!skippedRules.some((r) => r.rule === rule && r.source === a.name))
        skippedRules.push({ rule, why, source: a.name });
    };
    const { fps, frameCount: n } = a.source;
    const toFrame = (t: number) => Math.min(n, Math.max(0, Math.round((t * fps.num) / fps.den)));
    const mask = new FrameMask(n);
    const c: Ctx = {
      mask,
      fps,
      n,
      toFrame,
      span: (s, e) => `${fmt(frameToSeconds(s, fps))}–${fmt(frameToSeconds(e, fps))} s`,
      padding: new Set(),
      notes: [],
    };
    const wordCuts = planWordCuts(a, rules, skip);
    const speech = applySpeech(c, a, rules, new Set(wordCuts.flatMap((w) => w.words)), skip);
    applyShots(c, a, rules, speech, skip);
    const explicit = applyWordCuts(c, wordCuts);
    applyFaces(c, a, rules, skip);
    for (const code of applyManual(c, a, rules, skip)) explicit.add(code);
    tidy(c, a, rules, explicit);
    for (const run of mask.runs()) {
      const notes = run.keep
        ? c.notes.filter((n) => n.frame > run.start && n.frame < run.end).map((n) => n.text)
        : [];
      const range: SelectedRange = {
        source: a.source.source,
        start: frameToSeconds(run.start, fps),
        end: frameToSeconds(run.end, fps),
        startFrame: run.start,
        endFrame: run.end,
        reasons: [...run.reasons.map((r) => mask.reason(r)), ...notes],
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
    skippedRules,
    markers,
  };
}
