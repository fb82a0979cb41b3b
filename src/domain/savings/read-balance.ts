import type { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { SavingsBalances } from '../../db/models/member.js';
import type { SavingsEntryDoc } from '../../db/models/savings-entry.js';

export interface BalanceView extends SavingsBalances {
  totalRp: number;
  recent: Pick<SavingsEntryDoc, 'type' | 'amountRp' | 'note' | 'at'>[];
}

/** The cached balances plus the latest ledger entries, newest first. */
export async function readBalance(models: Models, coopId: string, memberId: Types.ObjectId, recentCount = 3): Promise<BalanceView> {
  const member = await models.Member.findOne({ _id: memberId, coopId }, { balances: 1 }).lean();
  if (!member) throw new Error('Member not found for balance');
  const recent = await models.SavingsEntry.find({ coopId, memberId }, { type: 1, amountRp: 1, note: 1, at: 1 })
    .sort({ at: -1, _id: -1 })
    .limit(recentCount)
    .lean();
  const { pokokRp, wajibRp, sukarelaRp } = member.balances;
  return {
    pokokRp,
    wajibRp,
    sukarelaRp,
    totalRp: pokokRp + wajibRp + sukarelaRp,
    recent: recent.map(({ type, amountRp, note, at }) => ({ type, amountRp, note, at })),
  };
}

/** Recomputes balances from the ledger alone (audits and tests compare it with the cache). */
export async function deriveBalancesFromLedger(models: Models, memberId: Types.ObjectId): Promise<SavingsBalances> {
  const entries = await models.SavingsEntry.find({ memberId }, { type: 1, amountRp: 1 }).lean();
  const balances: SavingsBalances = { pokokRp: 0, wajibRp: 0, sukarelaRp: 0 };
  for (const entry of entries) balances[`${entry.type}Rp`] += entry.amountRp;
  return balances;
}
