// Regenerates engine/rules.schema.json from the zod schema. Run: npm run gen:schemas
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rulesJsonSchema, stringifySchema } from '../src/schemas/json-schema.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'rules.schema.json');
writeFileSync(out, stringifySchema(rulesJsonSchema()));
console.log(`wrote ${out}`);
