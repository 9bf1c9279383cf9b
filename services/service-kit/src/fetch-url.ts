import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { urlSignatureKind, verifySignedUrl } from '@autoedit/engine';
import { Agent, request } from 'undici';
import { HttpError } from './errors.js';
import { type AllowEntry, allowed, blockedReason } from './ip.js';
import { redactUrls } from './log.js';

/**
 * Download a caller-supplied URL without becoming an SSRF gadget:
 * - http and https only, no credentials in the URL;
 * - the URL must be signed (an S3 presigned query or an AutoEdit HMAC signature) and not expired, and an
 *   AutoEdit signature is verified when the service knows a signing key;
 * - the host is resolved here and every address it resolves to is checked (loopback, private, link-local,
 *   metadata, and their IPv6 spellings are refused unless the allow-list names them); the connection is
 *   pinned to the checked address, so a second DNS answer cannot swap it (DNS rebinding);
 * - redirects are followed by hand (at most `maxRedirects`), each hop checked the same way;
 * - the body is streamed with a byte limit (413 as soon as it is passed, or at once from Content-Length)
 *   and an overall time limit, and hashed as it arrives; nothing is written to disk.
 */
export interface FetchPolicy {
  /** Addresses that may be fetched although private/loopback (CIDR with optional port). */
  allow: readonly AllowEntry[];
  /** Refuse URLs that carry no recognised signature (default true). */
  requireSigned?: boolean;
  /** Keys that AutoEdit-signed URLs must verify against (when none, the signature's form and expiry are checked). */
  signingKeys?: readonly string[];
  maxBytes: number;
  /** The whole download, redirects included (ms). */
  timeoutMs: number;
  maxRedirects?: number;
  /** Resolver (tests); default: the system's, every address. */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
  /** Called once with the first bytes (≥ 64 or all) and the announced length: throw an HttpError to stop early. */
  inspect?: (head: Uint8Array, announced: number | undefined) => void;
}

export interface Fetched {
  bytes: Buffer;
  /** sha256 of the bytes, `sha256:<hex>`. */
  hash: string;
  contentType?: string;
  /** Hops followed (redacted URLs), for logs. */
  hops: string[];
}

const refuse = (status: number, code: string, message: string) => new HttpError(status, code, message);

async function checkHost(u: URL, policy: FetchPolicy): Promise<{ address: string; family: number }> {
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  let addresses: { address: string; family: number }[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await (policy.resolve ?? ((h) => dnsLookup(h, { all: true, verbatim: true })))(host);
    } catch (e) {
      throw refuse(
        400,
        'url_unresolvable',
        `cannot resolve ${host} (${(e as NodeJS.ErrnoException).code ?? e})`,
      );
    }
    if (!addresses.length) throw refuse(400, 'url_unresolvable', `${host} has no address`);
  }
  // Every address must pass: a name that also resolves to 127.0.0.1 is refused, whichever one we would use.
  for (const a of addresses) {
    const why = blockedReason(a.address);
    if (why && !allowed(a.address, port, policy.allow))
      throw refuse(
        403,
        'url_refused',
        `${u.protocol}//${u.host} resolves to ${a.address}, a ${why} address: refused (not on the fetch allow-list)`,
      );
  }
  return addresses[0]!;
}

