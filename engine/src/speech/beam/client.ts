import {
  type SttHealth,
  SttHealthSchema,
  type SttRequestInput,
  type SttResult,
  SttResultSchema,
} from '../../schemas/stt-service.js';
import { lazy } from '../../util/lazy.js';

const undici = lazy<typeof import('undici')>('undici');

/** One deployment of the service: a Beam account (its token) and the URL it serves at. */
export interface BeamAccount {
  name: string;
  baseUrl: string;
  /** Beam API token (Authorization: Bearer …); none for a self-hosted service. */
  token?: string;
}

export interface BeamClientOptions {
  accounts: readonly BeamAccount[];
  /** The service's own key (X-API-Key). */
  apiKey?: string;
  /** Per request: the request is aborted (and so the job cancelled on the service) after this. */
  timeoutMs: number;
  /** Attempts after the first, spread over the accounts. */
  retries: number;
  /** First backoff (ms), doubled each retry, with jitter; Retry-After is honoured up to `maxWaitMs`. */
  backoffMs?: number;
  maxWaitMs?: number;
}

/** One try: which account, and how it ended. */
export interface Attempt {
  account: string;
  ok: boolean;
  status?: number;
  error?: string;
  ms: number;
}

/** The request could not be served by any account (after retries and failover). */
export class BeamUnavailableError extends Error {
  override name = 'BeamUnavailableError';
  constructor(
    message: string,
    readonly attempts: Attempt[],
    /** The service refused the request itself (4xx other than 401/403/429): no other account would do better. */
    readonly rejected = false,
  ) {
    super(message);
  }
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * The client of `services/stt-service` deployments (undici). Requests go round robin over every account;
 * a failing account is skipped for a while (429: its Retry-After; 5xx, timeouts, refused connections: a
 * growing cool-down) and the request fails over to the next; an account whose token or key is refused
 * (401/403) is dropped for the run. Retries back off exponentially with jitter. Answers are validated
 * against the shared schema.
 */
export class BeamClient {
  private next = 0;
  private readonly state: { coolUntil: number; failures: number; dead?: string }[];

  constructor(readonly o: BeamClientOptions) {
    if (!o.accounts.length) throw new Error('BeamClient needs at least one account');
    this.state = o.accounts.map(() => ({ coolUntil: 0, failures: 0 }));
  }

  private headers(a: BeamAccount): Record<string, string> {
    return {
      'content-type': 'application/json',
      ...(a.token ? { authorization: `Bearer ${a.token}` } : {}),
      ...(this.o.apiKey ? { 'x-api-key': this.o.apiKey } : {}),
    };
  }

