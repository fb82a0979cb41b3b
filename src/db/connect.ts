import { join } from 'node:path';
import mongoose from 'mongoose';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { EmbeddedHealth, EmbeddedMongo } from './embedded/server.js';
import { startEmbeddedMongoWorker } from './embedded-worker.js';

export type DatabaseLane = 'embedded' | 'mongodb';
export type DatabaseHealth = EmbeddedHealth;

export interface Database {
  connection: mongoose.Connection;
  lane: DatabaseLane;
  /** The embedded server, on that lane (its port may differ from the configured one when 0). */
  embedded?: EmbeddedMongo;
  /** The embedded lane's journal health; an external MongoDB answers for itself (always ok here). */
  health(): DatabaseHealth;
  /** Closes the mongoose connection, then (embedded lane) flushes and stops the server. */
  close(): Promise<void>;
}

const EMBEDDED_DB_NAME = 'kdmp';
/**
 * No command of this service runs anywhere near this long; a reply that never comes (a lost
 * connection, a database defect) fails the message after it instead of holding it forever.
 */
const SOCKET_TIMEOUT_MS = 30_000;

/**
 * Connects to MONGODB_URI when set; otherwise starts the embedded MongoDB-compatible
 * server with its files under DATA_DIR/db, on its own worker thread, and connects to that.
 */
export async function connectDatabase(
  config: Pick<Config, 'mongodbUri' | 'dataDir' | 'embeddedMongoPort'>,
  logger: Logger,
  /** Called if the embedded database dies while the service runs: nothing can be stored any more. */
  onEmbeddedCrash?: (error: Error) => void,
): Promise<Database> {
  let embedded: EmbeddedMongo | undefined;
  if (!config.mongodbUri) {
    const options = { port: config.embeddedMongoPort, dataDir: join(config.dataDir, 'db'), logger: logger.child({ component: 'embedded-mongo' }) };
    embedded = await startEmbeddedMongoWorker(options, onEmbeddedCrash);
  }
  const uri = config.mongodbUri ?? embedded!.uri(EMBEDDED_DB_NAME);
  const lane: DatabaseLane = embedded ? 'embedded' : 'mongodb';
  let connection: mongoose.Connection;
  try {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, socketTimeoutMS: SOCKET_TIMEOUT_MS }).asPromise();
  } catch (error) {
    await embedded?.close();
    throw new Error(`Could not connect to the ${lane} database`, { cause: error });
  }
  logger.info(
    lane === 'embedded'
      ? { lane, port: embedded!.port, dataDir: join(config.dataDir, 'db') }
      : { lane, host: describeHost(uri) },
    'database connected',
  );
  return {
    connection,
    lane,
    embedded,
    health: () => embedded?.health() ?? { ok: true },
    async close() {
      await connection.close();
      await embedded?.close();
    },
  };
}

/** The host part of a connection string, without credentials, for logs. */
function describeHost(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/)(?:[^@/]*@)?([^/?]*).*$/, '$1$2');
}
