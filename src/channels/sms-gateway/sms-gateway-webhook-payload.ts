import { z } from 'zod';

/**
 * The envelope of every webhook the SMS Gateway for Android app sends
 * (docs.sms-gate.app/features/webhooks). `id` is the event id, generated once per event and
 * kept across the app's retries; `webhookId` names the registration (absent on old apps).
 */
export const webhookEnvelopeSchema = z.object({
  deviceId: z.string().min(1).max(100),
  event: z.string().min(1).max(100),
  id: z.string().min(1).max(100),
  webhookId: z.string().max(100).optional(),
  payload: z.unknown(),
});

export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

/**
 * sms:received. `messageId` is derived from the content by the app and is not unique, so it is
 * not used for deduplication. `receivedAt` is ISO 8601 in the phone's time zone.
 */
export const smsReceivedPayloadSchema = z.object({
  messageId: z.string().optional(),
  message: z.string(),
  phoneNumber: z.string().min(1).max(100),
  simNumber: z.number().int().nullable().optional(),
  receivedAt: z.string().optional(),
});

/** sms:sent, sms:delivered and sms:failed. `messageId` is the id we set when sending (the outbox id). */
export const smsStatusPayloadSchema = z.object({
  messageId: z.string().min(1).max(100),
  phoneNumber: z.string().optional(),
  simNumber: z.number().int().nullable().optional(),
  sentAt: z.string().optional(),
  deliveredAt: z.string().optional(),
  failedAt: z.string().optional(),
  /** sms:failed only, e.g. "RESULT_ERROR_GENERIC_FAILURE". */
  reason: z.string().optional(),
});

export type SmsStatusPayload = z.infer<typeof smsStatusPayloadSchema>;

export const STATUS_EVENTS = {
  'sms:sent': { status: 'sent', timeField: 'sentAt' },
  'sms:delivered': { status: 'delivered', timeField: 'deliveredAt' },
  'sms:failed': { status: 'failed', timeField: 'failedAt' },
} as const satisfies Record<string, { status: 'sent' | 'delivered' | 'failed'; timeField: keyof SmsStatusPayload }>;

export type StatusEventName = keyof typeof STATUS_EVENTS;

export function isStatusEvent(event: string): event is StatusEventName {
  return Object.hasOwn(STATUS_EVENTS, event);
}
