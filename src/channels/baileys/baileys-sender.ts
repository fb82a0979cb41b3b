import QRCode from 'qrcode';
import type { AnyMessageContent, WAMessage } from '@whiskeysockets/baileys';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { createKeyedMutex } from '../../shared/keyed-mutex.js';
import { SendError, type ChannelSender, type OutboundMessage, type SendResult } from '../types.js';
import { jidFromPhone } from './phone-jid.js';
import { readStatusCode } from './reconnect-policy.js';
import type { WhatsAppConnectionState } from './whatsapp-connection.js';

/** What the sender needs of a coop's connection; a WhatsAppConnection is one. */
export interface BaileysSendTarget {
  readonly state: WhatsAppConnectionState;
  sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined>;
}

export interface BaileysSenderDeps {
  /** The coop's connection, or undefined when the coop has no WhatsApp number running here. */
  socketFor(coopId: string): BaileysSendTarget | undefined;
  logger: Logger;
  /** Least pause between two sends from one number. */
  minDelayMs?: number;
  /** Up to this much is added at random to each pause (a steady rhythm looks like a bot). */
  jitterMs?: number;
  /** Most messages one number sends per day; more are refused until midnight. */
  dailyCap?: number;
  /** Whose midnight resets the cap. */
  timeZone?: string;
  /** Most sends waiting per number; more are refused (retried later) instead of holding outbox leases. */
  maxQueued?: number;
  clock?: () => Date;
  /** In [0, 1). */
  random?: () => number;
}

/** Per-number pacing and the day's count. */
interface Lane {
  queued: number;
  /** When the previous send finished, and the pause drawn for the next one. */
  lastSentAt?: number;
  gapMs: number;
  /** The calendar day (YYYY-MM-DD in timeZone) sentToday counts. */
  day: string;
  sentToday: number;
  capLogged: boolean;
}

const e164 = z.string().regex(/^\+[1-9]\d{7,14}$/);

/** 428 (connection closed) and 408 (lost, timed out): the socket went away under the send. */
const CONNECTION_GONE = new Set([428, 408]);

/**
 * Delivers outbox items over each coop's own WhatsApp number. An unofficial WhatsApp client
 * that sends fast or without pause gets banned, so each number sends one message at a time,
 * at least minDelay + a random jitter apart, and at most dailyCap per day (Asia/Jakarta);
 * numbers of different coops do not wait for each other. Refusals are transient SendErrors
 * (the outbox retries with backoff) except a logged-out number, which is permanent.
 */
export function createBaileysSender(deps: BaileysSenderDeps): ChannelSender {
  const minDelayMs = deps.minDelayMs ?? 1500;
  const jitterMs = deps.jitterMs ?? 1500;
  const dailyCap = deps.dailyCap ?? 1000;
  const timeZone = deps.timeZone ?? 'Asia/Jakarta';
  const maxQueued = deps.maxQueued ?? 100;
  const clock = deps.clock ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const log = deps.logger.child({ component: 'baileys-sender' });
  const lanes = new Map<string, Lane>();
  const perNumber = createKeyedMutex();
  // en-CA formats dates as YYYY-MM-DD; the date part alone marks the day in that zone.
  const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

  function laneOf(coopId: string): Lane {
    let lane = lanes.get(coopId);
    if (!lane) lanes.set(coopId, (lane = { queued: 0, gapMs: 0, day: '', sentToday: 0, capLogged: false }));
    const today = dayFormat.format(clock());
    if (lane.day !== today) {
      lane.day = today;
      lane.sentToday = 0;
      lane.capLogged = false;
    }
    return lane;
  }

  /** Throws the SendError that stops a send now, if any. */
  function refuseIfCannotSend(message: OutboundMessage, lane: Lane): BaileysSendTarget {
    const target = deps.socketFor(message.coopId);
    if (target?.state === 'logged_out') {
      throw new SendError('The WhatsApp number of this coop is logged out', { permanent: true, code: 'logged_out' });
    }
    if (!target || target.state !== 'open') {
      throw new SendError('The WhatsApp number of this coop is not connected', { permanent: false, code: 'not_connected' });
    }
    if (lane.sentToday >= dailyCap) {
      if (!lane.capLogged) log.warn({ coopId: message.coopId, dailyCap }, 'WhatsApp daily send cap reached');
      lane.capLogged = true;
      throw new SendError('The daily WhatsApp send cap of this coop is reached', { permanent: false, code: 'daily_cap' });
    }
    return target;
  }

  async function waitForTurn(lane: Lane): Promise<void> {
    if (lane.lastSentAt === undefined) return;
    const waitMs = lane.lastSentAt + lane.gapMs - clock().getTime();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }

  async function deliver(message: OutboundMessage, jid: string): Promise<SendResult> {
    const lane = laneOf(message.coopId);
    await waitForTurn(lane);
    // The connection or the day may have changed while this message waited its turn.
    const target = refuseIfCannotSend(message, laneOf(message.coopId));
    let sent: WAMessage | undefined;
    try {
      sent = await target.sendMessage(jid, message.qrCode ? { image: await QRCode.toBuffer(message.qrCode.data, { margin: 2, width: 480 }), caption: message.text } : { text: message.text });
    } catch (error) {
      throw toSendError(error);
    } finally {
      lane.lastSentAt = clock().getTime();
      lane.gapMs = minDelayMs + Math.floor(random() * jitterMs);
    }
    lane.sentToday += 1;
    const providerMessageId = sent?.key?.id ?? undefined;
    log.debug({ coopId: message.coopId, to: message.to, outboxId: message.id, providerMessageId }, 'whatsapp message sent');
    return { providerMessageId, status: 'sent' };
  }

  return {
    provider: 'baileys',
    async send(message) {
      if (!e164.safeParse(message.to).success) {
        throw new SendError('The recipient is not an E.164 phone number', { permanent: true, code: 'invalid_number' });
      }
      const lane = laneOf(message.coopId);
      // Refuse at once what would be refused after waiting, so the outbox can move on.
      refuseIfCannotSend(message, lane);
      if (lane.queued >= maxQueued) {
        throw new SendError('Too many WhatsApp messages waiting for this coop', { permanent: false, code: 'queue_full' });
      }
      lane.queued += 1;
      try {
        return await perNumber.run(message.coopId, () => deliver(message, jidFromPhone(message.to)));
      } finally {
        lane.queued -= 1;
      }
    },
  };
}

function toSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const status = readStatusCode(error);
  if (code === 'not_connected' || (status !== undefined && CONNECTION_GONE.has(status))) {
    return new SendError('The WhatsApp connection closed during the send', { permanent: false, code: 'not_connected', cause: error });
  }
  return new SendError('WhatsApp refused the message', { permanent: false, code: status !== undefined ? String(status) : 'send_failed', cause: error });
}
