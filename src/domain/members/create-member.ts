import { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { MemberDoc } from '../../db/models/member.js';
import { MONGO_DUPLICATE_KEY } from '../../db/bulk-write-errors.js';
import { DomainRuleError } from '../errors.js';
import { hashPin } from './pin-hash.js';

export interface NewMember {
  coopId: string;
  /** KDMP-0001 style; the next free one when absent. */
  memberNumber?: string;
  name: string;
  /** E.164. */
  phone: string;
  pin?: string;
  joinedAt: Date;
}

/** Registers a member (balances start at zero: opening balances are ledger entries). */
export async function createMember(models: Models, input: NewMember): Promise<MemberDoc> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const memberNumber = input.memberNumber ?? (await nextMemberNumber(models, input.coopId));
    try {
      const created = await models.Member.create({
        _id: new Types.ObjectId(),
        coopId: input.coopId,
        memberNumber,
        name: input.name,
        phone: input.phone,
        ...(input.pin ? { pinHash: await hashPin(input.pin) } : {}),
        status: 'active',
        joinedAt: input.joinedAt,
      });
      return created.toObject();
    } catch (error) {
      if ((error as { code?: number }).code !== MONGO_DUPLICATE_KEY) throw error;
      const pattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern ?? {};
      if ('phone' in pattern) throw new DomainRuleError('phone_taken', { phone: input.phone });
      // A number given by the caller is theirs to fix; a generated one raced another registration.
      if (input.memberNumber) throw new DomainRuleError('member_number_taken', { memberNumber: input.memberNumber });
    }
  }
  throw new DomainRuleError('member_number_taken', { memberNumber: input.memberNumber ?? '' });
}

async function nextMemberNumber(models: Models, coopId: string): Promise<string> {
  const numbers = await models.Member.find({ coopId }, { memberNumber: 1 }).lean();
  const highest = numbers.reduce((max, { memberNumber }) => Math.max(max, Number(/\d+$/.exec(memberNumber)?.[0] ?? 0)), 0);
  return `KDMP-${String(highest + 1).padStart(4, '0')}`;
}
