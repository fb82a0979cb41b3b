import express, { Router, type Request } from 'express';
import { HttpError } from '../../http/errors.js';
import { maskPhone, type Logger } from '../../logger.js';
import { normalizePhone } from '../phone.js';
import type { DeliveryStatusSink, InboundMessage, MessageHandler } from '../types.js';
import {
  isStatusEvent,
  smsReceivedPayloadSchema,
  smsStatusPayloadSchema,
  STATUS_EVENTS,
  webhookEnvelopeSchema,
  type StatusEventName,
  type WebhookEnvelope,
} from './sms-gateway-webhook-payload.js';
import { verifyWebhookSignature } from './verify-webhook-signature.js';

export const SMS_GATEWAY_WEBHOOK_PATH = '/webhooks/sms-gateway/:coopSlug';

export interface SmsGatewayWebhookDependencies {
  /** The cooperative a webhook URL names, with the signing key set in its phone's app. */
  resolveGateway(coopSlug: string): Promise<{ coopId: string; signingKey: string } | undefined>;
  handle: MessageHandler;
  recordStatus: DeliveryStatusSink;
  logger: Logger;
  clock?: () => Date;
}

/** How a webhook ended, answered to the phone (it only looks at the status code). */
type Outcome = 'processed' | 'duplicate' | 'recorded' | 'ignored';

const MAX_ERROR_CODE_LENGTH = 200;

/**
 * POST /webhooks/sms-gateway/:coopSlug: events from a cooperative's Android phone running
 * "SMS Gateway for Android". Each coop's phone registers its own URL. The signature covers
 * the raw body, so this router parses the body itself and must be mounted BEFORE any
 * app-wide JSON parser. Answers 2xx only once the message or status is stored; anything
 * else makes the app retry (10 s, 20 s, 40 s, ... for about two days).
 */
