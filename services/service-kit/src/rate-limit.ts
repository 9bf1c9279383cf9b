/**
 * Per-client token buckets: `burst` requests at once, refilled at `perMinute` a minute. A refused request
 * learns how long to wait (Retry-After, whole seconds). Idle buckets are forgotten so memory stays bounded.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perMinute: number,
    readonly burst: number = Math.max(1, Math.ceil(perMinute / 6)),
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Take one token for `client`: `{ ok: true }` or how many seconds until one is free. */
  take(client: string): { ok: true } | { ok: false; retryAfter: number } {
    if (this.perMinute <= 0) return { ok: true };
    const now = this.now();
    const rate = this.perMinute / 60_000;
    const b = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * rate);
    b.at = now;
    this.buckets.set(client, b);
    if (this.buckets.size > 10_000) this.sweep(now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000)) };
  }

  private sweep(now: number): void {
    const full = this.burst / (this.perMinute / 60_000);
    for (const [k, b] of this.buckets) if (now - b.at > full) this.buckets.delete(k);
  }
}
