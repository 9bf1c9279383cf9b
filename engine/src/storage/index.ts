import { LocalChunkStore } from './local.js';
import { S3ChunkStore } from './s3.js';
import type { ChunkStore, StoragePlan } from './store.js';

export type { ChunkStore, LocalStorePlan, S3StorePlan, StoragePlan, StoredChunk } from './store.js';
export { LocalChunkStore, S3ChunkStore };

export async function openChunkStore(plan: StoragePlan): Promise<ChunkStore> {
  return plan.provider === 'local' ? LocalChunkStore.open(plan) : S3ChunkStore.open(plan);
}
