import { performance } from 'node:perf_hooks';
import type { Document } from 'bson';
import { MongoClient, MongoServerError } from 'mongodb';
import { z } from 'zod';
import type { BackupStreamHeader } from '../../src/db/embedded/commands/backup-command.js';
import { newBackupHeader, writeBackupFile, type BackupContents, type VerifiedBackup } from './backup-file.js';

/*
 * Takes a backup from a running embedded server: one {kdmpBackup: 1} command captures the
 * whole database at one moment (see src/db/embedded/commands/backup-command.ts) and its
 * cursor streams it here, straight into the backup file, which is read back and checked
 * whole before it replaces anything.
 */

export interface BackupOptions {
  /** The embedded server, e.g. mongodb://127.0.0.1:27027/?directConnection=true */
  uri: string;
  /** Where the backup goes; an existing file is replaced only once the new one is complete. */
  file: string;
}

export interface BackupSummary {
  file: string;
  /** The moment the backup holds (the server's clock). */
  takenAt: Date;
  contents: BackupContents;
  bytes: number;
  seconds: number;
}

/** A backup that could not be taken; the message says what to do. */
export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Records per batch. The server serializes a batch in one go on its thread; small batches
 * keep each pause short for the service's own commands (a 16 MB default batch stalls it
 * for most of a second).
 */
const BATCH_RECORDS = 1_000;
const COMMAND_NOT_FOUND = 59;

const count = z.number().int().nonnegative();
/** The cursor's first document. */
const streamHeaderSchema: z.ZodType<BackupStreamHeader> = z.object({
  op: z.literal('backupHeader'),
  takenAt: z.date(),
  collections: count,
  indexes: count,
  documents: count,
  records: count,
});

export async function takeBackup(options: BackupOptions): Promise<BackupSummary> {
  const started = performance.now();
  const source = describeServer(options.uri);
  const client = new MongoClient(options.uri, {
    directConnection: true,
    serverSelectionTimeoutMS: CONNECT_TIMEOUT_MS,
    // The journal's BSON options, so values reach the file as the server holds them.
    promoteLongs: true,
    promoteValues: true,
    promoteBuffers: false,
    bsonRegExp: false,
    useBigInt64: false,
  });
  try {
    try {
      await client.connect();
    } catch (error) {
      throw new BackupError(`cannot reach the database at ${source}: is the service running? (${(error as Error).message})`, { cause: error });
    }
    const cursor = client.db('admin').runCursorCommand({ kdmpBackup: 1, cursor: { batchSize: BATCH_RECORDS } });
    cursor.setBatchSize(BATCH_RECORDS);
    const stream = cursor[Symbol.asyncIterator]();
    const first = await stream.next().catch((error: unknown) => {
      throw explainCommandFailure(error, source);
    });
    const announced = streamHeaderSchema.safeParse(first.done ? undefined : first.value);
    if (!announced.success) throw new BackupError(`the server at ${source} answered kdmpBackup without a backup header`);
    const { op: _op, ...counts } = announced.data;
    const header = newBackupHeader({ ...counts, source });
    const rest: AsyncIterable<Document> = { [Symbol.asyncIterator]: () => stream };
    let saved: VerifiedBackup;
    try {
      saved = await writeBackupFile(options.file, header, rest);
    } catch (error) {
      throw new BackupError(`backup to ${options.file} failed: ${(error as Error).message}`, { cause: error });
    } finally {
      await cursor.close().catch(() => undefined);
    }
    return { file: options.file, takenAt: header.takenAt, contents: saved.contents, bytes: saved.bytes, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.close();
  }
}

function explainCommandFailure(error: unknown, source: string): Error {
  if (error instanceof MongoServerError && error.code === COMMAND_NOT_FOUND) {
    return new BackupError(`the server at ${source} is not KDMP Chat's embedded database (it has no kdmpBackup command); back up a real MongoDB with mongodump`, { cause: error });
  }
  return new BackupError(`the server at ${source} refused the backup: ${(error as Error).message}`, { cause: error });
}

/** host:port of a connection string, without credentials, for messages and the header. */
function describeServer(uri: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/.exec(uri);
  return match?.[1] || uri;
}
