import { InvalidArgumentError, Option } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../exporters/formats.js';
import { outputBaseName } from '../project/names.js';
import { PIPELINE_STAGES, type StageName } from '../schemas/events.js';
import { type ProfileChoice, parseProfile } from '../timeline/profile.js';
import type { UsageError } from '../util/errors.js';

/**
 * Every option that more than one command takes, defined once: a short flag means the same thing in every
 * command, and a bad value is a usage error (exit 2) that names the flag (commander's InvalidArgumentError).
 *
 *   -o --output   -m --model   -r --rules   -t --threshold   -d --detector   -j --jobs
 *   -l --lang     -p --prompt  -f --format  -n --name        -q --quiet (global)
 */

/** A number parser for an option: finite, within bounds, whole when asked. */
export function numberArg(o: { min?: number; max?: number; integer?: boolean; above?: number } = {}) {
  return (value: string): number => {
    const n = Number(value);
    const want = [
      o.integer ? 'a whole number' : 'a number',
      o.above !== undefined ? `above ${o.above}` : o.min !== undefined ? `≥ ${o.min}` : '',
      o.max !== undefined ? `≤ ${o.max}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (
      value.trim() === '' ||
      !Number.isFinite(n) ||
      (o.integer && !Number.isInteger(n)) ||
      (o.min !== undefined && n < o.min) ||
      (o.above !== undefined && n <= o.above) ||
      (o.max !== undefined && n > o.max)
    )
      throw new InvalidArgumentError(`expected ${want}.`);
    return n;
  };
}

/** A comma-separated list whose items must be among `allowed`. */
export function listArg<T extends string>(allowed: readonly T[]) {
  return (value: string): T[] => {
    const items = value
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const bad = items.filter((i) => !(allowed as readonly string[]).includes(i));
    if (bad.length)
      throw new InvalidArgumentError(
        `unknown ${bad.map((b) => `"${b}"`).join(', ')}; allowed: ${allowed.join(', ')}.`,
      );
    return items as T[];
  };
}

/**
 * A command line as an argument array, split like a shell would split words (single and double quotes,
 * backslash escapes) but never run through a shell: no variables, globs or pipes.
 */
export function argvArg(value: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < value.length) word = (word ?? '') + value[++i];
      else word = (word ?? '') + c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < value.length) word = (word ?? '') + value[++i];
    else if (/\s/.test(c)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else word = (word ?? '') + c;
  }
  if (quote) throw new InvalidArgumentError(`unterminated ${quote} quote.`);
  if (word !== undefined) out.push(word);
  if (out.length === 0) throw new InvalidArgumentError('expected a command.');
  return out;
}

export const flags = {
  output: (what: string, arg: 'file' | 'dir' = 'file') => new Option(`-o, --output <${arg}>`, what),
  model: () =>
    new Option(
      '-m, --model <path>',
      'Whisper ggml model file or folder (default: config stt.model_path, $AUTOEDIT_MODELS, ~/.cache/autoedit/models)',
    ),
  rules: () =>
    new Option(
      '-r, --rules <file>',
      'rules.json (default: config rules, else rules.json in the run folder, else defaults)',
    ),
  threshold: (what: string, bounds: { min?: number; max?: number } = { min: 0 }) =>
    new Option('-t, --threshold <n>', what).argParser(numberArg(bounds)),
  detector: (choices: readonly string[], what: string) =>
    new Option('-d, --detector <name>', what).choices(choices),
  jobs: (what: string) => new Option('-j, --jobs <n>', what).argParser(numberArg({ min: 1, integer: true })),
  lang: () =>
    new Option('-l, --lang <code>', 'spoken language (default: auto-detect, or config stt.language)'),
  prompt: () => new Option('-p, --prompt <text>', 'initial prompt / vocabulary hint (names, jargon)'),
  formats: (defaults?: string) =>
    new Option('-f, --format <list>', `comma-separated: ${EXPORT_FORMATS.join(', ')}`)
      .argParser(listArg<ExportFormat>(EXPORT_FORMATS))
      .default(defaults ? listArg<ExportFormat>(EXPORT_FORMATS)(defaults) : undefined, defaults),
  name: (what: string) =>
    new Option('-n, --name <name>', what).argParser((value: string) => {
      try {
        return outputBaseName(value, '-n');
      } catch (e) {
        throw new InvalidArgumentError(`${(e as Error).message}. ${(e as UsageError).hint ?? ''}`.trim());
      }
    }),
  stages: (flag: string, what: string) =>
    new Option(`${flag} <stages>`, what).argParser(listArg<StageName>(PIPELINE_STAGES)),
  backend: () =>
    new Option('--backend <name>', 'speech backend (default: config stt_backend)').choices([
      'local',
      'beam',
      'lightning',
    ]),
  reload: () =>
    new Option(
      '--reload <editor>',
      'after each regeneration ask this editor to reload the project (default: Kdenlive, when it has the file open)',
    ).choices(['kdenlive', 'none']),
  onChange: () =>
    new Option(
      '--on-change <command>',
      'run this program after each regeneration (quoted words, no shell; AUTOEDIT_OUTPUTS lists the files)',
    ).argParser(argvArg),
  profile: () =>
    new Option(
      '--profile <WxH[@fps]>',
      'project size and/or rate, e.g. 1080x1920@30 or @25 (default: config profile, else the first video clip as shown)',
    ).argParser((value: string): ProfileChoice => {
      const p = parseProfile(value);
      if (!p)
        throw new InvalidArgumentError(
          'expected WxH (even numbers), WxH@fps or @fps, e.g. 1080x1920@30 or @29.97.',
        );
      return p;
    }),
  wait: () =>
    new Option(
      '--wait [seconds]',
      'when another AutoEdit process holds the run folder, wait for it (default: stop at once with a message)',
    ).argParser(numberArg({ min: 0 })),
};
