import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deserialize, serialize, serializeWithBufferAndIndex, type DeserializeOptions, type Document } from 'bson';
import { silentLogger, type Logger } from '../../logger.js';
import { JournalCorruptionError, JournalError } from './journal-errors.js';
import { ACK_MARK_FILE, AckMarkWriter, readAckMark, type AckMark } from './journal-mark.js';
import {
  encodeCommitFrame,
  encodeEndFrame,
  encodeRecordFrame,
  FRAME_HEADER_BYTES,
  MAX_BATCH_BYTES,
  parseBatches,
  RecordBatchBuilder,
} from './journal-frame.js';

export { JournalCorruptionError } from './journal-errors.js';

/*
 * Durable journal of the embedded server.
 *
 * Files in `dir`:
 *   journal-<n>.log        appended batches (see journal-frame.ts)
 *   snapshot-<n>.bson      the full state as of the start of journal-<n>.log
 *   snapshot-<n>.bson.tmp  a snapshot being written; never read
 * Recovery reads the newest complete snapshot, then every journal segment from its number
 * on. Compaction opens journal-<n+1>.log, writes snapshot-<n+1>.bson.tmp, fsyncs it,
 * renames it, fsyncs the directory, and only then deletes files numbered below n+1, so a
 * crash at any step leaves either the old or the new snapshot with all its segments.
 *
 * Contract for the caller: call append() in the same synchronous step as applying the
 * change to the in-memory state. compact() splits the record stream at the moment it is
 * called, so a change applied before compact() but appended after it would be replayed
 * on top of a snapshot that already holds it. Records and snapshots are serialized
 * synchronously (append() and compact() copy nothing the caller mutates later); for
 * snapshots that costs ~3.5 ms per 1,000 small documents on the event loop.
 */

export type JournalRecord = Document;

export interface Journal {
  /** Appends records as one unit; resolves once they are fsynced. Group commit: appends
   *  arriving while an fsync is in flight are written together and share the next fsync. */
  append(records: JournalRecord[]): Promise<void>;
  /** captureSnapshot is called synchronously, at once, and returns the full live state as
   *  records, frozen: what it yields must not change later (documents are replaced, never
   *  edited in place); appends made after the call go to a new segment. The snapshot is
   *  serialized and written in the background, a slice at a time so commands keep being
   *  answered (temp file + fsync + rename + fsync dir), then the superseded files are
   *  deleted. Resolves when done. Concurrent calls: the second waits or is a no-op. */
  compact(captureSnapshot: () => Iterable<JournalRecord>): Promise<void>;
  /** Bytes appended since the last completed compaction (for deciding when to compact). */
  readonly bytesSinceCompaction: number;
  /** Set for good once a write or fsync failed: the file state is unknown from then on. */
  readonly failure: Error | undefined;
  /** Waits for pending appends and their fsync, then closes files. */
  close(): Promise<void>;
}

/** Newest complete snapshot's records, then every later journal record, in write order. */
export interface OpenedJournal {
  journal: Journal;
  recovered: JournalRecord[];
}

export interface JournalStats {
  /** append() calls accepted. */
  appends: number;
  /** Records in those calls. */
  records: number;
  /** Batches written (one write + one fsync each). */
  batches: number;
  /** fsync/fdatasync calls on journal segments. */
  fsyncs: number;
  /** Bytes written to journal segments since open. */
  bytesWritten: number;
  /** Completed compactions since open. */
  compactions: number;
}

export interface OpenedFileJournal extends OpenedJournal {
  journal: FileJournal;
}

/** Points inside a compaction, in order; tests crash the process at each of them. */
export type CompactionStep =
  | 'rotated'
  | 'snapshot-written'
  | 'snapshot-renamed'
  | 'directory-synced'
  | 'old-file-removed';

export interface JournalTestHooks {
  /** Called at each compaction step (for crash tests); may be async. */
  onCompactionStep?: (step: CompactionStep) => void | Promise<void>;
  /** Called before each journal write; throwing stands for a failing disk (disk-full tests). */
  beforeWrite?: () => void | Promise<void>;
}

export interface OpenJournalOptions {
  dir: string;
  logger?: Logger;
  /** For crash tests only. */
  testHooks?: JournalTestHooks;
}

