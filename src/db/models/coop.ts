import { Schema } from 'mongoose';
import { CHANNEL_NAMES, type ChannelName } from '../../channels/types.js';
import type { CoopSettings } from '../../domain/coops/coop-settings.js';
import { rupiahField } from './money-field.js';

export type { CoopSettings };

export interface CoopDoc {
  /** The coopId every other document carries. */
  _id: string;
  slug: string;
  name: string;
  kelurahan: string;
  kota: string;
  timezone: string;
  numbers: { whatsapp: string[]; sms: string[] };
  /** Who is told of new orders and may answer with staff commands; `channel` is how they want to be reached. */
  staff: { name: string; phone: string; role: string; channel?: ChannelName }[];
  settings: CoopSettings;
  /** This coop's Android SMS gateway (the phone with its local SIM); unset fields fall back to the SMS_GATEWAY_* defaults. */
  smsGateway?: { baseUrl?: string; login?: string; password?: string; signingKey?: string };
  createdAt?: Date;
  updatedAt?: Date;
}

export const coopSchema = new Schema<CoopDoc>(
  {
    _id: { type: String, required: true },
    slug: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    kelurahan: { type: String, required: true },
    kota: { type: String, required: true },
    timezone: { type: String, required: true, default: 'Asia/Jakarta' },
    numbers: {
      whatsapp: { type: [String], default: [] },
      sms: { type: [String], default: [] },
    },
    staff: { type: [{ _id: false, name: String, phone: String, role: String, channel: { type: String, enum: CHANNEL_NAMES, default: 'whatsapp' } }], default: [] },
    settings: {
      pickup: { enabled: { type: Boolean, default: true }, address: { type: String, default: '' } },
      delivery: { enabled: { type: Boolean, default: true }, feeRp: rupiahField({ min: 0, default: 0 }), area: { type: String, default: '' } },
      openingHours: { days: String, open: String, close: String },
      bankAccount: { bank: String, accountNumber: String, accountName: String },
      qris: { enabled: { type: Boolean, default: true }, merchantName: String, payload: String },
      smsFallback: { type: Boolean, default: true },
      pinRequiredOn: { type: [{ type: String, enum: CHANNEL_NAMES }], default: ['sms'] },
      householdLimits: {
        type: [{ _id: false, productId: String, maxPerOrder: Number, maxPerDay: Number }],
        default: [],
      },
    },
    smsGateway: { baseUrl: String, login: String, password: String, signingKey: String },
  },
  { timestamps: true, collection: 'coops' },
);
coopSchema.index({ 'numbers.whatsapp': 1 });
coopSchema.index({ 'numbers.sms': 1 });
