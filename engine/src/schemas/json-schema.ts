import * as z from 'zod';
import { RunEventSchema } from './events.js';
import { RulesSchema } from './rules.js';

/** JSON Schema for rules.json, generated from the zod schema (the one source of truth) for editor IntelliSense. */
export function rulesJsonSchema(): Record<string, unknown> {
  // `input`: what a user writes (defaults make every field optional), not what the parser returns.
  const schema = z.toJSONSchema(RulesSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...schema, $id: 'https://autoedit.local/rules.schema.json', title: 'AutoEdit selection rules' };
}

/** JSON Schema of one line of `autoedit pipeline --events` (a run event), for programs that follow a run. */
export function eventsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(RunEventSchema, { io: 'output', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...schema, $id: 'https://autoedit.local/events.schema.json', title: 'AutoEdit run event' };
}

export const stringifySchema = (s: unknown): string => `${JSON.stringify(s, null, 2)}\n`;
