import { Schema, type Types } from 'mongoose';
import { CHANNEL_NAMES, type ChannelName } from '../../channels/types.js';

/**
 * One received message; the unique index makes a provider's redelivery a no-op. Status
 * 'received' is the claim taken before processing; 'processed' is written lazily after it,
 * so a crash can leave a finished message 'received': the session's recentMessageIds (saved
 * in the same write as the conversation) is what says for certain that it was handled.
 */
export interface InboundMessageDoc {
  _id: Types.ObjectId;
  coopId: string;
  channel: ChannelName;
  providerMessageId: string;
  from: string;
  receivedAt: Date;
  status: 'received' | 'processed' | 'failed';
  /** When processing was (last) claimed, by the dispatcher's clock; a stale claim may be retried. */
  claimedAt?: Date;
  createdAt?: Date;
}

export const inboundMessageSchema = new Schema<InboundMessageDoc>(
  {
    coopId: { type: String, required: true },
    channel: { type: String, enum: CHANNEL_NAMES, required: true },
    providerMessageId: { type: String, required: true },
    from: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    status: { type: String, enum: ['received', 'processed', 'failed'], default: 'received' },
    claimedAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false }, collection: 'inbound_messages' },
);
inboundMessageSchema.index({ channel: 1, providerMessageId: 1 }, { unique: true });
inboundMessageSchema.index({ coopId: 1, receivedAt: -1 });
