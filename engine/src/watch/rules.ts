import { readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { rulesJsonSchema, stringifySchema } from '../schemas/json-schema.js';
import { type Rules, RulesSchema } from '../schemas/rules.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** What is wrong with a rules file, precisely enough to fix it: file, line, column (1-based), field. */
export interface RulesProblem {
  file: string;
  line?: number;
  column?: number;
  /** The field's path, e.g. `silence.margin`; absent for a syntax error. */
  field?: string;
  message: string;
}

export type RulesRead = { ok: true; rules: Rules; created?: boolean } | { ok: false; problem: RulesProblem };

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/** Where JSON.parse stopped: V8 says "at position N" (Node 20) or "(line L column C)" (newer). */
function syntaxPosition(text: string, message: string): { line: number; column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (pos) return lineColumn(text, Number(pos[1]));
  // "Unexpected end of JSON input": the problem is at the end.
  if (/end of JSON/i.test(message)) return lineColumn(text, text.length);
  return undefined;
}

/**
 * Where a field sits in the JSON text: the offset of the last key of its path, found by walking the keys in
 * order (good enough for hand-written rules files; undefined when not found, e.g. a missing field).
 */
function fieldOffset(text: string, path: readonly PropertyKey[]): number | undefined {
  let from = 0;
  let at: number | undefined;
  for (const key of path) {
    if (typeof key === 'number') {
      at = undefined;
      continue; // array index: keep searching inside the array for the next key
    }
    const i = text.indexOf(JSON.stringify(String(key)), from);
    if (i < 0) return at;
    at = i;
    from = i + 1;
  }
  return at;
}

/** The `$schema` a new rules file points at: the JSON Schema the watcher writes into its hidden folder. */
export async function writeRulesSchema(stateDir: string): Promise<string> {
  const file = join(stateDir, 'rules.schema.json');
  await writeFileAtomic(file, stringifySchema(rulesJsonSchema()));
  return file;
}

/** The rules file a watched project starts with: every default spelled out, and `$schema` for editors. */
export function defaultRulesText(rulesFile: string, schemaFile: string): string {
  let ref = relative(dirname(rulesFile), schemaFile);
  if (!ref.startsWith('./') && !ref.startsWith('../')) ref = `./${ref}`;
  const { $schema: _drop, ...defaults } = RulesSchema.parse({});
  return `${JSON.stringify({ $schema: ref, ...defaults }, null, 2)}\n`;
}

/**
 * Read and validate a rules file for the watcher. Never throws for bad content: a syntax or schema error
 * comes back as a RulesProblem naming the line, column and field, so watching can go on with the last good
 * timeline. A missing file is created with the defaults (when `create`).
 */
export async function readRulesFile(
  file: string,
  opts: { create?: { schemaFile: string } } = {},
): Promise<RulesRead> {
  let text: string;
  let created = false;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || !opts.create)
      return {
        ok: false,
        problem: { file, message: code === 'ENOENT' ? 'file not found' : `cannot read (${code})` },
      };
    text = defaultRulesText(file, opts.create.schemaFile);
    await writeFileAtomic(file, text);
    created = true;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    return {
      ok: false,
      problem: { file, ...syntaxPosition(text, message), message: `not valid JSON: ${message}` },
    };
  }
  const r = RulesSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.map(String).join('.') || undefined;
    const offset = fieldOffset(text, issue.path);
    return {
      ok: false,
      problem: {
        file,
        ...(offset !== undefined ? lineColumn(text, offset) : {}),
        field,
        message: `${field ?? '(root)'}: ${issue.message}`,
      },
    };
  }
  return { ok: true, rules: r.data, created };
}

/** "autoedit.rules.json:3:14: silence.margin: …" — one line, as compilers print it. */
export function describeRulesProblem(p: RulesProblem): string {
  const where = p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : '';
  return `${p.file}${where}: ${p.message}`;
}

export const rulesFileName = (file: string) => basename(file);
