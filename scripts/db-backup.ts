/**
 * Takes a backup of the embedded database while the service runs:
 *
 *   npm run db:backup -- <file> [--uri mongodb://127.0.0.1:27027/?directConnection=true]
 *
 * The file holds the whole database at one moment (every write acknowledged before the
 * backup began, nothing half-done), checksummed, and replaces <file> only once it is
 * complete and checked. Database: --uri, else the service's embedded server on this
 * machine (127.0.0.1:EMBEDDED_MONGO_PORT). With MONGODB_URI set the service uses a real
 * MongoDB: back that up with mongodump. Restore with `npm run db:restore`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/config/config.js';
import { readDatabaseSettings } from './backup/database-settings.js';
import { BackupError, takeBackup, type BackupSummary } from './backup/take-backup.js';

const USAGE = 'Usage: npm run db:backup -- <file> [--uri mongodb://127.0.0.1:27027/?directConnection=true]';

function parseCommandLine(): { file: string; uri?: string } {
  const { values, positionals } = parseArgs({ options: { uri: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'the backup file is missing' : 'give exactly one backup file');
  if (values.uri !== undefined && !/^mongodb:\/\//.test(values.uri)) throw new UsageError('--uri must start with mongodb://');
  return { file: resolve(positionals[0]), uri: values.uri };
}

class UsageError extends Error {}

function describe(summary: BackupSummary): string[] {
  const { contents } = summary;
  const lines = [`Backup saved to ${summary.file}`, `  the database as of ${summary.takenAt.toISOString()} (server time)`];
  for (const [db, perDb] of contents.databases) lines.push(`  ${db}: ${plural(perDb.collections, 'collection')}, ${plural(perDb.documents, 'document')}`);
  lines.push(
    `  in all ${plural(contents.collections, 'collection')}, ${plural(contents.indexes, 'index', 'indexes')}, ${plural(contents.documents, 'document')}; ` +
      `${formatBytes(summary.bytes)} in ${summary.seconds.toFixed(1)} s; checked`,
  );
  return lines;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine();
  } catch (error) {
    console.error(`db:backup: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const settings = readDatabaseSettings();
  if (settings.mongodbUri && !args.uri) {
    console.error(
      'db:backup: MONGODB_URI is set, so the service keeps its data in a real MongoDB, not the embedded database. ' +
        'Back that up with mongodump, e.g. mongodump --uri "$MONGODB_URI" --gzip --archive=kdmp-$(date +%Y%m%d-%H%M).archive.gz',
    );
    return 1;
  }
  const summary = await takeBackup({ uri: args.uri ?? settings.embeddedUri, file: args.file });
  for (const line of describe(summary)) console.log(line);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError || error instanceof BackupError) console.error(`db:backup: ${error.message}`);
  else console.error(`db:backup failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
