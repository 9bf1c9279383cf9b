import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import {
  eventsJsonSchema,
  rulesJsonSchema,
  stringifySchema,
  watchEventsJsonSchema,
} from '../../src/schemas/json-schema.js';
import { RulesSchema } from '../../src/schemas/rules.js';
import { REPO } from '../helpers/shared.js';

describe('rules.json schema', () => {
  it('engine/rules.schema.json is generated from the zod schema (run `npm run gen:schemas` when this fails)', () => {
    const committed = readFileSync(join(REPO, 'engine', 'rules.schema.json'), 'utf8');
    assert.equal(committed, stringifySchema(rulesJsonSchema()));
  });

  it('engine/events.schema.json is generated from the run events zod schema', () => {
    const committed = readFileSync(join(REPO, 'engine', 'events.schema.json'), 'utf8');
    assert.equal(committed, stringifySchema(eventsJsonSchema()));
  });

  it('engine/watch-events.schema.json is generated from the watch and run events zod schemas', () => {
    const committed = readFileSync(join(REPO, 'engine', 'watch-events.schema.json'), 'utf8');
    assert.equal(committed, stringifySchema(watchEventsJsonSchema()));
  });

  it('the sample rules file is valid and an empty file means the defaults', () => {
    const sample = JSON.parse(readFileSync(join(REPO, 'samples', 'rules.json'), 'utf8'));
    assert.equal(RulesSchema.parse(sample).speech.margin_after, 0.3);
    assert.equal(RulesSchema.parse({}).speech.margin_before, 0.2);
  });

  it('an unknown or mistyped rule is an error naming the field', () => {
    const r = RulesSchema.safeParse({ speech: { margin: 1 }, min_clip: 'long' });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    assert.ok(paths.includes('speech') && paths.includes('min_clip'), paths.join(','));
  });
});
