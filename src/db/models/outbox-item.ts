import { Schema, type Types } from 'mongoose';
import { CHANNEL_NAMES, PROVIDER_NAMES, type ChannelName, type ProviderName } from '../../channels/types.js';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'failed';
export const OUTBOX_STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'delivered', 'failed'];

/**
 * One message to send: a reply or a notification, written in the same transaction as the
 * conversation that produced it, then delivered by the provider's worker under a lease.
 */
export interface OutboxItemDoc {
  _id: Types.ObjectId;
  coopId: string;
  channel: ChannelName;
  provider: ProviderName;
  /** E.164 */
  to: string;
  /** Rendered for the channel. */
  text: string;
  status: OutboxStatus;
  attempts: number;
  /** A pending item is not sent before this (backoff, or the window for an inline answer). */
  nextAttemptAt: Date;
  /** Which process holds the 'sending' claim, and until when (a crashed worker's claim lapses). */
  lease?: { owner: string; until: Date };
  providerMessageId?: string;
  lastError?: { code?: string; message: string };
  /** The inbound message that caused it (coop-scoped key), when it is a reply. */
  sourceMessageKey?: string;
  /** How it went out: 'inline' (TwiML, simulator) or 'worker'. */
  sentBy?: 'inline' | 'worker';
  /** A QR code sent as an image with the text as caption (WhatsApp); `token` names its public PNG. */
  qrCode?: { data: string; token: string };
  /** Set on an item that replaces one whose provider refused it (WhatsApp window closed → SMS). */
  fallbackOf?: Types.ObjectId;
  sentAt?: Date;
  deliveredAt?: Date;
  failedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export const outboxItemSchema = new Schema<OutboxItemDoc>(
  {
    coopId: { type: String, required: true },
    channel: { type: String, enum: CHANNEL_NAMES, required: true },
    provider: { type: String, enum: PROVIDER_NAMES, required: true },
    to: { type: String, required: true },
    text: { type: String, required: true },
    status: { type: String, enum: OUTBOX_STATUSES, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lease: { owner: String, until: Date },
    providerMessageId: String,
    lastError: { code: String, message: String },
    sourceMessageKey: String,
    sentBy: { type: String, enum: ['inline', 'worker'] },
    fallbackOf: Schema.Types.ObjectId,
    qrCode: { data: String, token: String },
    sentAt: Date,
    deliveredAt: Date,
    failedAt: Date,
  },
  { timestamps: true, collection: 'outbox' },
);
// The workers' queue: due items of one provider, oldest first.
outboxItemSchema.index({ provider: 1, status: 1, nextAttemptAt: 1 });
// Keeping one recipient's messages in order.
outboxItemSchema.index({ provider: 1, to: 1, status: 1 });
outboxItemSchema.index({ provider: 1, providerMessageId: 1 }, { partialFilterExpression: { providerMessageId: { $exists: true } } });
outboxItemSchema.index({ coopId: 1, to: 1, createdAt: -1 });
outboxItemSchema.index({ 'qrCode.token': 1 }, { partialFilterExpression: { 'qrCode.token': { $type: 'string' } } });
