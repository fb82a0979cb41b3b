import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import { maskPhone, type Logger } from '../../logger.js';
import type { ChannelName, DeliveryStatusSink, InboundMessage, InlineReplyRelease, InlineReplySent, MessageHandler } from '../types.js';
import { settleWithin } from './settle-within.js';
import { messagingTwiml } from './twiml.js';
import { twilioInboundSchema } from './twilio-inbound-payload.js';
import { TWILIO_MESSAGE_PATH, TWILIO_STATUS_PATH } from './twilio-paths.js';
import { createTwilioSignatureCheck } from './twilio-signature-check.js';
import { mapTwilioStatus, twilioStatusSchema } from './twilio-status-payload.js';


/** How long Twilio's request waits for replies to answer inline (Twilio itself gives up at 15 s). */
const DEFAULT_INLINE_WINDOW_MS = 5000;

export interface TwilioWebhookDependencies {
  /** The account's auth token: the key Twilio signs webhooks with. */
  authToken: string;
  /** The public origin configured at Twilio (PUBLIC_BASE_URL), e.g. https://chat.example.id. */
  publicBaseUrl: string;
  /** The cooperative that owns a Twilio number on a channel; undefined when none does. */
  resolveCoop(channel: ChannelName, toNumber: string): Promise<string | undefined>;
  handle: MessageHandler;
  markSentInline: InlineReplySent;
  releaseInline: InlineReplyRelease;
  recordStatus: DeliveryStatusSink;
  logger: Logger;
  inlineWindowMs?: number;
  clock?: () => Date;
}

/**
 * Twilio's webhooks: incoming SMS / WhatsApp messages (answered with TwiML when the
 * replies are ready in time, otherwise left to the outbox) and message status callbacks.
 * Both are refused unless signed by Twilio.
 */
