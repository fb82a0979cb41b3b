import { mkdir, open, rm } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Document } from 'bson';
import { silentLogger, type Logger } from '../../logger.js';
import { ClusterClock } from './cluster-clock.js';
import { CommandDispatcher } from './command-dispatcher.js';
import { CursorRegistry } from './cursor-registry.js';
import { lockDataDir } from './data-dir-lock.js';
import { ErrorCode } from './errors.js';
import { Persistence } from './persistence.js';
import { Storage } from './storage.js';
import type { JournalTestHooks } from './journal.js';
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
  /** Told when the server stops or starts serving because of its journal (see EmbeddedHealth). */
  onHealthChange?: (health: EmbeddedHealth) => void;
  /** Fault tests only: a `beforeWrite` that throws stands for a full or failing disk. */
  journalTestHooks?: JournalTestHooks;
}

export interface EmbeddedMongo {
  readonly port: number;
  uri(dbName: string): string;
  /** Unhealthy from a journal failure until the journal is reopened. */
  health(): EmbeddedHealth;
  /** Stops accepting, finishes in-flight commands, flushes the journal, closes files. */
  close(): Promise<void>;
}

/** Answered even while the journal is failed: drivers need them to connect and to monitor. */
const HANDSHAKE_COMMANDS = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'buildinfo', 'endSessions', 'saslSupportedMechs', 'getParameter']);
/** First wait before trying to reopen a failed journal, and the longest wait between tries. */
const RECOVERY_FIRST_DELAY_MS = 500;
const RECOVERY_MAX_DELAY_MS = 10_000;
/** A reopen first proves the disk takes this much again (a journal batch is far smaller). */
const RECOVERY_PROBE_BYTES = 1024 * 1024;

/** Whether the server can be trusted with reads and writes. */
export type EmbeddedHealth = { ok: true } | { ok: false; cause: string; since: string };

/** The in-memory database and everything built on it; replaced whole when the journal is reopened. */
interface OpenDatabase {
  dispatcher: CommandDispatcher;
  persistence: Persistence;
  sweeper: TtlSweeper;
}