export function createSmsGatewayWebhookRouter(deps: SmsGatewayWebhookDependencies): Router {
  const clock = deps.clock ?? (() => new Date());
  const router = Router();

  router.post(SMS_GATEWAY_WEBHOOK_PATH, express.raw({ type: 'application/json', limit: '64kb' }), async (req, res) => {
    const coopSlug = String(req.params.coopSlug);
    const gateway = coopSlug.length <= 100 ? await deps.resolveGateway(coopSlug) : undefined;
    if (!gateway) {
      deps.logger.warn({ provider: 'sms-gateway', coopSlug: coopSlug.slice(0, 100) }, 'sms gateway webhook for an unknown cooperative');
      throw new HttpError(404, 'unknown_coop', 'No such cooperative');
    }
    const log = deps.logger.child({ provider: 'sms-gateway', coopId: gateway.coopId });

    const rawBody = rawBodyOf(req, log);
    if (!rawBody) throw new HttpError(415, 'unsupported_media_type', 'Expected an application/json body');
    const verdict = verifyWebhookSignature(
      { rawBody, timestamp: req.get('x-timestamp'), signature: req.get('x-signature') },
      gateway.signingKey,
      clock(),
    );
    if (!verdict.valid) {
      // A stale timestamp on every request usually means the phone's clock is wrong.
      log.warn({ reason: verdict.reason, skewSeconds: verdict.skewSeconds }, 'sms gateway webhook rejected');
      throw new HttpError(401, verdict.reason, 'Webhook signature is missing or invalid');
    }

    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new HttpError(400, 'invalid_json', 'Request body is not valid JSON');
    }
    const envelope = webhookEnvelopeSchema.safeParse(json);
    if (!envelope.success) throw invalidBody(envelope.error.issues[0]);

    const outcome = await dispatchEvent(envelope.data, gateway.coopId, log);
    res.status(200).json({ ok: true, outcome });
  });

  async function dispatchEvent(envelope: WebhookEnvelope, coopId: string, log: Logger): Promise<Outcome> {
    const eventLog = log.child({ event: envelope.event, eventId: envelope.id });
    if (envelope.event === 'sms:received') return receiveSms(envelope, coopId, eventLog);
    if (isStatusEvent(envelope.event)) return recordDeliveryStatus(envelope, envelope.event, eventLog);
    eventLog.debug('sms gateway event ignored');
    return 'ignored';
  }

  async function receiveSms(envelope: WebhookEnvelope, coopId: string, log: Logger): Promise<Outcome> {
    const parsed = smsReceivedPayloadSchema.safeParse(envelope.payload);
    if (!parsed.success) throw invalidBody(parsed.error.issues[0], 'payload');
    const payload = parsed.data;
    const from = normalizePhone(payload.phoneNumber);
    if (!from) {
      // Operator notices and alphanumeric senders ("TELKOMSEL") cannot be answered; retrying will not help.
      log.warn({ from: maskPhone(payload.phoneNumber) }, 'sms from a sender that is not a phone number ignored');
      return 'ignored';
    }
    const message: InboundMessage = {
      channel: 'sms',
      provider: 'sms-gateway',
      coopId,
      from,
      // The event id survives the app's retries; payload.messageId is a content hash and repeats.
      providerMessageId: envelope.id,
      text: payload.message,
      receivedAt: parseTime(payload.receivedAt) ?? clock(),
    };
    try {
      const handled = await deps.handle(message);
      log.info({ from: maskPhone(from), processed: handled.processed, replies: handled.replies.length }, 'sms received');
      return handled.processed ? 'processed' : 'duplicate';
    } catch (error) {
      log.error({ err: error, from: maskPhone(from) }, 'handling an sms from the gateway failed; the phone will retry');
      throw new HttpError(500, 'handler_failed', 'The message could not be stored; retry later', { cause: error });
    }
  }

  async function recordDeliveryStatus(envelope: WebhookEnvelope, event: StatusEventName, log: Logger): Promise<Outcome> {
    const parsed = smsStatusPayloadSchema.safeParse(envelope.payload);
    if (!parsed.success) throw invalidBody(parsed.error.issues[0], 'payload');
    const payload = parsed.data;
    const { status, timeField } = STATUS_EVENTS[event];
    const reason = payload.reason?.trim();
    try {
      await deps.recordStatus({
        provider: 'sms-gateway',
        providerMessageId: payload.messageId,
        status,
        ...(status === 'failed' && reason ? { errorCode: reason.slice(0, MAX_ERROR_CODE_LENGTH) } : {}),
        at: parseTime(payload[timeField]) ?? clock(),
      });
    } catch (error) {
      log.error({ err: error, providerMessageId: payload.messageId }, 'recording an sms delivery status failed; the phone will retry');
      throw new HttpError(500, 'status_failed', 'The status could not be stored; retry later', { cause: error });
    }
    log.debug({ providerMessageId: payload.messageId, status }, 'sms delivery status recorded');
    return 'recorded';
  }

  return router;
}

/**
 * The body as bytes from express.raw. An object here means an app-wide JSON parser ran first
 * and the bytes the signature covers are gone: a wiring mistake, answered 500 so the phone
 * keeps the event and retries once it is fixed.
 */
function rawBodyOf(req: Request, log: Logger): Buffer | undefined {
  const body: unknown = req.body;
  if (Buffer.isBuffer(body)) return body;
  if (body !== undefined && body !== null) {
    log.error('sms gateway webhook router is mounted after a JSON body parser; mount it before express.json()');
    throw new HttpError(500, 'misconfigured', 'Webhook endpoint is misconfigured');
  }
  return undefined;
}

function invalidBody(issue: { path: PropertyKey[]; message: string } | undefined, prefix?: string): HttpError {
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return new HttpError(400, 'invalid_body', `${path || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/** The app's times are ISO 8601 with the phone's offset; an unreadable one falls back to our clock. */
function parseTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
