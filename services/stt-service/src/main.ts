#!/usr/bin/env node
// The speech-to-text service: `npm run start -w services/stt-service` (or `node dist/main.js` in the
// container). Configured by environment variables only (see config.ts and README).
import { jsonLogger, listen } from '@autoedit/service-kit';
import { readServiceEnv } from './config.js';
import { createSttService } from './service.js';

let env: ReturnType<typeof readServiceEnv>;
try {
  env = readServiceEnv();
} catch (e) {
  jsonLogger().log('error', (e as Error).message, { service: 'stt-service' });
  process.exit(2);
}
const log = jsonLogger({ level: env.LOG_LEVEL, base: { service: 'stt-service' } });
const svc = createSttService({ env, log });
const addr = await listen(svc.server, env.PORT, env.HOST);
log.log('info', 'listening', { host: addr.address, port: addr.port });
svc.ready.catch(() => {
  // The model cannot be loaded: exit so the platform restarts or reports the container.
  process.exitCode = 1;
  void svc.close();
});
let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT'] as const)
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    log.log('info', 'shutting down', { signal: sig });
    void svc.close().then(() => process.exit(0));
  });
