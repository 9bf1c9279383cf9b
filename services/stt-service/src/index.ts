// The speech-to-text service as a library (tests, benchmarks, embedding); src/main.ts runs it.
export { readServiceEnv, type ServiceEnv, ServiceEnvSchema } from './config.js';
export { openApiDocument } from './openapi.js';
export { createSttService, type SttService, type SttServiceOptions } from './service.js';
export { VERSION } from './version.js';
