import { z } from 'zod';
import type { DeliveryStatusUpdate } from '../types.js';

/** The form Twilio posts to a message's StatusCallback; other fields pass through unread. */
export const twilioStatusSchema = z.looseObject({
  MessageSid: z.string().min(1).max(64),
  MessageStatus: z.string().min(1).max(32),
  // Present (numeric) only on failures; an empty value means none.
  ErrorCode: z
    .string()
    .regex(/^\d*$/)
    .optional()
    .transform((code) => (code ? code : undefined)),
});

/**
 * Twilio's message statuses in the outbox's four. 'read' (WhatsApp) implies delivered;
 * the intermediate ones mean Twilio still holds the message. Inbound-only statuses
 * (receiving, received) are absent on purpose.
 */
const STATUS_MAP: Readonly<Record<string, DeliveryStatusUpdate['status']>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Maps a Twilio message status; undefined for one this service does not track. */
export function mapTwilioStatus(messageStatus: string): DeliveryStatusUpdate['status'] | undefined {
  return Object.hasOwn(STATUS_MAP, messageStatus) ? STATUS_MAP[messageStatus] : undefined;
}
