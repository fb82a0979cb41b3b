import type { Document } from 'bson';
import type { CommandDefinition } from './command-context.js';
import { ErrorCode, MongoCommandError } from './errors.js';

/** MongoDB keeps these databases out of transactions. */
const DATABASES_WITHOUT_TRANSACTIONS = new Set(['admin', 'config', 'local']);

/**
 * Refuses a statement that MongoDB 7.0 does not run in a multi-document transaction
 * ("Transactions and Operations"). Checked before the session's transaction is touched,
 * as MongoDB does: a refused statement neither starts nor aborts the transaction.
 */
export function checkTransactionStatement(name: string, definition: CommandDefinition, command: Document, db: string): void {
  const starting = command.startTransaction === true;
  if (!definition.inTransaction) {
    throw new MongoCommandError(ErrorCode.OperationNotSupportedInTransaction, `Cannot run '${name}' in a multi-document transaction.`);
  }
  if (starting && definition.inTransaction === 'notFirst') {
    throw new MongoCommandError(ErrorCode.OperationNotSupportedInTransaction, `Cannot run '${name}' as the first operation in a multi-document transaction.`);
  }
  if (definition.inTransaction === 'statement' && DATABASES_WITHOUT_TRANSACTIONS.has(db)) {
    throw new MongoCommandError(ErrorCode.OperationNotSupportedInTransaction, `Cannot run command against the '${db}' database in a transaction.`);
  }
  if (command.writeConcern !== undefined) {
    throw new MongoCommandError(ErrorCode.InvalidOptions, 'writeConcern is not allowed within a multi-statement transaction');
  }
  if (!starting && command.readConcern !== undefined) {
    throw new MongoCommandError(ErrorCode.InvalidOptions, 'Only the first command in a transaction may specify a readConcern');
  }
}
