import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createChatService } from '../../src/engine/chat-service.js';
import { SessionConflictError } from '../../src/domain/errors.js';
import { Types } from 'mongoose';
import { createInstanceRegistry } from '../../src/db/instance-registry.js';
import { sessionVarsSchema } from '../../src/actions/session-vars.js';
import { readSession } from '../../src/db/session-store.js';
import { createTurnWriter } from '../../src/db/turn-writer.js';
import { createExpireCartsJob } from '../../src/jobs/expire-carts.js';
import { silentLogger } from '../../src/logger.js';
import type { Models } from '../../src/db/models/index.js';
import { BUDI, SITI, openChatHarness, type ChatHarness } from './chat-harness.js';

let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});

/** Models whose Session.findOne waits until `parties` loads have happened (then lets everyone through). */
function withLoadBarrier(models: Models, parties: number): Models & { loads(): number } {
  let arrived = 0;
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const Session = new Proxy(models.Session, {
    get(target, property, receiver) {
      if (property !== 'findOne') return Reflect.get(target, property, receiver);
      return (...args: Parameters<typeof target.findOne>) => ({
        lean: async () => {
          const doc = await target.findOne(...args).lean();
          if (++arrived >= parties) release();
          await gate;
          return doc;
        },
      });
    },
  });
  return { ...models, Session, loads: () => arrived };
}

const cartOf = (phone: string) => chat.cartOf(phone);

