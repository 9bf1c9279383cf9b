import * as z from 'zod';
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

export const stringifySchema = (s: unknown): string => `${JSON.stringify(s, null, 2)}\n`;
