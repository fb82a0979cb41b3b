import type { Document } from 'bson';
import type { Collection } from './collection.js';
import type { CursorRegistry } from './cursor-registry.js';
import type { DataView } from './data-view.js';
import { ErrorCode, MongoCommandError } from './errors.js';
import type { JournalRecord, Storage } from './storage.js';
import type { Transaction, TransactionManager } from './transactions.js';

export interface ServerInfo {
  readonly host: string;
  readonly port: number;
  readonly startedAt: Date;
}

/** Everything one command may touch. Its in-memory part runs synchronously. */
export interface CommandContext {
  readonly storage: Storage;
  readonly transactions: TransactionManager;
  readonly cursors: CursorRegistry;
  readonly server: ServerInfo;
  readonly connectionId: number;
  /** The `$db` of the command. */
  readonly db: string;
  readonly view: DataView;
  /** Journal records this command produced; appended (and fsynced) before the reply. */
  readonly records: JournalRecord[];
  readonly txn: Transaction | undefined;
}

export type CommandHandler = (ctx: CommandContext, command: Document) => Document;

export interface CommandDefinition {
  handler: CommandHandler;
  /**
   * How the command takes part in a multi-document transaction (MongoDB 7.0's "Operations
   * in transactions"): 'statement' runs in it; 'notFirst' too, but may not open it
   * (killCursors, informational commands). Absent: OperationNotSupportedInTransaction (263).
   */
  inTransaction?: 'statement' | 'notFirst';
}

/** The collection name a command targets (its first field's value). */
export function targetName(command: Document, commandName: string): string {
  const name = command[commandName];
  if (typeof name !== 'string' || name.length === 0) {
    throw new MongoCommandError(ErrorCode.InvalidNamespace, `collection name has invalid type ${typeof name}`);
  }
  return name;
}

export function namespaceOf(ctx: CommandContext, name: string): string {
  return `${ctx.db}.${name}`;
}

export function requireCollection(ctx: CommandContext, name: string): Collection {
  const collection = ctx.view.collection(ctx.db, name);
  if (!collection) throw new MongoCommandError(ErrorCode.NamespaceNotFound, `ns does not exist: ${namespaceOf(ctx, name)}`);
  return collection;
}

/** Reads an optional non-negative integer option (drivers may send int64 as numbers). */
export function readCount(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new MongoCommandError(ErrorCode.BadValue, `${name} must be a number`);
  return number;
}
