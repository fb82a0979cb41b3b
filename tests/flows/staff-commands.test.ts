import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { adjustStock } from '../../src/domain/products/adjust-stock.js';
import { BUDI, openChatHarness, RINA, SITI, type ChatHarness } from './chat-harness.js';


describe('staff run orders from chat', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  test('a new order reaches staff with items, total, pickup and payment, and each step reaches the resident', async () => {
    const number = await chat.placePickupOrder(BUDI, 'gula 1 kg');
    expect(await chat.notices.drain()).toBe(1);
    const notice = await chat.lastTo(RINA);
    expect(notice).toContain(`Pesanan baru #${number}`);
    expect(notice).toContain('Gula Pasir');
    expect(notice).toContain('Rp17.500');
    expect(notice).toContain('Ambil di gerai');
    expect(notice).toContain('bayar di tempat');
    expect(notice).toContain(`OK ${number}`);

    // Out of order: refused, with the step that is possible.
    const early = (await chat.send(RINA, `SIAP ${number}`)).join('\n');
    expect(early).toContain('sedang *baru*');
    expect(early).toContain(`OK ${number}`);

    expect((await chat.send(RINA, `ok ${number}`)).join('\n')).toContain('sekarang *dikonfirmasi*');
    expect(await chat.notices.drain()).toBe(1);
    expect(await chat.lastTo(BUDI)).toContain(`Pesanan *#${number}* sudah dikonfirmasi`);

    // Repeated: harmless, nothing new for the resident.
    expect((await chat.send(RINA, `OK #${number}`)).join('\n')).toContain('memang sudah *dikonfirmasi*');
    expect(await chat.notices.drain()).toBe(0);

    // A pickup order is never "out for delivery".
    expect((await chat.send(RINA, `ANTAR ${number}`)).join('\n')).toContain('belum bisa *sedang diantar*');

    expect((await chat.send(RINA, `SIAP ${number}`)).join('\n')).toContain('sekarang *siap*');
    await chat.notices.drain();
    expect(await chat.lastTo(BUDI)).toContain('siap diambil di gerai: Gerai KDMP, Jl. Sultan Agung No. 10');

    expect((await chat.send(RINA, `LUNAS ${number}`)).join('\n')).toContain('lunas* (Rp17.500)');
    await chat.notices.drain();
    expect(await chat.lastTo(BUDI)).toContain('Pembayaran pesanan');

    expect((await chat.send(RINA, `SELESAI ${number}`)).join('\n')).toContain('sekarang *selesai*');
    await chat.notices.drain();
    expect(await chat.lastTo(BUDI)).toContain(`Pesanan *#${number}* selesai`);
    const order = await chat.models.Order.findOne({ coopId: chat.coopId, number }).lean();
    expect(order).toMatchObject({ status: 'completed', payment: { status: 'paid' } });
    expect(order!.history.map((change) => change.status)).toEqual(['new', 'confirmed', 'ready', 'completed']);
    expect(order!.noticesDue).toBeUndefined();
  });

  test('a delivery order goes out for delivery; an English-speaking resident hears each step in English', async () => {
    expect((await chat.send(BUDI, 'english')).join('\n')).toContain('English');
    await chat.send(BUDI, 'gula 1 kg');
    await chat.send(BUDI, '2'); // delivery
    await chat.send(BUDI, 'Jl. Kenanga No. 7, RT 02');
    await chat.send(BUDI, '1'); // cash
    const number = Number(/#(\d+)/.exec((await chat.send(BUDI, 'yes')).join('\n'))?.[1]);
    await chat.notices.drain();
    expect(await chat.lastTo(RINA)).toContain('Antar ke: Jl. Kenanga No. 7, RT 02');
    await chat.send(RINA, `OK ${number}`);
    await chat.notices.drain();
    expect(await chat.lastTo(BUDI)).toContain(`Order *#${number}* is confirmed`);
    expect((await chat.send(RINA, `ANTAR ${number}`)).join('\n')).toContain('sekarang *sedang diantar*');
    await chat.notices.drain();
    expect(await chat.lastTo(BUDI)).toContain(`Order *#${number}* is on its way`);
    expect((await chat.send(RINA, `SELESAI ${number}`)).join('\n')).toContain('sekarang *selesai*');
    await chat.notices.drain();
    expect(await chat.lastTo(BUDI)).toContain(`Order *#${number}* is completed`);
    expect((await chat.send(BUDI, 'bahasa indonesia')).join('\n')).toContain('Bahasa Indonesia');
  });

  test('refusing an order restores its stock and tells the resident why', async () => {
    const before = await chat.stockOf('GULA');
    const number = await chat.placePickupOrder(SITI, 'gula 1 kg');
    expect(await chat.stockOf('GULA')).toBe(before - 1);
    expect((await chat.send(RINA, `TOLAK ${number} stok gula rusak`)).join('\n')).toContain(`Pesanan #${number} ditolak`);
    await chat.notices.drain();
    expect(await chat.lastTo(SITI)).toContain(`dibatalkan oleh koperasi: stok gula rusak`);
    expect(await chat.stockOf('GULA')).toBe(before);
    expect((await chat.send(RINA, `TOLAK ${number} lagi`)).join('\n')).toContain('sudah *dibatalkan*');
  });

  test('refusing an order paid in cash reminds staff to hand the money back and tells the resident', async () => {
    const number = await chat.placePickupOrder(SITI, 'gula 1 kg');
    await chat.send(RINA, `LUNAS ${number}`);
    const reply = (await chat.send(RINA, `TOLAK ${number} gula basah`)).join('\n');
    expect(reply).toContain('Pemesan sudah membayar Rp17.500: kembalikan uangnya');
    await chat.notices.drain();
    expect(await chat.lastTo(SITI)).toContain('Uang Anda Rp17.500 akan dikembalikan petugas gerai');
    expect((await chat.models.Order.findOne({ coopId: chat.coopId, number }).lean())!.payment.status).toBe('refund_due');
  });

  test('a resident cancelling an order already paid in cash is told the money comes back, and staff to hand it back', async () => {
    const number = await chat.placePickupOrder(SITI, 'gula 1 kg');
    await chat.send(RINA, `LUNAS ${number}`);
    await chat.send(SITI, `batal #${number}`);
    expect((await chat.send(SITI, 'ya')).join('\n')).toContain('Uang Anda Rp17.500 akan dikembalikan petugas gerai');
    await chat.notices.drain();
    expect(await chat.lastTo(RINA)).toContain(`Pesanan *#${number}* dibatalkan oleh pemesan. Pemesan sudah membayar Rp17.500`);
  });

  test('a resident cancelling tells staff', async () => {
    const number = await chat.placePickupOrder(SITI, 'gula 1 kg');
    await chat.notices.drain();
    expect((await chat.send(SITI, `batal #${number}`)).join('\n')).toContain(`Batalkan pesanan *#${number}*`);
    expect((await chat.send(SITI, 'ya')).join('\n')).toContain('sudah dibatalkan');
    expect((await chat.models.Order.findOne({ coopId: chat.coopId, number }).lean())!.status).toBe('cancelled');
    await chat.notices.drain();
    expect(await chat.lastTo(RINA)).toContain(`Pesanan *#${number}* dibatalkan oleh pemesan`);
  });

  test('open orders, unknown numbers, usage and help', async () => {
    const number = await chat.placePickupOrder(BUDI, 'gula 1 kg');
    const open = (await chat.send(RINA, 'PESANAN')).join('\n');
    expect(open).toContain(`#${number} baru`);
    expect(open).toContain('ambil di gerai');
    expect((await chat.send(RINA, 'OK 9999')).join('\n')).toContain('Pesanan #9999 tidak ada');
    await chat.send(RINA, `TOLAK ${number} habis`);
    expect((await chat.send(RINA, `SIAP ${number}`)).join('\n')).toBe(`Pesanan #${number} sudah *dibatalkan* dan tidak bisa diubah lagi.`);
    expect((await chat.send(RINA, 'TOLAK')).join('\n')).toContain('TOLAK 1024 stok habis');
    expect((await chat.send(RINA, 'halo')).join('\n')).toContain('Perintah petugas');
  });

  test('notices of several orders are drained together, each once', async () => {
    await chat.notices.drain();
    const first = await chat.placePickupOrder(BUDI, 'gula 1 kg');
    const second = await chat.placePickupOrder(SITI, 'gula 1 kg');
    expect(await chat.notices.drain()).toBe(2);
    const texts = await chat.outboxTo(RINA);
    expect(texts.filter((text) => text.includes(`Pesanan baru #${first}`))).toHaveLength(1);
    expect(texts.filter((text) => text.includes(`Pesanan baru #${second}`))).toHaveLength(1);
    expect(await chat.notices.drain()).toBe(0);
  });

  test('a staff phone never enters the resident ordering flow', async () => {
    const reply = (await chat.send(RINA, 'pesan gula 1 kg')).join('\n');
    expect(reply).toContain('Perintah petugas');
    expect(await chat.models.Session.countDocuments({ phone: RINA })).toBe(0);
  });

  test('stock is set, added to, and never taken below zero', async () => {
    expect((await chat.send(RINA, 'STOK gula 25')).join('\n')).toContain('Stok Gula Pasir sekarang 25 kg');
    expect((await chat.send(RINA, 'stok gula +5')).join('\n')).toContain('sekarang 30 kg');
    expect((await chat.send(RINA, 'STOK gula -100')).join('\n')).toContain('tinggal 30 kg');
    expect((await chat.send(RINA, 'STOK kerupuk 5')).join('\n')).toContain('tidak ditemukan');
    expect(await chat.stockOf('GULA')).toBe(30);
  });

  test('a stock adjustment carried by one message is applied once', async () => {
    const input = { coopId: chat.coopId, productId: 'GULA', mode: 'add' as const, quantity: 10, by: 'staff:test', now: chat.clock.now(), sourceMessageKey: 'whatsapp:+6281200000900:redelivered' };
    const first = await adjustStock(chat.models, input);
    const again = await adjustStock(chat.models, input);
    expect(again.stock).toBe(first.stock);
    expect(await chat.stockOf('GULA')).toBe(first.stock);
  });
});
