import twilio from 'twilio';
import { maskPhone, type Logger } from '../../logger.js';
import type { ChannelSender, OutboundMessage, SendResult } from '../types.js';
import { RebasedRequestClient } from './rebased-request-client.js';
import { toTwilioSendError } from './twilio-send-error.js';
import { TWILIO_STATUS_PATH } from './twilio-paths.js';

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** The public origin Twilio posts status callbacks to (PUBLIC_BASE_URL). */
  publicBaseUrl: string;
  /** The cooperative's Twilio number (E.164) a message is sent from. */
  fromNumber(message: OutboundMessage): Promise<string>;
  logger: Logger;
  /** Another origin for Twilio's REST API (tests, an egress proxy); default https://api.twilio.com. */
  apiBaseUrl?: string;
  /** Per-request timeout; the outbox retries a timed-out send. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/** Twilio's WhatsApp addresses carry a scheme; SMS addresses are bare E.164. */
function toTwilioAddress(channel: OutboundMessage['channel'], phone: string): string {
  return channel === 'whatsapp' ? `whatsapp:${phone}` : phone;
}

/**
 * Sends outbox items through Twilio's Messages API (SMS, and WhatsApp via Twilio), asking
 * for status callbacks on the router's status path. Retries are the outbox's job, so
 * the SDK's own 429 retry stays off.
 */
export function createTwilioSender(options: TwilioSenderOptions): ChannelSender {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const httpClient = options.apiBaseUrl
    ? new RebasedRequestClient(options.apiBaseUrl, { timeout, autoRetry: false })
    : new twilio.RequestClient({ timeout, autoRetry: false });
  const client = twilio(options.accountSid, options.authToken, { httpClient });
  const statusCallback = options.publicBaseUrl.replace(/\/+$/, '') + TWILIO_STATUS_PATH;
  const logger = options.logger.child({ provider: 'twilio' });

  return {
    provider: 'twilio',
    async send(message: OutboundMessage): Promise<SendResult> {
      const from = await options.fromNumber(message);
      try {
        const sent = await client.messages.create({
          from: toTwilioAddress(message.channel, from),
          to: toTwilioAddress(message.channel, message.to),
          body: message.text,
          // Twilio fetches media by URL: the QR's PNG is served under the public address (WhatsApp only; SMS has no images).
          ...(message.qrCode && message.channel === 'whatsapp' ? { mediaUrl: [options.publicBaseUrl.replace(/\/+$/, '') + message.qrCode.publicPath] } : {}),
          statusCallback,
        });
        logger.debug({ outboxId: message.id, channel: message.channel, to: maskPhone(message.to), messageSid: sent.sid }, 'twilio message queued');
        return { providerMessageId: sent.sid, status: 'queued' };
      } catch (error) {
        const sendError = toTwilioSendError(error);
        logger.warn(
          { outboxId: message.id, channel: message.channel, to: maskPhone(message.to), code: sendError.code, permanent: sendError.permanent },
          'twilio send failed',
        );
        throw sendError;
      }
    },
  };
}
