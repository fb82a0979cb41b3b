import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { connectDatabase, type Database } from './db/connect.js';
import { createLogger, type Logger } from './logger.js';

/** Shutdown must finish within this; after it the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

export interface RunningService {
  config: Readonly<Config>;
  logger: Logger;
  database: Database;
  /** The HTTP port actually bound (PORT=0 picks a free one). */
  port: number;
  stop(): Promise<void>;
}

/** Starts the whole service: configuration, database, HTTP. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel, pretty: config.nodeEnv === 'development' && process.stdout.isTTY });
  if (config.adminTokenGenerated) {
    // Development only (production refuses to start without one): shown once, never stored.
    logger.warn({ adminToken: config.adminToken }, 'ADMIN_TOKEN not set: generated one for this run');
  }

  const database = await connectDatabase(config, logger);
  let server: Server | undefined;
  try {
    const app = createApp({ logger, databaseLane: database.lane, routers: [] });
    server = await listen(app, config.port);
  } catch (error) {
    await database.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, env: config.nodeEnv }, 'KDMP Chat is ready');

  let stopping: Promise<void> | undefined;
  const httpServer = server;
  return {
    config,
    logger,
    database,
    port,
    stop() {
      stopping ??= (async () => {
        // Order matters: stop taking requests, let in-flight ones finish, then close the database.
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        await closed;
        await database.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}

function listen(app: ReturnType<typeof createApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, () => resolve(server));
    server.once('error', reject);
  });
}

async function runFromCommandLine(): Promise<void> {
  let service: RunningService;
  try {
    service = await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
    } else {
      console.error('KDMP Chat failed to start:', error);
    }
    process.exit(1);
  }
  const shutdown = (signal: string) => {
    service.logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      service.logger.error('shutdown took too long, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    service.stop().then(
      () => process.exit(0),
      (error) => {
        service.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runFromCommandLine();
}
