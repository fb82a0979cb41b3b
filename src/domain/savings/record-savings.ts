import type { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { MemberDoc } from '../../db/models/member.js';
import type { SavingsEntryDoc, SavingsType } from '../../db/models/savings-entry.js';
import { MONGO_DUPLICATE_KEY } from '../../db/bulk-write-errors.js';
import { DomainRuleError } from '../errors.js';
import { postSavingsEntry } from './post-savings-entry.js';

export interface RecordSavingsInput {
  coopId: string;
  memberId: Types.ObjectId;
  type: SavingsType;
  kind: 'deposit' | 'withdrawal';
  /** Positive whole rupiah. */
  amountRp: number;
  note: string;
  by: string;
  now: Date;
  /** The request that asked for it: a repeated submit finds the entry made and posts nothing. */
  requestKey?: string;
}

/**
 * A deposit or withdrawal staff record at the counter, as one ledger entry moving the
 * cached balance with it. Sukarela never goes below zero; pokok and wajib are the member's
 * stake and come back only when they leave (an inactive member).
 */
export async function recordSavings(models: Models, input: RecordSavingsInput): Promise<{ entry: SavingsEntryDoc; member: MemberDoc }> {
  if (!Number.isSafeInteger(input.amountRp) || input.amountRp <= 0) throw new DomainRuleError('invalid_amount', { amountRp: String(input.amountRp) });
  const member = await models.Member.findOne({ _id: input.memberId, coopId: input.coopId }).lean<MemberDoc>();
  if (!member) throw new DomainRuleError('member_not_found');
  if (input.kind === 'withdrawal' && input.type !== 'sukarela' && member.status === 'active') throw new DomainRuleError('not_withdrawable', { type: input.type });
  const sourceKey = input.requestKey ? `request:${input.requestKey}` : undefined;
  try {
    const entry = await postSavingsEntry(models, {
      coopId: input.coopId,
      memberId: input.memberId,
      type: input.type,
      amountRp: input.kind === 'deposit' ? input.amountRp : -input.amountRp,
      note: input.note,
      at: input.now,
      by: { kind: 'staff', ref: input.by },
      ...(sourceKey ? { sourceKey } : {}),
    });
    return { entry, member: (await models.Member.findById(input.memberId).lean<MemberDoc>())! };
  } catch (error) {
    if ((error as { code?: number }).code !== MONGO_DUPLICATE_KEY || !sourceKey) throw error;
    const entry = await models.SavingsEntry.findOne({ coopId: input.coopId, sourceKey }).lean<SavingsEntryDoc>();
    if (!entry) throw error;
    const signed = input.kind === 'deposit' ? input.amountRp : -input.amountRp;
    // The same key for a different entry is a client bug: refusing it beats silently dropping the second entry.
    if (!entry.memberId.equals(input.memberId) || entry.type !== input.type || entry.amountRp !== signed) throw new DomainRuleError('request_key_reused');
    return { entry, member: (await models.Member.findById(input.memberId).lean<MemberDoc>())! };
  }
}
