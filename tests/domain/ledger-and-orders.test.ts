import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import mongoose, { Types } from 'mongoose';
import { ensureIndexes, getModels, type Models } from '../../src/db/models/index.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { nextSequence } from '../../src/domain/counters/next-sequence.js';
import { DomainRuleError } from '../../src/domain/errors.js';
import { cancelOrder } from '../../src/domain/orders/cancel-order.js';
import { createOrderPlacer, type OrderPlacer } from '../../src/domain/orders/place-order.js';
import type { PlaceOrderInput } from '../../src/domain/orders/place-order-input.js';
import { postSavingsEntry } from '../../src/domain/savings/post-savings-entry.js';
import { deriveBalancesFromLedger, readBalance } from '../../src/domain/savings/read-balance.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
let connection: mongoose.Connection;
let models: Models;
let coopId: string;
let placer: OrderPlacer;
const now = new Date('2026-11-29T03:00:00.000Z');
/** Orders go through one placer per process, as the service builds it. */
const placeOrder = (_models: Models, input: PlaceOrderInput) => placer.place(input);

beforeAll(async () => {
  database = await openTestDatabase('kdmp_domain');
  connection = await mongoose.createConnection(database.uri).asPromise();
  models = getModels(connection);
  await ensureIndexes(models);
  ({ coopId } = await seedDemoData(models));
  placer = createOrderPlacer(models);
});
afterAll(async () => {
  await connection?.close();
  await database?.cleanup();
});

const siti = () => models.Member.findOne({ memberNumber: 'KDMP-0001' }).lean().then((member) => member!);
const budi = () => models.Contact.findOne({ phone: '+6281200000002' }).lean().then((contact) => contact!);

describe('demo seed', () => {
  test('seeds once and is idempotent', async () => {
    expect(await seedDemoData(models)).toEqual({ seeded: false, coopId });
    expect(await models.Coop.countDocuments()).toBe(1);
    expect(await models.Product.countDocuments({ coopId })).toBe(19);
    expect(await models.Member.countDocuments({ coopId })).toBe(1);
    expect(getModels(connection)).toBe(models);
  });

  test('Siti\'s balances come from her ledger: pokok 100.000, wajib 12 × 20.000, sukarela 250.000', async () => {
    const member = await siti();
    expect(member.balances).toEqual({ pokokRp: 100_000, wajibRp: 240_000, sukarelaRp: 250_000 });
    expect(await models.SavingsEntry.countDocuments({ memberId: member._id, type: 'wajib', amountRp: 20_000 })).toBe(12);
    expect(await deriveBalancesFromLedger(models, member._id)).toEqual(member.balances);
    expect(member.pinHash).toMatch(/^scrypt\$/);
    expect((await readBalance(models, coopId, member._id)).totalRp).toBe(590_000);
    await expect(readBalance(models, 'other-coop', member._id)).rejects.toThrow('not found');
  });
});

