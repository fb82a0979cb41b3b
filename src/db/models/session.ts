import { Schema, type Types } from 'mongoose';
import { CHANNEL_NAMES, type ChannelName } from '../../channels/types.js';
import type { CartLine } from '../../domain/cart/cart-line.js';
import type { LanguageCode } from './contact.js';

/** Bumped when the stored conversation shape changes; older sessions are migrated on load. */
export const SESSION_SCHEMA_VERSION = 1;

export interface SessionDoc {
  _id: Types.ObjectId;
  coopId: string;
  phone: string;
  channel: ChannelName;
  flow: string;
  state: string;
  vars: Record<string, unknown>;
  cart: CartLine[];
  language: LanguageCode;
  schemaVersion: number;
  /** Optimistic concurrency: a save only lands on the version it loaded. */
  version: number;
  /** Provider ids of the last messages handled here: proof a message finished, for redeliveries. */
  recentMessageIds?: string[];
  expiresAt: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

export const sessionSchema = new Schema<SessionDoc>(
  {
    coopId: { type: String, required: true },
    phone: { type: String, required: true },
    channel: { type: String, enum: CHANNEL_NAMES, required: true },
    flow: { type: String, required: true },
    state: { type: String, required: true },
    vars: { type: Schema.Types.Mixed, default: {} },
    cart: { type: [{ _id: false, productId: String, unit: String, quantity: Number, amountRp: Number }], default: [] },
    language: { type: String, enum: ['id', 'en'], default: 'id' },
    schemaVersion: { type: Number, default: SESSION_SCHEMA_VERSION },
    version: { type: Number, required: true, default: 0 },
    recentMessageIds: { type: [String], default: undefined },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true, collection: 'sessions', minimize: false },
);
sessionSchema.index({ coopId: 1, phone: 1, channel: 1 }, { unique: true });
sessionSchema.index({ expiresAt: 1 });
