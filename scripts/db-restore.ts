/**
 * Restores a backup made by `npm run db:backup` into the embedded database's directory
 * (DATA_DIR/db), with the service stopped:
 *
 *   npm run db:restore -- <file> [--force]
 *   npm run db:restore -- <file> --check     # only check the file, write nothing
 *
 * The whole file is checked first (checksums, counts, a trial rebuild); a damaged file
 * changes nothing. A directory that already holds a database is replaced only with
 * --force, and then moved aside to DATA_DIR/db.before-restore-<time>, never deleted. The
 * service recovers the restored database when it next starts. With MONGODB_URI set the
 * service uses a real MongoDB: restore that with mongorestore.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/config/config.js';
import { BackupFileError, readBackupFile, type VerifiedBackup } from './backup/backup-file.js';
import { readDatabaseSettings } from './backup/database-settings.js';
import { restoreBackup, RestoreRefusedError } from './backup/restore-backup.js';

const USAGE = 'Usage: npm run db:restore -- <file> [--force | --check]';

interface CommandLine {
  file: string;
  force: boolean;
  check: boolean;
}

class UsageError extends Error {}

function parseCommandLine(): CommandLine {
  const { values, positionals } = parseArgs({ options: { force: { type: 'boolean' }, check: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'the backup file is missing' : 'give exactly one backup file');
  if (values.force && values.check) throw new UsageError('--check writes nothing, so --force has no meaning with it');
  return { file: resolve(positionals[0]), force: values.force === true, check: values.check === true };
}

function describe(backup: VerifiedBackup): string {
  const { header } = backup;
  return (
    `the database of ${header.source} as of ${header.takenAt.toISOString()}: ` +
    `${header.collections} collections, ${header.indexes} indexes, ${header.documents} documents (${backup.bytes} bytes, all checksums and counts correct)`
  );
}

async function main(): Promise<number> {
  let args: CommandLine;
  try {
    args = parseCommandLine();
  } catch (error) {
    console.error(`db:restore: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.check) {
    console.log(`Backup ${args.file} is good: ${describe(await readBackupFile(args.file))}`);
    return 0;
  }
  const settings = readDatabaseSettings();
  if (settings.mongodbUri) {
    console.error(
      'db:restore: MONGODB_URI is set, so the service keeps its data in a real MongoDB, not the embedded database. ' +
        'Restore that with mongorestore, e.g. mongorestore --uri "$MONGODB_URI" --gzip --archive=<file> --drop',
    );
    return 1;
  }
  const result = await restoreBackup({ file: args.file, dbDir: resolve(settings.dbDir), force: args.force });
  console.log(`Restored ${describe(result.backup)}`);
  console.log(`  into ${result.dbDir}`);
  if (result.movedAsideTo) console.log(`  the database that was there is now in ${result.movedAsideTo} (delete it once you are sure)`);
  console.log('  start the service: it opens the restored database');
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError || error instanceof BackupFileError || error instanceof RestoreRefusedError) console.error(`db:restore: ${error.message}`);
  else console.error(`db:restore failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
