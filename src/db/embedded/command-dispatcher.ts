import type { Document } from 'bson';
import type { Logger } from '../../logger.js';
import type { CommandContext, ServerInfo } from './command-context.js';
import { COMMANDS, TRANSACTION_CONTROL_COMMANDS } from './command-registry.js';
import type { CursorRegistry } from './cursor-registry.js';
import { CommittedView } from './data-view.js';
import { ErrorCode, MongoCommandError, toCommandError } from './errors.js';
import type { Persistence } from './persistence.js';
import type { JournalRecord, Storage } from './storage.js';
import { TransactionView, type Transaction, type TransactionManager } from './transactions.js';

export interface DispatcherDeps {
  storage: Storage;
  transactions: TransactionManager;
  cursors: CursorRegistry;
  persistence: Persistence;
  server: ServerInfo;
  logger: Logger;
}

/**
 * Runs one command: the in-memory part synchronously (commands never interleave), then
 * one journal append for whatever it wrote, and only then the reply.
 */
export class CommandDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async run(command: Document, connectionId: number): Promise<Document> {
    const name = Object.keys(command)[0] ?? '';
    const records: JournalRecord[] = [];
    let reply = this.runInMemory(name, command, connectionId, records);
    if (records.length > 0) {
      try {
        await this.deps.persistence.append(records);
      } catch (error) {
        this.deps.logger.error({ err: error, command: name }, 'embedded database journal append failed');
        reply = new MongoCommandError(ErrorCode.InternalError, 'journal write failed; the write is not durable', { cause: error }).toReply();
      }
    }
    return reply;
  }

  private runInMemory(name: string, command: Document, connectionId: number, records: JournalRecord[]): Document {
    const definition = COMMANDS.get(name);
    if (!definition) {
      return new MongoCommandError(ErrorCode.CommandNotFound, `no such command: '${name}'`).toReply();
    }
    const { storage, transactions, cursors, server } = this.deps;
    let txn: Transaction | undefined;
    try {
      if (command.autocommit === false && !TRANSACTION_CONTROL_COMMANDS.has(name)) {
        txn = transactions.resolve(command.lsid, Number(command.txnNumber), command.startTransaction === true);
        if (!definition.inTransaction) {
          throw new MongoCommandError(ErrorCode.OperationNotSupportedInTransaction, `Cannot run '${name}' in a multi-document transaction.`);
        }
      }
      const view = txn ? new TransactionView(storage, records, transactions, txn) : new CommittedView(storage, records);
      const ctx: CommandContext = {
        storage,
        transactions,
        cursors,
        server,
        connectionId,
        db: typeof command.$db === 'string' ? command.$db : 'admin',
        view,
        records,
        txn,
      };
      const reply = definition.handler(ctx, command);
      // MongoDB aborts a transaction whose statement failed.
      if (txn && Array.isArray(reply.writeErrors) && reply.writeErrors.length > 0) transactions.abort(txn);
      return { ...reply, ok: 1 };
    } catch (error) {
      const failure = toCommandError(error);
      if (txn && failure.code !== ErrorCode.NoSuchTransaction) transactions.abort(txn);
      if (failure.code === ErrorCode.InternalError || failure.code === ErrorCode.BadValue) {
        this.deps.logger.debug({ err: error, command: name }, 'embedded database command failed');
      }
      return failure.toReply();
    }
  }
}
