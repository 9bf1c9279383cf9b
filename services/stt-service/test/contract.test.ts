import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SttBatchRequestSchema,
  SttRequestSchema,
  SttResultSchema,
  stringifySchema,
  sttServiceJsonSchema,
} from '@autoedit/engine';
import { openApiDocument, readServiceEnv } from '@autoedit/stt-service';
import { describe, it } from 'mocha';
import { REPO } from '../../../engine/test/helpers/shared.js';

describe('stt-service contract (one zod schema, generated documents)', () => {
  it('engine/stt-service.schema.json and services/stt-service/openapi.json are generated from it (npm run gen:schemas when this fails)', () => {
    assert.equal(
      readFileSync(join(REPO, 'engine/stt-service.schema.json'), 'utf8'),
      stringifySchema(sttServiceJsonSchema()),
    );
    assert.equal(
      readFileSync(join(REPO, 'services/stt-service/openapi.json'), 'utf8'),
      stringifySchema(openApiDocument()),
    );
  });

  it('the OpenAPI document names every route and the API-key scheme', () => {
    const doc = openApiDocument() as {
      paths: Record<string, unknown>;
      components: { securitySchemes: unknown };
    };
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/healthz',
      '/metrics',
      '/transcribe',
      '/transcribe/batch',
    ]);
    assert.deepEqual(doc.components.securitySchemes, {
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
  });

  it('requests: defaults filled, unknown fields and bad values refused', () => {
    const r = SttRequestSchema.parse({ audio_url: 'https://x.test/a.wav?X-Amz-Signature=1' });
    assert.equal(r.offset, 0);
    assert.equal(r.words, true);
    assert.equal(SttRequestSchema.safeParse({ audio_url: 'x', extra: 1 }).success, false);
    assert.equal(SttRequestSchema.safeParse({ audio_url: 'x', offset: -1 }).success, false);
    assert.equal(SttBatchRequestSchema.safeParse({ items: [] }).success, false);
  });

  it('results are the transcript shape: text, segments with timed words, hash', () => {
    const ok = SttResultSchema.safeParse({
      text: 'hello there',
      segments: [
        {
          start: 1,
          end: 2,
          text: 'hello there',
          words: [
            { start: 1, end: 1.4, text: 'hello' },
            { start: 1.5, end: 2, text: 'there' },
          ],
        },
      ],
      hash: `sha256:${'ab'.repeat(32)}`,
      language: 'en',
      model: 'ggml-base.en.bin@0123456789ab',
      duration: 2,
      cached: false,
    });
    assert.equal(ok.success, true);
  });

  it('the environment is validated: no API key, a short key or a bad number stop the service with a message', () => {
    assert.throws(() => readServiceEnv({}), /AUTOEDIT_API_KEYS is empty/);
    assert.throws(() => readServiceEnv({ AUTOEDIT_API_KEYS: 'k', PORT: 'eighty' }), /PORT/);
    const env = readServiceEnv({ AUTOEDIT_API_KEYS: 'a-long-enough-key-123, another-long-key-456' });
    assert.equal(env.PORT, 8080);
    assert.deepEqual(env.AUTOEDIT_API_KEYS, ['a-long-enough-key-123', 'another-long-key-456']);
    assert.equal(env.STT_REQUIRE_SIGNED_URLS, true);
  });
});
