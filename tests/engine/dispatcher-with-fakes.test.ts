import { describe, expect, test } from '@jest/globals';
import type { ChannelName, InboundMessage, ProviderName } from '../../src/channels/types.js';
import { SESSION_TTL_MS } from '../../src/db/session-store.js';
import { demoCoop } from '../../src/demo/coop.js';
import type { ProductFlowRegistry } from '../../src/actions/effect-context.js';
import { createFlowRegistry } from '../../src/actions/registry.js';
import { createChatService, type DispatcherStores } from '../../src/engine/chat-service.js';
import { silentLogger } from '../../src/logger.js';
import { INLINE_REPLY_HOLD_MS } from '../../src/outbox/reply-drafts.js';
import { createInMemoryStores, type InMemoryStores } from './in-memory-stores.js';

// The dispatcher on in-memory stores: no database. `models` and `instances` are deliberately
// empty: any use of them on these paths is a layering defect and fails the test.

const BUDI = '+6281200000002';
const STRANGER = '+6281299999999';
const APOLOGY = 'Maaf, ada gangguan di sistem kami. Silakan coba lagi sebentar lagi ya. 🙏';

function createFakeClock(start = new Date('2026-11-29T03:00:00.000Z')) {
  let current = start.getTime();
  return { now: () => new Date(current), advance: (ms: number) => (current += ms) };
}

/** A promise the test resolves by hand (to hold a store call). */
function createGate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Lets every pending promise callback run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function startDispatcher(overrides: Partial<DispatcherStores> = {}, registry?: ProductFlowRegistry) {
  const stores: InMemoryStores = createInMemoryStores();
  const clock = createFakeClock();
  const woken: ProviderName[] = [];
  const service = await createChatService({
    models: {} as never,
    instances: {} as never,
    logger: silentLogger,
    clock: clock.now,
    stores: { ...stores, ...overrides },
    onOutboxWritten: (provider) => woken.push(provider),
    ...(registry ? { registry } : {}),
  });
  let counter = 0;
  const message = (from: string, text: string, options: { id?: string; channel?: ChannelName; provider?: ProviderName } = {}): InboundMessage => ({
    channel: options.channel ?? 'whatsapp',
    provider: options.provider ?? 'simulator',
    coopId: demoCoop._id,
    from,
    providerMessageId: options.id ?? `fake-${++counter}`,
    text,
    receivedAt: clock.now(),
  });
  const send = (from: string, text: string, options: Parameters<typeof message>[2] = {}) => service.handle(message(from, text, options));
  const say = async (from: string, text: string, options: Parameters<typeof message>[2] = {}) => (await send(from, text, options)).replies.map((reply) => reply.text).join('\n');
  const sessionOf = (phone: string, channel: ChannelName = 'whatsapp') => stores.state.sessions.get(`${demoCoop._id}\u0000${channel}\u0000${phone}`);
  const outboxFor = (sourceMessageKey: string) => stores.state.outbox.filter((item) => item.sourceMessageKey === sourceMessageKey);
  const claimOf = (id: string) => [...stores.state.claims.values()].find((claim) => claim.message.providerMessageId === id);
  return { service, stores, state: stores.state, clock, woken, message, send, say, sessionOf, outboxFor, claimOf };
}

