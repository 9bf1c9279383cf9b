import { sttServiceJsonSchema } from '@autoedit/engine';
import { VERSION } from './version.js';

/** OpenAPI 3.1 for the service, built on the contract's JSON Schemas (generated from the engine's zod schemas). */
export function openApiDocument(): Record<string, unknown> {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
  const errors = Object.fromEntries(
    [
      ['400', 'Malformed JSON, invalid fields, refused or unsigned URL, undecodable or overlong audio'],
      ['401', 'Missing or wrong X-API-Key'],
      ['403', 'The URL resolves to a refused (private, loopback, link-local) address'],
      ['413', 'Audio over the byte limit'],
      ['429', 'Rate limit reached; see Retry-After'],
      ['502', 'The audio could not be downloaded'],
      ['503', 'Model loading, or queue full; see Retry-After'],
      ['504', 'Download or job timed out (the job is cancelled)'],
    ].map(([code, description]) => [code, { description, ...json('SttError') }]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'AutoEdit speech-to-text service',
      version: VERSION,
      description:
        'Whisper (whisper.cpp) transcription with word timings. Audio is passed by signed URL (S3 presigned or AutoEdit HMAC-signed), never uploaded to the service.',
    },
    components: {
      securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } },
      // The contract's JSON Schemas, as engine/stt-service.schema.json has them: one generator for both.
      schemas: sttServiceJsonSchema().$defs as Record<string, unknown>,
    },
    security: [{ apiKey: [] }],
    paths: {
      '/healthz': {
        get: {
          summary: 'Liveness and whether the model is loaded (also /health)',
          security: [],
          responses: {
            '200': { description: 'Ready', ...json('SttHealth') },
            '503': { description: 'Not ready', ...json('SttHealth') },
          },
        },
      },
      '/transcribe': {
        post: {
          summary: 'Transcribe one audio URL',
          requestBody: { required: true, ...json('SttRequest') },
          responses: { '200': { description: 'Transcript', ...json('SttResult') }, ...errors },
        },
      },
      '/transcribe/batch': {
        post: {
          summary: 'Transcribe several audio URLs; one result (or error) per item, in order',
          requestBody: { required: true, ...json('SttBatchRequest') },
          responses: { '200': { description: 'Results', ...json('SttBatchResponse') }, ...errors },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics: request counts, latency quantiles, queue depth',
          responses: { '200': { description: 'Prometheus text format', content: { 'text/plain': {} } } },
        },
      },
    },
  };
}