describe('savings ledger', () => {
  test('is append-only', async () => {
    const member = await siti();
    await expect(models.SavingsEntry.updateOne({ memberId: member._id }, { $set: { amountRp: 1 } })).rejects.toThrow('append-only');
    await expect(models.SavingsEntry.deleteMany({ memberId: member._id })).rejects.toThrow('append-only');
    const entry = await models.SavingsEntry.findOne({ memberId: member._id });
    entry!.amountRp = 1;
    await expect(entry!.save()).rejects.toThrow('append-only');
  });

  test('a debit larger than the balance is refused and leaves nothing behind', async () => {
    const member = await siti();
    const entries = await models.SavingsEntry.countDocuments({ memberId: member._id });
    await expect(
      postSavingsEntry(models, { coopId, memberId: member._id, type: 'pokok', amountRp: -100_001, note: 'tarik', at: now, by: { kind: 'staff', ref: 'test' } }),
    ).rejects.toThrow(DomainRuleError);
    expect(await models.SavingsEntry.countDocuments({ memberId: member._id })).toBe(entries);
    expect((await siti()).balances.pokokRp).toBe(100_000);
  });

  test('concurrent debits never overdraw', async () => {
    const member = await siti();
    const debit = () => postSavingsEntry(models, { coopId, memberId: member._id, type: 'sukarela', amountRp: -100_000, note: 'tarik', at: now, by: { kind: 'staff', ref: 'test' } });
    const results = await Promise.allSettled([debit(), debit(), debit()]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    const after = await siti();
    expect(after.balances.sukarelaRp).toBe(50_000);
    expect(await deriveBalancesFromLedger(models, member._id)).toEqual(after.balances);
    await postSavingsEntry(models, { coopId, memberId: member._id, type: 'sukarela', amountRp: 200_000, note: 'setor', at: now, by: { kind: 'staff', ref: 'test' } });
  });
});

describe('orders', () => {
  test('per-coop order numbers are unique under concurrency', async () => {
    const numbers = await Promise.all(Array.from({ length: 8 }, () => nextSequence(models, 'other-coop', 'order')));
    expect(new Set(numbers).size).toBe(8);
    expect(Math.max(...numbers)).toBe(8);
  });

  test('two orders racing for the last units: one wins, stock never goes negative', async () => {
    await models.Product.updateOne({ coopId, productId: 'SKM' }, { $set: { stock: 3 } });
    const contact = await budi();
    const attempt = () =>
      placeOrder(models, { coopId, phone: contact.phone, channel: 'whatsapp', contactId: contact._id, lines: [{ productId: 'SKM', unit: 'kaleng', quantity: 2 }], fulfilment: { method: 'pickup' }, payment: 'cod', now });
    const results = await Promise.allSettled([attempt(), attempt()]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(DomainRuleError);
    expect((await models.Product.findOne({ coopId, productId: 'SKM' }).lean())!.stock).toBe(1);
  });

  test('orders placed together are judged one after another, as if placed alone in arrival order', async () => {
    const contact = await budi();
    const order = (phone: string, lines: { productId: string; unit: string; quantity: number; amountRp?: number }[]) =>
      placeOrder(models, { coopId, phone, channel: 'whatsapp', contactId: contact._id, lines, fulfilment: { method: 'pickup' }, payment: 'cod', now });
    await models.Product.updateOne({ coopId, productId: 'KECAP' }, { $set: { stock: 3 } });
    const before = (await models.Counter.findOne({ _id: `${coopId}:order` }).lean())?.seq ?? 0;
    const results = await Promise.allSettled([
      order('+6281300000001', [{ productId: 'LPG-3KG', unit: 'tabung', quantity: 1 }]),
      // The same household's second gas cylinder today: over the daily limit, counting the order just before it.
      order('+6281300000001', [{ productId: 'LPG-3KG', unit: 'tabung', quantity: 1 }]),
      order('+6281300000002', [{ productId: 'KECAP', unit: 'botol', quantity: 2 }]),
      // Only one bottle is left by the order before it.
      order('+6281300000003', [{ productId: 'KECAP', unit: 'botol', quantity: 2 }]),
      order('+6281300000004', [{ productId: 'KECAP', unit: 'botol', quantity: 1 }]),
    ]);
    expect(results.map((result) => (result.status === 'fulfilled' ? 'placed' : (result.reason as DomainRuleError).code))).toEqual(['placed', 'limit_per_day', 'placed', 'out_of_stock', 'placed']);
    expect((results[3] as PromiseRejectedResult).reason.params).toMatchObject({ available: 1 });
    const numbers = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.number] : []));
    expect(numbers).toEqual([before + 1001, before + 1002, before + 1003]);
    expect((await models.Product.findOne({ coopId, productId: 'KECAP' }).lean())!.stock).toBe(0);
  });

  test('an order that fails for a reason other than a rule fails alone; the others of its batch are placed', async () => {
    const contact = await budi();
    const order = (amountRp: number) =>
      placeOrder(models, { coopId, phone: contact.phone, channel: 'whatsapp', contactId: contact._id, lines: [{ productId: 'GULA', unit: 'kg', quantity: 1, amountRp }], fulfilment: { method: 'pickup' }, payment: 'cod', now });
    const results = await Promise.allSettled([order(17_500), order(17_500.5), order(17_500)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('whole numbers');
  });

  test('units draw on stock by their factor (1 papan telur = 30 butir) and cancelling restores it', async () => {
    const contact = await budi();
    const before = (await models.Product.findOne({ coopId, productId: 'TELUR' }).lean())!.stock;
    const order = await placeOrder(models, { coopId, phone: contact.phone, channel: 'sms', contactId: contact._id, lines: [{ productId: 'TELUR', unit: 'papan', quantity: 1 }], fulfilment: { method: 'delivery', address: 'Jl. Mawar 1' }, payment: 'transfer', now });
    expect(order).toMatchObject({ subtotalRp: 57_000, deliveryFeeRp: 5_000, totalRp: 62_000 });
    expect((await models.Product.findOne({ coopId, productId: 'TELUR' }).lean())!.stock).toBe(before - 30);
    const cancelled = await cancelOrder(models, { coopId, number: order.number, now, by: 'staff:test', notify: 'resident' });
    expect(cancelled.status).toBe('cancelled');
    expect((await models.Product.findOne({ coopId, productId: 'TELUR' }).lean())!.stock).toBe(before);
    await expect(cancelOrder(models, { coopId, number: order.number, now, by: 'staff:test', notify: 'resident' })).rejects.toMatchObject({ code: 'not_cancellable' });
  });

  test('a simpanan order the sukarela balance cannot cover is refused alone; the cash orders around it keep consecutive numbers', async () => {
    const member = await siti();
    const contact = await budi();
    const balance = member.balances.sukarelaRp;
    const entries = await models.SavingsEntry.countDocuments({ memberId: member._id });
    const stockBefore = (await models.Product.findOne({ coopId, productId: 'BERAS-PREMIUM' }).lean())!.stock;
    const before = (await models.Counter.findOne({ _id: `${coopId}:order` }).lean())!.seq;
    // Just more Beras Premium (Rp14.900/kg) than the balance pays for.
    const kilos = Math.floor(balance / 14_900) + 1;
    const cash = () =>
      placeOrder(models, { coopId, phone: contact.phone, channel: 'whatsapp', contactId: contact._id, lines: [{ productId: 'GULA', unit: 'kg', quantity: 1 }], fulfilment: { method: 'pickup' }, payment: 'cod', now });
    const results = await Promise.allSettled([
      cash(),
      placeOrder(models, { coopId, phone: member.phone, channel: 'sms', contactId: contact._id, memberId: member._id, lines: [{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: kilos }], fulfilment: { method: 'pickup' }, payment: 'simpanan', now }),
      cash(),
    ]);
    expect(results.map((result) => (result.status === 'fulfilled' ? 'placed' : (result.reason as DomainRuleError).code))).toEqual(['placed', 'insufficient_sukarela', 'placed']);
    expect((results[1] as PromiseRejectedResult).reason.params).toEqual({ totalRp: kilos * 14_900 });
    expect(results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.number] : []))).toEqual([before + 1001, before + 1002]);
    const after = await siti();
    expect(after.balances.sukarelaRp).toBe(balance);
    expect(await models.SavingsEntry.countDocuments({ memberId: member._id })).toBe(entries);
    expect((await models.Product.findOne({ coopId, productId: 'BERAS-PREMIUM' }).lean())!.stock).toBe(stockBefore);
  });

  test('two simpanan orders of one member placed together: the one the balance left by the first cannot cover is refused', async () => {
    const member = await siti();
    const contact = await budi();
    const balance = member.balances.sukarelaRp;
    const kilos = Math.floor(balance / 14_900 / 2) + 1;
    const totalRp = kilos * 14_900;
    expect(totalRp).toBeLessThanOrEqual(balance);
    expect(2 * totalRp).toBeGreaterThan(balance);
    const stockBefore = (await models.Product.findOne({ coopId, productId: 'BERAS-PREMIUM' }).lean())!.stock;
    const pay = () =>
      placeOrder(models, { coopId, phone: member.phone, channel: 'sms', contactId: contact._id, memberId: member._id, lines: [{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: kilos }], fulfilment: { method: 'pickup' }, payment: 'simpanan', now });
    const results = await Promise.allSettled([pay(), pay()]);
    expect(results.map((result) => (result.status === 'fulfilled' ? 'placed' : (result.reason as DomainRuleError).code))).toEqual(['placed', 'insufficient_sukarela']);
    expect((results[1] as PromiseRejectedResult).reason.params).toEqual({ totalRp });
    const order = (results[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof placeOrder>>>).value;
    expect(order).toMatchObject({ totalRp, payment: { method: 'simpanan', status: 'paid' } });
    const after = await siti();
    expect(after.balances.sukarelaRp).toBe(balance - totalRp);
    expect(await deriveBalancesFromLedger(models, member._id)).toEqual(after.balances);
    const debits = await models.SavingsEntry.find({ memberId: member._id, orderNumber: order.number }).lean();
    expect(debits.map(({ type, amountRp, note }) => ({ type, amountRp, note }))).toEqual([{ type: 'sukarela', amountRp: -totalRp, note: `Pesanan #${order.number}` }]);
    expect((await models.Product.findOne({ coopId, productId: 'BERAS-PREMIUM' }).lean())!.stock).toBe(stockBefore - kilos);
    // Cancelling refunds it, so the tests after this one see the balance they started with.
    await cancelOrder(models, { coopId, number: order.number, now, by: 'staff:test', notify: 'resident' });
    expect((await siti()).balances.sukarelaRp).toBe(balance);
  });

  test('paying by simpanan needs a member', async () => {
    const contact = await budi();
    await expect(
      placeOrder(models, { coopId, phone: contact.phone, channel: 'sms', contactId: contact._id, lines: [{ productId: 'GULA', unit: 'kg', quantity: 1 }], fulfilment: { method: 'pickup' }, payment: 'simpanan', now }),
    ).rejects.toMatchObject({ code: 'simpanan_members_only' });
  });

  test('money fields refuse fractions', async () => {
    const contact = await budi();
    const order = new models.Order({ coopId, number: 9999, contactId: contact._id, phone: contact.phone, items: [{ productId: 'GULA', name: 'Gula', unit: 'kg', quantity: 1, unitPriceRp: 17_500.5, lineTotalRp: 17_500 }], subtotalRp: 1, deliveryFeeRp: 0, totalRp: 1, fulfilment: { method: 'pickup' }, payment: { method: 'cod' }, channel: 'sms', placedAt: now, _id: new Types.ObjectId() });
    await expect(order.validate()).rejects.toThrow('whole numbers');
  });
});

