import { Schema, type Types } from 'mongoose';
import { CHANNEL_NAMES, PROVIDER_NAMES, type ChannelName, type ProviderName } from '../../channels/types.js';

/** Long enough for any provider's redeliveries; the log would otherwise grow with traffic forever. */
export const INBOUND_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/**
 * One received message; the unique key (coop, channel, sender, provider id) makes a
 * redelivery a no-op. 'received' is the claim taken before processing, naming the instance
 * that holds it; 'processed' is written in the same transaction as the conversation and its
 * replies, so it says for certain that the message was handled.
 */
export interface InboundMessageDoc {
  _id: Types.ObjectId;
  coopId: string;
  channel: ChannelName;
  provider: ProviderName;
  providerMessageId: string;
  from: string;
  receivedAt: Date;
  status: 'received' | 'processed' | 'failed';
  /** The instance (process) processing it while 'received'. */
  owner: string;
  claimedAt: Date;
  createdAt: Date;
}

export const inboundMessageSchema = new Schema<InboundMessageDoc>(
  {
    coopId: { type: String, required: true },
    channel: { type: String, enum: CHANNEL_NAMES, required: true },
    provider: { type: String, enum: PROVIDER_NAMES, required: true },
    providerMessageId: { type: String, required: true },
    from: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    status: { type: String, enum: ['received', 'processed', 'failed'], default: 'received' },
    owner: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'inbound_messages' },
);
inboundMessageSchema.index({ coopId: 1, channel: 1, from: 1, providerMessageId: 1 }, { unique: true });
inboundMessageSchema.index({ createdAt: 1 }, { expireAfterSeconds: INBOUND_RETENTION_SECONDS });