export function createTwilioWebhookRouter(deps: TwilioWebhookDependencies): Router {
  const router = Router();
  const logger = deps.logger.child({ provider: 'twilio' });
  const clock = deps.clock ?? (() => new Date());
  const inlineWindowMs = deps.inlineWindowMs ?? DEFAULT_INLINE_WINDOW_MS;
  const parseForm = express.urlencoded({ extended: false, limit: '64kb' });
  const checkSignature = createTwilioSignatureCheck({ authToken: deps.authToken, publicBaseUrl: deps.publicBaseUrl, logger });

  router.post(TWILIO_MESSAGE_PATH, parseForm, checkSignature, async (req, res) => {
    let closedEarly = false;
    res.once('close', () => (closedEarly = !res.writableFinished));
    const hungUp = () => closedEarly || res.destroyed;
    const parsed = twilioInboundSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.map((issue) => issue.path.join('.')) }, 'twilio message refused: invalid body');
      res.status(400).end();
      return;
    }
    const inbound = parsed.data;
    const log = logger.child({ channel: inbound.channel, messageSid: inbound.messageSid });

    let coopId: string | undefined;
    try {
      coopId = await deps.resolveCoop(inbound.channel, inbound.to);
    } catch (error) {
      // Twilio retries nothing useful on a 5xx; the message is lost either way, so say so loudly.
      log.error({ err: error, to: maskPhone(inbound.to) }, 'twilio message dropped: looking up the cooperative failed');
      sendTwiml(res, []);
      return;
    }
    if (!coopId) {
      // 200, not 404: the number is simply not ours, and Twilio must not retry.
      log.warn({ to: maskPhone(inbound.to) }, 'twilio message for a number no cooperative owns');
      sendTwiml(res, []);
      return;
    }

    const message: InboundMessage = {
      channel: inbound.channel,
      provider: 'twilio',
      coopId,
      from: inbound.from,
      providerMessageId: inbound.messageSid,
      text: inbound.text,
      receivedAt: clock(),
    };
    log.info({ coopId, from: maskPhone(message.from) }, 'twilio message received');
    log.debug({ text: message.text }, 'twilio message text');

    const handling = Promise.resolve().then(() => deps.handle(message));
    const outcome = await settleWithin(handling, inlineWindowMs, (error) => {
      log.error({ err: error, coopId }, 'twilio message failed after the inline window');
    });
    if (outcome.state === 'pending') {
      // Too slow for this request: the outbox sends the replies by REST once they exist.
      log.info({ coopId, inlineWindowMs }, 'twilio replies left to the outbox');
      sendTwiml(res, []);
      return;
    }
    if (outcome.state === 'rejected') {
      log.error({ err: outcome.error, coopId }, 'twilio message failed');
      sendTwiml(res, []);
      return;
    }
    const handled = outcome.value;
    if (!handled.processed || handled.replies.length === 0) {
      if (!handled.processed) log.info({ coopId }, 'twilio redelivery: nothing new to answer');
      sendTwiml(res, []);
      return;
    }

    // The outbox holds these replies back from its worker for longer than the inline window,
    // so the TwiML answer goes out first and is recorded after: no database write in the way.
    // A crash between the two sends a reply twice (the worker, once the hold ends) rather than never.
    const ids = handled.replies.map((reply) => reply.outboxId);
    const settle = () => {
      if (res.writableFinished) recordSentInline(ids, coopId, log);
      else {
        // Twilio gave up on this request (timeout, reset): the worker sends the replies by REST now.
        log.warn({ coopId, replies: ids.length }, 'TwiML answer not delivered; the outbox sends the replies');
        deps.releaseInline(ids).catch((error: unknown) => log.error({ err: error }, 'could not hand undelivered inline replies to the outbox'));
      }
    };
    if (hungUp()) return settle();
    res.once('close', settle);
    sendTwiml(res, handled.replies.map((reply) => reply.text));
  });

  function recordSentInline(ids: string[], coopId: string, log: Logger): void {
    deps.markSentInline(ids).then(
      (marked) => {
        if (marked < ids.length) log.warn({ coopId, replies: ids.length, marked }, 'the outbox worker took replies already answered inline; they go twice');
      },
      (error: unknown) => log.error({ err: error, coopId }, 'recording inline replies as sent failed; the outbox sends them again when their hold ends'),
    );
  }

  router.post(TWILIO_STATUS_PATH, parseForm, checkSignature, async (req, res) => {
    const parsed = twilioStatusSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.map((issue) => issue.path.join('.')) }, 'twilio status refused: invalid body');
      res.status(400).end();
      return;
    }
    const { MessageSid: messageSid, MessageStatus: messageStatus, ErrorCode: errorCode } = parsed.data;
    const status = mapTwilioStatus(messageStatus);
    if (!status) {
      logger.debug({ messageSid, messageStatus }, 'twilio status ignored');
      res.status(204).end();
      return;
    }
    try {
      await deps.recordStatus({
        provider: 'twilio',
        providerMessageId: messageSid,
        status,
        ...(errorCode ? { errorCode } : {}),
        at: clock(),
      });
    } catch (error) {
      logger.error({ err: error, messageSid, messageStatus }, 'recording a twilio status failed');
      res.status(500).end();
      return;
    }
    res.status(204).end();
  });

  router.use([TWILIO_MESSAGE_PATH, TWILIO_STATUS_PATH], answerBodyErrors(logger));
  return router;
}

/** Answers with TwiML holding one <Message> per text (none: an empty <Response/>). */
function sendTwiml(res: Response, texts: string[]): void {
  res.status(200).type('text/xml').send(messagingTwiml(texts));
}

/** A body Twilio could not have sent (too large, malformed): a bare status, no JSON, no stack. */
function answerBodyErrors(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      logger.warn({ path: req.path, status, type: (error as { type?: unknown }).type }, 'twilio webhook body refused');
      res.status(status).end();
      return;
    }
    next(error);
  };
}
