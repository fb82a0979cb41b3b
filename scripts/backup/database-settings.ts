import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvironment } from '../../src/config/config.js';
import { envSchema } from '../../src/config/env-schema.js';

/**
 * The database part of the service's configuration, as the backup scripts need it. Only
 * these variables are read (with the service's own schema): a cron job must not fail for
 * want of ADMIN_TOKEN or Twilio settings it has no use for.
 */
export interface DatabaseSettings {
  /** Set when the service uses a real MongoDB (then mongodump/mongorestore are the tools). */
  mongodbUri?: string;
  /** The embedded server's own directory, DATA_DIR/db. */
  dbDir: string;
  /** The embedded server's address, on loopback like the service's. */
  embeddedUri: string;
}

const databaseEnvSchema = envSchema.pick({ MONGODB_URI: true, DATA_DIR: true, EMBEDDED_MONGO_PORT: true });

/** Reads .env when present (as `npm start` does), then the environment. Throws ConfigError naming a bad variable. */
export function readDatabaseSettings(source: NodeJS.ProcessEnv = process.env): DatabaseSettings {
  if (source === process.env && existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnvironment(databaseEnvSchema, source);
  return {
    mongodbUri: env.MONGODB_URI,
    dbDir: join(env.DATA_DIR, 'db'),
    embeddedUri: `mongodb://127.0.0.1:${env.EMBEDDED_MONGO_PORT}/?directConnection=true`,
  };
}
