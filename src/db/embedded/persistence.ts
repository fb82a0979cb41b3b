import { BSON, type Document } from 'bson';
import type { Logger } from '../../logger.js';
import { openJournal, type Journal, type JournalTestHooks } from './journal.js';
import type { JournalRecord, Storage } from './storage.js';

/** Compact once the journal exceeds this and is more than twice the live data. */
const COMPACTION_MIN_BYTES = 64 * 1024 * 1024;
const COMPACTION_RATIO = 2;
/** Re-measure live size at most once per this much journal growth. */
const COMPACTION_CHECK_EVERY_BYTES = 16 * 1024 * 1024;
/** The longest the live-size measure runs before it lets waiting commands run. */
const MEASURE_SLICE_MS = 8;

export interface PersistenceOptions {
  dir: string;
  logger: Logger;
  compactionMinBytes?: number;
  /** Called once when the journal fails for good (a write or fsync failed, e.g. a full disk). */
  onJournalFailure?: (cause: Error) => void;
  /** For fault tests only. */
  testHooks?: JournalTestHooks;
}

/**
 * The storage's link to the journal: recovery at start, one fsynced append per command
 * (group commit shares fsyncs between concurrent commands), and background compaction.
 */
export class Persistence {
  private compacting: Promise<void> | undefined;
  private lastCheckAt = 0;
  private reportedFailure = false;

  private constructor(
    private readonly journal: Journal,
    private readonly storage: Storage,
    private readonly logger: Logger,
    private readonly compactionMinBytes: number,
    private readonly onJournalFailure: (cause: Error) => void,
  ) {}

  static async open(storage: Storage, options: PersistenceOptions): Promise<Persistence> {
    const { journal, recovered } = await openJournal({ dir: options.dir, logger: options.logger, testHooks: options.testHooks });
    for (const record of recovered) storage.applyRecord(record);
    options.logger.info({ records: recovered.length }, 'embedded database recovered');
    return new Persistence(journal, storage, options.logger, options.compactionMinBytes ?? COMPACTION_MIN_BYTES, options.onJournalFailure ?? (() => undefined));
  }

  /** Resolves once the records are on disk. Must be called right after the in-memory apply. */
  async append(records: JournalRecord[]): Promise<void> {
    try {
      await this.journal.append(records);
    } catch (error) {
      // The in-memory state now holds writes the journal may never have: the owner must stop serving it.
      if (this.journal.failure && !this.reportedFailure) {
        this.reportedFailure = true;
        this.onJournalFailure(this.journal.failure);
      }
      throw error;
    }
    this.maybeCompact();
  }

  private maybeCompact(): void {
    const bytes = this.journal.bytesSinceCompaction;
    const checkEvery = Math.min(COMPACTION_CHECK_EVERY_BYTES, this.compactionMinBytes / 4);
    if (this.compacting || bytes < this.compactionMinBytes || bytes - this.lastCheckAt < checkEvery) return;
    this.lastCheckAt = bytes;
    this.compacting = this.compactIfWorthIt(bytes)
      .catch((error: unknown) => this.logger.error({ err: error }, 'embedded database compaction failed'))
      .finally(() => {
        this.compacting = undefined;
      });
  }

  private async compactIfWorthIt(journalBytes: number): Promise<void> {
    const liveBytes = await this.measureLiveBytes();
    if (journalBytes < COMPACTION_RATIO * liveBytes) return;
    this.logger.info({ journalBytes, liveBytes }, 'embedded database compacting the journal');
    await this.journal.compact(() => this.storage.captureSnapshot());
    this.lastCheckAt = 0;
    this.logger.info({ journalBytes }, 'embedded database journal compacted');
  }

  /** The live data's BSON size, measured a slice at a time so commands keep being answered. */
  private async measureLiveBytes(): Promise<number> {
    let bytes = 0;
    let sliceStart = performance.now();
    let counted = 0;
    for (const record of this.storage.captureSnapshot()) {
      if (record.op === 'put') bytes += BSON.calculateObjectSize(record.doc as Document);
      if (++counted % 256 === 0 && performance.now() - sliceStart >= MEASURE_SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return bytes;
  }

  async close(): Promise<void> {
    await this.compacting;
    await this.journal.close();
  }
}
