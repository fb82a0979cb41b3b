import { createHash, randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { StaffRole, StaffTokenDoc } from '../../db/models/staff-token.js';

/** Staff tokens start with this, so a leaked one is recognisable (and greppable) as ours. */
const TOKEN_PREFIX = 'kdmp_';
/** A token's last use is written at most this often: reads must not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface IssuedStaffToken {
  /** The only time the token itself exists outside the holder's hands. */
  token: string;
  record: StaffTokenDoc;
}

export interface IssueStaffTokenInput {
  coopId: string;
  role: StaffRole;
  label: string;
  createdBy: string;
  now: Date;
}

/** Creates a token for one cooperative and role; only its hash is stored. */
export async function issueStaffToken(models: Models, input: IssueStaffTokenInput): Promise<IssuedStaffToken> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const record: StaffTokenDoc = {
    _id: new Types.ObjectId(),
    coopId: input.coopId,
    role: input.role,
    label: input.label,
    tokenHash: hashStaffToken(token),
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    createdBy: input.createdBy,
    createdAt: input.now,
    updatedAt: input.now,
  };
  await models.StaffToken.create(record);
  return { token, record };
}

/** The live token record a presented token belongs to, if any (revoked ones are not). */
export async function findStaffToken(models: Models, token: string, now: Date): Promise<StaffTokenDoc | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const record = await models.StaffToken.findOne({ tokenHash: hashStaffToken(token), revokedAt: { $exists: false } }).lean<StaffTokenDoc>();
  if (!record) return undefined;
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await models.StaffToken.updateOne({ _id: record._id }, { $set: { lastUsedAt: now } });
  }
  return record;
}

/** Revokes a token of the cooperative; false when there is no such live token. */
export async function revokeStaffToken(models: Models, coopId: string, tokenId: Types.ObjectId, now: Date): Promise<boolean> {
  const { modifiedCount } = await models.StaffToken.updateOne({ _id: tokenId, coopId, revokedAt: { $exists: false } }, { $set: { revokedAt: now } });
  return modifiedCount === 1;
}

function hashStaffToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
