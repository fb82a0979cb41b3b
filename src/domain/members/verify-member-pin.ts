import type { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import { checkPinHash } from './pin-hash.js';

export const MAX_PIN_ATTEMPTS = 5;
export const PIN_LOCK_MINUTES = 30;

export type PinCheck =
  | { result: 'ok' }
  | { result: 'wrong'; attemptsLeft: number }
  | { result: 'locked'; until: Date };

/** Checks a member's PIN; five wrong PINs lock balance checks for 30 minutes. */
export async function verifyMemberPin(models: Models, memberId: Types.ObjectId, pin: string, now: Date): Promise<PinCheck> {
  const member = await models.Member.findById(memberId).lean();
  if (!member) throw new Error('Member not found for PIN check');
  if (member.pinLockedUntil && member.pinLockedUntil > now) return { result: 'locked', until: member.pinLockedUntil };
  const ok = member.pinHash ? await checkPinHash(pin.trim(), member.pinHash) : false;
  if (ok) {
    await models.Member.updateOne({ _id: memberId }, { $set: { failedPinCount: 0, pinLockedUntil: null } });
    return { result: 'ok' };
  }
  const updated = await models.Member.findOneAndUpdate({ _id: memberId }, { $inc: { failedPinCount: 1 } }, { returnDocument: 'after' }).lean();
  const failures = updated?.failedPinCount ?? MAX_PIN_ATTEMPTS;
  if (failures >= MAX_PIN_ATTEMPTS) {
    const until = new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000);
    await models.Member.updateOne({ _id: memberId }, { $set: { failedPinCount: 0, pinLockedUntil: until } });
    return { result: 'locked', until };
  }
  return { result: 'wrong', attemptsLeft: MAX_PIN_ATTEMPTS - failures };
}