// Keep ordinary numbers as JS numbers (int64 that fits in 53 bits too); Date, ObjectId,
// Decimal128, Binary keep their BSON classes.
const DESERIALIZE_OPTIONS: DeserializeOptions = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  useBigInt64: false,
  bsonRegExp: false,
};
// Records may hold update operators and dotted paths.
const SERIALIZE_OPTIONS = { checkKeys: false, serializeFunctions: false } as const;

/** Appends queued beyond this many bytes wait for the next batch (bounds write size). */
const MAX_JOURNAL_BATCH_BYTES = 16 * 1024 * 1024;
/** Snapshot records are committed in batches of about this size. */
const SNAPSHOT_BATCH_BYTES = 8 * 1024 * 1024;
/** The longest the snapshot serializes before it lets waiting commands run (compaction must not stall requests). */
const SNAPSHOT_SLICE_MS = 8;

const JOURNAL_FILE = /^journal-(\d+)\.log$/;
const SNAPSHOT_FILE = /^snapshot-(\d+)\.bson$/;
const SNAPSHOT_TEMP_FILE = /^snapshot-(\d+)\.bson\.tmp$/;

function journalName(segment: number): string {
  return `journal-${String(segment).padStart(10, '0')}.log`;
}

function snapshotName(segment: number): string {
  return `snapshot-${String(segment).padStart(10, '0')}.bson`;
}

interface PendingAppend {
  kind: 'append';
  frames: Buffer;
  recordCount: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface PendingRotation {
  kind: 'rotate';
  segment: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

type QueueItem = PendingAppend | PendingRotation;

function encodeRecords(records: JournalRecord[]): Buffer {
  const frames = records.map((record) => encodeRecordFrame(serialize(record, SERIALIZE_OPTIONS)));
  return frames.length === 1 ? frames[0] : Buffer.concat(frames);
}

function serializeRecordInto(record: object, target: Buffer, index: number): number {
  return serializeWithBufferAndIndex(record, target, { ...SERIALIZE_OPTIONS, index });
}

/**
 * Serializes the next records into the batch until it is full or a time slice is used up.
 * `carried` is a record that did not fit in the previous batch; one that does not fit now
 * is handed back the same way.
 */
function fillSlice(batch: RecordBatchBuilder, pending: Iterator<JournalRecord>, carried: JournalRecord | undefined): { done: boolean; carried?: JournalRecord } {
  const began = performance.now();
  let next = carried;
  for (let n = 1; ; n++) {
    // Reading the clock every record would cost more than small records do.
    if (n % 64 === 0 && performance.now() - began >= SNAPSHOT_SLICE_MS) return { done: false, carried: next };
    if (next === undefined) {
      const step = pending.next();
      if (step.done) return { done: true };
      next = step.value;
    }
    if (!batch.tryAdd(next)) return { done: false, carried: next };
    next = undefined;
  }
}

async function writeAll(handle: FileHandle, data: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    written += bytesWritten;
  }
}

/** Makes renames, creations and deletions in `dir` durable. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class FileJournal implements Journal {
  private readonly queue: QueueItem[] = [];
  private writing = false;
  private writer: Promise<void> = Promise.resolve();
  private failed: Error | undefined;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private compaction: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** Bytes accepted by append(), counted from the last snapshot (survives reopen). */
  private appendedBytes: number;
  private compactedAtBytes = 0;
  private readonly counters: JournalStats = {
    appends: 0,
    records: 0,
    batches: 0,
    fsyncs: 0,
    bytesWritten: 0,
    compactions: 0,
  };

  /** @internal use openJournal() */
  constructor(
    private readonly dir: string,
    private file: FileHandle,
    private segment: number,
    private fileSize: number,
    private nextSegment: number,
    initialBytes: number,
    private readonly ackMark: AckMarkWriter,
    private readonly logger: Logger,
    private readonly hooks: JournalTestHooks = {},
  ) {
    this.appendedBytes = initialBytes;
  }

  get failure(): Error | undefined {
    return this.failed;
  }

  get bytesSinceCompaction(): number {
    return this.appendedBytes - this.compactedAtBytes;
  }

  /** Counters for tests and benchmarks. */
  stats(): JournalStats {
    return { ...this.counters };
  }

