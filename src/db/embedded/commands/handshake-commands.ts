import { ObjectId, type Document } from 'bson';
import type { CommandContext } from '../command-context.js';
import { MAX_MESSAGE_SIZE } from '../wire-protocol.js';

/** Pinned: the driver and mongoose enable features by wire version (21 = MongoDB 7.0). */
export const MAX_WIRE_VERSION = 21;
export const REPLICA_SET_NAME = 'kdmp-embedded';
export const SERVER_VERSION = '7.0.0';
export const GIT_VERSION = 'kdmp-embedded';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

/**
 * hello/isMaster. Replica-set fields make the driver see a writable primary, which it
 * requires for sessions and transactions. No topologyVersion: the driver then polls
 * instead of sending awaitable hellos.
 */
export function runHello(ctx: CommandContext, command: Document): Document {
  const me = `${ctx.server.host}:${ctx.server.port}`;
  const reply: Document = {
    isWritablePrimary: true,
    ismaster: true,
    secondary: false,
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    hosts: [me],
    primary: me,
    me,
    electionId: ELECTION_ID,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
  if (command.helloOk === true) reply.helloOk = true;
  return reply;
}

export function runPing(): Document {
  return {};
}

export function runBuildInfo(): Document {
  return {
    version: SERVER_VERSION,
    gitVersion: GIT_VERSION,
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['kdmp-journal'],
    modules: [],
  };
}

export function runGetParameter(_ctx: CommandContext, command: Document): Document {
  const known: Document = {
    featureCompatibilityVersion: { version: '7.0' },
    transactionLifetimeLimitSeconds: 60,
    maxTransactionLockRequestTimeoutMillis: 5,
    cursorTimeoutMillis: 600_000,
  };
  if (command.getParameter === '*') return known;
  const reply: Document = {};
  for (const key of Object.keys(command)) if (key in known) reply[key] = known[key];
  return reply;
}

export function runEndSessions(ctx: CommandContext, command: Document): Document {
  const ids = Array.isArray(command.endSessions) ? command.endSessions : [];
  ctx.transactions.endSessions(ids);
  return {};
}

export function runWhatsMyUri(ctx: CommandContext): Document {
  return { you: `${ctx.server.host}:0` };
}

export function runServerStatus(ctx: CommandContext): Document {
  return {
    host: `${ctx.server.host}:${ctx.server.port}`,
    version: SERVER_VERSION,
    process: 'kdmp-embedded',
    pid: process.pid,
    uptime: Math.floor((Date.now() - ctx.server.startedAt.getTime()) / 1000),
    localTime: new Date(),
  };
}

export function runConnectionStatus(): Document {
  return { authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] } };
}
