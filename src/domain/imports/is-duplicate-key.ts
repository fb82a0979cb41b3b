import { bulkWriteFailures, MONGO_DUPLICATE_KEY } from '../../db/bulk-write-errors.js';

/** A write (single or bulk) refused by a unique index. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === MONGO_DUPLICATE_KEY || (bulkWriteFailures(error)?.some((failure) => failure.code === MONGO_DUPLICATE_KEY) ?? false);
}