  append(records: JournalRecord[]): Promise<void> {
    const unavailable = this.unavailableError();
    if (unavailable) return Promise.reject(unavailable);
    let frames: Buffer;
    try {
      // Serialize now: the caller may mutate the documents after this call returns.
      frames = encodeRecords(records);
    } catch (err) {
      return Promise.reject(new JournalError('cannot serialize journal record', {}, { cause: err }));
    }
    if (frames.length > MAX_BATCH_BYTES) {
      return Promise.reject(new JournalError('journal append too large', { bytes: frames.length }));
    }
    this.counters.appends += 1;
    this.counters.records += records.length;
    this.appendedBytes += frames.length;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ kind: 'append', frames, recordCount: records.length, resolve, reject });
      this.startWriter();
    });
  }

  compact(captureSnapshot: () => Iterable<JournalRecord>): Promise<void> {
    // A compaction in flight already covers everything appended so far.
    if (this.compaction) return this.compaction;
    const unavailable = this.unavailableError();
    if (unavailable) return Promise.reject(unavailable);
    let records: Iterable<JournalRecord>;
    try {
      records = captureSnapshot();
    } catch (err) {
      return Promise.reject(new JournalError('cannot capture snapshot', {}, { cause: err }));
    }
    const segment = this.nextSegment++;
    const bytesAtRotation = this.appendedBytes;
    // Queued behind every earlier append, so those land in the old segment and every later
    // append in the new one: the snapshot equals old segments exactly.
    const rotated = new Promise<void>((resolve, reject) => {
      this.queue.push({ kind: 'rotate', segment, resolve, reject });
    });
    this.startWriter();
    const run = this.writeSnapshot(segment, records, rotated).then(() => {
      this.compactedAtBytes = bytesAtRotation;
      this.counters.compactions += 1;
    });
    const tracked = run.finally(() => {
      this.compaction = undefined;
    });
    this.compaction = tracked;
    return tracked;
  }

  close(): Promise<void> {
    this.closing ??= this.closeFiles();
    return this.closing;
  }

  private async closeFiles(): Promise<void> {
    this.state = 'closing';
    // A failed compaction has already been reported to whoever called compact().
    if (this.compaction) await this.compaction.catch(() => undefined);
    while (this.writing) await this.writer;
    await this.file.close();
    await this.ackMark.close();
    this.state = 'closed';
  }

  private unavailableError(): Error | undefined {
    if (this.failed) {
      return new JournalError('journal failed earlier; reopen it to recover', { dir: this.dir }, { cause: this.failed });
    }
    if (this.state !== 'open') return new JournalError('journal is closed', { dir: this.dir });
    return undefined;
  }

  private startWriter(): void {
    if (this.writing) return;
    this.writing = true;
    this.writer = this.drain();
  }

  /** The single writer: one batch (one write + one fsync) at a time. Never rejects. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0];
        if (head.kind === 'rotate') {
          this.queue.shift();
          try {
            await this.rotate(head.segment);
            head.resolve();
          } catch (err) {
            head.reject(this.fail(err, 'cannot open new journal segment'));
          }
          continue;
        }
        const batch = this.takeBatch();
        try {
          await this.writeBatch(batch);
          for (const item of batch) item.resolve();
        } catch (err) {
          const error = this.fail(err, 'journal write failed');
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      // Same synchronous step as the empty-queue check: a later append restarts the writer.
      this.writing = false;
    }
  }

  private takeBatch(): PendingAppend[] {
    const batch: PendingAppend[] = [];
    let bytes = 0;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      if (head.kind !== 'append') break;
      if (batch.length > 0 && bytes + head.frames.length > MAX_JOURNAL_BATCH_BYTES) break;
      this.queue.shift();
      batch.push(head);
      bytes += head.frames.length;
    }
    return batch;
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    let recordCount = 0;
    const parts: Buffer[] = [];
    let bytes = 0;
    for (const item of batch) {
      recordCount += item.recordCount;
      parts.push(item.frames);
      bytes += item.frames.length;
    }
    // Empty appends only wait for the earlier batches, which are durable by now.
    if (recordCount === 0) return;
    parts.push(encodeCommitFrame(recordCount, bytes));
    const data = Buffer.concat(parts);
    await this.hooks.beforeWrite?.();
    await writeAll(this.file, data, this.fileSize);
    await this.file.datasync();
    this.fileSize += data.length;
    await this.ackMark.write({ segment: this.segment, bytes: this.fileSize });
    this.counters.batches += 1;
    this.counters.fsyncs += 1;
    this.counters.bytesWritten += data.length;
  }

  private async rotate(segment: number): Promise<void> {
    const handle = await open(join(this.dir, journalName(segment)), 'wx');
    try {
      await syncDirectory(this.dir);
    } catch (err) {
      await handle.close();
      throw err;
    }
    const previous = this.file;
    this.file = handle;
    this.segment = segment;
    this.fileSize = 0;
    await this.ackMark.write({ segment, bytes: 0 });
    // Everything in the old segment is already fsynced; a close error loses nothing.
    await previous.close().catch((err: unknown) => {
      this.logger.warn({ err, dir: this.dir }, 'journal: closing old segment failed');
    });
  }

  /**
   * After a failed write or fsync the file state is unknown (and Linux may have dropped
   * the dirty pages), so the journal refuses all further work instead of guessing.
   */
  private fail(cause: unknown, message: string): Error {
    if (!this.failed) {
      this.failed = new JournalError(message, { dir: this.dir, segment: this.segment }, { cause });
      this.logger.error({ err: cause, dir: this.dir, segment: this.segment }, `journal: ${message}`);
    }
    const error = this.failed;
    for (const item of this.queue.splice(0)) item.reject(error);
    return error;
  }

  private async writeSnapshot(segment: number, records: Iterable<JournalRecord>, rotated: Promise<void>): Promise<void> {
    // Old segments must be closed before they can be superseded.
    await rotated;
    await this.hooks.onCompactionStep?.('rotated');
    const finalPath = join(this.dir, snapshotName(segment));
    const tempPath = `${finalPath}.tmp`;
    try {
      const handle = await open(tempPath, 'w');
      try {
        let position = 0;
        let recordCount = 0;
        const batch = new RecordBatchBuilder(SNAPSHOT_BATCH_BYTES, serializeRecordInto);
        const pending = records[Symbol.iterator]();
        let carried: JournalRecord | undefined;
        for (;;) {
          const slice = fillSlice(batch, pending, carried);
          carried = slice.carried;
          if (batch.count === 0 && carried) {
            // A record larger than a whole batch goes in a batch of its own.
            const frame = encodeRecordFrame(serialize(carried, SERIALIZE_OPTIONS));
            const data = Buffer.concat([frame, encodeCommitFrame(1, frame.length)]);
            await writeAll(handle, data, position);
            position += data.length;
            recordCount += 1;
            carried = undefined;
            continue;
          }
          if (batch.count > 0) {
            const data = batch.finish();
            // The write is the pause in which commands waiting behind this slice are answered.
            await writeAll(handle, data, position);
            position += data.length;
            recordCount += batch.count;
            batch.reset();
          }
          if (slice.done && !carried) break;
        }
        await writeAll(handle, encodeEndFrame(recordCount), position);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.hooks.onCompactionStep?.('snapshot-written');
      await rename(tempPath, finalPath);
      await this.hooks.onCompactionStep?.('snapshot-renamed');
      await syncDirectory(this.dir);
      await this.hooks.onCompactionStep?.('directory-synced');
    } catch (err) {
      await rm(tempPath, { force: true }).catch(() => undefined);
      this.logger.error({ err, dir: this.dir, segment }, 'journal: snapshot write failed');
      throw new JournalError('snapshot write failed', { dir: this.dir, segment }, { cause: err });
    }
    await removeSuperseded(this.dir, segment, this.logger, this.hooks);
  }
}

