import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  type BeamAccount,
  BeamBackend,
  type BeamPlan,
  type StoragePlan,
  type Transcript,
  transcribeFile,
} from '@autoedit/engine';
import { sample } from '../../engine/test/helpers/samples.js';
import { REPO } from '../../engine/test/helpers/shared.js';
import { KEY } from './stt-service.js';
import { tinyWhisper } from './tiny-whisper.js';

/** Window length for tests: short, so a minute of speech makes several windows (and seams). */
export const WINDOW = 30;

/** The generated talk (20.4 s) looped `times` as a 16 kHz mono WAV in samples/out (made once). */
export function longTalk(times: number): string {
  const out = join(REPO, 'samples', 'out', `talk-x${times}.wav`);
  if (!existsSync(out)) {
    mkdirSync(join(REPO, 'samples', 'out'), { recursive: true });
    execFileSync('ffmpeg', [
      ...['-nostdin', '-v', 'error', '-y', '-stream_loop', String(times - 1), '-i', sample('talk')],
      ...['-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-bitexact', out],
    ]);
  }
  return out;
}

const localCache = new Map<string, Promise<Transcript>>();

/** What the local backend makes of `file` (same windows, threads and language as the Beam runs). */
export async function localTranscript(file: string): Promise<Transcript> {
  let p = localCache.get(file);
  if (!p) {
    p = tinyWhisper().then((model) =>
      transcribeFile(file, { modelPath: model, language: 'en', window: WINDOW, threads: 2 }),
    );
    localCache.set(file, p);
  }
  return p;
}

export function plan(accounts: BeamAccount[], o: Partial<BeamPlan> = {}): BeamPlan {
  const storage: StoragePlan = { provider: 'local', host: '127.0.0.1', port: 0, expiresS: 120 };
  return {
    accounts,
    apiKey: KEY,
    timeoutS: 60,
    retries: 3,
    concurrency: 2,
    windowS: WINDOW,
    overlapS: 1,
    maxRequestS: 600,
    fallback: 'local',
    coldStartS: 10,
    storage,
    ...o,
  };
}

/** Transcribe `file` through the Beam backend; the backend (and its report) is returned with the transcript. */
export async function beamTranscript(file: string, p: BeamPlan, o: { localModel?: string | null } = {}) {
  const model = await tinyWhisper();
  const backend = await BeamBackend.open(p, {
    localModel: o.localModel === null ? undefined : (o.localModel ?? model),
  });
  try {
    const tr = await transcribeFile(file, {
      modelPath: model,
      language: 'en',
      ...backend.transcribeOptions(file),
    });
    return { tr, backend };
  } finally {
    await backend.close();
  }
}

export const words = (t: Transcript) => t.segments.flatMap((s) => s.words);

/**
 * Beam's gateway misbehaving, in front of a real service: `behave(n, method, path)` decides for the n-th
 * request (0-based) whether to pass it on, answer with a status, or hold it (a slow or hung container).
 */
export async function faultyProxy(
  target: string,
  behave: (
    n: number,
    method: string,
    path: string,
  ) => 'pass' | { status: number; headers?: Record<string, string> } | { holdMs: number },
): Promise<{ url: string; seen: string[]; close: () => void; server: Server }> {
  const seen: string[] = [];
  let n = 0;
  const t = new URL(target);
  const server = createServer((req, res) => {
    const what = behave(n++, req.method ?? 'GET', req.url ?? '/');
    seen.push(`${req.method} ${req.url} ${typeof what === 'string' ? what : JSON.stringify(what)}`);
    const forward = () => {
      const up = request(
        { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    if (what === 'pass') return forward();
    if ('status' in what) {
      req.resume();
      res.writeHead(what.status, { 'content-type': 'application/json', ...what.headers });
      return res.end(
        JSON.stringify({
          error: { code: 'injected', message: `injected ${what.status}`, request_id: 'proxy' },
        }),
      );
    }
    const timer = setTimeout(forward, what.holdMs);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    server,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
