import type mongoose from 'mongoose';
import {
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type AnyMessageContent,
  type BaileysEventMap,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAPresence,
} from '@whiskeysockets/baileys';
import { isPairedCreds, useMongoAuthState, type MongoAuthState } from '../../db/whatsapp-auth-store.js';
import type { Logger } from '../../logger.js';
import { createKeyedMutex } from '../../shared/keyed-mutex.js';
import { normalizePhone } from '../phone.js';
import type { DeliveryStatusSink, HandledMessage, InboundMessage, MessageHandler } from '../types.js';
import { toBaileysLogger } from './baileys-logger.js';
import type { BaileysSocket, SocketFactory } from './baileys-socket.js';
import { toDeliveryStatusUpdate } from './delivery-receipts.js';
import { toInboundMessage } from './inbound-message.js';
import { backoffDelayMs, decideOnClose, DEFAULT_BACKOFF, readStatusCode, type BackoffOptions } from './reconnect-policy.js';
import { createRecentIds } from './recent-ids.js';

/**
 * - connecting: a socket is opening, or the next attempt is waiting out its backoff
 * - pairing: WhatsApp shows a QR / accepts a pairing code; nobody has linked the device yet
 * - open: linked and connected; messages flow
 * - logged_out: the phone unlinked the device; the stored login was deleted (pair again)
 * - replaced: another client took this login over; this one stopped (no reconnect loop)
 * - closed: not started, or stopped
 */
const DEFAULT_HANDLE_RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000];

export type WhatsAppConnectionState = 'connecting' | 'open' | 'pairing' | 'logged_out' | 'replaced' | 'closed';

export interface WhatsAppConnectionDeps {
  coopId: string;
  /** Holds the coop's WhatsApp login (collection whatsapp_auth). */
  connection: mongoose.Connection;
  /** The dispatcher. Replies are not sent here: they go through the outbox and the Baileys sender. */
  handle: MessageHandler;
  logger: Logger;
  socketFactory?: SocketFactory;
  /** Each new QR (they rotate every ~20 s until one is scanned). */
  onQr?: (qr: string, coopId: string) => void;
  /** A pairing code was issued for the phone given to requestPairingCode (again after each reconnect). */
  onPairingCode?: (code: string, coopId: string) => void;
  onStatus?: (state: WhatsAppConnectionState, coopId: string) => void;
  /** The phone unlinked this device: tell staff by another channel, someone has to pair again. */
  onLoggedOut?: (coopId: string) => void | Promise<void>;
  /** Where WhatsApp delivery receipts of our sent messages go (the outbox). */
  recordStatus?: DeliveryStatusSink;
  clock?: () => Date;
  /** In [0, 1); for the reconnect jitter. */
  random?: () => number;
  backoff?: Partial<BackoffOptions>;
  /** How many recent message ids are remembered to drop socket redeliveries. */
  recentIdsLimit?: number;
  /** Level Baileys' own log records are written at (default warn; debug when the service logs at debug). */
  baileysLogLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Waits between tries when the dispatcher fails a message (default 0.5, 1, 2, 4 s). */
  handleRetryDelaysMs?: number[];
  /** Extra makeWASocket options (browser, version, ...). */
  socketConfig?: Omit<Partial<UserFacingSocketConfig>, 'auth' | 'logger'>;
}

export interface WhatsAppConnection {
  readonly coopId: string;
  readonly state: WhatsAppConnectionState;
  /** The latest QR while pairing (for an admin page); undefined otherwise. */
  readonly qr: string | undefined;
  /** The latest pairing code (ABCD-EFGH) while pairing by phone number. */
  readonly pairingCode: string | undefined;
  /** Loads the login from the database and connects; reconnects by itself until stop(). */
  start(): Promise<void>;
  /** Closes the socket (the device stays linked), waits for messages being handled. */
  stop(): Promise<void>;
  /**
   * Pairs by phone number instead of QR: resolves with the code (ABCD-EFGH) the coop types
   * into WhatsApp > Linked devices > Link with phone number. Needs start() first.
   */
  requestPairingCode(phone: string): Promise<string>;
  /** Sends through the live socket (used by the Baileys sender). */
  sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined>;
}

