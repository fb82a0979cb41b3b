import type { Logger } from '../../logger.js';
import { encodeId } from './collection.js';
import { getPathValue } from './key-encoding.js';
import type { Persistence } from './persistence.js';
import type { JournalRecord, Storage } from './storage.js';

/** MongoDB's TTL monitor runs every 60 s. */
export const DEFAULT_TTL_SWEEP_INTERVAL_MS = 60_000;

/**
 * Deletes documents whose TTL-indexed date field (or earliest date in an array) plus
 * expireAfterSeconds has passed. Runs synchronously per sweep, then journals the deletes.
 */
export class TtlSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly persistence: Persistence,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.sweep().then(() => undefined).finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(now = Date.now()): Promise<number> {
    const records: JournalRecord[] = [];
    for (const collections of this.storage.databases.values()) {
      for (const collection of collections.values()) {
        for (const index of collection.indexes.values()) {
          const seconds = index.spec.expireAfterSeconds;
          if (seconds === undefined) continue;
          const field = index.fields[0];
          const expired = [...collection.docs.values()].filter((doc) => isExpired(getPathValue(doc, field), seconds, now) && index.entriesOf(doc));
          for (const doc of expired) this.storage.deleteDocument(collection, encodeId(doc._id), records);
        }
      }
    }
    const deleted = records.length;
    if (deleted > 0) {
      try {
        await this.persistence.append(records);
        this.logger.debug({ deleted }, 'ttl sweep removed expired documents');
      } catch (error) {
        this.logger.error({ err: error }, 'ttl sweep journal append failed');
      }
    }
    return deleted;
  }
}

function isExpired(value: unknown, seconds: number, now: number): boolean {
  const dates = (Array.isArray(value) ? value : [value]).filter((v): v is Date => v instanceof Date);
  if (dates.length === 0) return false;
  const earliest = Math.min(...dates.map((date) => date.getTime()));
  return earliest + seconds * 1000 <= now;
}
