import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import { SendError, type ChannelSender, type OutboundMessage, type ProviderName } from '../../src/channels/types.js';
import { ensureIndexes, getModels, type Models } from '../../src/db/models/index.js';
import type { OutboxItemDoc } from '../../src/db/models/outbox-item.js';
import { createOutboxStore, type OutboxStore } from '../../src/db/outbox-store.js';
import { silentLogger } from '../../src/logger.js';
import { createDeliveryWorker } from '../../src/outbox/delivery-worker.js';
import { createSmsFallback } from '../../src/outbox/sms-fallback.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { createFakeClock, type FakeClock } from '../flows/chat-harness.js';

let database: TestDatabase;
let connection: mongoose.Connection;
let models: Models;
let store: OutboxStore;
let clock: FakeClock;

beforeAll(async () => {
  database = await openTestDatabase('kdmp_outbox');
  connection = await mongoose.createConnection(database.uri).asPromise();
  models = getModels(connection);
  await ensureIndexes(models);
  store = createOutboxStore(models);
});
afterAll(async () => {
  await connection?.close();
  await database?.cleanup();
});
beforeEach(async () => {
  await models.OutboxItem.deleteMany({});
  clock = createFakeClock();
});

/** Stands in for a provider's API: records what it was asked to send and answers as told. */
function fakeProvider(provider: ProviderName = 'baileys', answer: (message: OutboundMessage, call: number) => Promise<void> | void = () => undefined) {
  const sent: OutboundMessage[] = [];
  let calls = 0;
  const sender: ChannelSender = {
    provider,
    async send(message) {
      calls += 1;
      await answer(message, calls);
      sent.push(message);
      return { providerMessageId: `prov-${message.id}`, status: 'sent' };
    },
  };
  return { sender, sent, calls: () => calls };
}

function addItem(overrides: Partial<OutboxItemDoc> = {}): Promise<OutboxItemDoc> {
  return store.add({ coopId: 'coop-1', channel: 'whatsapp', provider: 'baileys', to: '+6281200000002', text: 'halo', status: 'pending', nextAttemptAt: clock.now(), ...overrides }, clock.now());
}

const itemById = async (id: OutboxItemDoc['_id']) => (await models.OutboxItem.findById(id).lean())!;

