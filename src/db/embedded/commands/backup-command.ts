import type { Document } from 'bson';
import { encodeId } from '../collection.js';
import type { CommandContext } from '../command-context.js';
import { ErrorCode, MongoCommandError } from '../errors.js';

/*
 * {kdmpBackup: 1} on the admin database: the whole database as one moment, for
 * scripts/db-backup.ts.
 *
 * Consistency: a command's in-memory part runs without interleaving, so the state captured
 * here is one moment: every write acknowledged before the command arrived is in it, and
 * nothing later is. Documents are immutable (writes replace them), so the cursor can hand
 * the captured records out over many getMore calls while writes go on.
 *
 * Durability: the captured state may hold writes applied in memory whose journal append is
 * still in flight; if that append failed they would vanish from the server but live on in
 * the backup. So the command also writes one record (when the last backup was taken, in
 * admin.kdmpBackups): the dispatcher sends the first batch only after that record is
 * fsynced, and the journal writes in order, so by then every captured write is on disk.
 */

/** Where the backup cursor lives, MongoDB-style for a database-level cursor. */
const BACKUP_CURSOR_NS = 'admin.$cmd.kdmpBackup';
const BACKUP_LOG_COLLECTION = 'kdmpBackups';
const BACKUP_LOG_ID = 'latest';

/** First document of the cursor: what follows it. */
export interface BackupStreamHeader {
  op: 'backupHeader';
  takenAt: Date;
  collections: number;
  indexes: number;
  documents: number;
  /** Records after this header (create, createIndex and put, as in a journal snapshot). */
  records: number;
}

export function runKdmpBackup(ctx: CommandContext, command: Document): Document {
  if (ctx.db !== 'admin') {
    throw new MongoCommandError(ErrorCode.Unauthorized, 'kdmpBackup may only be run against the admin database');
  }
  const batchSize = readBatchSize(command);
  const takenAt = new Date();
  recordLastBackup(ctx, takenAt);
  // Captured after the log write, so a restored database knows which backup it came from.
  // One pass and one array: this runs on the server's thread while commands wait.
  const stream: Document[] = [{}];
  const counts = { collections: 0, indexes: 0, documents: 0 };
  for (const record of ctx.storage.captureSnapshot()) {
    if (record.op === 'create') counts.collections += 1;
    else if (record.op === 'createIndex') counts.indexes += 1;
    else if (record.op === 'put') counts.documents += 1;
    stream.push(record);
  }
  const header: BackupStreamHeader = { op: 'backupHeader', takenAt, ...counts, records: stream.length - 1 };
  stream[0] = header;
  const cursor = ctx.cursors.open(BACKUP_CURSOR_NS, stream, batchSize);
  return { cursor: { firstBatch: cursor.batch, id: cursor.id, ns: BACKUP_CURSOR_NS } };
}

function readBatchSize(command: Document): number | undefined {
  const cursor = command.cursor as Document | undefined;
  const value = cursor?.batchSize;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new MongoCommandError(ErrorCode.BadValue, 'kdmpBackup cursor.batchSize must be a non-negative whole number');
  }
  return value;
}

/** The write that makes the reply wait for the journal (see the top of this file). */
function recordLastBackup(ctx: CommandContext, takenAt: Date): void {
  const collection = ctx.storage.ensureCollection('admin', BACKUP_LOG_COLLECTION, ctx.records);
  const doc = { _id: BACKUP_LOG_ID, takenAt };
  const idKey = encodeId(doc._id);
  const duplicate = collection.findDuplicate(doc, idKey, false);
  if (duplicate) throw duplicate;
  ctx.storage.putDocument(collection, idKey, doc, ctx.records);
}
