// Regenerates the JSON Schemas shipped with the engine from their zod schemas. Run: npm run gen:schemas
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  eventsJsonSchema,
  rulesJsonSchema,
  stringifySchema,
  sttServiceJsonSchema,
  watchEventsJsonSchema,
} from '../src/schemas/json-schema.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const [file, schema] of [
  ['rules.schema.json', rulesJsonSchema()],
  ['events.schema.json', eventsJsonSchema()],
  ['stt-service.schema.json', sttServiceJsonSchema()],
  ['watch-events.schema.json', watchEventsJsonSchema()],
] as const) {
  writeFileSync(join(dir, file), stringifySchema(schema));
  console.log(`wrote ${join(dir, file)}`);
}