function checkForm(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw refuse(400, 'url_invalid', 'audio_url is not a valid absolute URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw refuse(400, 'url_scheme', `only http and https URLs are fetched, not ${u.protocol}`);
  if (u.username || u.password) throw refuse(400, 'url_credentials', 'URLs with user:password@ are refused');
  return u;
}

function checkSignature(u: URL, policy: FetchPolicy): void {
  const sig = urlSignatureKind(u);
  if (!sig) {
    if (policy.requireSigned === false) return;
    throw refuse(
      400,
      'url_unsigned',
      'audio_url must be a signed URL (an S3 presigned URL or an AutoEdit signed URL)',
    );
  }
  // A signature we can check is checked first: a forged URL is refused as forged, whatever its expiry.
  if (sig.kind === 'autoedit' && policy.signingKeys?.length) {
    const checks = policy.signingKeys.map((k) => verifySignedUrl(u, k));
    if (!checks.some((c) => c.ok || c.reason === 'expired'))
      throw refuse(403, 'url_bad_signature', 'the AutoEdit signature of audio_url does not verify');
  }
  if (sig.expires !== undefined && (!Number.isFinite(sig.expires) || sig.expires * 1000 < Date.now()))
    throw refuse(400, 'url_expired', 'the signed audio_url has expired');
}

/** The S3-style error code in an XML error body, if any (e.g. SignatureDoesNotMatch, AccessDenied). */
function s3Code(body: string): string | undefined {
  return /<Code>([A-Za-z]+)<\/Code>/.exec(body)?.[1];
}

export async function fetchSignedUrl(
  raw: string,
  policy: FetchPolicy,
  signal?: AbortSignal,
): Promise<Fetched> {
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let u = checkForm(raw);
  checkSignature(u, policy);
  const hops: string[] = [];
  for (let hop = 0; ; hop++) {
    const pinned = await checkHost(u, policy);
    hops.push(redactUrls(u.toString()));
    const lookup: LookupFunction = (_host, opts, cb) => {
      if ((opts as { all?: boolean }).all) (cb as (e: null, a: (typeof pinned)[]) => void)(null, [pinned]);
      else cb(null, pinned.address, pinned.family);
    };
    const agent = new Agent({ connect: { lookup }, connections: 1, pipelining: 0 });
    try {
      let res: Awaited<ReturnType<typeof request>>;
      try {
        res = await request(u, {
          method: 'GET',
          dispatcher: agent,
          signal: both,
          headers: { 'user-agent': 'autoedit-service', accept: '*/*' },
        });
      } catch (e) {
        if (deadline.aborted)
          throw refuse(504, 'fetch_timeout', `downloading the audio took over ${policy.timeoutMs / 1000} s`);
        if (signal?.aborted) throw refuse(499, 'cancelled', 'the client went away');
        throw refuse(502, 'fetch_failed', `cannot download the audio: ${(e as Error).message}`);
      }
      const { statusCode, headers, body } = res;
      const location = headers.location;
      if (statusCode >= 300 && statusCode < 400 && location) {
        await body.dump().catch(() => {});
        if (hop >= (policy.maxRedirects ?? 3))
          throw refuse(400, 'too_many_redirects', 'the audio URL redirects too often');
        u = checkForm(new URL(String(location), u).toString());
        continue;
      }
      if (statusCode < 200 || statusCode >= 300) {
        const text = await body.text().catch(() => '');
        const code = s3Code(text.slice(0, 4096));
        const what = `the audio URL's server answered HTTP ${statusCode}${code ? ` (${code})` : ''}`;
        if (statusCode >= 500) throw refuse(502, 'fetch_failed', what);
        throw refuse(400, 'fetch_refused', what);
      }
      const announced = headers['content-length'] ? Number(headers['content-length']) : undefined;
      if (announced !== undefined && announced > policy.maxBytes) {
        body.destroy();
        throw refuse(
          413,
          'too_large',
          `the audio is ${announced} bytes, over the limit of ${policy.maxBytes}`,
        );
      }
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let total = 0;
      let inspected = !policy.inspect;
      try {
        for await (const c of body) {
          const chunk = c as Buffer;
          total += chunk.length;
          if (total > policy.maxBytes)
            throw refuse(413, 'too_large', `the audio is over the limit of ${policy.maxBytes} bytes`);
          hash.update(chunk);
          chunks.push(chunk);
          if (!inspected && total >= 64) {
            inspected = true;
            policy.inspect!(Buffer.concat(chunks), announced);
          }
        }
      } catch (e) {
        body.destroy();
        if (e instanceof HttpError) throw e;
        if (deadline.aborted)
          throw refuse(504, 'fetch_timeout', `downloading the audio took over ${policy.timeoutMs / 1000} s`);
        if (signal?.aborted) throw refuse(499, 'cancelled', 'the client went away');
        throw refuse(502, 'fetch_failed', `the audio download broke off: ${(e as Error).message}`);
      }
      const bytes = Buffer.concat(chunks);
      if (!inspected) policy.inspect!(bytes, announced);
      const type = headers['content-type'];
      return {
        bytes,
        hash: `sha256:${hash.digest('hex')}`,
        contentType: typeof type === 'string' ? type : undefined,
        hops,
      };
    } finally {
      await agent.close().catch(() => {});
    }
  }
}
