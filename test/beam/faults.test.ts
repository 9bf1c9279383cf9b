import assert from 'node:assert/strict';
import { after, before, describe, it } from 'mocha';
import { samples } from '../../engine/test/helpers/samples.js';
import { beamTranscript, faultyProxy, localTranscript, longTalk, plan, words } from '../helpers/beam.js';
import { type Running, spawnService, startService } from '../helpers/stt-service.js';

/**
 * Faults the Beam backend must ride through: a real stt-service behind a proxy that plays Beam's gateway
 * misbehaving (500, 429, a hung container), a service process killed mid-run, every account failing.
 * Each run must end with every word the local backend finds, and say what ran where.
 */
describe('Beam backend under faults: retries, failover, local fallback, nothing lost', function () {
  this.timeout(600_000);
  let svc: Running;
  let file: string;
  before(async () => {
    samples();
    svc = await startService({ STT_FETCH_ALLOW: '127.0.0.1' });
    file = longTalk(2);
    await localTranscript(file);
  });
  after(() => svc?.close());

  it('500 then 429 (Retry-After) from the gateway: retried with backoff, every word there, the retries reported', async () => {
    let posts = 0;
    const proxy = await faultyProxy(svc.url, (_n, method) => {
      if (method !== 'POST') return 'pass';
      posts++;
      if (posts === 1) return { status: 500 };
      if (posts === 2) return { status: 429, headers: { 'retry-after': '1' } };
      return 'pass';
    });
    try {
      const { tr, backend } = await beamTranscript(file, plan([{ name: 'a', baseUrl: proxy.url }]));
      assert.deepEqual(words(tr), words(await localTranscript(file)));
      assert.ok(backend.report.every((w) => w.ran === 'beam:a'));
      const { warnings } = backend.summary();
      assert.ok(
        warnings.some((w) => /after \d failed attempt\(s\).*HTTP 500/.test(w)),
        warnings.join('\n'),
      );
      assert.ok(
        warnings.some((w) => /HTTP 429/.test(w)),
        warnings.join('\n'),
      );
    } finally {
      proxy.close();
    }
  });

  it('a hung account: the request is cancelled at timeout_s and fails over to the other account', async () => {
    const hung = await faultyProxy(svc.url, (_n, method) =>
      method === 'POST' ? { holdMs: 60_000 } : 'pass',
    );
    try {
      const t0 = Date.now();
      const { tr, backend } = await beamTranscript(
        file,
        plan(
          [
            { name: 'slow', baseUrl: hung.url },
            { name: 'fast', baseUrl: svc.url },
          ],
          { timeoutS: 2 },
        ),
      );
      assert.ok(Date.now() - t0 < 55_000, 'never waited for the hung container');
      assert.deepEqual(words(tr), words(await localTranscript(file)));
      assert.ok(backend.report.every((w) => w.ran === 'beam:fast'));
      assert.ok(backend.summary().warnings.some((w) => /slow: no answer within 2 s \(cancelled\)/.test(w)));
    } finally {
      hung.close();
    }
  });

  it('a service process killed mid-run (SIGKILL): its windows fail over to the other account, none lost', async () => {
    const a = await spawnService({ STT_FETCH_ALLOW: '127.0.0.1' });
    const b = await spawnService({ STT_FETCH_ALLOW: '127.0.0.1' });
    let killed = false;
    const front = await faultyProxy(a.url, (_n, method) => {
      if (method === 'POST' && !killed) {
        killed = true;
        // Killed while it transcribes the first window it was given.
        setTimeout(() => a.child.kill('SIGKILL'), 300);
      }
      return 'pass';
    });
    try {
      const { tr, backend } = await beamTranscript(
        file,
        plan([
          { name: 'a', baseUrl: front.url },
          { name: 'b', baseUrl: b.url },
        ]),
      );
      assert.equal(killed, true);
      assert.equal(a.child.signalCode, 'SIGKILL');
      assert.deepEqual(words(tr), words(await localTranscript(file)));
      assert.ok(backend.report.some((w) => w.ran === 'beam:b'));
      assert.ok(
        backend.summary().warnings.some((w) => /ran on beam:b after \d failed attempt\(s\) \(a: /.test(w)),
        backend.summary().warnings.join('\n'),
      );
    } finally {
      front.close();
      a.child.kill('SIGKILL');
      b.child.kill('SIGTERM');
    }
  });

  it('every account failing (500s, a wrong API key): each window runs locally alone, and the run says why', async () => {
    const broken = await faultyProxy(svc.url, (_n, method) => (method === 'POST' ? { status: 503 } : 'pass'));
    try {
      const { tr, backend } = await beamTranscript(
        file,
        plan(
          [
            { name: 'a', baseUrl: broken.url },
            { name: 'b', baseUrl: svc.url },
          ],
          { apiKey: 'wrong-key-but-long-enough', retries: 2 },
        ),
      );
      assert.deepEqual(words(tr), words(await localTranscript(file)));
      assert.ok(backend.report.length >= 2 && backend.report.every((w) => w.ran === 'local'));
      const { line, warnings } = backend.summary();
      assert.match(line, /^\d+ on local$/);
      assert.equal(warnings.length, backend.report.length);
      for (const w of warnings) assert.match(w, /transcribed locally — /);
      assert.ok(
        warnings.some((w) => /b: HTTP 401 unauthorized/.test(w)),
        warnings.join('\n'),
      );
      assert.ok(
        warnings.some((w) => /a: HTTP 503/.test(w)),
        warnings.join('\n'),
      );
    } finally {
      broken.close();
    }
  });

  it('with beam.fallback: none (or no local model), a window Beam cannot do fails the run with a clear error', async () => {
    const broken = await faultyProxy(svc.url, (_n, method) => (method === 'POST' ? { status: 500 } : 'pass'));
    try {
      await assert.rejects(
        beamTranscript(file, plan([{ name: 'a', baseUrl: broken.url }], { retries: 1, fallback: 'none' })),
        /Beam failed \(no Beam account could transcribe it after 2 attempt\(s\).*\) and beam\.fallback is none/,
      );
      await assert.rejects(
        beamTranscript(file, plan([{ name: 'a', baseUrl: broken.url }], { retries: 0 }), {
          localModel: null,
        }),
        /there is no local Whisper model to fall back on/,
      );
    } finally {
      broken.close();
    }
  });

  it('a deployment still loading its model (scaled to zero) is waited for; one that cannot be reached makes a local run, said so', async () => {
    const cold = await startService({ STT_FETCH_ALLOW: '127.0.0.1', NO_WAIT: '1' });
    try {
      const first = await fetch(`${cold.url}/healthz`);
      const { tr, backend } = await beamTranscript(
        file,
        plan([{ name: 'cold', baseUrl: cold.url }], { coldStartS: 60 }),
      );
      assert.ok([200, 503].includes(first.status));
      assert.ok(backend.report.every((w) => w.ran === 'beam:cold'));
      assert.deepEqual(words(tr), words(await localTranscript(file)));
    } finally {
      await cold.close();
    }
    // Nothing listens there: no waiting, every window runs locally and the run says why.
    const gone = await faultyProxy(svc.url, () => 'pass');
    gone.close();
    const { tr, backend } = await beamTranscript(file, plan([{ name: 'gone', baseUrl: gone.url }]));
    assert.deepEqual(words(tr), words(await localTranscript(file)));
    assert.ok(backend.report.every((w) => w.ran === 'local'));
    assert.match(backend.summary().warnings[0] ?? '', /transcribed locally — .*gone: ECONNREFUSED/);
  });
});
