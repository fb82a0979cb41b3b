import type { Document } from 'bson';
import type { Logger } from '../../logger.js';
import { ClusterClock } from './cluster-clock.js';
import type { CommandContext, ServerInfo } from './command-context.js';
import { COMMANDS, TRANSACTION_CONTROL_COMMANDS } from './command-registry.js';
import type { CursorRegistry } from './cursor-registry.js';
import { CommittedView } from './data-view.js';
import { ErrorCode, MongoCommandError, toCommandError } from './errors.js';
import type { Persistence } from './persistence.js';
import { checkAfterClusterTime } from './read-concern.js';
import type { JournalRecord, Storage } from './storage.js';
import { checkTransactionStatement } from './transaction-rules.js';
import { TransactionView, type Transaction, type TransactionManager } from './transactions.js';

export interface DispatcherDeps {
  storage: Storage;
  transactions: TransactionManager;
  cursors: CursorRegistry;
  persistence: Persistence;
  server: ServerInfo;
  logger: Logger;
  clock?: ClusterClock;
}

/**
 * Runs one command: the in-memory part synchronously (commands never interleave), then
 * one journal append for whatever it wrote, and only then the reply. Every reply carries
 * the cluster time; a command that wrote gets a new, later operationTime.
 */
export class CommandDispatcher {
  private readonly clock: ClusterClock;

  constructor(private readonly deps: DispatcherDeps) {
    this.clock = deps.clock ?? new ClusterClock();
  }

  async run(command: Document, connectionId: number): Promise<Document> {
    const name = Object.keys(command)[0] ?? '';
    const records: JournalRecord[] = [];
    this.clock.observe(command.$clusterTime);
    let reply = this.runInMemory(name, command, connectionId, records);
    // Ticked before the append so times follow the order commands changed memory in.
    const operationTime = records.length > 0 ? this.clock.tick() : this.clock.now();
    reply = { ...reply, ...this.clock.replyFields(operationTime) };
    if (records.length > 0) {
      try {
        await this.deps.persistence.append(records);
      } catch (error) {
        this.deps.logger.error({ err: error, command: name }, 'embedded database journal append failed');
        reply = {
          ...new MongoCommandError(ErrorCode.InternalError, 'journal write failed; the write is not durable', { cause: error }).toReply(),
          ...this.clock.replyFields(operationTime),
        };
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
    const db = typeof command.$db === 'string' ? command.$db : 'admin';
    try {
      checkAfterClusterTime(command.readConcern, this.clock);
      if (command.autocommit === false && !TRANSACTION_CONTROL_COMMANDS.has(name)) {
        checkTransactionStatement(name, definition, command, db);
        txn = transactions.resolve(command.lsid, Number(command.txnNumber), command.startTransaction === true, command.readConcern);
      }
      const view = txn ? new TransactionView(storage, records, transactions, txn) : new CommittedView(storage, records);
      const ctx: CommandContext = {
        storage,
        transactions,
        cursors,
        server,
        connectionId,
        db,
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
