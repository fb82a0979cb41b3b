import { Schema, type Types } from 'mongoose';
import { rupiahField } from './money-field.js';

export type MemberStatus = 'active' | 'inactive' | 'suspended';

/** Cached balances; derived from the savings ledger and written in the same transaction. */
export interface SavingsBalances {
  pokokRp: number;
  wajibRp: number;
  sukarelaRp: number;
}

export interface MemberDoc {
  _id: Types.ObjectId;
  coopId: string;
  memberNumber: string;
  name: string;
  phone: string;
  /** scrypt$<salt base64>$<hash base64> */
  pinHash?: string;
  status: MemberStatus;
  failedPinCount: number;
  pinLockedUntil?: Date | null;
  balances: SavingsBalances;
  ledgerEntries: number;
  joinedAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

export const memberSchema = new Schema<MemberDoc>(
  {
    coopId: { type: String, required: true },
    memberNumber: { type: String, required: true, match: /^KDMP-\d{4,}$/ },
    name: { type: String, required: true },
    phone: { type: String, required: true, match: /^\+\d{8,15}$/ },
    pinHash: String,
    status: { type: String, enum: ['active', 'inactive', 'suspended'], default: 'active' },
    failedPinCount: { type: Number, default: 0 },
    pinLockedUntil: { type: Date, default: null },
    balances: {
      pokokRp: rupiahField({ default: 0 }),
      wajibRp: rupiahField({ default: 0 }),
      sukarelaRp: rupiahField({ default: 0 }),
    },
    ledgerEntries: { type: Number, default: 0 },
    joinedAt: Date,
  },
  { timestamps: true, collection: 'members' },
);
memberSchema.index({ coopId: 1, memberNumber: 1 }, { unique: true });
memberSchema.index({ coopId: 1, phone: 1 }, { unique: true });
