import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { deserialize, serialize, type DeserializeOptions, type Document } from 'bson';
import { z } from 'zod';
import { encodeCommitFrame, encodeEndFrame, encodeRecordFrame, FRAME_HEADER_BYTES, parseBatches } from '../../src/db/embedded/journal-frame.js';
import { Storage, type JournalRecord } from '../../src/db/embedded/storage.js';

/*
 * The backup file: a self-checking copy of the whole embedded database at one moment.
 *
 *   "KDMP-CHAT-DB-BACKUP\n"      so a wrong file is refused at once
 *   batch: RECORD(header)        BSON: format, version, when taken, from where, counts
 *   batches: RECORD(record)...   the database as journal snapshot records (create, createIndex, put)
 *   END(records incl. header)
 *
 * Frames, batches and the END frame are the journal's own (journal-frame.ts): every frame
 * has a CRC-32, every batch a commit frame naming its records and bytes, the END frame the
 * total. So a damaged or cut-short file is refused as a whole, before a restore writes
 * anything, instead of restoring part of a database.
 */

const MAGIC = Buffer.from('KDMP-CHAT-DB-BACKUP\n', 'latin1');
const FORMAT = 'kdmp-chat-db-backup';
const FORMAT_VERSION = 1;
/** Records are committed in batches of about this size (like journal snapshots). */
const BATCH_BYTES = 8 * 1024 * 1024;
const END_FRAME_BYTES = FRAME_HEADER_BYTES + 8;
const RECORD_OPS = new Set(['create', 'createIndex', 'put']);

// The journal's own BSON options: numbers stay JS numbers, Date, ObjectId, Decimal128 and
// Binary keep their classes, and stored field names may hold dots or dollars.
const DESERIALIZE_OPTIONS: DeserializeOptions = { promoteLongs: true, promoteValues: true, promoteBuffers: false, useBigInt64: false, bsonRegExp: false };
const SERIALIZE_OPTIONS = { checkKeys: false, serializeFunctions: false } as const;

const count = z.number().int().nonnegative();
const backupHeaderSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(FORMAT_VERSION),
  takenAt: z.date(),
  /** The server it was taken from (host:port). */
  source: z.string(),
  collections: count,
  indexes: count,
  documents: count,
  /** Records after the header. */
  records: count,
});

export type BackupHeader = z.infer<typeof backupHeaderSchema>;
type BackupCounts = Pick<BackupHeader, 'collections' | 'indexes' | 'documents' | 'records'>;

/** What a backup holds, per database (for people) and in total (for checking). */
export interface BackupContents extends BackupCounts {
  databases: Map<string, { collections: number; documents: number }>;
}

/** A backup file that cannot be trusted, and why. */
export class BackupFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${file} is not a usable backup: ${reason}`, options);
    this.name = 'BackupFileError';
  }
}

export function newBackupHeader(fields: Omit<BackupHeader, 'format' | 'version'>): BackupHeader {
  return { format: FORMAT, version: FORMAT_VERSION, ...fields };
}

/** Counts what a run of snapshot records holds. */
function describeRecords(records: Iterable<Document>): BackupContents {
  const contents = emptyContents();
  for (const record of records) countRecord(contents, record);
  return contents;
}

function emptyContents(): BackupContents {
  return { collections: 0, indexes: 0, documents: 0, records: 0, databases: new Map() };
}

function countRecord(contents: BackupContents, record: Document): void {
  contents.records += 1;
  const db = String(record.db);
  let perDb = contents.databases.get(db);
  if (!perDb) {
    perDb = { collections: 0, documents: 0 };
    contents.databases.set(db, perDb);
  }
  if (record.op === 'create') {
    contents.collections += 1;
    perDb.collections += 1;
  } else if (record.op === 'createIndex') {
    contents.indexes += 1;
  } else if (record.op === 'put') {
    contents.documents += 1;
    perDb.documents += 1;
  }
}

/**
 * Writes a backup so that `file` is either the old file or the complete new one: a temp
 * file beside it, fsynced, read back and checked whole (readBackupFile), renamed over it,
 * then the directory fsynced. The records must add up to the header's counts (a stream
 * cut short is not a backup).
 */
export async function writeBackupFile(file: string, header: BackupHeader, records: AsyncIterable<Document>): Promise<VerifiedBackup> {
  // Same directory, so the rename is atomic; the pid keeps two concurrent runs apart.
  const tempPath = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  // Owner-only: a backup holds members' names, phone numbers and balances.
  const handle = await open(tempPath, 'wx', 0o600);
  let verified: VerifiedBackup;
  try {
    try {
      const writer = new FrameWriter(handle);
      await writer.write(MAGIC);
      await writer.writeBatch([encodeRecordFrame(serialize(header, SERIALIZE_OPTIONS))]);
      const written = await writer.writeRecords(records);
      checkCounts(header, written, 'the server announced', 'sent');
      await writer.write(encodeEndFrame(written.records + 1));
      await handle.sync();
    } finally {
      await handle.close();
    }
    verified = await readBackupFile(tempPath);
    await rename(tempPath, file);
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  await syncDirectory(dirname(file));
  return verified;
}

/** Appends at an explicit position, whole buffers only (a short write is retried). */
class FrameWriter {
  position = 0;

  constructor(private readonly handle: FileHandle) {}

  async write(data: Buffer): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, this.position + done);
      if (bytesWritten <= 0) throw new Error('write made no progress');
      done += bytesWritten;
    }
    this.position += data.length;
  }

  async writeBatch(frames: Buffer[]): Promise<void> {
    const bytes = frames.reduce((sum, frame) => sum + frame.length, 0);
    await this.write(Buffer.concat([...frames, encodeCommitFrame(frames.length, bytes)]));
  }

  /** Frames the records into batches of about BATCH_BYTES; returns what they held. */
  async writeRecords(records: AsyncIterable<Document>): Promise<BackupContents> {
    const written = emptyContents();
    let frames: Buffer[] = [];
    let bytes = 0;
    for await (const record of records) {
      const frame = encodeRecordFrame(serialize(record, SERIALIZE_OPTIONS));
      frames.push(frame);
      bytes += frame.length;
      countRecord(written, record);
      if (bytes >= BATCH_BYTES) {
        await this.writeBatch(frames);
        frames = [];
        bytes = 0;
      }
    }
    if (frames.length > 0) await this.writeBatch(frames);
    return written;
  }
}

export interface VerifiedBackup {
  header: BackupHeader;
  /** The database's records, decoded, in file order (without the header). */
  records: JournalRecord[];
  contents: BackupContents;
  bytes: number;
}

/**
 * Reads and checks a whole backup: magic, every frame's checksum, every batch's commit
 * frame, the END frame's total, the header, every record's BSON and kind, the counts, and
 * finally a replay into an empty in-memory database (the one the server would rebuild),
 * whose collections, indexes and documents must add up to the header's counts too.
 */
export async function readBackupFile(file: string): Promise<VerifiedBackup> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (error) {
    throw new BackupFileError(file, `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BackupFileError(file, 'it does not start like a KDMP Chat database backup (made by npm run db:backup)');
  }
  const body = buf.subarray(MAGIC.length);
  const parsed = parseBatches(body);
  if (parsed.damage) {
    throw new BackupFileError(file, `damaged at byte ${MAGIC.length + parsed.damage.offset} (${parsed.damage.reason}); use another copy`);
  }
  if (!parsed.end) throw new BackupFileError(file, 'it is incomplete (no end frame): the copy was cut short; use another copy');
  if (parsed.end.offset + END_FRAME_BYTES !== body.length) throw new BackupFileError(file, 'there are bytes after its end frame');
  if (parsed.end.recordCount !== parsed.records.length) {
    throw new BackupFileError(file, `its end frame counts ${parsed.end.recordCount} records but it holds ${parsed.records.length}`);
  }
  const [headerBson, ...recordBsons] = parsed.records;
  if (!headerBson) throw new BackupFileError(file, 'it has no header');
  const header = parseHeader(file, headerBson);
  const records = recordBsons.map((bson, index) => decodeRecord(file, bson, index));
  const contents = describeRecords(records);
  try {
    checkCounts(header, contents, 'its header says', 'it holds');
  } catch (error) {
    throw new BackupFileError(file, (error as Error).message);
  }
  checkReplay(file, header, records);
  return { header, records, contents, bytes: buf.length };
}

