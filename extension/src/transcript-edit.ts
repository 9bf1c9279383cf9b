// Transcript ↔ rules editing, the logic behind the transcript webview: which words the current selection
// keeps or cuts (and why), and how cutting or restoring words changes the rules file. Pure (text in, text
// out), no `vscode` import: unit-tested. The rules file stays the user's: only `transcript_cuts` and
// `manual.keep` change, other fields and their order are kept, and the result is validated before it is
// offered for writing.
import { RulesSchema, type Selection, type Transcript } from '@autoedit/engine/schemas';

export interface WordView {
  /** Index of the word in its source's transcript (what a `{ word }` transcript cut refers to). */
  index: number;
  segment: number;
  start: number;
  end: number;
  text: string;
  speaker?: string;
  kept: boolean;
  /** Why it is cut (from selection.json's dropped ranges), empty when kept. */
  reasons: string[];
  /** Cut by a `{ source, word }` transcript cut of the rules file (so "restore" removes that entry). */
  cutByUser: boolean;
}

export interface SourceTranscript {
  /** Media name in the run (raw/<name>): what rules' `source` fields say. */
  name: string;
  /** Path of the media file the times refer to. */
  media: string;
  words: WordView[];
}

type RawRules = Record<string, unknown> & {
  transcript_cuts?: { source?: string; text?: string; segment?: number; word?: number }[];
  manual?: { keep?: Range[]; cut?: Range[] } & Record<string, unknown>;
};
interface Range {
  source?: string;
  start: number;
  end: number;
}

const sameSource = (a: string | undefined, name: string) =>
  a === undefined || a === name || a.endsWith(`/${name}`);

/** Words of one source's transcript with their state in the selection. */
export function wordViews(
  name: string,
  transcript: Transcript,
  selection: Selection | undefined,
  rulesText: string | undefined,
): WordView[] {
  const raw = rulesText ? parseRules(rulesText) : {};
  const userWords = new Set(
    (raw.transcript_cuts ?? [])
      .filter((c) => c.word !== undefined && sameSource(c.source, name))
      .map((c) => c.word as number),
  );
  const mine = <T extends { source: string }>(rs: T[]) => rs.filter((r) => sameSource(r.source, name));
  const kept = selection ? mine(selection.kept) : [];
  const dropped = selection ? mine(selection.dropped) : [];
  const views: WordView[] = [];
  let index = 0;
  transcript.segments.forEach((seg, segment) => {
    for (const w of seg.words) {
      const mid = (w.start + w.end) / 2;
      const isKept = selection ? kept.some((r) => r.start <= mid && mid < r.end) : true;
      const reasons = isKept
        ? []
        : [...new Set(dropped.filter((r) => r.start <= mid && mid < r.end).flatMap((r) => r.reasons))];
      views.push({
        index,
        segment,
        start: w.start,
        end: w.end,
        text: w.text.trim(),
        speaker: seg.speaker,
        kept: isKept,
        reasons,
        cutByUser: userWords.has(index),
      });
      index++;
    }
  });
  return views;
}

export function parseRules(text: string): RawRules {
  const trimmed = text.trim();
  if (!trimmed) return {};
  const value = JSON.parse(trimmed) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error('the rules file must hold a JSON object');
  return value as RawRules;
}

function serialize(raw: RawRules): string {
  const checked = RulesSchema.safeParse(raw);
  if (!checked.success)
    throw new Error(
      `the edited rules would not be valid: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return `${JSON.stringify(raw, null, 2)}\n`;
}

/**
 * Cut these words: one `{ source, word }` transcript cut each (no duplicates), and manual keep ranges
 * inside them (left by an earlier "restore") removed, since keep wins over cuts. Words without duration
 * are left out; an error when nothing is left.
 */
export function cutWords(rulesText: string | undefined, name: string, selected: WordView[]): string {
  // A word the transcript gives no duration (start = end) covers no frame: cutting it would change nothing.
  const words = selected.filter((w) => w.end > w.start);
  if (!words.length)
    throw new Error(
      `${selected.length === 1 ? `"${selected[0]?.text}" has` : 'these words have'} no duration in the transcript (start = end), so there is nothing to cut; select the words around it too`,
    );
  const raw = rulesText ? parseRules(rulesText) : {};
  const cuts = [...(raw.transcript_cuts ?? [])];
  for (const w of words)
    if (!cuts.some((c) => c.word === w.index && sameSource(c.source, name) && c.source !== undefined))
      cuts.push({ source: name, word: w.index });
  raw.transcript_cuts = cuts;
  if (raw.manual?.keep) {
    raw.manual = {
      ...raw.manual,
      keep: raw.manual.keep.filter(
        (k) =>
          !(
            sameSource(k.source, name) &&
            words.some((w) => k.start >= w.start - 1e-6 && k.end <= w.end + 1e-6)
          ),
      ),
    };
  }
  return serialize(raw);
}

/**
 * Restore these words: their `{ word }` transcript cuts go away; a word still cut by another rule (a filler,
 * silence, a phrase cut) gets a manual keep range over exactly its time, which wins over every cut.
 */
export function restoreWords(rulesText: string | undefined, name: string, words: WordView[]): string {
  const raw = rulesText ? parseRules(rulesText) : {};
  const indices = new Set(words.map((w) => w.index));
  if (raw.transcript_cuts)
    raw.transcript_cuts = raw.transcript_cuts.filter(
      (c) =>
        !(
          c.word !== undefined &&
          indices.has(c.word) &&
          sameSource(c.source, name) &&
          c.text === undefined &&
          c.segment === undefined
        ),
    );
  const needKeep = words.filter(
    (w) => !w.kept && w.reasons.some((r) => !r.startsWith(`transcript cut: word ${w.index} `)),
  );
  if (needKeep.length) {
    const manual = { ...(raw.manual ?? {}) };
    const keep = [...(manual.keep ?? [])];
    for (const w of needKeep)
      if (!keep.some((k) => sameSource(k.source, name) && k.start === w.start && k.end === w.end))
        keep.push({ source: name, start: w.start, end: w.end });
    manual.keep = keep;
    raw.manual = manual;
  }
  return serialize(raw);
}

/** Contiguous runs of words, for the webview's kept/cut highlighting and for selecting a sentence. */
export function sentenceOf(words: WordView[], index: number): WordView[] {
  const seg = words.find((w) => w.index === index)?.segment;
  return seg === undefined ? [] : words.filter((w) => w.segment === seg);
}
