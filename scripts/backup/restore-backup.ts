import { mkdir, readdir, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { lockDataDir, type DataDirLock } from '../../src/db/embedded/data-dir-lock.js';
import { openJournal } from '../../src/db/embedded/journal.js';
import { readBackupFile, syncDirectory, type VerifiedBackup } from './backup-file.js';

/*
 * Restores a backup into the embedded database's directory (DATA_DIR/db) while no server
 * runs on it. The whole file is checked before anything is written; the restored state is
 * written by the journal's own code (a compaction snapshot) into a staging directory
 * beside the target, read back, and only then swapped in with renames. An old database is
 * never deleted: with `force` it is moved aside to a timestamped name.
 */

export interface RestoreOptions {
  file: string;
  /** The embedded server's data directory (DATA_DIR/db). */
  dbDir: string;
  /** Replace a directory that already holds a database (moved aside, not deleted). */
  force: boolean;
  /** For the timestamped names; defaults to now. */
  now?: Date;
}

export interface RestoreResult {
  backup: VerifiedBackup;
  dbDir: string;
  /** Where the database that was there before now is, if there was one. */
  movedAsideTo?: string;
}

/** A restore that was not done; nothing in the target was changed. */
export class RestoreRefusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestoreRefusedError';
  }
}

/** The one file a stopped server leaves in its directory that holds no data. */
const LOCK_FILE = 'server.lock';

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const backup = await readBackupFile(options.file);
  const { dbDir } = options;
  const stamp = timestamp(options.now ?? new Date());
  await mkdir(dbDir, { recursive: true });
  const lock = await lockAgainstServers(dbDir);
  try {
    const existing = (await readdir(dbDir)).filter((name) => name !== LOCK_FILE);
    if (existing.length > 0 && !options.force) {
      throw new RestoreRefusedError(
        `${dbDir} already holds a database (${existing.join(', ')}); run again with --force to move it aside to ${dbDir}.before-restore-${stamp} and restore in its place`,
      );
    }
    const staging = `${dbDir}.restoring-${stamp}`;
    await writeRestoredJournal(staging, backup);
    const movedAsideTo = existing.length > 0 ? `${dbDir}.before-restore-${stamp}` : undefined;
    await swapIn(dbDir, staging, movedAsideTo);
    return { backup, dbDir, movedAsideTo };
  } finally {
    await lock.release();
  }
}

/** Holds the server's own lock for the whole restore, so no server starts on a half-restored directory. */
async function lockAgainstServers(dbDir: string): Promise<DataDirLock> {
  try {
    return await lockDataDir(dbDir);
  } catch (error) {
    throw new RestoreRefusedError(`a running server holds ${dbDir}: stop the service first, then restore (${(error as Error).message})`, { cause: error });
  }
}

/**
 * Writes the backup's records as a journal snapshot, through openJournal + compact (the
 * same code as a running server's compaction), then reopens it as recovery will.
 */
async function writeRestoredJournal(staging: string, backup: VerifiedBackup): Promise<void> {
  try {
    await mkdir(staging);
  } catch (error) {
    throw new RestoreRefusedError(`cannot create the staging directory ${staging}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const journalDir = join(staging, 'journal');
    const opened = await openJournal({ dir: journalDir });
    try {
      if (opened.recovered.length > 0) throw new Error(`staging directory ${staging} is not empty`);
      await opened.journal.compact(() => backup.records);
    } finally {
      await opened.journal.close();
    }
    const reopened = await openJournal({ dir: journalDir });
    await reopened.journal.close();
    if (reopened.recovered.length !== backup.records.length) {
      throw new Error(`the restored journal recovers ${reopened.recovered.length} records, the backup holds ${backup.records.length}`);
    }
    await syncDirectory(staging);
  } catch (error) {
    // Ours alone: nothing else ever writes a staging directory.
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Puts `staging` at `dbDir`; an old database goes to `movedAsideTo`, an empty directory away. */
async function swapIn(dbDir: string, staging: string, movedAsideTo: string | undefined): Promise<void> {
  if (movedAsideTo) {
    await rename(dbDir, movedAsideTo);
  } else {
    // Nothing in it but (perhaps) the lock file, checked above under the lock.
    await unlink(join(dbDir, LOCK_FILE)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rmdir(dbDir);
  }
  try {
    await rename(staging, dbDir);
  } catch (error) {
    const putBack = movedAsideTo ? await rename(movedAsideTo, dbDir).then(() => true, () => false) : false;
    const old = !movedAsideTo ? 'there was no old database' : putBack ? `the old database is back at ${dbDir}` : `the old database is at ${movedAsideTo}`;
    throw new Error(`could not move the restored database from ${staging} to ${dbDir} (${(error as Error).message}); the restored copy is complete at ${staging}, and ${old}`, { cause: error });
  }
  await syncDirectory(dirname(dbDir));
}

/** 2025-01-31T07-05-09Z: sortable, and safe in file names everywhere. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}
