import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signUrl, verifySignedUrl } from './signed-url.js';
import type { ChunkStore, LocalStorePlan, StoredChunk } from './store.js';

/**
 * Storage provider `local`: AutoEdit serves the chunks itself, from memory, on its own small HTTP server
 * (127.0.0.1 by default), with HMAC-signed URLs that expire. Only GET/HEAD of a live chunk with a valid,
 * unexpired signature is answered; everything else is 403/404/405. Nothing is written to disk.
 */
export class LocalChunkStore implements ChunkStore {
  readonly kind = 'local' as const;
  private readonly chunks = new Map<string, { bytes: Uint8Array; type: string }>();
  /** Requests refused (bad or expired signature), for tests and the run report. */
  refused = 0;

  private constructor(
    private readonly server: Server,
    private readonly base: string,
    private readonly key: string,
    private readonly expiresS: number,
  ) {}

  static async open(plan: LocalStorePlan): Promise<LocalChunkStore> {
    const key = plan.signingKey ?? randomBytes(32).toString('base64url');
    let store: LocalChunkStore | undefined;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://local.invalid');
      const chunk = store?.chunks.get(decodeURIComponent(url.pathname.replace(/^\/chunks\//, '')));
      const fail = (status: number, why: string) => {
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`${why}\n`);
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, 'method not allowed');
      const check = verifySignedUrl(url, key, 'GET');
      if (!check.ok) {
        store!.refused++;
        return fail(403, check.reason === 'expired' ? 'URL expired' : 'bad signature');
      }
      if (!chunk || !url.pathname.startsWith('/chunks/')) return fail(404, 'no such chunk');
      res.writeHead(200, { 'content-type': chunk.type, 'content-length': chunk.bytes.length });
      res.end(req.method === 'HEAD' ? undefined : chunk.bytes);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(plan.port, plan.host, () => resolve());
    });
    const { port, address } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    const base = (plan.publicUrl ?? `http://${host}:${port}`).replace(/\/+$/, '');
    store = new LocalChunkStore(server, base, key, plan.expiresS);
    return store;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredChunk> {
    this.chunks.set(key, { bytes, type: contentType });
    const path = `/chunks/${key.split('/').map(encodeURIComponent).join('/')}`;
    const now = Date.now();
    return {
      url: signUrl(`${this.base}${path}`, this.key, this.expiresS, now),
      expiresAt: now + this.expiresS * 1000,
      delete: async () => {
        this.chunks.delete(key);
      },
    };
  }

  async close(): Promise<void> {
    this.chunks.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}
