import { Schema, type Types } from 'mongoose';

/** What a staff token may do in its cooperative (see src/admin/permissions.ts). */
export type StaffRole = 'manager' | 'staff';
export const STAFF_ROLES: readonly StaffRole[] = ['manager', 'staff'];

/** An admin API token for one cooperative. Only its SHA-256 is stored; the token is shown once. */
export interface StaffTokenDoc {
  _id: Types.ObjectId;
  coopId: string;
  role: StaffRole;
  /** Who holds it ("Bu Sari, kasir"), so a list of tokens means something when revoking. */
  label: string;
  /** Hex SHA-256 of the token: tokens are long random strings, so a fast hash is enough. */
  tokenHash: string;
  /** The token's first characters, to recognise it in a list without revealing it. */
  prefix: string;
  createdBy: string;
  revokedAt?: Date;
  lastUsedAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

export const staffTokenSchema = new Schema<StaffTokenDoc>(
  {
    coopId: { type: String, required: true },
    role: { type: String, enum: STAFF_ROLES, required: true },
    label: { type: String, required: true, maxlength: 100 },
    tokenHash: { type: String, required: true },
    prefix: { type: String, required: true },
    createdBy: { type: String, required: true },
    revokedAt: Date,
    lastUsedAt: Date,
  },
  { timestamps: true, collection: 'staff_tokens' },
);
staffTokenSchema.index({ tokenHash: 1 }, { unique: true });
staffTokenSchema.index({ coopId: 1, createdAt: -1 });