export type WhatsAppConnectionErrorCode = 'not_started' | 'not_connected' | 'already_paired' | 'invalid_phone' | 'stopped';

export class WhatsAppConnectionError extends Error {
  readonly code: WhatsAppConnectionErrorCode;
  readonly coopId: string;
  constructor(code: WhatsAppConnectionErrorCode, message: string, context: { coopId: string; cause?: unknown }) {
    super(message, { cause: context.cause });
    this.name = 'WhatsAppConnectionError';
    this.code = code;
    this.coopId = context.coopId;
  }
}

/** One socket's life: its listeners, and whether it has offered pairing yet. */
interface LiveSocket {
  sock: BaileysSocket;
  detach(): void;
  sawQr: boolean;
  pairingRequested: boolean;
}

interface PairingWaiter {
  resolve(code: string): void;
  reject(error: Error): void;
}

/**
 * The WhatsApp (Baileys) connection of one cooperative's number: keeps a socket open,
 * reconnects with exponential backoff and jitter, and hands every incoming text to the
 * dispatcher, one at a time per sender and in arrival order. Reconnect policy: 401 (logged
 * out) deletes the login and stops; 440 (replaced by another client) stops without looping;
 * 515 (restart required, normal right after pairing) reopens at once.
 */
export function createWhatsAppConnection(deps: WhatsAppConnectionDeps): WhatsAppConnection {
  const { coopId } = deps;
  const log = deps.logger.child({ component: 'whatsapp', coopId });
  const socketFactory: SocketFactory = deps.socketFactory ?? makeWASocket;
  const clock = deps.clock ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...deps.backoff };
  const baileysLogger = toBaileysLogger(log.child({ component: 'baileys' }), deps.baileysLogLevel);
  const recentIds = createRecentIds(deps.recentIdsLimit);
  const perSender = createKeyedMutex();
  const inFlight = new Set<Promise<unknown>>();

  let auth: MongoAuthState | undefined;
  let live: LiveSocket | undefined;
  let state: WhatsAppConnectionState = 'closed';
  let qr: string | undefined;
  let pairingCode: string | undefined;
  let pairingPhone: string | undefined;
  let pairingWaiters: PairingWaiter[] = [];
  let attempt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let started = false;
  let credsSaved: Promise<void> = Promise.resolve();

  function setState(next: WhatsAppConnectionState): void {
    if (state === next) return;
    state = next;
    log.info({ state: next }, 'whatsapp connection state');
    deps.onStatus?.(next, coopId);
  }

  /** Runs work started by a socket event: stop() waits for it, and a failure is logged, never lost. */
  function track(task: Promise<unknown>, what: string): void {
    const settled = task.then(
      () => undefined,
      (error: unknown) => log.error({ err: error }, what),
    );
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  }

  async function openSocket(): Promise<void> {
    reconnectTimer = undefined;
    if (!started || !auth) return;
    // Requesting a pairing code writes `me` before anything is linked; logging in with such
    // half-made credentials fails, so an unfinished pairing starts over from fresh ones.
    if (auth.state.creds.me && !isPairedCreds(auth.state.creds)) {
      log.info('unfinished pairing found; starting from fresh credentials');
      try {
        await auth.clear();
      } catch (error) {
        log.error({ err: error }, 'could not reset the unfinished WhatsApp pairing');
        scheduleReconnect(undefined);
        return;
      }
    }
    if (!started) return;
    qr = undefined;
    pairingCode = undefined;
    setState('connecting');
    let sock: BaileysSocket;
    try {
      sock = socketFactory({
        // Baileys' defaults ask the phone for the full history and mark us online (which mutes
        // notifications on the phone); neither suits a shop number staff also use by hand.
        syncFullHistory: false,
        markOnlineOnConnect: false,
        // Never decrypt what the service does not answer.
        shouldIgnoreJid: (jid) => Boolean(isJidGroup(jid) || isJidBroadcast(jid) || isJidNewsletter(jid)),
        ...deps.socketConfig,
        auth: { creds: auth.state.creds, keys: makeCacheableSignalKeyStore(auth.state.keys, baileysLogger) },
        logger: baileysLogger,
      });
    } catch (error) {
      log.error({ err: error }, 'could not create the WhatsApp socket');
      scheduleReconnect(undefined);
      return;
    }
    live = attach(sock);
  }

  function attach(sock: BaileysSocket): LiveSocket {
    const entry: LiveSocket = { sock, detach: () => undefined, sawQr: false, pairingRequested: false };
    const onConnection = (update: BaileysEventMap['connection.update']) => onConnectionUpdate(entry, update);
    const onCreds = () => {
      credsSaved = credsSaved.then(() => auth?.saveCreds()).catch((error: unknown) => log.error({ err: error }, 'could not save WhatsApp credentials'));
    };
    const onUpsert = ({ messages, type }: BaileysEventMap['messages.upsert']) => {
      // 'notify' is live traffic; 'append' is the batch that waited while we were offline.
      if (type !== 'notify' && type !== 'append') return;
      for (const msg of messages) enqueue(entry, msg);
    };
    const onUpdate = (updates: BaileysEventMap['messages.update']) => recordReceipts(updates);
    sock.ev.on('connection.update', onConnection);
    sock.ev.on('creds.update', onCreds);
    sock.ev.on('messages.upsert', onUpsert);
    sock.ev.on('messages.update', onUpdate);
    entry.detach = () => {
      sock.ev.off('connection.update', onConnection);
      sock.ev.off('creds.update', onCreds);
      sock.ev.off('messages.upsert', onUpsert);
      sock.ev.off('messages.update', onUpdate);
    };
    return entry;
  }

  function onConnectionUpdate(entry: LiveSocket, update: BaileysEventMap['connection.update']): void {
    if (entry !== live) return;
    if (update.qr) {
      qr = update.qr;
      entry.sawQr = true;
      setState('pairing');
      deps.onQr?.(update.qr, coopId);
      if (pairingPhone && !entry.pairingRequested) requestCodeOn(entry, pairingPhone);
    }
    if (update.isNewLogin) log.info('device linked; WhatsApp will restart the connection');
    if (update.connection === 'connecting' && state !== 'pairing') setState('connecting');
    if (update.connection === 'open') {
      attempt = 0;
      qr = undefined;
      pairingCode = undefined;
      pairingPhone = undefined;
      setState('open');
    }
    if (update.connection === 'close') track(onClose(entry, update.lastDisconnect?.error), 'WhatsApp close handling failed');
  }

  async function onClose(entry: LiveSocket, error: Error | undefined): Promise<void> {
    entry.detach();
    if (live === entry) live = undefined;
    qr = undefined;
    if (!started) {
      setState('closed');
      return;
    }
    const statusCode = readStatusCode(error);
    const decision = decideOnClose(statusCode);
    // The credentials of the last update must be stored before the next socket reads them.
    await credsSaved;
    switch (decision) {
      case 'logged_out': {
        started = false;
        log.warn({ statusCode }, 'WhatsApp logged this device out; deleting the stored login');
        try {
          await auth?.clear();
        } catch (clearError) {
          log.error({ err: clearError }, 'could not delete the stored WhatsApp login');
        }
        failPairingWaiters(new WhatsAppConnectionError('stopped', 'WhatsApp logged the device out', { coopId }));
        setState('logged_out');
        try {
          await deps.onLoggedOut?.(coopId);
        } catch (notifyError) {
          log.error({ err: notifyError }, 'onLoggedOut failed');
        }
        return;
      }
      case 'replaced':
        started = false;
        log.warn({ statusCode }, 'another client took over this WhatsApp login; not reconnecting');
        failPairingWaiters(new WhatsAppConnectionError('stopped', 'WhatsApp connection replaced', { coopId }));
        setState('replaced');
        return;
      case 'restart':
        log.info({ statusCode }, 'WhatsApp asked for a restart; reconnecting now');
        await openSocket();
        return;
      case 'reconnect':
        scheduleReconnect(statusCode, error);
        return;
    }
  }

  function scheduleReconnect(statusCode: number | undefined, error?: Error): void {
    if (!started) return;
    const delayMs = backoffDelayMs(attempt, backoff, random);
    attempt += 1;
    log.warn({ statusCode, reason: error?.message, attempt, delayMs }, 'WhatsApp connection closed; reconnecting after a pause');
    setState('connecting');
    reconnectTimer = setTimeout(() => track(openSocket(), 'WhatsApp reconnect failed'), delayMs);
  }

  function enqueue(entry: LiveSocket, msg: WAMessage): void {
    const { remoteJid, id, fromMe } = msg.key;
    if (!remoteJid || !id || fromMe) return;
    const dedupeKey = `${remoteJid}|${id}`;
    if (!recentIds.add(dedupeKey)) {
      log.debug({ messageId: id }, 'whatsapp redelivery dropped');
      return;
    }
    // One at a time per sender, in arrival order; different senders run side by side.
    track(perSender.run(remoteJid, () => processMessage(entry, msg, dedupeKey)), 'whatsapp message processing failed');
  }

  async function processMessage(entry: LiveSocket, msg: WAMessage, dedupeKey: string): Promise<void> {
    const sock = live?.sock ?? entry.sock;
    const inbound = await toInboundMessage(msg, coopId, { logger: log, lidMapping: sock.signalRepository?.lidMapping, now: clock });
    if (!inbound) return;
    const jid = msg.key.remoteJid!;
    const messageLog = log.child({ messageId: inbound.providerMessageId, from: inbound.from });
    await sendPresence(sock, 'composing', jid);
    try {
      const result = await handleWithRetries(inbound, messageLog);
      messageLog.debug({ processed: result.processed, replies: result.replies.length }, 'whatsapp message handled');
    } catch (error) {
      // Baileys has acknowledged the message already and WhatsApp will not send it again:
      // it is lost unless the resident resends. Forget the id so a resend is not dropped.
      recentIds.delete(dedupeKey);
      messageLog.error({ err: error }, 'whatsapp message could not be handled; it is lost');
      return;
    } finally {
      await sendPresence(live?.sock ?? sock, 'paused', jid);
    }
    try {
      await (live?.sock ?? sock).readMessages([msg.key]);
    } catch (error) {
      messageLog.debug({ err: error }, 'read receipt not sent');
    }
  }

  /**
   * WhatsApp does not redeliver a message Baileys has acknowledged, so a dispatcher failure
   * (the database briefly away) is retried here a few times before the message is given up.
   */
  async function handleWithRetries(inbound: InboundMessage, messageLog: Logger): Promise<HandledMessage> {
    const delays = deps.handleRetryDelaysMs ?? DEFAULT_HANDLE_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await deps.handle(inbound);
      } catch (error) {
        if (attempt >= delays.length || !started) throw error;
        messageLog.warn({ err: error, attempt: attempt + 1 }, 'whatsapp message not handled yet, retrying');
        await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
        if (!started) throw error;
      }
    }
  }

  async function sendPresence(sock: BaileysSocket, presence: WAPresence, jid: string): Promise<void> {
    try {
      await sock.sendPresenceUpdate(presence, jid);
    } catch (error) {
      // Cosmetic: a closed socket must not stop the message itself.
      log.debug({ err: error, presence }, 'presence update not sent');
    }
  }

  function recordReceipts(updates: BaileysEventMap['messages.update']): void {
    const record = deps.recordStatus;
    if (!record) return;
    for (const entry of updates) {
      const update = toDeliveryStatusUpdate(entry, clock());
      if (!update) continue;
      track(
        record(update).catch((error: unknown) =>
          log.error({ err: error, providerMessageId: update.providerMessageId, status: update.status }, 'could not record a WhatsApp delivery status'),
        ),
        'could not record a WhatsApp delivery status',
      );
    }
  }

  function requestCodeOn(entry: LiveSocket, phoneDigits: string): void {
    entry.pairingRequested = true;
    const request = entry.sock.requestPairingCode(phoneDigits).then(
      (raw) => {
        if (entry !== live) return;
        const code = formatPairingCode(raw);
        pairingCode = code;
        log.info('pairing code issued');
        deps.onPairingCode?.(code, coopId);
        const waiters = pairingWaiters;
        pairingWaiters = [];
        for (const waiter of waiters) waiter.resolve(code);
      },
      (error: unknown) => {
        // The socket probably closed; the next socket asks again on its first QR.
        log.warn({ err: error }, 'pairing code request failed');
      },
    );
    track(request, 'pairing code request failed');
  }

  function failPairingWaiters(error: Error): void {
    const waiters = pairingWaiters;
    pairingWaiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  return {
    coopId,
    get state() {
      return state;
    },
    get qr() {
      return qr;
    },
    get pairingCode() {
      return pairingCode;
    },

    async start() {
      if (started) return;
      started = true;
      try {
        auth = await useMongoAuthState(deps.connection, coopId);
      } catch (error) {
        started = false;
        throw error;
      }
      await openSocket();
    },

    async stop() {
      started = false;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      failPairingWaiters(new WhatsAppConnectionError('stopped', 'WhatsApp connection stopped', { coopId }));
      const entry = live;
      if (entry) {
        try {
          await entry.sock.end(undefined);
        } catch (error) {
          log.warn({ err: error }, 'error while closing the WhatsApp socket');
        }
        entry.detach();
        if (live === entry) live = undefined;
      }
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await credsSaved;
      qr = undefined;
      if (state === 'connecting' || state === 'open' || state === 'pairing') setState('closed');
    },

    async requestPairingCode(phone) {
      const e164 = normalizePhone(phone);
      if (!e164) throw new WhatsAppConnectionError('invalid_phone', 'Not a phone number', { coopId });
      if (!started || !auth) throw new WhatsAppConnectionError('not_started', 'Start the connection before pairing', { coopId });
      if (isPairedCreds(auth.state.creds)) throw new WhatsAppConnectionError('already_paired', 'This coop is already linked', { coopId });
      const digits = e164.slice(1);
      // Asked again on the same socket for the same phone: the code already issued still stands.
      if (pairingCode && live?.pairingRequested && pairingPhone === digits) return pairingCode;
      const otherPhone = pairingPhone !== undefined && pairingPhone !== digits;
      pairingPhone = digits;
      const code = new Promise<string>((resolve, reject) => pairingWaiters.push({ resolve, reject }));
      // A code can only be asked for once WhatsApp offers pairing (first QR); until then the
      // socket is not open and Baileys would fail with "Connection Closed". Later sockets ask
      // on their own first QR.
      if (live?.sawQr && (!live.pairingRequested || otherPhone)) requestCodeOn(live, digits);
      return code;
    },

    async sendMessage(jid, content) {
      const sock = live?.sock;
      if (!sock || state !== 'open') throw new WhatsAppConnectionError('not_connected', 'WhatsApp is not connected', { coopId });
      return sock.sendMessage(jid, content);
    },
  };
}

/** WhatsApp shows the 8-character code in two groups: ABCD-EFGH. */
export function formatPairingCode(code: string): string {
  const compact = code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return compact.length === 8 ? `${compact.slice(0, 4)}-${compact.slice(4)}` : compact;
}
