import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from '../../src/db/embedded/server.js';
import { silentLogger } from '../../src/logger.js';

export interface TestDatabase {
  /** Connection string for the database this test file owns. */
  uri: string;
  /** 'embedded' unless MONGODB_URI points the suite at a real MongoDB. */
  lane: 'embedded' | 'mongodb';
  /** The embedded server, when that lane is in use (for restart/durability tests). */
  server?: EmbeddedMongo;
  dataDir?: string;
  /** Drops the test database (real lane) or stops the server and removes its files. */
  cleanup(): Promise<void>;
}

/**
 * Gives a test file its own database: a fresh embedded server on port 0 with a temporary
 * data directory, or, with MONGODB_URI set, a uniquely named database on that server so
 * the same suite runs against a real MongoDB. `options` only affect the embedded lane.
 */
export async function openTestDatabase(
  name = 'kdmp_test',
  options: Pick<EmbeddedMongoOptions, 'ttlSweepIntervalMs'> = {},
): Promise<TestDatabase> {
  const dbName = `${name}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const external = process.env.MONGODB_URI;
  if (external) {
    const url = new URL(external);
    url.pathname = `/${dbName}`;
    const uri = url.toString();
    return {
      uri,
      lane: 'mongodb',
      async cleanup() {
        const conn = await mongoose.createConnection(uri).asPromise();
        await conn.dropDatabase();
        await conn.close();
      },
    };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-db-'));
  const server = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger, ...options });
  return {
    uri: server.uri(dbName),
    lane: 'embedded',
    server,
    dataDir,
    async cleanup() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The lane known before any test starts, for skipping embedded-only tests visibly. */
export function testLane(): TestDatabase['lane'] {
  return process.env.MONGODB_URI ? 'mongodb' : 'embedded';
}

/** Polls `check` until it returns true (tests wait on conditions, never fixed sleeps). */
export async function waitFor(check: () => Promise<boolean>, { timeoutMs = 10_000, intervalMs = 25 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
