import type { CommandDefinition } from './command-context.js';
import { runAggregate } from './commands/aggregate-command.js';
import { runKdmpBackup } from './commands/backup-command.js';
import { runCreate, runDrop, runDropDatabase, runListCollections, runListDatabases, runRenameCollection } from './commands/collection-commands.js';
import { runCount, runDistinct } from './commands/count-distinct-commands.js';
import { runDelete } from './commands/delete-command.js';
import { runExplain } from './commands/explain-command.js';
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

/**
 * Every command the embedded server answers; anything else is CommandNotFound (59).
 * `inTransaction` follows MongoDB 7.0's list of operations allowed in transactions: CRUD,
 * distinct, create and createIndexes (on a new collection), killCursors and the
 * informational commands (neither of them first); count, listCollections, listIndexes,
 * explain, getParameter and other catalog or admin commands are refused.
 */
export const COMMANDS = new Map<string, CommandDefinition>([
  ['hello', { handler: runHello, inTransaction: 'notFirst' }],
  ['isMaster', { handler: runHello, inTransaction: 'notFirst' }],
  ['ismaster', { handler: runHello, inTransaction: 'notFirst' }],
  ['ping', { handler: runPing }],
  ['buildInfo', { handler: runBuildInfo, inTransaction: 'notFirst' }],
  ['buildinfo', { handler: runBuildInfo, inTransaction: 'notFirst' }],
  ['getParameter', { handler: runGetParameter }],
  ['whatsmyuri', { handler: runWhatsMyUri }],
  ['serverStatus', { handler: runServerStatus }],
  ['connectionStatus', { handler: runConnectionStatus, inTransaction: 'notFirst' }],
  ['endSessions', { handler: runEndSessions }],
  ['insert', { handler: runInsert, inTransaction: 'statement' }],
  ['find', { handler: runFind, inTransaction: 'statement' }],
  ['getMore', { handler: runGetMore, inTransaction: 'statement' }],
  ['killCursors', { handler: runKillCursors, inTransaction: 'notFirst' }],
  ['update', { handler: runUpdate, inTransaction: 'statement' }],
  ['delete', { handler: runDelete, inTransaction: 'statement' }],
  ['findAndModify', { handler: runFindAndModify, inTransaction: 'statement' }],
  ['findandmodify', { handler: runFindAndModify, inTransaction: 'statement' }],
  ['aggregate', { handler: runAggregate, inTransaction: 'statement' }],
  // countDocuments() is an aggregate; the count command itself is refused in a transaction.
  ['count', { handler: runCount }],
  ['distinct', { handler: runDistinct, inTransaction: 'statement' }],
  ['explain', { handler: runExplain }],
  ['createIndexes', { handler: runCreateIndexes, inTransaction: 'statement' }],
  ['listIndexes', { handler: runListIndexes }],
  ['dropIndexes', { handler: runDropIndexes }],
  ['deleteIndexes', { handler: runDropIndexes }],
  ['create', { handler: runCreate, inTransaction: 'statement' }],
  ['drop', { handler: runDrop }],
  ['listCollections', { handler: runListCollections }],
  ['renameCollection', { handler: runRenameCollection }],
  ['listDatabases', { handler: runListDatabases }],
  ['dropDatabase', { handler: runDropDatabase }],
  ['kdmpBackup', { handler: runKdmpBackup }],
  ['commitTransaction', { handler: runCommitTransaction }],
  ['abortTransaction', { handler: runAbortTransaction }],
  ...UNSUPPORTED_COMMANDS.map((name): [string, CommandDefinition] => [name, { handler: runUnsupported }]),
]);

/** Commands that manage a transaction themselves instead of running inside one. */
export const TRANSACTION_CONTROL_COMMANDS = new Set(['commitTransaction', 'abortTransaction']);
