import { z } from 'zod';
import { maskPhone, type Logger } from '../../logger.js';
import { SendError, type ChannelSender, type OutboundMessage, type SendResult } from '../types.js';
import { createFetchHttpClient, GatewayHttpError, GatewayNetworkError } from './fetch-http-client.js';
import { createGatewayClient, type GatewayClient, type GatewayClientSettings } from './sms-gateway-client.js';

export interface SmsGatewaySenderOptions {
  /** The cooperative's phone: its API base URL and credentials; undefined when it has none. */
  gatewayFor(coopId: string): Promise<GatewayClientSettings | undefined>;
  logger: Logger;
  /** Per request; default 15 s. */
  timeoutMs?: number;
  /** Drop a reply the phone could not send within this many seconds (the app's `ttl`); default: never. */
  ttlSeconds?: number;
}

/** What the gateway answers to POST /message; only the id matters here. */
const messageStateSchema = z.object({ id: z.string().min(1) }).loose();

/** Statuses worth retrying: the phone or relay is busy, down or overloaded. */
function isTransientStatus(status: number): boolean {
  // 401/403/404 mean our gateway settings are wrong (password, URL): retried, so replies go
  // out once an operator fixes them instead of failing for good on the first try.
  return status === 401 || status === 403 || status === 404 || status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * Sends outbox items as SMS through each cooperative's Android phone running "SMS Gateway for
 * Android". The outbox id becomes the gateway's message id, so the phone's sms:sent /
 * sms:delivered / sms:failed webhooks carry our id back, and a retry after a lost answer is
 * refused as a duplicate (409) instead of sending the SMS twice.
 */
export function createSmsGatewaySender(options: SmsGatewaySenderOptions): ChannelSender {
  const httpClient = createFetchHttpClient({ timeoutMs: options.timeoutMs ?? 15_000 });
  // One client per coop, rebuilt when its settings change (the admin API can edit them).
  const clients = new Map<string, { key: string; client: GatewayClient }>();

  function clientFor(coopId: string, settings: GatewayClientSettings): GatewayClient {
    const key = JSON.stringify([settings.baseUrl, settings.login, settings.password]);
    const cached = clients.get(coopId);
    if (cached?.key === key) return cached.client;
    const client = createGatewayClient(settings, httpClient);
    clients.set(coopId, { key, client });
    return client;
  }

  async function send(message: OutboundMessage): Promise<SendResult> {
    const settings = await options.gatewayFor(message.coopId);
    if (!settings) throw new SendError('no SMS gateway configured', { permanent: true, code: 'NOT_CONFIGURED' });
    const client = clientFor(message.coopId, settings);
    const log = options.logger.child({ provider: 'sms-gateway', coopId: message.coopId, outboxId: message.id });
    try {
      const state = await client.send({
        id: message.id,
        message: message.text,
        phoneNumbers: [message.to],
        withDeliveryReport: true,
        ...(options.ttlSeconds === undefined ? {} : { ttl: options.ttlSeconds }),
      });
      const parsed = messageStateSchema.safeParse(state);
      // The API takes a caller-chosen id; should a server ever replace it, its id is the one webhooks carry.
      const providerMessageId = parsed.success ? parsed.data.id : message.id;
      log.debug({ to: maskPhone(message.to), providerMessageId }, 'sms queued on gateway');
      return { providerMessageId, status: 'queued' };
    } catch (error) {
      if (error instanceof GatewayHttpError && error.status === 409) {
        // "Message with the same ID already exists": an earlier attempt got through.
        log.info({ to: maskPhone(message.to) }, 'sms already queued on gateway (duplicate id)');
        return { providerMessageId: message.id, status: 'queued' };
      }
      throw toSendError(error);
    }
  }

  return { provider: 'sms-gateway', send };
}

function toSendError(error: unknown): SendError {
  if (error instanceof GatewayHttpError) {
    return new SendError(error.message, { permanent: !isTransientStatus(error.status), code: String(error.status), cause: error });
  }
  if (error instanceof GatewayNetworkError) {
    return new SendError(error.message, { permanent: false, code: error.code, cause: error });
  }
  return new SendError('SMS gateway send failed', { permanent: false, cause: error });
}
