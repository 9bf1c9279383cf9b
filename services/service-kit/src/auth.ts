import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * API keys (the `X-API-Key` header). Keys are compared as SHA-256 digests with timingSafeEqual, every
 * configured key every time, so neither the length nor the position of a mismatch shows in the timing.
 * A key is named in logs and metrics by an id (`key-<first 8 hex of its digest>`), never by its value.
 */
export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    const usable = keys.map((k) => k.trim()).filter(Boolean);
    const short = usable.find((k) => k.length < 16);
    if (short !== undefined)
      throw new Error(
        `an API key is ${short.length} characters long: use at least 16 (e.g. openssl rand -hex 32)`,
      );
    this.digests = usable.map(digest);
  }

  /** Parse AUTOEDIT_API_KEYS (comma-separated). */
  static fromEnv(value: string | undefined): ApiKeys {
    return new ApiKeys((value ?? '').split(','));
  }

  get size(): number {
    return this.digests.length;
  }

  /** The key's id when it is one of ours, else undefined. */
  check(presented: string | undefined): string | undefined {
    if (presented === undefined || presented.length === 0 || presented.length > 512) return undefined;
    const d = digest(presented);
    let match: Buffer | undefined;
    for (const k of this.digests) if (timingSafeEqual(k, d)) match = k;
    return match ? keyId(match) : undefined;
  }
}

const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest();
const keyId = (d: Buffer) => `key-${d.subarray(0, 4).toString('hex')}`;
