import { Binary, Long, Timestamp, type Document } from 'bson';

/** MongoDB's maxAcceptableLogicalClockDriftSecs default: gossip further ahead is ignored. */
const MAX_GOSSIP_DRIFT_SECONDS = 365 * 24 * 60 * 60;

/**
 * The server's logical clock: a Timestamp (seconds, increment) that moves forward with
 * every write, so causally consistent sessions can order their reads after their writes.
 * Seconds come from the wall clock, which keeps the clock ahead of any time handed out
 * before a restart. Replies carry it as `$clusterTime` (unsigned: the server has no keys,
 * like a MongoDB without authentication) and `operationTime`.
 */
export class ClusterClock {
  private latest: Timestamp;

  constructor(private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000)) {
    this.latest = new Timestamp({ t: this.nowSeconds(), i: 1 });
  }

  /** The time of the latest write: what a read observes. */
  now(): Timestamp {
    return this.latest;
  }

  /** A new time for a write, greater than every time handed out before. */
  tick(): Timestamp {
    const seconds = this.nowSeconds();
    this.latest = seconds > this.latest.t ? new Timestamp({ t: seconds, i: 1 }) : new Timestamp({ t: this.latest.t, i: this.latest.i + 1 });
    return this.latest;
  }

  /**
   * Takes in a client's gossiped `$clusterTime`. Without authentication MongoDB trusts the
   * gossip, so a client that saw a later time (e.g. before a restart with a clock step
   * back) can still read after it.
   */
  observe(gossip: unknown): void {
    const time = (gossip as { clusterTime?: unknown } | null | undefined)?.clusterTime;
    if (!isTimestamp(time) || !time.greaterThan(this.latest)) return;
    if (time.t > this.nowSeconds() + MAX_GOSSIP_DRIFT_SECONDS) return;
    this.latest = time;
  }

  /** The fields every reply carries. */
  replyFields(operationTime: Timestamp): Document {
    return {
      $clusterTime: { clusterTime: this.latest, signature: { hash: new Binary(Buffer.alloc(20)), keyId: Long.ZERO } },
      operationTime,
    };
  }
}

export function isTimestamp(value: unknown): value is Timestamp {
  return (value as { _bsontype?: string } | null | undefined)?._bsontype === 'Timestamp';
}
