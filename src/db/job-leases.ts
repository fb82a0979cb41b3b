import { MONGO_DUPLICATE_KEY } from './bulk-write-errors.js';
import type { Models } from './models/index.js';

export interface JobLeases {
  /**
   * Takes the named job's lease for `ttlMs` unless another live holder has it. Instances
   * sharing a database each schedule every job; the lease makes one of them run it.
   */
  acquire(job: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Gives the lease up after a run (and notes when it ran). */
  release(job: string, now: Date): Promise<void>;
}

export function createJobLeases(models: Models, owner: string): JobLeases {
  const collection = models.JobLease.collection;
  return {
    async acquire(job, now, ttlMs) {
      try {
        const result = await collection.updateOne(
          { _id: job, $or: [{ until: { $lte: now } }, { owner }] } as object,
          { $set: { owner, until: new Date(now.getTime() + ttlMs) } },
          { upsert: true },
        );
        return result.matchedCount + result.upsertedCount === 1;
      } catch (error) {
        // The upsert lost to a live holder's document: someone else runs it.
        if ((error as { code?: number }).code === MONGO_DUPLICATE_KEY) return false;
        throw error;
      }
    },
    async release(job, now) {
      await collection.updateOne({ _id: job, owner } as object, { $set: { until: now, lastRunAt: now } });
    },
  };
}
