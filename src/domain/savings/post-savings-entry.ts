import type { ClientSession, Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { SavingsEntryDoc, SavingsType } from '../../db/models/savings-entry.js';
import { DomainRuleError } from '../errors.js';

export interface SavingsEntryInput {
  coopId: string;
  memberId: Types.ObjectId;
  type: SavingsType;
  /** Signed whole rupiah: deposits positive, withdrawals negative. */
  amountRp: number;
  note: string;
  at: Date;
  by: SavingsEntryDoc['by'];
  orderNumber?: number;
  /** Unique per coop: posting the same cause twice fails with a duplicate key (and its transaction with it). */
  sourceKey?: string;
}

/**
 * Appends a ledger entry and moves the cached balance in the same transaction. A debit
 * lands only if the balance covers it (the filter makes the check and the write atomic).
 * Pass `session` to join a caller's transaction; otherwise one is opened here.
 */
export async function postSavingsEntry(models: Models, input: SavingsEntryInput, session?: ClientSession): Promise<SavingsEntryDoc> {
  if (!Number.isSafeInteger(input.amountRp) || input.amountRp === 0) throw new Error('A savings entry needs a non-zero whole rupiah amount');
  if (!session) return models.connection.transaction((own) => postSavingsEntry(models, input, own));
  const field = `balances.${input.type}Rp`;
  const filter: Record<string, unknown> = { _id: input.memberId, coopId: input.coopId };
  if (input.amountRp < 0) filter[field] = { $gte: -input.amountRp };
  const moved = await models.Member.updateOne(filter, { $inc: { [field]: input.amountRp, ledgerEntries: 1 } }, { session });
  if (moved.matchedCount === 0) {
    const exists = await models.Member.exists({ _id: input.memberId, coopId: input.coopId }).session(session);
    if (!exists) throw new Error('Member not found for savings entry');
    throw new DomainRuleError('insufficient_balance', { type: input.type });
  }
  const [entry] = await models.SavingsEntry.create(
    [
      {
        coopId: input.coopId,
        memberId: input.memberId,
        memberNumber: (await models.Member.findById(input.memberId, { memberNumber: 1 }).session(session).lean())!.memberNumber,
        type: input.type,
        amountRp: input.amountRp,
        note: input.note,
        at: input.at,
        by: input.by,
        ...(input.orderNumber !== undefined ? { orderNumber: input.orderNumber } : {}),
        ...(input.sourceKey !== undefined ? { sourceKey: input.sourceKey } : {}),
      },
    ],
    { session },
  );
  return entry.toObject();
}
