/**
 * The one contract between channel adapters and the rest of the service. An adapter turns
 * a vendor payload into an InboundMessage, hands it to a MessageHandler, and sends the
 * rendered OutboundMessages the outbox gives its ChannelSender. Adapters only translate.
 */

/** The medium: decides how replies are rendered (SMS: GSM-7 plain text) and which session a message joins. */
export type ChannelName = 'whatsapp' | 'sms';
export const CHANNEL_NAMES: readonly ChannelName[] = ['whatsapp', 'sms'];

/** Who carries the message: replies go back through the provider the message came in on. */
export type ProviderName = 'simulator' | 'baileys' | 'twilio' | 'sms-gateway';
export const PROVIDER_NAMES: readonly ProviderName[] = ['simulator', 'baileys', 'twilio', 'sms-gateway'];

/** One inbound text, as every adapter hands it to the engine. */
export interface InboundMessage {
  channel: ChannelName;
  provider: ProviderName;
  coopId: string;
  /** E.164, e.g. +6281200000001 */
  from: string;
  /** The provider's id for this delivery (dedupe key together with coop, channel and sender). */
  providerMessageId: string;
  text: string;
  receivedAt: Date;
}

/** A reply the dispatcher stored in the outbox, rendered for the message's channel. */
export interface HandledReply {
  /** The outbox item's id (hex ObjectId). */
  outboxId: string;
  text: string;
}

export interface HandledMessage {
  /** False when the message was a redelivery of one already handled (nothing new was stored). */
  processed: boolean;
  replies: HandledReply[];
}

/** The dispatcher as adapters see it. */
export type MessageHandler = (message: InboundMessage) => Promise<HandledMessage>;

/** One outbox item handed to a provider for delivery. */
export interface OutboundMessage {
  /** The outbox item's id: stable across retries, usable as an idempotency key. */
  id: string;
  coopId: string;
  channel: ChannelName;
  provider: ProviderName;
  /** E.164 */
  to: string;
  /** Already rendered for the channel. */
  text: string;
  /**
   * A QR code to send as an image with the text as its caption (a QRIS to pay an order), on
   * WhatsApp only. `publicPath` serves it as PNG for providers that fetch media by URL.
   */
  qrCode?: { data: string; publicPath: string };
}

export interface SendResult {
  /** The provider's id for the sent message, used to match delivery-status callbacks. */
  providerMessageId?: string;
  /** 'sent' when the provider accepted it as sent; 'queued' when it will report later. */
  status: 'queued' | 'sent';
}

/** Sends outbox items for one provider. Throws SendError; any other error counts as transient. */
export interface ChannelSender {
  readonly provider: ProviderName;
  send(message: OutboundMessage): Promise<SendResult>;
}

/**
 * A failed send. `permanent` stops the retries (bad number, blocked, logged out); otherwise
 * the outbox retries with backoff. `code` is the provider's error code, kept on the item.
 */
export class SendError extends Error {
  readonly permanent: boolean;
  readonly code?: string;
  constructor(message: string, options: { permanent: boolean; code?: string; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'SendError';
    this.permanent = options.permanent;
    this.code = options.code;
  }
}

/** A delivery report from a provider (Twilio status callback, gateway webhook, WhatsApp receipt). */
export interface DeliveryStatusUpdate {
  provider: ProviderName;
  providerMessageId: string;
  status: 'queued' | 'sent' | 'delivered' | 'failed';
  /** The provider's error code for a failure (Twilio 63016: outside WhatsApp's 24-hour window). */
  errorCode?: string;
  at: Date;
}

/** Where adapters report delivery status; the outbox records it on the matching item. */
export type DeliveryStatusSink = (update: DeliveryStatusUpdate) => Promise<void>;

/**
 * Records stored replies as sent inline (TwiML) once the answer holding them was written out,
 * so the outbox worker, which holds such replies back meanwhile, never sends them. Returns
 * how many it marked: fewer than asked means the worker took some after all and sends them too.
 */
export type InlineReplySent = (outboxIds: string[]) => Promise<number>;

/** Hands held replies to the outbox worker at once: no inline answer carried them. */
export type InlineReplyRelease = (outboxIds: string[]) => Promise<void>;
