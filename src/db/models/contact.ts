import { Schema, type Types } from 'mongoose';
import type { LanguageCode } from '../../i18n/language-code.js';

export type { LanguageCode };

/** Anyone who chats with a coop; residents need not be members. */
export interface ContactDoc {
  _id: Types.ObjectId;
  coopId: string;
  phone: string;
  name?: string;
  lastAddress?: string;
  language: LanguageCode;
  lastSeenAt?: Date;
  /** Replied STOP: no scheduled reminders (MULAI turns them on again). */
  remindersOptOut?: boolean;
  createdAt?: Date;
  updatedAt?: Date;
}

export const contactSchema = new Schema<ContactDoc>(
  {
    coopId: { type: String, required: true },
    phone: { type: String, required: true },
    name: String,
    lastAddress: String,
    language: { type: String, enum: ['id', 'en'], default: 'id' },
    lastSeenAt: Date,
    remindersOptOut: Boolean,
  },
  { timestamps: true, collection: 'contacts' },
);
contactSchema.index({ coopId: 1, phone: 1 }, { unique: true });