describe('dispatcher on in-memory stores', () => {
  test('an effect outcome no flow handles gets the polite error and the conversation back home, never silence', async () => {
    const registry = createFlowRegistry();
    const loadRecent = registry.actions['orders.loadRecent'];
    // An effect that breaks its declared contract (the flow loader cannot see this one).
    registry.actions['orders.loadRecent'] = { ...loadRecent, kind: 'effect', emits: ['orders.loaded', 'orders.none'], run: async () => ({ name: 'orders.unexpected' }) };
    const chat = await startDispatcher({}, registry);
    expect(await chat.say(BUDI, 'cek status pesanan')).toBe(APOLOGY);
    expect(chat.sessionOf(BUDI)).toMatchObject({ flow: 'menu', state: 'idle' });
    // The next message is understood as usual.
    expect(await chat.say(BUDI, 'beras 2 kg')).toContain('Beras Medium 2 kg');
  });

  test('a cart built over several messages lands in the session with the right lines', async () => {
    const chat = await startDispatcher();
    expect(await chat.say(BUDI, 'beras 2 kg, gula 1 kg, minyak 2 liter')).toContain('Gula Pasir 1 kg');
    expect(chat.sessionOf(BUDI)?.version).toBe(1);
    chat.clock.advance(60_000);
    expect(await chat.say(BUDI, 'tambah telur 5 butir')).toContain('Telur Ayam Ras 5 butir = Rp10.000');
    expect(await chat.say(BUDI, 'kurangi telur 2 butir')).toContain('Telur Ayam Ras 3 butir = Rp6.000');
    expect(await chat.say(BUDI, 'hapus gula')).not.toContain('Gula Pasir 1 kg');
    const reply = await chat.say(BUDI, 'ganti minyak 1 liter aja', { id: 'wamid.LAST' });
    // 2 kg beras 27.000 + 3 butir 6.000 + 1 liter 15.700
    expect(reply).toContain('Subtotal: Rp48.700');

    const session = chat.sessionOf(BUDI)!;
    expect(session.cart).toEqual([
      { productId: 'BERAS-MED', unit: 'kg', quantity: 2 },
      { productId: 'MINYAKITA', unit: 'liter', quantity: 1 },
      { productId: 'TELUR', unit: 'butir', quantity: 3 },
    ]);
    // One save per message, each on the version the previous one left.
    expect(session.version).toBe(5);
    expect(session.recentMessageIds?.at(-1)).toBe('wamid.LAST');
    expect(session.expiresAt).toEqual(new Date(chat.clock.now().getTime() + SESSION_TTL_MS));
    expect([...chat.state.claims.values()].map((claim) => claim.status)).toEqual(Array(5).fill('processed'));
    // A conversation belongs to its channel: on SMS the same phone starts another cart.
    await chat.say(BUDI, 'kecap 1 botol', { channel: 'sms' });
    expect(chat.sessionOf(BUDI, 'sms')!.cart).toEqual([{ productId: 'KECAP', unit: 'botol', quantity: 1 }]);
    expect(chat.sessionOf(BUDI)!.cart).toHaveLength(3);
  });

  test.each([
    { provider: 'simulator' as const, channel: 'whatsapp' as const, status: 'sent', holdMs: 0, wakes: false },
    // Held for the TwiML answer: the worker finds it by its poll once due, not woken now.
    { provider: 'twilio' as const, channel: 'sms' as const, status: 'pending', holdMs: INLINE_REPLY_HOLD_MS, wakes: false },
    { provider: 'baileys' as const, channel: 'whatsapp' as const, status: 'pending', holdMs: 0, wakes: true },
  ])('$provider replies are stored as outbox drafts back to the sender ($status, due after $holdMs ms)', async ({ provider, channel, status, holdMs, wakes }) => {
    const chat = await startDispatcher();
    const handled = await chat.send(STRANGER, 'beras 1 kg', { provider, channel, id: `${provider}-1` });
    const now = chat.clock.now();

    expect(handled.processed).toBe(true);
    expect(handled.replies.length).toBeGreaterThan(0);
    expect(chat.state.outbox.map((item) => item._id.toHexString())).toEqual(handled.replies.map((reply) => reply.outboxId));
    expect(chat.state.outbox.map((item) => item.text)).toEqual(handled.replies.map((reply) => reply.text));
    for (const item of chat.state.outbox) {
      expect(item).toMatchObject({ coopId: demoCoop._id, channel, provider, to: STRANGER, status, sourceMessageKey: `${channel}:${STRANGER}:${provider}-1` });
      expect(item.nextAttemptAt).toEqual(new Date(now.getTime() + holdMs));
      if (status === 'sent') expect(item).toMatchObject({ sentBy: 'inline', sentAt: now });
      else expect(item.sentAt).toBeUndefined();
    }
    // Only items a worker must send now wake it.
    expect(chat.woken).toEqual(wakes ? [provider] : []);
  });

  test('a duplicate delivery returns nothing and stores nothing, also when both arrive at once', async () => {
    const chat = await startDispatcher();
    expect((await chat.send(BUDI, 'minyak 1 liter', { id: 'wamid.DUP-1' })).processed).toBe(true);
    const outboxBefore = chat.state.outbox.length;
    const versionBefore = chat.sessionOf(BUDI)!.version;

    expect(await chat.send(BUDI, 'minyak 1 liter', { id: 'wamid.DUP-1' })).toEqual({ processed: false, replies: [] });
    expect(chat.state.outbox).toHaveLength(outboxBefore);
    expect(chat.sessionOf(BUDI)!.version).toBe(versionBefore);
    expect(chat.sessionOf(BUDI)!.cart).toEqual([{ productId: 'MINYAKITA', unit: 'liter', quantity: 1 }]);

    const both = await Promise.all([chat.send(BUDI, 'gula 1 kg', { id: 'wamid.DUP-2' }), chat.send(BUDI, 'gula 1 kg', { id: 'wamid.DUP-2' })]);
    expect(both.map((handled) => handled.processed).sort()).toEqual([false, true]);
    expect(chat.outboxFor(`whatsapp:${BUDI}:wamid.DUP-2`)).toHaveLength(both.find((handled) => handled.processed)!.replies.length);
    expect(chat.sessionOf(BUDI)!.cart.filter((line) => line.productId === 'GULA')).toEqual([{ productId: 'GULA', unit: 'kg', quantity: 1 }]);
    // The same provider id from another sender or on another channel is another message.
    expect((await chat.send(STRANGER, 'halo', { id: 'wamid.DUP-1' })).processed).toBe(true);
    expect((await chat.send(BUDI, 'halo', { id: 'wamid.DUP-1', channel: 'sms' })).processed).toBe(true);
  });

  test('a session saved elsewhere between load and save is retried from a fresh load; its replies are stored once', async () => {
    const chat = await startDispatcher();
    await chat.send(BUDI, 'telur 1 butir');
    let commits = 0;
    chat.state.hooks.beforeCommit = () => {
      if (++commits > 1) return;
      // Another process adds kecap and saves first: this commit's version guard misses.
      const session = chat.sessionOf(BUDI)!;
      session.cart.push({ productId: 'KECAP', unit: 'botol', quantity: 1 });
      session.version += 1;
    };
    const loadsBefore = chat.state.journal.filter((entry) => entry === `load ${BUDI}`).length;

    const handled = await chat.send(BUDI, 'garam 1 bungkus', { id: 'wamid.RACE' });

    expect(commits).toBe(2);
    expect(chat.state.journal.filter((entry) => entry === `load ${BUDI}`).length - loadsBefore).toBe(2);
    // The second attempt saw the other process's line and kept it.
    expect(handled.replies.map((reply) => reply.text).join('\n')).toContain('Kecap Manis');
    expect(chat.sessionOf(BUDI)!.cart.map((line) => line.productId)).toEqual(['TELUR', 'KECAP', 'GARAM']);
    expect(chat.sessionOf(BUDI)!.version).toBe(3);
    const stored = chat.outboxFor(`whatsapp:${BUDI}:wamid.RACE`);
    expect(stored.map((item) => item._id.toHexString())).toEqual(handled.replies.map((reply) => reply.outboxId));
    expect(stored.map((item) => item.text)).toEqual(handled.replies.map((reply) => reply.text));
    expect(chat.claimOf('wamid.RACE')!.status).toBe('processed');
  });

  test('a session that keeps changing elsewhere gives up after three attempts with one apology', async () => {
    const chat = await startDispatcher();
    await chat.send(BUDI, 'telur 1 butir');
    let commits = 0;
    chat.state.hooks.beforeCommit = (turn) => {
      commits += 1;
      if (turn.session) chat.sessionOf(BUDI)!.version += 1;
    };

    const handled = await chat.send(BUDI, 'garam 1 bungkus', { id: 'wamid.LOST' });

    // Three tries at saving the conversation, then the apology (stored without it).
    expect(commits).toBe(4);
    expect(handled.replies.map((reply) => reply.text)).toEqual([APOLOGY]);
    expect(chat.outboxFor(`whatsapp:${BUDI}:wamid.LOST`).map((item) => item.text)).toEqual([APOLOGY]);
    expect(chat.claimOf('wamid.LOST')!.status).toBe('failed');
    expect(chat.sessionOf(BUDI)!.cart.map((line) => line.productId)).toEqual(['TELUR']);
  });

  test('a failure inside the turn stores one apology and closes the claim as failed', async () => {
    const chat = await startDispatcher({
      coops: {
        get: async () => {
          throw new Error('coop store unavailable');
        },
        invalidate: () => undefined,
      },
    });

    const handled = await chat.send(BUDI, 'beras 1 kg', { id: 'wamid.BROKEN', provider: 'baileys' });

    expect(handled.processed).toBe(true);
    expect(handled.replies.map((reply) => reply.text)).toEqual([APOLOGY]);
    expect(chat.state.outbox).toHaveLength(1);
    expect(chat.state.outbox[0]).toMatchObject({ _id: expect.anything(), text: APOLOGY, status: 'pending', provider: 'baileys', to: BUDI, sourceMessageKey: `whatsapp:${BUDI}:wamid.BROKEN` });
    expect(chat.state.outbox[0]._id.toHexString()).toBe(handled.replies[0].outboxId);
    expect(chat.claimOf('wamid.BROKEN')!.status).toBe('failed');
    expect(chat.sessionOf(BUDI)).toBeUndefined();
  });

  test('placing the order hands the order store the message key of the confirming message', async () => {
    const chat = await startDispatcher();
    await chat.say(BUDI, 'pesan beras 5 kg sama minyak 2 liter');
    expect(await chat.say(BUDI, 'ambil')).toContain('Bayar');
    expect(await chat.say(BUDI, 'cod')).toContain('Total: Rp98.900');
    expect(chat.state.placeInputs).toEqual([]);

    const placed = await chat.say(BUDI, 'ya', { id: 'wamid.CONFIRM-1' });

    expect(chat.state.placeInputs).toHaveLength(1);
    const contact = chat.state.contacts.get(`${demoCoop._id}\u0000${BUDI}`)!;
    expect(chat.state.placeInputs[0]).toMatchObject({
      coopId: demoCoop._id,
      phone: BUDI,
      channel: 'whatsapp',
      contactId: contact._id,
      lines: [
        { productId: 'BERAS-MED', unit: 'kg', quantity: 5 },
        { productId: 'MINYAKITA', unit: 'liter', quantity: 2 },
      ],
      fulfilment: { method: 'pickup' },
      payment: 'cod',
      expectedTotalRp: 98_900,
      sourceMessageKey: `whatsapp:${BUDI}:wamid.CONFIRM-1`,
      now: chat.clock.now(),
    });
    expect(chat.state.placeInputs[0].memberId).toBeUndefined();
    expect(placed).toContain('#1001');
    expect(chat.sessionOf(BUDI)!.cart).toEqual([]);

    // The next order gets the next number.
    await chat.say(BUDI, 'gula 1 kg');
    await chat.say(BUDI, 'ambil');
    await chat.say(BUDI, 'cod');
    expect(await chat.say(BUDI, 'ya', { id: 'wamid.CONFIRM-2' })).toContain('#1002');
    expect(chat.state.placeInputs.map((input) => input.sourceMessageKey)).toEqual([`whatsapp:${BUDI}:wamid.CONFIRM-1`, `whatsapp:${BUDI}:wamid.CONFIRM-2`]);
  });

  test('a conflict after the order was placed is not retried: the order stands, the reply is stored once, the session is not saved', async () => {
    const chat = await startDispatcher();
    await chat.say(BUDI, 'gula 1 kg');
    await chat.say(BUDI, 'ambil');
    await chat.say(BUDI, 'cod');
    const before = chat.sessionOf(BUDI)!;
    let commits = 0;
    chat.state.hooks.beforeCommit = (turn) => {
      commits += 1;
      if (turn.session) chat.sessionOf(BUDI)!.version += 1;
    };

    const handled = await chat.send(BUDI, 'ya', { id: 'wamid.CONFIRM-RACE' });

    expect(chat.state.placeInputs).toHaveLength(1);
    expect(commits).toBe(2);
    expect(handled.replies.map((reply) => reply.text).join('\n')).toContain('#1001');
    expect(chat.outboxFor(`whatsapp:${BUDI}:wamid.CONFIRM-RACE`).map((item) => item.text)).toEqual(handled.replies.map((reply) => reply.text));
    expect(chat.claimOf('wamid.CONFIRM-RACE')!.status).toBe('processed');
    // Only the other process's write is there (its version bump); this turn's conversation was dropped.
    expect(chat.sessionOf(BUDI)!.cart).toEqual(before.cart);
    expect(chat.sessionOf(BUDI)!.state).toBe(before.state);
  });

  test('concurrent messages from one phone are processed one after another, in arrival order', async () => {
    const chat = await startDispatcher();
    const gate = createGate();
    let loads = 0;
    // Hold the first message's load, so the second would overtake it if nothing serialised them.
    chat.state.hooks.beforeLoad = () => (++loads === 1 ? gate.opened : undefined);

    const first = chat.send(BUDI, 'beras 1 kg', { id: 'wamid.FIRST' });
    const second = chat.send(BUDI, 'gula 1 kg', { id: 'wamid.SECOND' });
    const third = chat.send(BUDI, 'kecap 1 botol', { id: 'wamid.THIRD' });
    await settle();
    // Nothing of the later messages has started while the first is held.
    expect(chat.state.journal).toEqual([`load ${BUDI}`, 'claim wamid.FIRST']);
    gate.open();
    const replies = (await Promise.all([first, second, third])).map((handled) => handled.replies.map((reply) => reply.text).join('\n'));

    expect(chat.state.journal.filter((entry) => entry.startsWith('claim'))).toEqual(['claim wamid.FIRST', 'claim wamid.SECOND', 'claim wamid.THIRD']);
    expect(chat.state.journal.filter((entry) => entry.startsWith('load') || entry.startsWith('commit')).map((entry) => entry.split(' ')[0])).toEqual(['load', 'commit', 'load', 'commit', 'load', 'commit']);
    expect(replies[0]).toContain('Beras Medium 1 kg');
    expect(replies[0]).not.toContain('Gula');
    expect(replies[1]).toContain('Gula Pasir 1 kg');
    expect(replies[1]).not.toContain('Kecap');
    expect(replies[2]).toContain('Beras Medium 1 kg');
    expect(replies[2]).toContain('Kecap Manis 520 ml 1 botol');
    expect(chat.sessionOf(BUDI)!.cart.map((line) => line.productId)).toEqual(['BERAS-MED', 'GULA', 'KECAP']);
    expect(chat.sessionOf(BUDI)!.recentMessageIds).toEqual(['wamid.FIRST', 'wamid.SECOND', 'wamid.THIRD']);
  });

  test('another phone is not held up by a conversation in progress', async () => {
    const chat = await startDispatcher();
    const gate = createGate();
    chat.state.hooks.beforeLoad = (key) => (key.phone === BUDI ? gate.opened : undefined);

    const held = chat.send(BUDI, 'beras 1 kg');
    let strangerReplies: string[] | undefined;
    const other = chat.send(STRANGER, 'gula 1 kg').then((handled) => (strangerReplies = handled.replies.map((reply) => reply.text)));
    await settle();
    // Answered while Budi's message is still held (awaiting it instead would hang if it were queued behind).
    expect(strangerReplies?.join('\n')).toContain('Gula Pasir 1 kg');
    expect(chat.sessionOf(BUDI)).toBeUndefined();
    await other;
    gate.open();
    expect((await held).processed).toBe(true);
    expect(chat.sessionOf(BUDI)!.cart).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 1 }]);
  });
});