describe('delivery worker', () => {
  test('sends a due item once and records the provider id; a held item waits until it is due', async () => {
    const due = await addItem({ text: 'now' });
    const held = await addItem({ text: 'later', to: '+6281200000009', nextAttemptAt: new Date(clock.now().getTime() + 15_000) });
    const { sender, sent } = fakeProvider();
    const worker = createDeliveryWorker({ sender, store, owner: 'me', logger: silentLogger, clock: clock.now });
    expect(await worker.drain()).toBe(1);
    expect(sent.map((message) => message.text)).toEqual(['now']);
    expect(await itemById(due._id)).toMatchObject({ status: 'sent', sentBy: 'worker', providerMessageId: `prov-${due._id}`, attempts: 1 });
    expect((await itemById(held._id)).status).toBe('pending');
    clock.advance(15_000);
    expect(await worker.drain()).toBe(1);
    expect(sent.map((message) => message.text)).toEqual(['now', 'later']);
    expect(await worker.drain()).toBe(0);
  });

  test('a transient failure is retried with growing, jittered delays; a permanent one fails at once', async () => {
    const item = await addItem();
    const { sender } = fakeProvider('baileys', () => {
      throw new SendError('not connected', { permanent: false, code: 'not_connected' });
    });
    const worker = createDeliveryWorker({ sender, store, owner: 'me', logger: silentLogger, clock: clock.now, random: () => 1, maxAttempts: 3, backoff: { baseMs: 1000, capMs: 60_000 } });
    await worker.drain();
    let stored = await itemById(item._id);
    expect(stored).toMatchObject({ status: 'pending', attempts: 1, lastError: { code: 'not_connected' } });
    expect(stored.nextAttemptAt.getTime() - clock.now().getTime()).toBe(1000);
    clock.advance(1000);
    await worker.drain();
    stored = await itemById(item._id);
    expect(stored.nextAttemptAt.getTime() - clock.now().getTime()).toBe(2000);
    clock.advance(2000);
    await worker.drain();
    expect(await itemById(item._id)).toMatchObject({ status: 'failed', attempts: 3 });

    const refused = await addItem({ to: '+6281200000003' });
    const failures: string[] = [];
    const permanent = fakeProvider('baileys', () => {
      throw new SendError('logged out', { permanent: true, code: 'logged_out' });
    });
    const strict = createDeliveryWorker({ sender: permanent.sender, store, owner: 'me', logger: silentLogger, clock: clock.now, onFailed: async (failed, error) => void failures.push(`${failed._id}:${error.code}`) });
    await strict.drain();
    expect(await itemById(refused._id)).toMatchObject({ status: 'failed', attempts: 1, lastError: { code: 'logged_out' } });
    expect(failures).toEqual([`${refused._id}:logged_out`]);
  });

  test("one recipient's messages go out in order, even when the first must be retried", async () => {
    const first = await addItem({ text: 'first' });
    await addItem({ text: 'second' });
    const { sender, sent } = fakeProvider('baileys', (_message, call) => {
      if (call === 1) throw new SendError('busy', { permanent: false });
    });
    const worker = createDeliveryWorker({ sender, store, owner: 'me', logger: silentLogger, clock: clock.now, random: () => 0 });
    await worker.drain();
    expect(sent).toEqual([]);
    expect((await itemById(first._id)).status).toBe('pending');
    clock.advance(10_000);
    await worker.drain();
    expect(sent.map((message) => message.text)).toEqual(['first', 'second']);
  });

  test('two workers (two instances) draining one queue send every item exactly once', async () => {
    const items = await Promise.all(Array.from({ length: 40 }, (_, index) => addItem({ to: `+62812000100${String(index).padStart(2, '0')}`, text: `m${index}` })));
    const { sender, sent } = fakeProvider('baileys', () => new Promise((resolve) => setImmediate(resolve)));
    const a = createDeliveryWorker({ sender, store, owner: 'instance-a', logger: silentLogger, clock: clock.now });
    const b = createDeliveryWorker({ sender, store, owner: 'instance-b', logger: silentLogger, clock: clock.now });
    await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    expect(sent).toHaveLength(items.length);
    expect(new Set(sent.map((message) => message.id)).size).toBe(items.length);
    expect(await models.OutboxItem.countDocuments({ status: 'sent' })).toBe(items.length);
  });

  test("a claim held by an instance that died is taken back at once; a live instance's claim is left alone", async () => {
    const orphan = await addItem({ text: 'orphan' });
    const busy = await addItem({ text: 'busy', to: '+6281200000005' });
    const lease = (owner: string) => ({ status: 'sending', lease: { owner, until: new Date(clock.now().getTime() + 60_000) } });
    await models.OutboxItem.updateOne({ _id: orphan._id }, { $set: lease('dead') });
    await models.OutboxItem.updateOne({ _id: busy._id }, { $set: lease('alive') });
    const { sender, sent } = fakeProvider();
    const worker = createDeliveryWorker({ sender, store, owner: 'me', logger: silentLogger, clock: clock.now, isAlive: async (owner) => owner === 'alive' });
    await worker.drain();
    expect(sent.map((message) => message.text)).toEqual(['orphan']);
    expect((await itemById(busy._id)).status).toBe('sending');
  });

  test('replies answered inline are not sent by the worker, and the worker wins an item it already took', async () => {
    const inline = await addItem({ text: 'inline', nextAttemptAt: new Date(clock.now().getTime() + 15_000) });
    const taken = await addItem({ text: 'taken', to: '+6281200000007' });
    const { sender } = fakeProvider();
    const worker = createDeliveryWorker({ sender, store, owner: 'me', logger: silentLogger, clock: clock.now });
    await worker.drain();
    expect(await store.markSentInline([String(inline._id), String(taken._id)], clock.now())).toBe(1);
    clock.advance(20_000);
    expect(await worker.drain()).toBe(0);
    expect(await itemById(inline._id)).toMatchObject({ status: 'sent', sentBy: 'inline' });
  });

  test('a WhatsApp message refused outside the 24-hour window (63016) goes again by SMS in GSM-7, where the coop allows', async () => {
    const item = await addItem({ provider: 'twilio', text: '✅ Pesanan *#1024* siap — diambil ya' });
    await models.OutboxItem.updateOne({ _id: item._id }, { $set: { status: 'sent', providerMessageId: 'SM123' } });
    const woken: ProviderName[] = [];
    const fallBack = createSmsFallback({ store, logger: silentLogger, clock: clock.now, wake: (provider) => woken.push(provider), smsRouteFor: async () => 'sms-gateway' });
    const failed = await store.recordStatus({ provider: 'twilio', providerMessageId: 'SM123', status: 'failed', errorCode: '63016', at: clock.now() });
    expect(failed).toMatchObject({ status: 'failed', lastError: { code: '63016' } });
    await fallBack(failed!, failed!.lastError!);
    const sms = (await models.OutboxItem.findOne({ fallbackOf: item._id }).lean())!;
    expect(sms).toMatchObject({ channel: 'sms', provider: 'sms-gateway', to: item.to, status: 'pending', text: 'Pesanan #1024 siap - diambil ya' });
    expect(woken).toEqual(['sms-gateway']);
    // Another failure code, or no SMS route: nothing more is sent.
    await fallBack(failed!, { code: '30008' });
    await createSmsFallback({ store, logger: silentLogger, wake: () => undefined, smsRouteFor: async () => undefined })(failed!, { code: '63016' });
    expect(await models.OutboxItem.countDocuments({ fallbackOf: item._id })).toBe(1);
  });

  test('delivery reports move an item forward only', async () => {
    const item = await addItem();
    const { sender } = fakeProvider();
    await createDeliveryWorker({ sender, store, owner: 'me', logger: silentLogger, clock: clock.now }).drain();
    const report = (status: 'sent' | 'delivered' | 'failed') => store.recordStatus({ provider: 'baileys', providerMessageId: `prov-${item._id}`, status, at: clock.now() });
    expect(await report('delivered')).toMatchObject({ status: 'delivered' });
    expect(await report('sent')).toBeNull();
    expect(await report('failed')).toBeNull();
    expect((await itemById(item._id)).status).toBe('delivered');
  });

  test('a gateway report that overtakes the record of its send (a crash in between) still lands, and the item is not sent again', async () => {
    const item = await addItem({ provider: 'sms-gateway', channel: 'sms' });
    // The phone took the message, the worker died before markSent: the item is back to pending.
    expect(await store.recordStatus({ provider: 'sms-gateway', providerMessageId: String(item._id), status: 'delivered', at: clock.now() })).toMatchObject({ status: 'delivered' });
    const { sender, sent } = fakeProvider('sms-gateway');
    await createDeliveryWorker({ sender, store, owner: 'me', logger: silentLogger, clock: clock.now }).drain();
    expect(sent).toEqual([]);
    // Not for providers whose ids are their own.
    const other = await addItem({ provider: 'twilio', to: '+6281200000011' });
    expect(await store.recordStatus({ provider: 'twilio', providerMessageId: String(other._id), status: 'delivered', at: clock.now() })).toBeNull();
  });
});
