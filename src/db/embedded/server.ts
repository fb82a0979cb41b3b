import { mkdir } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Document } from 'bson';
import { silentLogger, type Logger } from '../../logger.js';
import { CommandDispatcher } from './command-dispatcher.js';
import { CursorRegistry } from './cursor-registry.js';
import { lockDataDir } from './data-dir-lock.js';
import { Persistence } from './persistence.js';
import { Storage } from './storage.js';
import { TransactionManager } from './transactions.js';
import { DEFAULT_TTL_SWEEP_INTERVAL_MS, TtlSweeper } from './ttl-sweeper.js';
import { encodeOpMsg, encodeOpReply, MessageReader, parseMessage } from './wire-protocol.js';

/*
 * The embedded MongoDB-compatible server. A command travels:
 *   wire-protocol.ts (OP_MSG / legacy OP_QUERY framing, BSON)
 *   -> command-dispatcher.ts (transaction resolution, in-memory part run synchronously)
 *   -> commands/*.ts (one file per command family) through a DataView
 *      (data-view.ts: committed state; transactions.ts: snapshot + buffered writes)
 *   -> storage.ts / collection.ts / secondary-index.ts (immutable documents, hash indexes)
 *   -> persistence.ts (one fsynced journal append per command, then the reply; compaction).
 * Query, update and aggregation semantics come from mingo (find-documents.ts,
 * update-document.ts, aggregate-command.ts); query-planner.ts picks index candidates.
 */

export interface EmbeddedMongoOptions {
  port: number;
  /** Defaults to 127.0.0.1: the server has no authentication, so it never listens beyond loopback. */
  host?: string;
  dataDir: string;
  logger?: Logger;
  /** How often expired TTL documents are removed (default 60 s, like MongoDB). */
  ttlSweepIntervalMs?: number;
  /** Journal size before compaction is considered (default 64 MB; lower in tests). */
  compactionMinBytes?: number;
}

export interface EmbeddedMongo {
  readonly port: number;
  uri(dbName: string): string;
  /** Stops accepting, finishes in-flight commands, flushes the journal, closes files. */
  close(): Promise<void>;
}

/** Starts the MongoDB-compatible server: recovers from the journal under dataDir, then listens. */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger;
  await mkdir(options.dataDir, { recursive: true });
  const lock = await lockDataDir(options.dataDir);
  const storage = new Storage();
  const transactions = new TransactionManager(storage);
  let persistence: Persistence;
  try {
    persistence = await Persistence.open(storage, {
      dir: join(options.dataDir, 'journal'),
      logger,
      compactionMinBytes: options.compactionMinBytes,
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
  const serverInfo = { host, port: 0, startedAt: new Date() };
  const dispatcher = new CommandDispatcher({ storage, transactions, cursors: new CursorRegistry(), persistence, server: serverInfo, logger });
  const sweeper = new TtlSweeper(storage, persistence, logger, options.ttlSweepIntervalMs ?? DEFAULT_TTL_SWEEP_INTERVAL_MS);

  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<void>>();
  let nextConnectionId = 1;
  let nextResponseId = 1;
  let closing = false;

  const handleConnection = (socket: Socket): void => {
    if (closing) {
      socket.destroy();
      return;
    }
    const connectionId = nextConnectionId++;
    const reader = new MessageReader();
    let queue = Promise.resolve();
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (error) => logger.debug({ err: error, connectionId }, 'embedded database connection error'));
    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = reader.push(chunk);
      } catch (error) {
        logger.warn({ err: error, connectionId }, 'embedded database protocol error; closing connection');
        socket.destroy();
        return;
      }
      for (const message of messages) {
        // One command at a time per connection, in arrival order.
        const task = queue
          .then(() => respond(socket, message, connectionId))
          .catch((error: unknown) => logger.error({ err: error, connectionId }, 'embedded database failed to answer'));
        queue = task;
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task));
      }
    });
  };

  const respond = async (socket: Socket, message: Buffer, connectionId: number): Promise<void> => {
    let request;
    try {
      request = parseMessage(message);
    } catch (error) {
      logger.warn({ err: error, connectionId }, 'embedded database could not parse a message; closing connection');
      socket.destroy();
      return;
    }
    let reply: Document;
    try {
      reply = await dispatcher.run(request.command, connectionId);
    } catch (error) {
      logger.error({ err: error, connectionId }, 'embedded database command crashed');
      reply = { ok: 0, errmsg: error instanceof Error ? error.message : String(error), code: 1, codeName: 'InternalError' };
    }
    if (request.moreToCome || socket.destroyed) return;
    const encode = request.kind === 'msg' ? encodeOpMsg : encodeOpReply;
    socket.write(encode(nextResponseId++, request.requestId, reply));
  };

  const server = createServer(handleConnection);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await persistence.close();
    await lock.release();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  serverInfo.port = port;
  sweeper.start();
  logger.info({ host, port, dataDir: options.dataDir }, 'embedded database listening');

  let closed: Promise<void> | undefined;
  return {
    port,
    uri: (dbName: string) => `mongodb://${host}:${port}/${dbName}?directConnection=true`,
    close() {
      closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await sweeper.stop();
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        for (const socket of sockets) socket.destroy();
        await stopped;
        await persistence.close();
        await lock.release();
        logger.info({ port }, 'embedded database closed');
      })();
      return closed;
    },
  };
}
