/**
 * Where the Beam backend puts audio chunks so a remote service can fetch them by signed URL. Only audio
 * chunks (16 kHz mono WAV, at most one transcription window each) are ever stored, never video or whole
 * files, and each is deleted as soon as its transcription is back; URLs expire after `expiresS`.
 */
export interface StoredChunk {
  /** Signed GET URL, valid until `expiresAt` (ms since the epoch). */
  url: string;
  expiresAt: number;
  delete(): Promise<void>;
}

export interface ChunkStore {
  readonly kind: 'local' | 's3';
  /** Store `bytes` under `key` (a relative path such as `<run>/<hash>.wav`) and sign a URL for it. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredChunk>;
  /** Delete what is left and stop serving (local) or release the client (s3). */
  close(): Promise<void>;
}

export interface LocalStorePlan {
  provider: 'local';
  /** Address the chunk server binds (default 127.0.0.1). */
  host: string;
  port: number;
  /** Base URL the remote service reaches the chunk server at (default http://<host>:<port>). */
  publicUrl?: string;
  /** HMAC key for the URLs (default: random per run); give the service the same key to verify them. */
  signingKey?: string;
  expiresS: number;
}

export interface S3StorePlan {
  provider: 's3';
  bucket: string;
  /** S3-compatible endpoint (S3_ENDPOINT); omitted = AWS. */
  endpoint?: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  prefix: string;
  expiresS: number;
}

export type StoragePlan = LocalStorePlan | S3StorePlan;