describe('dispatcher', () => {
  test('two concurrent messages from one phone are processed one after the other; no cart line is lost', async () => {
    const [first, second] = await Promise.all([chat.send(BUDI, 'beras 1 kg'), chat.send(BUDI, 'gula 1 kg')]);
    // Arrival order is kept: the first reply shows one line, the second both.
    expect(first.join('\n')).toContain('Beras Medium 1 kg');
    expect(first.join('\n')).not.toContain('Gula');
    expect(second.join('\n')).toContain('Beras Medium 1 kg');
    expect(second.join('\n')).toContain('Gula Pasir 1 kg');
    expect(await cartOf(BUDI)).toEqual([
      { productId: 'BERAS-MED', unit: 'kg', quantity: 1 },
      { productId: 'GULA', unit: 'kg', quantity: 1 },
    ]);
    await chat.send(BUDI, 'batal');
  });

  test('two processes (no shared lock) still lose no line: the session version check makes the loser retry', async () => {
    await chat.send(SITI, 'telur 1 butir');
    // Both "processes" load the session before either saves: a real race, made deterministic.
    const models = withLoadBarrier(chat.models, 2);
    const otherInstance = createInstanceRegistry(chat.models, silentLogger, chat.clock.now);
    const processA = await createChatService({ models, logger: silentLogger, instances: chat.instances, clock: chat.clock.now });
    const processB = await createChatService({ models, logger: silentLogger, instances: otherInstance, clock: chat.clock.now });
    const send = (service: typeof processA, id: string, text: string) =>
      service.handle({ channel: 'whatsapp', provider: 'simulator', coopId: chat.coopId, from: SITI, providerMessageId: id, text, receivedAt: chat.clock.now() });
    const [a, b] = await Promise.all([send(processA, 'proc-a', 'kecap 1 botol'), send(processB, 'proc-b', 'garam 1 bungkus')]);
    expect(a.replies.length).toBeGreaterThan(0);
    expect(b.replies.length).toBeGreaterThan(0);
    const productIds = (await cartOf(SITI)).map((line) => line.productId).sort();
    expect(productIds).toEqual(['GARAM', 'KECAP', 'TELUR']);
    expect(models.loads()).toBeGreaterThanOrEqual(3);
    const session = await chat.models.Session.findOne({ phone: SITI, channel: 'whatsapp' }).lean();
    expect(session!.version).toBe(3);
    await chat.send(SITI, 'batal');
  });

  test('many residents at once share reads, writes and the order transaction, each with their own outcome', async () => {
    const phones = Array.from({ length: 6 }, (_, index) => `+62812000001${index}`);
    const all = (text: string) => Promise.all(phones.map((phone) => chat.send(phone, text)));
    await all('beras 1 kg');
    for (const phone of phones) expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 1 }]);
    await all('ambil');
    await all('cod');
    const before = await chat.models.Order.countDocuments({ coopId: chat.coopId });
    const confirmed = await all('ya');
    const orders = await chat.models.Order.find({ phone: { $in: phones } }).lean();
    expect(orders).toHaveLength(phones.length);
    expect(await chat.models.Order.countDocuments({ coopId: chat.coopId })).toBe(before + phones.length);
    expect(new Set(orders.map((order) => order.number)).size).toBe(phones.length);
    for (const order of orders) expect(confirmed[phones.indexOf(order.phone)].join('\n')).toContain(`#${order.number}`);
  });

  test('a batch of turns refuses only the one whose session is stale, and stores nothing of it', async () => {
    const writer = createTurnWriter(chat.models);
    await chat.send(SITI, 'kecap 1 botol');
    await chat.send(BUDI, 'kecap 1 botol');
    const load = async (phone: string) => readSession(await chat.models.Session.findOne({ phone, channel: 'whatsapp' }).lean(), chat.clock.now(), silentLogger);
    const [siti, budi] = [await load(SITI), await load(BUDI)];
    const stale = { ...budi, stored: { ...budi.stored!, version: budi.stored!.version - 1 } };
    const save = (phone: string, loaded: typeof siti, id: string) =>
      writer.commit({
        claimId: new Types.ObjectId(),
        outcome: 'processed',
        session: { key: { coopId: chat.coopId, phone, channel: 'whatsapp' }, loaded, conversation: { ...loaded.conversation!, cart: [] }, messageId: id },
        replies: [{ coopId: chat.coopId, channel: 'whatsapp', provider: 'baileys', to: phone, text: `reply ${id}`, status: 'pending', nextAttemptAt: chat.clock.now() }],
        now: chat.clock.now(),
      });
    const results = await Promise.allSettled([save(SITI, siti, 'batch-save-1'), save(BUDI, stale, 'batch-save-2')]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(SessionConflictError) });
    expect(await chat.models.OutboxItem.countDocuments({ text: 'reply batch-save-1' })).toBe(1);
    expect(await chat.models.OutboxItem.countDocuments({ text: 'reply batch-save-2' })).toBe(0);
    expect(await cartOf(SITI)).toEqual([]);
    expect(await cartOf(BUDI)).toEqual([{ productId: 'KECAP', unit: 'botol', quantity: 1 }]);
    await chat.send(BUDI, 'batal');
  });

  test('a stored session whose vars break their schema starts fresh instead of reaching a guard', async () => {
    await chat.send(BUDI, 'batal');
    await chat.send(BUDI, 'kecap 1 botol');
    await chat.models.Session.updateOne({ phone: BUDI, channel: 'whatsapp' }, { $set: { 'vars.payment': 'cheque' } });
    const doc = await chat.models.Session.findOne({ phone: BUDI, channel: 'whatsapp' }).lean();
    expect(readSession(doc, chat.clock.now(), silentLogger, sessionVarsSchema).conversation).toBeUndefined();
    expect(readSession(doc, chat.clock.now(), silentLogger).conversation?.vars).toMatchObject({ payment: 'cheque' });
    // The resident is not stuck: the next message starts a new conversation.
    expect((await chat.send(BUDI, 'gula 1 kg')).join('\n')).not.toContain('Kecap');
    await chat.send(BUDI, 'batal');
  });

  test('the same provider message id delivered twice has one effect and one reply', async () => {
    const first = await chat.send(BUDI, 'minyak 1 liter', { id: 'wamid.DUPLICATE-1' });
    const again = await chat.send(BUDI, 'minyak 1 liter', { id: 'wamid.DUPLICATE-1' });
    expect(first.length).toBeGreaterThan(0);
    expect(again).toEqual([]);
    expect(await cartOf(BUDI)).toEqual([{ productId: 'MINYAKITA', unit: 'liter', quantity: 1 }]);
    // Redelivered concurrently too.
    const both = await Promise.all([chat.send(BUDI, 'gula 1 kg', { id: 'wamid.DUPLICATE-2' }), chat.send(BUDI, 'gula 1 kg', { id: 'wamid.DUPLICATE-2' })]);
    expect(both.filter((replies) => replies.length === 0)).toHaveLength(1);
    expect((await cartOf(BUDI)).find((line) => line.productId === 'GULA')).toEqual({ productId: 'GULA', unit: 'kg', quantity: 1 });
    expect(await chat.models.InboundMessage.countDocuments({ providerMessageId: { $in: ['wamid.DUPLICATE-1', 'wamid.DUPLICATE-2'] } })).toBe(2);
    // The same id on another channel, or from another sender, is another message.
    expect((await chat.send(BUDI, 'halo', { id: 'wamid.DUPLICATE-1', channel: 'sms' })).length).toBeGreaterThan(0);
    expect((await chat.send(SITI, 'halo', { id: 'wamid.DUPLICATE-1' })).length).toBeGreaterThan(0);
    await chat.send(BUDI, 'batal');
  });

  test('a placed order is not placed twice when the confirming "ya" is redelivered', async () => {
    await chat.send(BUDI, 'gula 1 kg');
    await chat.send(BUDI, 'ambil');
    await chat.send(BUDI, 'cod');
    const before = await chat.models.Order.countDocuments({ phone: BUDI });
    await chat.send(BUDI, 'ya', { id: 'wamid.CONFIRM' });
    await chat.send(BUDI, 'ya', { id: 'wamid.CONFIRM' });
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(before + 1);
  });

  test('a cart left alone for 2 hours expires; the resident is told and the next message starts fresh', async () => {
    await chat.send(BUDI, 'beras 2 kg');
    await chat.send(BUDI, 'ambil');
    chat.clock.advance(2 * 60 * 60 * 1000 - 1000);
    expect(await createExpireCartsJob().run(chat.jobContext())).toBe(0);
    chat.clock.advance(2000);
    expect(await createExpireCartsJob().run(chat.jobContext())).toBeGreaterThanOrEqual(1);
    expect(await chat.models.Session.countDocuments({ phone: BUDI, channel: 'whatsapp' })).toBe(0);
    expect((await chat.outboxTo(BUDI)).at(-1)).toContain('Keranjang Anda (Beras Medium 2 kg) kami kosongkan karena 2 jam tidak ada balasan');
    // "1" meant "cash" in the lapsed conversation; now it means nothing.
    const reply = (await chat.send(BUDI, '1')).join('\n');
    expect(reply).toContain('belum paham');
    expect(await cartOf(BUDI)).toEqual([]);
  });

  test('an expired session that was not swept yet is also treated as fresh', async () => {
    await chat.send(BUDI, 'beras 2 kg');
    chat.clock.advance(2 * 60 * 60 * 1000 + 1);
    expect((await chat.send(BUDI, 'gula 1 kg')).join('\n')).not.toContain('Beras');
    expect(await cartOf(BUDI)).toEqual([{ productId: 'GULA', unit: 'kg', quantity: 1 }]);
    await chat.send(BUDI, 'batal');
  });

  test('a resident always gets a polite reply when something throws, and the failure is recorded', async () => {
    const handled = await chat.service.handle({ channel: 'whatsapp', provider: 'baileys', coopId: 'no-such-coop', from: BUDI, providerMessageId: 'wamid.BROKEN', text: 'halo', receivedAt: chat.clock.now() });
    expect(handled.replies.map((reply) => reply.text)).toEqual(['Maaf, ada gangguan di sistem kami. Silakan coba lagi sebentar lagi ya. 🙏']);
    expect((await chat.models.InboundMessage.findOne({ providerMessageId: 'wamid.BROKEN' }).lean())!.status).toBe('failed');
    // The apology is in the outbox for the worker to send, like any reply.
    expect(await chat.models.OutboxItem.findById(handled.replies[0].outboxId).lean()).toMatchObject({ status: 'pending', provider: 'baileys', to: BUDI });
  });

  test('a price change between summary and "ya" places nothing and shows the new price; the catalogue refreshes', async () => {
    await chat.send(BUDI, 'kopi 1 renceng');
    await chat.send(BUDI, 'ambil');
    expect((await chat.send(BUDI, 'cod')).join('\n')).toContain('Total: Rp15.000');
    await chat.models.Product.updateOne({ coopId: chat.coopId, productId: 'KOPI-SACHET', 'units.code': 'renceng' }, { $set: { 'units.$.priceRp': 16_000 } });
    const before = await chat.models.Order.countDocuments({ phone: BUDI });
    const refused = (await chat.send(BUDI, 'ya')).join('\n');
    expect(refused).toContain('total baru Rp16.000');
    expect(refused).toContain('Kopi Sachet 1 renceng = Rp16.000');
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(before);
    await chat.send(BUDI, 'ambil');
    await chat.send(BUDI, 'cod');
    await chat.send(BUDI, 'ya');
    expect((await chat.models.Order.findOne({ phone: BUDI }).sort({ number: -1 }).lean())!.totalRp).toBe(16_000);
  });

  test('the cached catalogue is rebuilt after a minute or on refreshCatalog()', async () => {
    await chat.models.Product.updateOne({ coopId: chat.coopId, productId: 'TEH-CELUP' }, { $set: { 'units.0.priceRp': 7_500 } });
    chat.service.refreshCatalog(chat.coopId);
    expect((await chat.send(BUDI, 'harga teh celup')).join('\n')).toContain('Rp7.500/kotak');
    await chat.models.Product.updateOne({ coopId: chat.coopId, productId: 'TEH-CELUP' }, { $set: { 'units.0.priceRp': 8_000 } });
    expect((await chat.send(BUDI, 'harga teh celup')).join('\n')).toContain('Rp7.500/kotak');
    chat.clock.advance(61_000);
    expect((await chat.send(BUDI, 'harga teh celup')).join('\n')).toContain('Rp8.000/kotak');
  });

  test('replies on SMS are plain GSM-7 (no bold markers, no emoji)', async () => {
    const replies = await chat.send(BUDI, 'beras 5 kg', { channel: 'sms' });
    const text = replies.join('\n');
    expect(text).toContain('Keranjang Anda');
    expect(text).not.toMatch(/[*🛒]/u);
    await chat.send(BUDI, 'batal', { channel: 'sms' });
  });

  test('a redelivery is processed again only when the instance holding its unfinished claim is gone', async () => {
    const claim = (id: string, owner: string) =>
      chat.models.InboundMessage.create({ coopId: chat.coopId, channel: 'whatsapp', provider: 'simulator', providerMessageId: id, from: BUDI, receivedAt: chat.clock.now(), owner, claimedAt: chat.clock.now() });
    // Claimed by a live instance (another process working on it right now): not touched.
    const otherInstance = createInstanceRegistry(chat.models, silentLogger, chat.clock.now);
    await otherInstance.start();
    await claim('wamid.IN-FLIGHT', otherInstance.id);
    expect(await chat.send(BUDI, 'telur 1 butir', { id: 'wamid.IN-FLIGHT' })).toEqual([]);
    expect(await cartOf(BUDI)).toEqual([]);
    await otherInstance.stop();

    // Claimed by an instance that died mid-message: the redelivery is processed at once, once.
    await claim('wamid.ABANDONED', 'gone-host:4242:deadbeef');
    expect((await chat.send(BUDI, 'telur 1 butir', { id: 'wamid.ABANDONED' })).join('\n')).toContain('Telur');
    expect(await cartOf(BUDI)).toEqual([{ productId: 'TELUR', unit: 'butir', quantity: 1 }]);
    expect(await chat.send(BUDI, 'telur 1 butir', { id: 'wamid.ABANDONED' })).toEqual([]);
    expect((await chat.models.InboundMessage.findOne({ providerMessageId: 'wamid.ABANDONED' }).lean())).toMatchObject({ status: 'processed', owner: chat.instances.id });

    // A handled message is closed in the same write as its conversation: never processed again.
    await chat.send(BUDI, 'gula 1 kg', { id: 'wamid.FINISHED' });
    expect((await chat.models.InboundMessage.findOne({ providerMessageId: 'wamid.FINISHED' }).lean())!.status).toBe('processed');
    expect(await chat.send(BUDI, 'gula 1 kg', { id: 'wamid.FINISHED' })).toEqual([]);
    expect(await cartOf(BUDI)).toEqual([
      { productId: 'TELUR', unit: 'butir', quantity: 1 },
      { productId: 'GULA', unit: 'kg', quantity: 1 },
    ]);
    await chat.send(BUDI, 'batal');
  });
});
