import * as z from 'zod';
import { RunEventSchema } from './events.js';
import { RulesSchema } from './rules.js';
import {
  SttBatchRequestSchema,
  SttBatchResponseSchema,
  SttErrorSchema,
  SttHealthSchema,
  SttRequestSchema,
  SttResultSchema,
} from './stt-service.js';
import { WatchOwnEventSchema } from './watch.js';

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

/** JSON Schema of one line of `autoedit watch --json`: a run event or one of the watcher's own. */
export function watchEventsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(z.union([WatchOwnEventSchema, RunEventSchema]), {
    io: 'output',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://autoedit.local/watch-events.schema.json',
    title: 'AutoEdit watch event',
  };
}

export const stringifySchema = (s: unknown): string => `${JSON.stringify(s, null, 2)}\n`;

/**
 * JSON Schemas of the speech-to-text service contract (request, batch, answers, errors, health), keyed by
 * name, as `$defs` of one document; the service's OpenAPI document embeds the same definitions.
 */
export function sttServiceJsonSchema(): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (const [name, schema, io] of [
    ['SttRequest', SttRequestSchema, 'input'],
    ['SttBatchRequest', SttBatchRequestSchema, 'input'],
    ['SttResult', SttResultSchema, 'output'],
    ['SttBatchResponse', SttBatchResponseSchema, 'output'],
    ['SttError', SttErrorSchema, 'output'],
    ['SttHealth', SttHealthSchema, 'output'],
  ] as const) {
    const { $schema: _s, ...body } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    defs[name] = body;
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://autoedit.local/stt-service.schema.json',
    title: 'AutoEdit speech-to-text service contract',
    $defs: defs,
  };
}
