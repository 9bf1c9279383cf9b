import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AutoEdit's own signed URLs, for audio chunks the engine serves itself (storage provider `local`):
 * `…/path?ae-expires=<unix seconds>&ae-signature=<base64url HMAC-SHA256>`. The signature covers the method,
 * the path and the expiry, so a URL cannot be pointed at another file or kept alive longer; it says nothing
 * about the host, which the fetcher checks on its own (SSRF rules).
 */
export const SIGNED_URL_PARAMS = { expires: 'ae-expires', signature: 'ae-signature' } as const;

function mac(key: Uint8Array | string, method: string, path: string, expires: number): string {
  return createHmac('sha256', key).update(`${method}\n${path}\n${expires}`).digest('base64url');
}

/** Sign `url` (its path) for `ttlSeconds` from `now` (ms). Any query the URL had is dropped. */
export function signUrl(
  url: string | URL,
  key: Uint8Array | string,
  ttlSeconds: number,
  now = Date.now(),
): string {
  const u = new URL(url);
  u.search = '';
  const expires = Math.floor(now / 1000) + Math.max(1, Math.round(ttlSeconds));
  u.searchParams.set(SIGNED_URL_PARAMS.expires, String(expires));
  u.searchParams.set(SIGNED_URL_PARAMS.signature, mac(key, 'GET', u.pathname, expires));
  return u.toString();
}

export type SignedUrlCheck =
  | { ok: true; expires: number }
  | { ok: false; reason: 'unsigned' | 'expired' | 'bad-signature' };

/** Check an AutoEdit signature in constant time; `expired` only for a genuine signature past its expiry. */
export function verifySignedUrl(
  url: string | URL,
  key: Uint8Array | string,
  method = 'GET',
  now = Date.now(),
): SignedUrlCheck {
  const u = new URL(url);
  const exp = u.searchParams.get(SIGNED_URL_PARAMS.expires);
  const sig = u.searchParams.get(SIGNED_URL_PARAMS.signature);
  if (!exp || !sig || !/^\d{1,12}$/.test(exp)) return { ok: false, reason: 'unsigned' };
  const expires = Number(exp);
  const want = Buffer.from(mac(key, method, u.pathname, expires));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got))
    return { ok: false, reason: 'bad-signature' };
  if (expires * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, expires };
}

/** Whether a URL carries an AutoEdit signature or an S3 (SigV4 or V2) presigned query, and until when. */
export function urlSignatureKind(
  url: URL,
): { kind: 'autoedit' | 's3v4' | 's3v2'; expires?: number } | undefined {
  const q = url.searchParams;
  if (q.has(SIGNED_URL_PARAMS.signature) && q.has(SIGNED_URL_PARAMS.expires))
    return { kind: 'autoedit', expires: Number(q.get(SIGNED_URL_PARAMS.expires)) };
  if (
    q.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' &&
    q.has('X-Amz-Signature') &&
    q.has('X-Amz-Credential')
  ) {
    const date = q.get('X-Amz-Date') ?? '';
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
    const ttl = Number(q.get('X-Amz-Expires'));
    const expires =
      m && Number.isFinite(ttl)
        ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000 + ttl
        : undefined;
    return { kind: 's3v4', expires };
  }
  if (q.has('Signature') && q.has('Expires') && (q.has('AWSAccessKeyId') || q.has('GoogleAccessId')))
    return { kind: 's3v2', expires: Number(q.get('Expires')) };
  return undefined;
}
