/** One refused operation of an unordered bulk write, by its position in the request. */
export interface BulkWriteFailure {
  index: number;
  code?: number;
  errmsg?: string;
}

export const MONGO_DUPLICATE_KEY = 11000;

/**
 * The per-operation failures of a bulk write error (the driver gives one or an array), or
 * undefined when the error is not a bulk write error and the whole request failed.
 */
export function bulkWriteFailures(error: unknown): BulkWriteFailure[] | undefined {
  const writeErrors = (error as { writeErrors?: unknown } | null)?.writeErrors;
  if (writeErrors === undefined) return undefined;
  return (Array.isArray(writeErrors) ? writeErrors : [writeErrors]) as BulkWriteFailure[];
}