interface DirectoryListing {
  journals: number[];
  snapshots: number[];
  temps: number[];
  /** Actual file name per kind and number (tolerates unpadded numbers). */
  names: Map<string, string>;
}

async function listDirectory(dir: string): Promise<DirectoryListing> {
  const listing: DirectoryListing = { journals: [], snapshots: [], temps: [], names: new Map() };
  const kinds: Array<[RegExp, 'journals' | 'snapshots' | 'temps']> = [
    [JOURNAL_FILE, 'journals'],
    [SNAPSHOT_FILE, 'snapshots'],
    [SNAPSHOT_TEMP_FILE, 'temps'],
  ];
  for (const name of await readdir(dir)) {
    for (const [pattern, kind] of kinds) {
      const match = pattern.exec(name);
      if (!match) continue;
      const n = Number(match[1]);
      listing[kind].push(n);
      listing.names.set(`${kind}:${n}`, name);
    }
  }
  const ascending = (a: number, b: number) => a - b;
  listing.journals.sort(ascending);
  listing.snapshots.sort(ascending);
  listing.temps.sort(ascending);
  return listing;
}

function fileName(listing: DirectoryListing, kind: 'journals' | 'snapshots' | 'temps', n: number): string {
  const name = listing.names.get(`${kind}:${n}`);
  if (name === undefined) throw new Error(`no ${kind} file numbered ${n}`);
  return name;
}

