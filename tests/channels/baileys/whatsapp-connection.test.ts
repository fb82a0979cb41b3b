import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import mongoose from 'mongoose';
import { DisconnectReason, proto } from '@whiskeysockets/baileys';
import { createWhatsAppConnection, type WhatsAppConnection, type WhatsAppConnectionDeps, type WhatsAppConnectionState } from '../../../src/channels/baileys/whatsapp-connection.js';
import type { DeliveryStatusUpdate, HandledMessage, InboundMessage } from '../../../src/channels/types.js';
import { getWhatsAppAuthModel } from '../../../src/db/models/whatsapp-auth.js';
import { isPaired } from '../../../src/db/whatsapp-auth-store.js';
import { silentLogger } from '../../../src/logger.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/database.js';
import { createFakeSocketFactory, type FakeCall } from './fake-socket.js';
import { RESIDENT_JID, RESIDENT_LID, RESIDENT_PHONE, waMessage } from './wa-messages.js';

/**
 * Lets real I/O (the database) and promise chains run; fake timers leave setImmediate alone.
 * Bounded by real elapsed time (hrtime is never faked), not by rounds: a loaded CI machine
 * needs more rounds for one database write.
 */
async function until(check: () => boolean | Promise<boolean>, limitMs = 10_000): Promise<void> {
  const deadline = process.hrtime.bigint() + BigInt(limitMs) * 1_000_000n;
  while (process.hrtime.bigint() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('condition not met');
}

type TimelineEntry = FakeCall | { method: 'handle'; message: InboundMessage };

describe('createWhatsAppConnection', () => {
  let db: TestDatabase;
  let conn: mongoose.Connection;
  let coopCounter = 0;
  const running: WhatsAppConnection[] = [];

  beforeAll(async () => {
    db = await openTestDatabase('whatsapp_connection');
    conn = await mongoose.createConnection(db.uri).asPromise();
  });

  afterEach(async () => {
    for (const connection of running.splice(0)) await connection.stop();
    jest.useRealTimers();
  });

  afterAll(async () => {
    await conn.close();
    await db.cleanup();
  });

  /** A connection on fake sockets; every call (socket and handler) lands in one timeline. */
  function setup(overrides: Partial<WhatsAppConnectionDeps> = {}) {
    coopCounter += 1;
    const coopId = `coop-${coopCounter}`;
    const timeline: TimelineEntry[] = [];
    const fakes = createFakeSocketFactory(timeline as FakeCall[]);
    const states: WhatsAppConnectionState[] = [];
    const handled: InboundMessage[] = [];
    const loggedOut: string[] = [];
    const qrs: string[] = [];
    const codes: string[] = [];
    const statuses: DeliveryStatusUpdate[] = [];
    const handle = jest.fn(async (message: InboundMessage): Promise<HandledMessage> => {
      timeline.push({ method: 'handle', message });
      handled.push(message);
      return { processed: true, replies: [] };
    });
    const connection = createWhatsAppConnection({
      coopId,
      connection: conn,
      handle,
      logger: silentLogger,
      socketFactory: fakes.factory,
      onStatus: (state) => states.push(state),
      onLoggedOut: (id) => void loggedOut.push(id),
      onQr: (qr) => qrs.push(qr),
      onPairingCode: (code) => codes.push(code),
      recordStatus: async (update) => void statuses.push(update),
      random: () => 0.5,
      backoff: { initialMs: 1000, maxMs: 8000, jitterRatio: 0.2 },
      ...overrides,
    });
    running.push(connection);
    return { coopId, connection, sockets: fakes.sockets, timeline, states, handled, handle, loggedOut, qrs, codes, statuses };
  }

  async function startOpen(overrides: Partial<WhatsAppConnectionDeps> = {}) {
    const ctx = setup(overrides);
    await ctx.connection.start();
    expect(ctx.sockets).toHaveLength(1);
    ctx.sockets[0].open();
    expect(ctx.connection.state).toBe('open');
    return ctx;
  }

  describe('reconnect policy', () => {
    it.each([
      ['connectionClosed', DisconnectReason.connectionClosed],
      ['connectionLost / timedOut', DisconnectReason.connectionLost],
      ['badSession', DisconnectReason.badSession],
    ])('reconnects after %s (%i) with exponential backoff and jitter', async (_name, statusCode) => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { connection, sockets } = await startOpen();

      // attempt 0: 1000 ms * (1 + 0.2 * 0.5) = 1100 ms
      sockets[0].close(statusCode);
      await until(() => connection.state === 'connecting');
      await jest.advanceTimersByTimeAsync(1099);
      expect(sockets).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      await until(() => sockets.length === 2);

      // attempt 1 doubles: 2000 ms * 1.1 = 2200 ms
      sockets[1].close(statusCode);
      await until(() => connection.state === 'connecting');
      await jest.advanceTimersByTimeAsync(2199);
      expect(sockets).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1);
      await until(() => sockets.length === 3);

      // An open connection starts the backoff over.
      sockets[2].open();
      expect(connection.state).toBe('open');
      sockets[2].close(statusCode);
      await until(() => connection.state === 'connecting');
      await jest.advanceTimersByTimeAsync(1100);
      await until(() => sockets.length === 4);
      // The old socket's listeners are gone: a late event from it changes nothing.
      expect(sockets[0].listenerCount('messages.upsert')).toBe(0);
    });

    it('caps the backoff and draws the jitter from the injected random source', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const draws = [0, 0.99, 0, 0, 0, 0];
      const { sockets } = await startOpen({ random: () => draws.shift() ?? 0 });
      const expected = [1000, 2396, 4000, 8000, 8000]; // 2000 * (1 + 0.2 * 0.99) = 2396; then capped at 8000
      for (const [index, delay] of expected.entries()) {
        sockets[index].close(DisconnectReason.connectionClosed);
        await jest.advanceTimersByTimeAsync(delay - 1);
        expect(sockets).toHaveLength(index + 1);
        await jest.advanceTimersByTimeAsync(1);
        await until(() => sockets.length === index + 2);
      }
    });

    it('on 401 (logged out) deletes the login, reports logged_out, calls onLoggedOut and stops', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { coopId, connection, sockets, states, loggedOut } = await startOpen();
      const creds = sockets[0].config.auth.creds;
      creds.me = { id: '6281111111111:3@s.whatsapp.net', name: 'KDMP' };
      creds.account = { details: Buffer.from([1]), accountSignatureKey: Buffer.alloc(32), accountSignature: Buffer.alloc(64) };
      sockets[0].emit('creds.update', { me: creds.me, account: creds.account });
      await until(async () => isPaired(conn, coopId));
      await sockets[0].config.auth.keys.set({ session: { 'x.0': Buffer.from('s') } });

      sockets[0].close(DisconnectReason.loggedOut);
      await until(() => connection.state === 'logged_out');
      expect(loggedOut).toEqual([coopId]);
      expect(await getWhatsAppAuthModel(conn).countDocuments({ coopId })).toBe(0);
      expect(await isPaired(conn, coopId)).toBe(false);
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      expect(sockets).toHaveLength(1);
      expect(states.at(-1)).toBe('logged_out');
    });

    it('on 440 (replaced) stops without reconnecting, and keeps the login', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { coopId, connection, sockets, loggedOut } = await startOpen();
      sockets[0].emit('creds.update', {});
      await until(async () => (await getWhatsAppAuthModel(conn).countDocuments({ coopId })) === 1);

      sockets[0].close(DisconnectReason.connectionReplaced);
      await until(() => connection.state === 'replaced');
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      expect(sockets).toHaveLength(1);
      expect(loggedOut).toEqual([]);
      expect(await getWhatsAppAuthModel(conn).countDocuments({ coopId })).toBe(1);
    });

    it('on 515 (restart required after pairing) opens a new socket at once with the saved credentials', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { coopId, connection, sockets, states, qrs } = setup();
      await connection.start();
      sockets[0].showQr('2@qr-ref-1,noise,identity,adv,1');
      expect(connection.state).toBe('pairing');
      expect(connection.qr).toBe('2@qr-ref-1,noise,identity,adv,1');
      expect(qrs).toEqual(['2@qr-ref-1,noise,identity,adv,1']);

      // pair-success: Baileys assigns the new identity into creds, emits creds.update, then 515.
      const creds = sockets[0].config.auth.creds;
      Object.assign(creds, {
        me: { id: '6281111111111:7@s.whatsapp.net', name: 'KDMP' },
        account: { details: Buffer.from([1]), accountSignatureKey: Buffer.alloc(32), accountSignature: Buffer.alloc(64) },
      });
      sockets[0].emit('creds.update', { me: creds.me, account: creds.account });
      sockets[0].emit('connection.update', { isNewLogin: true, qr: undefined });
      sockets[0].close(DisconnectReason.restartRequired);

      await until(() => sockets.length === 2); // no timer advanced
      expect(await isPaired(conn, coopId)).toBe(true);
      expect(sockets[1].config.auth.creds.me?.id).toBe('6281111111111:7@s.whatsapp.net');
      sockets[1].open();
      expect(connection.state).toBe('open');
      expect(connection.qr).toBeUndefined();
      expect(states).toEqual(['connecting', 'pairing', 'connecting', 'open']);
    });

    it('stop() ends the socket, reports closed and never reconnects', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { connection, sockets, timeline } = await startOpen();
      await connection.stop();
      expect(timeline.filter((call) => call.method === 'end')).toHaveLength(1);
      expect(timeline.some((call) => call.method === 'logout')).toBe(false); // the device stays linked
      expect(connection.state).toBe('closed');
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      expect(sockets).toHaveLength(1);
    });

    it('stop() during a backoff cancels the pending reconnect', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { connection, sockets } = await startOpen();
      sockets[0].close(DisconnectReason.connectionLost);
      await until(() => connection.state === 'connecting');
      await connection.stop();
      await jest.advanceTimersByTimeAsync(10 * 60_000);
      expect(sockets).toHaveLength(1);
      expect(connection.state).toBe('closed');
    });
  });

  describe('incoming messages', () => {
    it('hands notify and append (the offline batch) messages to the dispatcher, in order', async () => {
      const { coopId, sockets, handled } = await startOpen();
      sockets[0].emit('messages.upsert', { type: 'append', messages: [waMessage({ id: 'OFF1', text: 'pesan semalam', timestamp: 1_750_000_001 }), waMessage({ id: 'OFF2', text: 'halo?', timestamp: 1_750_000_002 })] });
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [waMessage({ id: 'LIVE1', text: 'beras 5kg', timestamp: 1_750_000_100 })] });
      await until(() => handled.length === 3);
      expect(handled.map((message) => message.providerMessageId)).toEqual(['OFF1', 'OFF2', 'LIVE1']);
      expect(handled[2]).toEqual({
        channel: 'whatsapp',
        provider: 'baileys',
        coopId,
        from: RESIDENT_PHONE,
        providerMessageId: 'LIVE1',
        text: 'beras 5kg',
        receivedAt: new Date(1_750_000_100_000),
      });
    });

    it('handles one message at a time per sender, while other senders go ahead', async () => {
      const started: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const handle = jest.fn(async (message: InboundMessage): Promise<HandledMessage> => {
        started.push(message.providerMessageId);
        if (message.providerMessageId === 'SLOW1') await gate;
        return { processed: true, replies: [] };
      });
      const { sockets } = await startOpen({ handle });
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [waMessage({ id: 'SLOW1' }), waMessage({ id: 'NEXT2' })] });
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [waMessage({ id: 'OTHER', remoteJid: '6281299990000@s.whatsapp.net' })] });
      await until(() => started.includes('OTHER'));
      await connectionSettled();
      expect(started).not.toContain('NEXT2');
      release();
      await until(() => started.includes('NEXT2'));
      expect(started.indexOf('NEXT2')).toBeGreaterThan(started.indexOf('SLOW1'));
    });

    it('skips own, status, group, newsletter and broadcast messages', async () => {
      const { sockets, handled, timeline } = await startOpen();
      sockets[0].emit('messages.upsert', {
        type: 'notify',
        messages: [
          waMessage({ id: 'OWN', fromMe: true }),
          waMessage({ id: 'STATUS', remoteJid: 'status@broadcast', participant: RESIDENT_JID }),
          waMessage({ id: 'GROUP', remoteJid: '120363025246125888@g.us', participant: RESIDENT_JID }),
          waMessage({ id: 'NEWS', remoteJid: '120363144038483540@newsletter' }),
          waMessage({ id: 'BCAST', remoteJid: '1750000000@broadcast', participant: RESIDENT_JID }),
          waMessage({ id: 'REAL' }),
        ],
      });
      await until(() => handled.length === 1);
      await connectionSettled();
      expect(handled.map((message) => message.providerMessageId)).toEqual(['REAL']);
      // Nothing is marked read or typed at for what was skipped.
      const touched = timeline.flatMap((call) => (call.method === 'readMessages' ? call.keys.map((key) => key.id) : []));
      expect(touched).toEqual(['REAL']);
    });

    it('drops redeliveries of the same chat and id, across notify and append', async () => {
      const { sockets, handled } = await startOpen();
      const first = waMessage({ id: 'DUP1' });
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [first] });
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [waMessage({ id: 'DUP1' })] });
      sockets[0].emit('messages.upsert', { type: 'append', messages: [waMessage({ id: 'DUP1' }), waMessage({ id: 'NEW2' })] });
      // The same id in another chat is another message.
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [waMessage({ id: 'DUP1', remoteJid: '6281299990000@s.whatsapp.net' })] });
      await until(() => handled.length === 3);
      await connectionSettled();
      // Senders are handled side by side, so only each sender's own order is fixed.
      expect(handled.map((message) => `${message.from}/${message.providerMessageId}`).sort()).toEqual([
        '+6281234567890/DUP1',
        '+6281234567890/NEW2',
        '+6281299990000/DUP1',
      ]);
    });

    it('retries a message the dispatcher failed (WhatsApp will not send it again), then reads it', async () => {
      let calls = 0;
      const handle = jest.fn(async (): Promise<HandledMessage> => {
        calls += 1;
        if (calls <= 2) throw new Error('database unavailable');
        return { processed: true, replies: [] };
      });
      const { sockets, timeline } = await startOpen({ handle, handleRetryDelaysMs: [5, 5, 5] });
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [waMessage({ id: 'RETRY1' })] });
      await until(() => calls === 3);
      await until(() => timeline.some((call) => call.method === 'readMessages'));
      expect(handle).toHaveBeenCalledTimes(3);
    });

    it('gives a message up after its retries and lets a resend of it through', async () => {
      let calls = 0;
      const handle = jest.fn(async (): Promise<HandledMessage> => {
        calls += 1;
        if (calls <= 2) throw new Error('database unavailable');
        return { processed: true, replies: [] };
      });
      const { sockets, timeline } = await startOpen({ handle, handleRetryDelaysMs: [5] });
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [waMessage({ id: 'RETRY2' })] });
      await until(() => calls === 2);
      await connectionSettled();
      expect(timeline.some((call) => call.method === 'readMessages')).toBe(false); // not read: it was not handled
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [waMessage({ id: 'RETRY2' })] });
      await until(() => calls === 3);
      await until(() => timeline.some((call) => call.method === 'readMessages'));
    });

    it('maps @lid senders to their phone number, and skips a LID it cannot map', async () => {
      const { sockets, handled } = await startOpen();
      sockets[0].lidToPhone.set('222222222222222@lid', '6281277776666:0@s.whatsapp.net');
      sockets[0].emit('messages.upsert', {
        type: 'notify',
        messages: [
          waMessage({ id: 'LID1', remoteJid: RESIDENT_LID, remoteJidAlt: RESIDENT_JID }),
          waMessage({ id: 'LID2', remoteJid: '222222222222222@lid' }),
          waMessage({ id: 'LID3', remoteJid: '333333333333333@lid' }),
        ],
      });
      await until(() => handled.length === 2);
      await connectionSettled();
      expect(handled.map((message) => [message.providerMessageId, message.from])).toEqual([
        ['LID1', RESIDENT_PHONE],
        ['LID2', '+6281277776666'],
      ]);
      expect(handled.some((message) => message.from.includes('333333333333333'))).toBe(false);
    });

    it('shows "typing" while the dispatcher works, then paused, then sends a read receipt', async () => {
      const { sockets, timeline } = await startOpen();
      const msg = waMessage({ id: 'TYPE1' });
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [msg] });
      await until(() => timeline.some((call) => call.method === 'readMessages'));
      expect(timeline.map((call) => describeCall(call))).toEqual([
        `sendPresenceUpdate composing ${RESIDENT_JID}`,
        'handle TYPE1',
        `sendPresenceUpdate paused ${RESIDENT_JID}`,
        'readMessages TYPE1',
      ]);
      const receipt = timeline.find((call) => call.method === 'readMessages');
      expect(receipt?.method === 'readMessages' && receipt.keys[0]).toBe(msg.key);
    });

    it('replies to a LID chat in that chat (presence and receipt go to the jid the message came from)', async () => {
      const { sockets, timeline } = await startOpen();
      sockets[0].emit('messages.upsert', { type: 'notify', messages: [waMessage({ id: 'LIDTYPE', remoteJid: RESIDENT_LID, remoteJidAlt: RESIDENT_JID })] });
      await until(() => timeline.some((call) => call.method === 'readMessages'));
      expect(timeline[0]).toEqual({ method: 'sendPresenceUpdate', presence: 'composing', jid: RESIDENT_LID });
    });
  });

  describe('delivery receipts', () => {
    it('reports status updates of our sent messages to recordStatus', async () => {
      const { sockets, statuses } = await startOpen({ clock: () => new Date('2025-06-01T03:00:00Z') });
      const Status = proto.WebMessageInfo.Status;
      sockets[0].emit('messages.update', [
        { key: { remoteJid: RESIDENT_JID, fromMe: true, id: 'OUT1' }, update: { status: Status.SERVER_ACK } },
        { key: { remoteJid: RESIDENT_JID, fromMe: true, id: 'OUT1' }, update: { status: Status.DELIVERY_ACK } },
        { key: { remoteJid: RESIDENT_JID, fromMe: true, id: 'OUT2' }, update: { status: Status.ERROR, messageStubParameters: ['463'] } },
        // A resident's message read on the staff phone: not ours.
        { key: { remoteJid: RESIDENT_JID, fromMe: false, id: 'IN1' }, update: { status: Status.READ } },
        // An edit, not a status.
        { key: { remoteJid: RESIDENT_JID, fromMe: true, id: 'OUT3' }, update: { message: { conversation: 'x' } } },
      ]);
      await until(() => statuses.length === 3);
      await connectionSettled();
      const at = new Date('2025-06-01T03:00:00Z');
      expect(statuses).toEqual([
        { provider: 'baileys', providerMessageId: 'OUT1', status: 'sent', at },
        { provider: 'baileys', providerMessageId: 'OUT1', status: 'delivered', at },
        { provider: 'baileys', providerMessageId: 'OUT2', status: 'failed', errorCode: '463', at },
      ]);
    });
  });

  describe('pairing', () => {
    it('requests a pairing code once WhatsApp offers pairing, and again on each new socket', async () => {
      jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
      const { connection, sockets, timeline, codes } = setup();
      await connection.start();
      const code = connection.requestPairingCode('0812-3456-7890');
      // Not before the first QR: the socket is not open yet.
      await connectionSettled();
      expect(timeline.some((call) => call.method === 'requestPairingCode')).toBe(false);
      sockets[0].showQr('2@ref-1');
      await expect(code).resolves.toBe('ABCD-1234');
      expect(timeline.filter((call) => call.method === 'requestPairingCode')).toEqual([{ method: 'requestPairingCode', phone: '6281234567890' }]);
      expect(connection.pairingCode).toBe('ABCD-1234');

      // Baileys writes `me` when asked for a code; the QR refs run out (408) before anyone types it.
      sockets[0].config.auth.creds.me = { id: '6281234567890@s.whatsapp.net', name: '~' };
      sockets[0].close(DisconnectReason.timedOut);
      await until(() => connection.state === 'connecting');
      await jest.advanceTimersByTimeAsync(1100);
      await until(() => sockets.length === 2);
      // The next socket starts from clean credentials (a half-made login cannot log in)...
      expect(sockets[1].config.auth.creds.me).toBeUndefined();
      sockets[1].pairingCode = 'WXYZ5678';
      sockets[1].showQr('2@ref-2');
      // ...and asks for a fresh code by itself.
      await until(() => codes.length === 2);
      expect(codes).toEqual(['ABCD-1234', 'WXYZ-5678']);
    });

    it('asks at once when the QR is already showing, and refuses a bad phone number', async () => {
      const { connection, sockets } = setup();
      await expect(connection.requestPairingCode('0812')).rejects.toMatchObject({ code: 'invalid_phone' });
      await connection.start();
      sockets[0].showQr('2@ref-1');
      await expect(connection.requestPairingCode('+6281234567890')).resolves.toBe('ABCD-1234');
    });

    it('refuses to pair before start()', async () => {
      const { connection } = setup();
      await expect(connection.requestPairingCode('+6281234567890')).rejects.toMatchObject({ code: 'not_started' });
    });
  });

  describe('sending through the connection', () => {
    it('sends on the live socket only while open', async () => {
      const { connection, sockets } = setup();
      await connection.start();
      await expect(connection.sendMessage(RESIDENT_JID, { text: 'halo' })).rejects.toMatchObject({ code: 'not_connected' });
      sockets[0].open();
      const sent = await connection.sendMessage(RESIDENT_JID, { text: 'halo' });
      expect(sent?.key.id).toBe('3EB0SENT1');
    });
  });
});

/** A few turns of the event loop for work that should NOT happen to have had its chance. */
async function connectionSettled(): Promise<void> {
  for (let i = 0; i < 50; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

function describeCall(call: TimelineEntry): string {
  switch (call.method) {
    case 'sendPresenceUpdate':
      return `sendPresenceUpdate ${call.presence} ${call.jid}`;
    case 'handle':
      return `handle ${call.message.providerMessageId}`;
    case 'readMessages':
      return `readMessages ${call.keys.map((key) => key.id).join(',')}`;
    default:
      return call.method;
  }
}
