import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createDailyRecapJob } from '../../src/jobs/daily-recap.js';
import { createLowStockJob } from '../../src/jobs/low-stock.js';
import { createUnconfirmedOrdersJob } from '../../src/jobs/unconfirmed-orders.js';
import { createWajibReminderJob } from '../../src/jobs/wajib-reminder.js';
import { createOutboxSweepJob } from '../../src/jobs/outbox-sweep.js';
import { recordSavings } from '../../src/domain/savings/record-savings.js';
import { BUDI, openChatHarness, RINA, SITI, type ChatHarness } from './chat-harness.js';

const MINUTE = 60_000;


describe('scheduled jobs (fake clock)', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  test('an order nobody confirms for 30 minutes reminds staff once', async () => {
    chat.clock.set(new Date('2026-11-29T03:00:00.000Z')); // 10:00 WIB
    const number = await chat.placePickupOrder(BUDI, 'gula 1 kg');
    const job = createUnconfirmedOrdersJob();
    chat.clock.advance(29 * MINUTE);
    expect(await job.run(chat.jobContext())).toBe(0);
    chat.clock.advance(2 * MINUTE);
    expect(await job.run(chat.jobContext())).toBe(1);
    expect(await chat.lastTo(RINA)).toContain(`Pesanan *#${number}* (Rp17.500) belum dikonfirmasi sejak 31 menit`);
    chat.clock.advance(MINUTE);
    expect(await job.run(chat.jobContext())).toBe(0);
  });

  test("07:00 recap of yesterday's orders, revenue, best sellers and open orders, once per day", async () => {
    chat.clock.set(new Date('2026-11-30T00:00:00.000Z')); // 07:00 WIB the next day
    const job = createDailyRecapJob();
    expect(await job.run(chat.jobContext())).toBe(1);
    const recap = await chat.lastTo(RINA);
    expect(recap).toContain('Rekap 2026-11-29');
    expect(recap).toContain('Pesanan: 1');
    expect(recap).toContain('Rp17.500');
    expect(recap).toContain('Gula Pasir');
    expect(recap).toContain('Masih buka: 1 pesanan');
    expect(await job.run(chat.jobContext())).toBe(0);
  });

  test('16:00 low-stock alert with a restock list per distributor sized by last week', async () => {
    chat.clock.set(new Date('2026-11-30T05:00:00.000Z'));
    await chat.placePickupOrder(BUDI, 'gula 3 kg');
    await chat.models.Product.updateOne({ coopId: chat.coopId, productId: 'GULA' }, { $set: { stock: 2, lowStockAt: 5, distributor: 'CV Sumber Manis' } });
    await chat.models.Product.updateOne({ coopId: chat.coopId, productId: 'BERAS-MED' }, { $set: { lowStockAt: 5 } }); // plenty left: not listed
    chat.clock.set(new Date('2026-11-30T09:00:00.000Z')); // 16:00 WIB
    const job = createLowStockJob();
    expect(await job.run(chat.jobContext())).toBe(1);
    const alert = await chat.lastTo(RINA);
    expect(alert).toContain('Stok menipis* (1 barang)');
    expect(alert).toContain('*CV Sumber Manis*');
    // Sold 4 kg in the week (1 + 3), alert level 5: buy back to 10 kg from 2 kg.
    expect(alert).toContain('Gula Pasir: sisa 2 kg, terjual 4 kg seminggu, beli 8 kg');
    expect(alert).not.toContain('Beras');
    expect(await job.run(chat.jobContext())).toBe(0);
  });

  test('the outbox sweep wakes the workers of providers with due items', async () => {
    const woken: string[] = [];
    const now = chat.clock.now();
    await chat.models.OutboxItem.create({ coopId: chat.coopId, channel: 'sms', provider: 'sms-gateway', to: BUDI, text: 'x', status: 'pending', attempts: 1, nextAttemptAt: new Date(now.getTime() - 1000) });
    await chat.models.OutboxItem.create({ coopId: chat.coopId, channel: 'sms', provider: 'twilio', to: BUDI, text: 'y', status: 'pending', attempts: 1, nextAttemptAt: new Date(now.getTime() + 60_000) });
    expect(await createOutboxSweepJob().run({ ...chat.jobContext(), wake: (provider) => woken.push(provider) })).toBeGreaterThanOrEqual(1);
    expect(woken).toContain('sms-gateway');
    expect(woken).not.toContain('twilio');
  });

  test('the 1st of the month reminds members who have not paid wajib; STOP and MULAI', async () => {
    const job = createWajibReminderJob();
    chat.clock.set(new Date('2026-12-01T02:00:00.000Z')); // 09:00 WIB
    expect(await job.run(chat.jobContext())).toBe(1);
    expect(await chat.lastTo(SITI)).toContain('Halo Siti Aminah, simpanan wajib bulan Desember 2026 belum tercatat di KDMP Kelurahan Way Halim Permai');
    expect(await job.run(chat.jobContext())).toBe(0);

    expect((await chat.send(SITI, 'STOP')).join('\n')).toContain('tidak akan menerima pengingat');
    chat.clock.set(new Date('2027-01-01T02:00:00.000Z'));
    expect(await job.run(chat.jobContext())).toBe(0);
    expect((await chat.send(SITI, 'mulai!')).join('\n')).toContain('pengingat dari koperasi aktif lagi');
    expect(await job.run(chat.jobContext())).toBe(1);

    // Paid this month: no reminder.
    const siti = await chat.models.Member.findOne({ phone: SITI }).lean();
    chat.clock.set(new Date('2027-02-01T01:00:00.000Z'));
    await recordSavings(chat.models, { coopId: chat.coopId, memberId: siti!._id, type: 'wajib', kind: 'deposit', amountRp: 25_000, note: 'wajib Februari', by: 'staff:test', now: chat.clock.now() });
    chat.clock.set(new Date('2027-02-01T02:00:00.000Z'));
    expect(await job.run(chat.jobContext())).toBe(0);
  });
});
