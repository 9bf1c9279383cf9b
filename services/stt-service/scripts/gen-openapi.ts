// Regenerates services/stt-service/openapi.json from the engine's zod schemas. Run: npm run gen:schemas
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifySchema } from '@autoedit/engine';
import { openApiDocument } from '../src/openapi.js';

const out = join(import.meta.dirname, '..', 'openapi.json');
writeFileSync(out, stringifySchema(openApiDocument()));
console.log(`wrote ${out}`);