/** Deletes files a complete snapshot numbered `segment` has made redundant. */
async function removeSuperseded(
  dir: string,
  segment: number,
  logger: Logger,
  hooks: JournalTestHooks = {},
): Promise<void> {
  try {
    const listing = await listDirectory(dir);
    const names = (['snapshots', 'journals', 'temps'] as const).flatMap((kind) =>
      listing[kind].filter((n) => n < segment).map((n) => fileName(listing, kind, n)),
    );
    for (const [i, name] of names.entries()) {
      await rm(join(dir, name), { force: true });
      if (i === 0) await hooks.onCompactionStep?.('old-file-removed');
    }
    if (names.length > 0) await syncDirectory(dir);
  } catch (err) {
    // The new snapshot is durable; leftovers are removed at the next open or compaction.
    logger.warn({ err, dir, segment }, 'journal: removing superseded files failed');
  }
}

/**
 * A journal that ends before its last acknowledged write lost data no crash can lose (a
 * crash only tears the batch in flight, which was never acknowledged): refuse to start on
 * what is left, and say how to accept the loss on purpose.
 */
function refuseLostAcknowledgedWrites(mark: AckMark | undefined, segment: number, goodBytes: number, file: string, logger: Logger): void {
  if (!mark || mark.segment < segment || (mark.segment === segment && goodBytes >= mark.bytes)) return;
  const markFile = join(dirname(file), ACK_MARK_FILE);
  const context = {
    file,
    acknowledged: mark.segment === segment ? `${mark.bytes} bytes` : `segment ${mark.segment}, which is missing`,
    found: `${goodBytes} bytes of segment ${segment}`,
    toAcceptTheLoss: `restore a backup, or delete ${markFile} to start with what is left`,
  };
  logger.error(context, 'journal: acknowledged writes are missing, refusing to start');
  throw new JournalCorruptionError(
    `journal ${file} ends before its last acknowledged write (acknowledged ${context.acknowledged}, found ${context.found}); ` +
      `acknowledged writes are missing. Restore a backup, or delete ${markFile} to accept the loss and start with what is left`,
    context,
  );
}

function decodeRecords(bodies: Buffer[], file: string): JournalRecord[] {
  return bodies.map((body, index) => {
    try {
      return deserialize(body, DESERIALIZE_OPTIONS);
    } catch (err) {
      // The checksum matched, so this is not a torn write: refuse rather than skip.
      throw new JournalCorruptionError('journal record is not valid BSON', { file, index }, { cause: err });
    }
  });
}

interface LoadedSnapshot {
  segment: number;
  records: JournalRecord[];
}

async function loadSnapshot(dir: string, name: string, segment: number): Promise<LoadedSnapshot | string> {
  const file = join(dir, name);
  const buf = await readFile(file);
  const parsed = parseBatches(buf);
  if (parsed.damage) return `${parsed.damage.reason} at offset ${parsed.damage.offset}`;
  if (!parsed.end) return 'no end frame';
  if (parsed.end.offset + FRAME_HEADER_BYTES + 8 !== buf.length) return 'data after end frame';
  if (parsed.end.recordCount !== parsed.records.length) return 'end frame count mismatch';
  return { segment, records: decodeRecords(parsed.records, file) };
}

/**
 * Opens (creating if needed) the journal in `dir` and recovers its records. A torn final
 * write is dropped with a warning and truncated away; damage anywhere else throws
 * JournalCorruptionError rather than silently losing later records.
 */
