import { Schema, type Types } from 'mongoose';
import { rupiahField } from './money-field.js';

export type SavingsType = 'pokok' | 'wajib' | 'sukarela';
export const SAVINGS_TYPES: readonly SavingsType[] = ['pokok', 'wajib', 'sukarela'];

/** One append-only line of a member's savings ledger; amountRp is signed. */
export interface SavingsEntryDoc {
  _id: Types.ObjectId;
  coopId: string;
  memberId: Types.ObjectId;
  memberNumber: string;
  type: SavingsType;
  amountRp: number;
  note: string;
  at: Date;
  by: { kind: 'staff' | 'system' | 'member'; ref: string };
  orderNumber?: number;
  /** What caused the entry, unique per coop (e.g. `order:1024:debit`): the same cause never posts twice. */
  sourceKey?: string;
  createdAt?: Date;
}

export const savingsEntrySchema = new Schema<SavingsEntryDoc>(
  {
    coopId: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    memberNumber: { type: String, required: true },
    type: { type: String, enum: SAVINGS_TYPES, required: true },
    amountRp: rupiahField(),
    note: { type: String, default: '' },
    at: { type: Date, required: true },
    by: { kind: { type: String, enum: ['staff', 'system', 'member'], required: true }, ref: { type: String, required: true } },
    orderNumber: Number,
    sourceKey: String,
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'savings_entries' },
);
savingsEntrySchema.index({ coopId: 1, memberId: 1, at: -1 });
savingsEntrySchema.index({ coopId: 1, sourceKey: 1 }, { unique: true, partialFilterExpression: { sourceKey: { $type: 'string' } } });

// The ledger is append-only: corrections are new entries, never edits.
const refuseEdit = function () {
  throw new Error('savings ledger entries are append-only');
};
for (const op of ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const) {
  savingsEntrySchema.pre(op, refuseEdit);
}
savingsEntrySchema.pre('save', function () {
  if (!this.isNew) throw new Error('savings ledger entries are append-only');
});
