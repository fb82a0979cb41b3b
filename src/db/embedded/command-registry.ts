import type { CommandDefinition } from './command-context.js';
import { runAggregate } from './commands/aggregate-command.js';
import { runCreate, runDrop, runDropDatabase, runListCollections, runListDatabases, runRenameCollection } from './commands/collection-commands.js';
import { runCount, runDistinct } from './commands/count-distinct-commands.js';
import { runDelete } from './commands/delete-command.js';
import { runFindAndModify } from './commands/find-and-modify-command.js';
import { runFind, runGetMore, runKillCursors } from './commands/find-commands.js';
import {
  runBuildInfo,
  runConnectionStatus,
  runEndSessions,
  runGetParameter,
  runHello,
  runPing,
  runServerStatus,
  runWhatsMyUri,
} from './commands/handshake-commands.js';
import { runCreateIndexes, runDropIndexes, runListIndexes } from './commands/index-commands.js';
import { runInsert } from './commands/insert-command.js';
import { runAbortTransaction, runCommitTransaction } from './commands/transaction-commands.js';
import { runUnsupported, UNSUPPORTED_COMMANDS } from './commands/unsupported-commands.js';
import { runUpdate } from './commands/update-command.js';

/** Every command the embedded server answers; anything else is CommandNotFound (59). */
export const COMMANDS = new Map<string, CommandDefinition>([
  ['hello', { handler: runHello }],
  ['isMaster', { handler: runHello }],
  ['ismaster', { handler: runHello }],
  ['ping', { handler: runPing }],
  ['buildInfo', { handler: runBuildInfo }],
  ['buildinfo', { handler: runBuildInfo }],
  ['getParameter', { handler: runGetParameter }],
  ['whatsmyuri', { handler: runWhatsMyUri }],
  ['serverStatus', { handler: runServerStatus }],
  ['connectionStatus', { handler: runConnectionStatus }],
  ['endSessions', { handler: runEndSessions }],
  ['insert', { handler: runInsert, inTransaction: true }],
  ['find', { handler: runFind, inTransaction: true }],
  ['getMore', { handler: runGetMore, inTransaction: true }],
  ['killCursors', { handler: runKillCursors, inTransaction: true }],
  ['update', { handler: runUpdate, inTransaction: true }],
  ['delete', { handler: runDelete, inTransaction: true }],
  ['findAndModify', { handler: runFindAndModify, inTransaction: true }],
  ['findandmodify', { handler: runFindAndModify, inTransaction: true }],
  ['aggregate', { handler: runAggregate, inTransaction: true }],
  ['count', { handler: runCount, inTransaction: true }],
  ['distinct', { handler: runDistinct, inTransaction: true }],
  ['createIndexes', { handler: runCreateIndexes }],
  ['listIndexes', { handler: runListIndexes }],
  ['dropIndexes', { handler: runDropIndexes }],
  ['deleteIndexes', { handler: runDropIndexes }],
  ['create', { handler: runCreate }],
  ['drop', { handler: runDrop }],
  ['listCollections', { handler: runListCollections }],
  ['renameCollection', { handler: runRenameCollection }],
  ['listDatabases', { handler: runListDatabases }],
  ['dropDatabase', { handler: runDropDatabase }],
  ['commitTransaction', { handler: runCommitTransaction }],
  ['abortTransaction', { handler: runAbortTransaction }],
  ...UNSUPPORTED_COMMANDS.map((name): [string, CommandDefinition] => [name, { handler: runUnsupported, inTransaction: true }]),
]);

/** Commands that manage a transaction themselves instead of running inside one. */
export const TRANSACTION_CONTROL_COMMANDS = new Set(['commitTransaction', 'abortTransaction']);