/** Starts the MongoDB-compatible server: recovers from the journal under dataDir, then listens. */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger;
  const journalDir = join(options.dataDir, 'journal');
  await mkdir(options.dataDir, { recursive: true });
  const lock = await lockDataDir(options.dataDir);
  const serverInfo = { host, port: 0, startedAt: new Date() };
  // Outlives a reopen of the journal, so cluster times never go backwards.
  const clock = new ClusterClock();
  let health: EmbeddedHealth = { ok: true };
  let recovery: NodeJS.Timeout | undefined;
  let recovering: Promise<void> | undefined;
  let closing = false;

  const setHealth = (next: EmbeddedHealth): void => {
    health = next;
    options.onHealthChange?.(next);
  };

  /** Reads the journal from disk into a fresh in-memory database. */
  const openDatabase = async (): Promise<OpenDatabase> => {
    const storage = new Storage();
    const persistence = await Persistence.open(storage, {
      dir: journalDir,
      logger,
      compactionMinBytes: options.compactionMinBytes,
      onJournalFailure: (cause) => onJournalFailure(cause),
      testHooks: options.journalTestHooks,
    });
    const dispatcher = new CommandDispatcher({ storage, transactions: new TransactionManager(storage), cursors: new CursorRegistry(), persistence, server: serverInfo, logger, clock });
    const sweeper = new TtlSweeper(storage, persistence, logger, options.ttlSweepIntervalMs ?? DEFAULT_TTL_SWEEP_INTERVAL_MS);
    sweeper.start();
    return { dispatcher, persistence, sweeper };
  };

  /*
   * A failed journal write leaves the in-memory state ahead of the disk, with writes that
   * will vanish at the next start. From that moment nothing is served from memory: every
   * command but the handshake is refused, and the database is reopened from the journal
   * (dropping what never reached it) once the disk takes writes again.
   */
  const onJournalFailure = (cause: Error): void => {
    if (!health.ok || closing) return;
    const reason = describeCause(cause);
    logger.error({ err: cause }, 'embedded database journal failed: refusing reads and writes until it can be reopened');
    setHealth({ ok: false, cause: `journal write failed: ${reason}`, since: new Date().toISOString() });
    scheduleRecovery(RECOVERY_FIRST_DELAY_MS);
  };

  const scheduleRecovery = (delayMs: number): void => {
    recovery = setTimeout(() => {
      recovering = tryRecovery(delayMs).finally(() => {
        recovering = undefined;
      });
    }, delayMs);
    recovery.unref();
  };

  const tryRecovery = async (delayMs: number): Promise<void> => {
    if (closing) return;
    try {
      await options.journalTestHooks?.beforeWrite?.();
      await probeDisk(journalDir);
      const failed = database;
      await failed.sweeper.stop();
      await failed.persistence.close().catch(() => undefined);
      const reopened = await openDatabase();
      if (closing) {
        // close() began meanwhile and waits for this attempt: leave nothing open behind it.
        await reopened.sweeper.stop();
        await reopened.persistence.close();
        return;
      }
      database = reopened;
      // Cursors and transactions of the dropped state are gone: clients reconnect and start over.
      for (const socket of sockets) socket.destroy();
      logger.info('embedded database journal reopened; serving again');
      setHealth({ ok: true });
    } catch (error) {
      if (closing) return;
      logger.warn({ err: error, retryInMs: Math.min(delayMs * 2, RECOVERY_MAX_DELAY_MS) }, 'embedded database journal still cannot be written');
      scheduleRecovery(Math.min(delayMs * 2, RECOVERY_MAX_DELAY_MS));
    }
  };

  let database: OpenDatabase;
  try {
    database = await openDatabase();
  } catch (error) {
    await lock.release();
    throw error;
  }

  const sockets = new Set<Socket>();
  const inFlight = new Set<Promise<void>>();
  let nextConnectionId = 1;
  let nextResponseId = 1;

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
    const name = Object.keys(request.command)[0] ?? '';
    try {
      reply = !health.ok && !HANDSHAKE_COMMANDS.has(name) ? unavailableReply(health.cause) : await database.dispatcher.run(request.command, connectionId);
    } catch (error) {
      logger.error({ err: error, connectionId }, 'embedded database command crashed');
      reply = { ok: 0, errmsg: error instanceof Error ? error.message : String(error), code: 1, codeName: 'InternalError' };
    }
    if (request.moreToCome || socket.destroyed) return;
    const encode = request.kind === 'msg' ? encodeOpMsg : encodeOpReply;
    let bytes: Buffer;
    try {
      bytes = encode(nextResponseId++, request.requestId, reply);
    } catch (error) {
      // A reply that cannot be encoded still gets an answer: a client waiting for one would wait forever.
      logger.error({ err: error, connectionId, command: name }, 'embedded database could not encode a reply');
      bytes = encode(nextResponseId++, request.requestId, {
        ok: 0,
        code: ErrorCode.BSONObjectTooLarge,
        codeName: 'BSONObjectTooLarge',
        errmsg: `the reply to '${name}' could not be encoded: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    socket.write(bytes);
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
    await database.sweeper.stop();
    await database.persistence.close();
    await lock.release();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  serverInfo.port = port;
  logger.info({ host, port, dataDir: options.dataDir }, 'embedded database listening');

  let closed: Promise<void> | undefined;
  return {
    port,
    uri: (dbName: string) => `mongodb://${host}:${port}/${dbName}?directConnection=true`,
    health: () => health,
    close() {
      closed ??= (async () => {
        closing = true;
        clearTimeout(recovery);
        await recovering;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await database.sweeper.stop();
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        for (const socket of sockets) socket.destroy();
        await stopped;
        // A failed journal has nothing more to flush; closing it reports the old failure.
        await database.persistence.close().catch((error: unknown) => {
          if (health.ok) throw error;
        });
        await lock.release();
        logger.info({ port }, 'embedded database closed');
      })();
      return closed;
    },
  };
}

function unavailableReply(cause: string): Document {
  return { ok: 0, code: 1, codeName: 'InternalError', errmsg: `embedded database unavailable: ${cause}; reads and writes are refused until the journal can be written again` };
}

function describeCause(error: Error): string {
  let cause: unknown = error;
  // The root cause (ENOSPC, EIO) says more to an operator than the journal's own wrapper.
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(cause);
}

/** Writes, fsyncs and removes a scratch file: proof the disk takes writes again. */
async function probeDisk(dir: string): Promise<void> {
  const path = join(dir, 'write-probe.tmp');
  const handle = await open(path, 'w');
  try {
    await handle.write(Buffer.alloc(RECOVERY_PROBE_BYTES));
    await handle.sync();
  } finally {
    await handle.close();
    await rm(path, { force: true });
  }
}
