import type { Document } from 'bson';
import type { CommandContext } from '../command-context.js';

/** commitTransaction: one journal append carries every write of the transaction. */
export function runCommitTransaction(ctx: CommandContext, command: Document): Document {
  ctx.transactions.commit(command.lsid, Number(command.txnNumber), ctx.records);
  return {};
}

export function runAbortTransaction(ctx: CommandContext, command: Document): Document {
  ctx.transactions.abortByCommand(command.lsid, Number(command.txnNumber));
  return {};
}
