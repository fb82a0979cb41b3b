import type { Document } from 'bson';
import { isTimestamp, type ClusterClock } from './cluster-clock.js';
import { isPlainObject } from './document-values.js';
import { ErrorCode, MongoCommandError } from './errors.js';

/**
 * Honours `readConcern.afterClusterTime`. A single node has applied every write up to its
 * clock, so a time at or before it just runs. A later time names a write this node never
 * made: MongoDB answers InvalidOptions rather than wait for a time nobody will reach.
 */
export function checkAfterClusterTime(readConcern: unknown, clock: ClusterClock): void {
  if (!isPlainObject(readConcern) || readConcern.afterClusterTime === undefined) return;
  const after = readConcern.afterClusterTime;
  if (!isTimestamp(after)) {
    throw new MongoCommandError(ErrorCode.TypeMismatch, "BSON field 'readConcern.afterClusterTime' is the wrong type, expected type 'timestamp'");
  }
  if (after.t === 0 && after.i === 0) {
    throw new MongoCommandError(ErrorCode.InvalidOptions, 'afterClusterTime cannot be a null timestamp');
  }
  const current = clock.now();
  if (after.greaterThan(current)) {
    throw new MongoCommandError(
      ErrorCode.InvalidOptions,
      `readConcern afterClusterTime value must not be greater than the current clusterTime. Requested clusterTime: ${render(after)}; current clusterTime: ${render(current)}`,
    );
  }
}

/** The read concern level a transaction runs at ("local" unless the first statement said otherwise). */
export function readConcernLevel(readConcern: unknown): string {
  return isPlainObject(readConcern) && typeof readConcern.level === 'string' ? readConcern.level : 'local';
}

function render(time: Document): string {
  return `Timestamp(${String(time.t)}, ${String(time.i)})`;
}