function parseHeader(file: string, bson: Buffer): BackupHeader {
  let raw: Document;
  try {
    raw = deserialize(bson, DESERIALIZE_OPTIONS);
  } catch (error) {
    throw new BackupFileError(file, 'its header is not valid BSON', { cause: error });
  }
  if (raw.format === FORMAT && raw.version !== FORMAT_VERSION) {
    throw new BackupFileError(file, `it is format version ${String(raw.version)}; this version of KDMP Chat reads version ${FORMAT_VERSION}`);
  }
  const header = backupHeaderSchema.safeParse(raw);
  if (!header.success) throw new BackupFileError(file, `its header is malformed (${header.error.issues[0]?.path.join('.')}: ${header.error.issues[0]?.message})`);
  return header.data;
}

function decodeRecord(file: string, bson: Buffer, index: number): JournalRecord {
  let record: Document;
  try {
    record = deserialize(bson, DESERIALIZE_OPTIONS);
  } catch (error) {
    // The checksum matched, so the writer wrote it this way: refuse rather than skip.
    throw new BackupFileError(file, `record ${index + 1} is not valid BSON`, { cause: error });
  }
  if (!RECORD_OPS.has(String(record.op)) || typeof record.db !== 'string' || typeof record.coll !== 'string') {
    throw new BackupFileError(file, `record ${index + 1} is not a database record (op ${String(record.op)})`);
  }
  return record;
}

function checkCounts(expected: BackupCounts, actual: BackupCounts, expectedSays: string, actualHas: string): void {
  for (const key of ['records', 'collections', 'indexes', 'documents'] as const) {
    if (expected[key] !== actual[key]) throw new Error(`${expectedSays} ${expected[key]} ${key} but ${actualHas} ${actual[key]}`);
  }
}

/** Rebuilds the database in memory as recovery will, and counts what it ends up with. */
function checkReplay(file: string, header: BackupHeader, records: JournalRecord[]): void {
  const storage = new Storage();
  try {
    for (const record of records) storage.applyRecord(record);
  } catch (error) {
    throw new BackupFileError(file, `its records do not rebuild a database (${(error as Error).message})`, { cause: error });
  }
  const rebuilt = { records: header.records, collections: 0, indexes: 0, documents: 0 };
  for (const collections of storage.databases.values()) {
    for (const collection of collections.values()) {
      rebuilt.collections += 1;
      rebuilt.indexes += collection.indexes.size;
      rebuilt.documents += collection.docs.size;
    }
  }
  try {
    checkCounts(header, rebuilt, 'its header says', 'replaying it rebuilds');
  } catch (error) {
    throw new BackupFileError(file, (error as Error).message);
  }
}

/** Makes a rename or creation in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
