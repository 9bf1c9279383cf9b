import { UserError } from '../util/errors.js';
import { lazy } from '../util/lazy.js';
import type { ChunkStore, S3StorePlan, StoredChunk } from './store.js';

// The AWS SDK is big: loaded only when the s3 provider is used.
const s3sdk = lazy<typeof import('@aws-sdk/client-s3')>('@aws-sdk/client-s3');
const presigner = lazy<typeof import('@aws-sdk/s3-request-presigner')>('@aws-sdk/s3-request-presigner');

/**
 * Storage provider `s3`: any S3-compatible store (AWS, MinIO, R2, GCS's XML API…) through @aws-sdk/client-s3;
 * chunks are uploaded under `<prefix><run>/…` and fetched by the service through presigned GET URLs that
 * expire after `expiresS`. Each chunk is deleted when its transcription is back; a lifecycle rule on the
 * prefix (README) removes what a killed run leaves.
 */
export class S3ChunkStore implements ChunkStore {
  readonly kind = 's3' as const;
  private constructor(
    private readonly client: import('@aws-sdk/client-s3').S3Client,
    private readonly plan: S3StorePlan,
  ) {}

  static open(plan: S3StorePlan): S3ChunkStore {
    // The SDK warns on Node 20 that its releases after January 2027 will need Node 22; the version
    // package-lock.json pins runs on Node 20, which AutoEdit supports: the documented switch silences it.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { S3Client } = s3sdk();
    const client = new S3Client({
      region: plan.region,
      endpoint: plan.endpoint,
      // Self-hosted S3-compatible stores rarely have per-bucket DNS names.
      forcePathStyle: !!plan.endpoint,
      credentials:
        plan.accessKeyId && plan.secretAccessKey
          ? { accessKeyId: plan.accessKeyId, secretAccessKey: plan.secretAccessKey }
          : undefined,
      // Checksums in presigned GET URLs would have to be sent back by the service: only when required.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    return new S3ChunkStore(client, plan);
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<StoredChunk> {
    const { PutObjectCommand, GetObjectCommand, DeleteObjectCommand } = s3sdk();
    const Key = `${this.plan.prefix}${key}`;
    const Bucket = this.plan.bucket;
    try {
      await this.client.send(new PutObjectCommand({ Bucket, Key, Body: bytes, ContentType: contentType }));
    } catch (e) {
      throw new UserError(
        `cannot upload an audio chunk to s3://${Bucket}/${Key} (${(e as Error).name}: ${(e as Error).message})`,
        'Check storage.bucket, S3_ENDPOINT, S3_REGION and the S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY credentials.',
      );
    }
    const now = Date.now();
    const url = await presigner().getSignedUrl(this.client, new GetObjectCommand({ Bucket, Key }), {
      expiresIn: this.plan.expiresS,
    });
    return {
      url,
      expiresAt: now + this.plan.expiresS * 1000,
      delete: async () => {
        await this.client.send(new DeleteObjectCommand({ Bucket, Key })).catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