  private async call(
    a: BeamAccount,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ) {
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    const res = await undici()
      .request(`${a.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers: this.headers(a),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      })
      .catch((e: Error) => {
        if (signal?.aborted) throw signal.reason ?? e;
        if (timeout.aborted)
          throw new Error(`no answer within ${Math.round(this.o.timeoutMs / 1000)} s (cancelled)`);
        throw new Error(`${(e as { code?: string }).code ?? e.name}: ${e.message}`);
      });
    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e;
      if (timeout.aborted)
        throw new Error(`no answer within ${Math.round(this.o.timeoutMs / 1000)} s (cancelled)`);
      throw new Error(`the answer broke off (${(e as Error).message})`);
    }
    if (res.statusCode === 503 && path === '/healthz') {
      // The service's own "still loading" answer is a health report like any other.
      const loading = (() => {
        try {
          return SttHealthSchema.safeParse(JSON.parse(text));
        } catch {
          return undefined;
        }
      })();
      if (loading?.success) return loading.data;
    }
    if (res.statusCode < 200 || res.statusCode >= 300) {
      let message = text.slice(0, 300);
      try {
        const doc = JSON.parse(text) as { error?: { code?: string; message?: string } };
        if (doc.error) message = `${doc.error.code}: ${doc.error.message}`;
      } catch {}
      const ra = res.headers['retry-after'];
      const retryAfterMs = ra !== undefined && /^\d+$/.test(String(ra)) ? Number(ra) * 1000 : undefined;
      throw new HttpStatusError(res.statusCode, `HTTP ${res.statusCode} ${message}`, retryAfterMs);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error('the answer is not JSON');
    }
  }

  /** The next usable account, round robin: a cooling one only if all are cooling (after waiting for it). */
  private async pick(signal?: AbortSignal): Promise<number | undefined> {
    const n = this.o.accounts.length;
    const alive = [...Array(n).keys()].filter((i) => !this.state[i]!.dead);
    if (!alive.length) return undefined;
    const now = Date.now();
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      if (this.state[i]!.dead || this.state[i]!.coolUntil > now) continue;
      this.next = (i + 1) % n;
      return i;
    }
    const soonest = alive.reduce((a, b) => (this.state[a]!.coolUntil <= this.state[b]!.coolUntil ? a : b));
    const wait = this.state[soonest]!.coolUntil - now;
    if (wait > (this.o.maxWaitMs ?? 30_000)) return undefined;
    await sleep(wait, signal);
    this.next = (soonest + 1) % n;
    return soonest;
  }

  /**
   * GET /healthz until an account has its model loaded: the model the service runs. A deployment that
   * scales to zero answers 503 (loading), 5xx or slowly while a container starts, so those are polled for
   * up to `coldStartMs`; refused connections, unknown hosts and refused credentials end the wait at once.
   */
  async health(signal?: AbortSignal, coldStartMs = 120_000): Promise<{ account: string; health: SttHealth }> {
    const deadline = Date.now() + coldStartMs;
    for (;;) {
      const errors: string[] = [];
      let worthWaiting = false;
      for (const a of this.o.accounts) {
        try {
          const h = SttHealthSchema.parse(await this.call(a, 'GET', '/healthz', undefined, signal));
          if (h.model_loaded) return { account: a.name, health: h };
          errors.push(`${a.name}: model ${h.status}`);
          worthWaiting ||= h.status === 'loading';
        } catch (e) {
          if (signal?.aborted) throw e;
          const status = e instanceof HttpStatusError ? e.status : undefined;
          errors.push(`${a.name}: ${(e as Error).message}`);
          worthWaiting ||=
            (status !== undefined && (status >= 500 || status === 429 || status === 408)) ||
            /no answer within/.test((e as Error).message);
        }
      }
      if (!worthWaiting || Date.now() + 2000 > deadline)
        throw new BeamUnavailableError(`no Beam account is ready (${errors.join('; ')})`, []);
      await sleep(2000, signal);
    }
  }

  /** POST /transcribe with retries, backoff and failover; the answer is checked against the contract. */
  async transcribe(
    req: SttRequestInput,
    signal?: AbortSignal,
  ): Promise<{ result: SttResult; account: string; attempts: Attempt[] }> {
    const attempts: Attempt[] = [];
    const backoff = this.o.backoffMs ?? 500;
    for (let attempt = 0; attempt <= this.o.retries; attempt++) {
      const i = await this.pick(signal);
      if (i === undefined) break;
      const a = this.o.accounts[i]!;
      const st = this.state[i]!;
      const t0 = Date.now();
      try {
        const raw = await this.call(a, 'POST', '/transcribe', req, signal);
        const parsed = SttResultSchema.safeParse(raw);
        if (!parsed.success)
          throw new Error(`the answer does not match the contract (${parsed.error.issues[0]?.message})`);
        st.failures = 0;
        attempts.push({ account: a.name, ok: true, status: 200, ms: Date.now() - t0 });
        return { result: parsed.data, account: a.name, attempts };
      } catch (e) {
        if (signal?.aborted) throw e;
        const status = e instanceof HttpStatusError ? e.status : undefined;
        attempts.push({
          account: a.name,
          ok: false,
          status,
          error: (e as Error).message,
          ms: Date.now() - t0,
        });
        if (status === 401 || status === 403) {
          st.dead = (e as Error).message;
          attempt--; // a refused credential costs no retry: the next account is tried at once
          continue;
        }
        if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429)
          throw new BeamUnavailableError(
            `the service refused the request: ${(e as Error).message}`,
            attempts,
            true,
          );
        st.failures++;
        const wait =
          e instanceof HttpStatusError && e.retryAfterMs !== undefined
            ? e.retryAfterMs
            : backoff * 2 ** (st.failures - 1) * (0.75 + Math.random() * 0.5);
        st.coolUntil = Date.now() + wait;
      }
    }
    const dead = this.state.every((s) => s.dead);
    const summary = attempts.map((t) => `${t.account}: ${t.error}`).join('; ');
    throw new BeamUnavailableError(
      dead
        ? `every Beam account refused our credentials (${summary})`
        : `no Beam account could transcribe it after ${attempts.length} attempt(s) (${summary})`,
      attempts,
    );
  }
}
