import { type ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { jsonLogger, listen } from '@autoedit/service-kit';
import { createSttService, readServiceEnv, type SttService } from '@autoedit/stt-service';
import { REPO } from '../../engine/test/helpers/shared.js';
import { tinyWhisper } from './tiny-whisper.js';

/** Test API keys (16+ characters, as the service requires). */
export const KEY = 'test-key-0123456789abcdef';
export const KEY2 = 'second-key-0123456789abcdef';

export interface Running {
  url: string;
  svc: SttService;
  /** Every log line the service wrote, parsed. */
  logs: Record<string, unknown>[];
  /** The raw log text, to check what must never appear in it. */
  raw: () => string;
  close(): Promise<void>;
}

/** The real stt-service in this process on 127.0.0.1 (any free port), the tiny model loaded. */
export async function startService(env: Record<string, string> = {}): Promise<Running> {
  const model = await tinyWhisper();
  let text = '';
  const out = new Writable({
    write(chunk, _enc, cb) {
      text += chunk.toString();
      cb();
    },
  });
  const svc = createSttService({
    env: readServiceEnv({
      AUTOEDIT_API_KEYS: `${KEY},${KEY2}`,
      STT_MODEL: model,
      STT_THREADS: '2',
      ...env,
    }),
    log: jsonLogger({ out, level: 'debug' }),
  });
  const addr = await listen(svc.server, 0, '127.0.0.1');
  if (!env.NO_WAIT) await svc.ready;
  return {
    url: `http://127.0.0.1:${addr.port}`,
    svc,
    get logs() {
      return text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    raw: () => text,
    close: () => svc.close(),
  };
}

/** The service as its own process (`src/main.ts`, as `npm run start` runs it), for kill tests. */
export async function spawnService(
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess; stdout: () => string }> {
  const model = await tinyWhisper();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'services/stt-service/src/main.ts'],
    {
      cwd: REPO,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        AUTOEDIT_API_KEYS: KEY,
        STT_MODEL: model,
        STT_THREADS: '2',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /"msg":"listening".*?"port":(\d+)/.exec(out);
      const loaded = out.includes('"msg":"model loaded"');
      if (m && loaded) {
        clearInterval(t);
        resolve(Number(m[1]));
      }
      if (child.exitCode !== null) {
        clearInterval(t);
        reject(new Error(`stt-service exited: ${out}`));
      }
    }, 50);
  });
  return { url: `http://127.0.0.1:${port}`, child, stdout: () => out };
}