describe('staff helpers', () => {
  test('changeOrderStatus moves one step at a time and records history', async () => {
    const { changeOrderStatus } = await import('../../src/domain/orders/change-order-status.js');
    const contact = await budi();
    const order = await placeOrder(models, { coopId, phone: contact.phone, channel: 'whatsapp', contactId: contact._id, lines: [{ productId: 'GULA', unit: 'kg', quantity: 1 }], fulfilment: { method: 'pickup' }, payment: 'cod', now });
    await expect(changeOrderStatus(models, { coopId, number: order.number, status: 'ready', by: 'staff:rina', now })).rejects.toMatchObject({ code: 'status_change_not_allowed' });
    const { order: confirmed } = await changeOrderStatus(models, { coopId, number: order.number, status: 'confirmed', by: 'staff:rina', now });
    expect(confirmed.history.map((change) => `${change.status}:${change.by}`)).toEqual(['new:resident', 'confirmed:staff:rina']);
    await expect(cancelOrder(models, { coopId, number: order.number, now, by: 'resident', notify: 'staff' })).rejects.toMatchObject({ code: 'not_cancellable' });
  });

  test('a business number routes to its coop', async () => {
    const { createCoopNumberCache } = await import('../../src/db/coop-number-cache.js');
    const numbers = createCoopNumberCache(models);
    expect(await numbers.get('whatsapp', '+15005550006')).toBe(coopId);
    expect(await numbers.get('sms', '+15005550006')).toBe(coopId);
    expect(await numbers.get('whatsapp', '+620000')).toBeUndefined();
  });
});