export async function openJournal(options: OpenJournalOptions): Promise<OpenedFileJournal> {
  const { dir } = options;
  const logger = options.logger ?? silentLogger;
  const created = await mkdir(dir, { recursive: true });
  if (created !== undefined) await syncDirectory(dirname(created));

  const ackMark = await readAckMark(dir);
  const listing = await listDirectory(dir);
  for (const n of listing.temps) {
    // A compaction that never finished: its old files are all still in place.
    const name = fileName(listing, 'temps', n);
    logger.warn({ dir, file: name }, 'journal: removing unfinished snapshot');
    await rm(join(dir, name), { force: true });
  }

  let snapshot: LoadedSnapshot | undefined;
  const snapshotProblems: string[] = [];
  for (const n of [...listing.snapshots].reverse()) {
    const name = fileName(listing, 'snapshots', n);
    const loaded = await loadSnapshot(dir, name, n);
    if (typeof loaded !== 'string') {
      snapshot = loaded;
      break;
    }
    // Renamed snapshots were fsynced first, so this is real damage; an older snapshot
    // still works if every segment after it survives (checked below).
    snapshotProblems.push(`${name}: ${loaded}`);
    logger.error({ dir, file: name, reason: loaded }, 'journal: snapshot is damaged, trying an older one');
  }

  const base = snapshot?.segment ?? 1;
  const segments = listing.journals.filter((n) => n >= base);
  const gap = segments.findIndex((n, i) => n !== base + i);
  const missingHistory = snapshot === undefined && listing.journals.length > 0 && listing.journals[0] !== 1;
  if (gap !== -1 || missingHistory || (snapshotProblems.length > 0 && segments.length === 0)) {
    const context = { dir, base, segments, snapshotProblems };
    logger.error(context, 'journal: segments are missing, cannot recover');
    throw new JournalCorruptionError('journal segments are missing; refusing to recover partial data', context);
  }

  const recovered: JournalRecord[] = snapshot ? snapshot.records : [];
  let journalBytes = 0;
  let activeSize = 0;
  for (const [i, n] of segments.entries()) {
    const file = join(dir, fileName(listing, 'journals', n));
    const buf = await readFile(file);
    const parsed = parseBatches(buf);
    const last = i === segments.length - 1;
    if (last) refuseLostAcknowledgedWrites(ackMark, n, parsed.goodLength, file, logger);
    const damage = parsed.end
      ? { offset: parsed.end.offset, reason: 'snapshot end frame in a journal', goodDataAfter: true }
      : parsed.damage;
    if (damage && (!last || damage.goodDataAfter)) {
      const context = { file, offset: damage.offset, reason: damage.reason, fileBytes: buf.length };
      logger.error(context, 'journal: corruption before the end of the journal, refusing to drop later records');
      throw new JournalCorruptionError('journal is corrupt before its end', context);
    }
    if (damage) {
      logger.warn(
        { file, offset: damage.offset, reason: damage.reason, droppedBytes: buf.length - parsed.goodLength },
        'journal: dropping torn final write',
      );
      const handle = await open(file, 'r+');
      try {
        await handle.truncate(parsed.goodLength);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const record of decodeRecords(parsed.records, file)) recovered.push(record);
    journalBytes += parsed.goodLength;
    activeSize = parsed.goodLength;
  }

  let active = segments.at(-1);
  let file: FileHandle;
  if (active === undefined) {
    active = base;
    file = await open(join(dir, journalName(active)), 'wx');
    activeSize = 0;
    await syncDirectory(dir);
  } else {
    file = await open(join(dir, fileName(listing, 'journals', active)), 'r+');
  }

  if (snapshot) await removeSuperseded(dir, snapshot.segment, logger);

  if (segments.length === 0) refuseLostAcknowledgedWrites(ackMark, active, activeSize, join(dir, journalName(active)), logger);
  const markWriter = await AckMarkWriter.open(dir);
  await markWriter.write({ segment: active, bytes: activeSize });

  const highest = Math.max(active, ...listing.journals, ...listing.snapshots, ...listing.temps);
  const journal = new FileJournal(dir, file, active, activeSize, highest + 1, journalBytes, markWriter, logger, options.testHooks);
  logger.info({ dir, segment: active, records: recovered.length, snapshot: snapshot?.segment }, 'journal: recovered');
  return { journal, recovered };
}
