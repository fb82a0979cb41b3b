import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { deriveBalancesFromLedger } from '../../src/domain/savings/read-balance.js';
import { BUDI, SITI, openChatHarness, type ChatHarness } from './chat-harness.js';

let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});


async function order(phone: string, text: string, payment = 'cod') {
  await chat.send(phone, text);
  await chat.send(phone, 'ambil');
  await chat.send(phone, payment);
  await chat.send(phone, 'ya');
  return chat.models.Order.findOne({ phone }).sort({ number: -1 }).lean();
}

describe('order status and cancel flows', () => {
  test('no orders yet', async () => {
    expect((await chat.send(BUDI, 'status pesanan')).join('\n')).toContain('belum punya pesanan');
    expect((await chat.send(BUDI, 'batalkan pesanan')).join('\n')).toContain('Tidak ada pesanan');
  });

  test('status lists the latest orders with their items and a plain word for their state', async () => {
    const placed = await order(BUDI, 'gula 2 kg');
    const reply = (await chat.send(BUDI, 'status pesanan')).join('\n');
    expect(reply).toContain(`#${placed!.number}`);
    expect(reply).toContain('menunggu konfirmasi');
    expect(reply).toContain('Gula Pasir 2 kg');
    expect(reply).toContain('Rp35.000');
    expect(reply).toContain('WIB');
  });

  test('cancel before the coop confirms restores stock; "tidak" keeps the order', async () => {
    const stockBefore = await chat.stockOf('TERIGU');
    const placed = await order(BUDI, 'terigu 3 kg');
    expect(await chat.stockOf('TERIGU')).toBe(stockBefore - 3);
    expect((await chat.send(BUDI, 'batal')).join('\n')).toContain(`Batalkan pesanan *#${placed!.number}*`);
    expect((await chat.send(BUDI, 'tidak')).join('\n')).toContain('tidak dibatalkan');
    expect((await chat.models.Order.findById(placed!._id).lean())!.status).toBe('new');

    await chat.send(BUDI, 'batal');
    expect((await chat.send(BUDI, 'ya')).join('\n')).toContain(`Pesanan *#${placed!.number}* sudah dibatalkan`);
    const cancelled = await chat.models.Order.findById(placed!._id).lean();
    expect(cancelled!.status).toBe('cancelled');
    expect(cancelled!.history.map((change) => change.status)).toEqual(['new', 'cancelled']);
    expect(await chat.stockOf('TERIGU')).toBe(stockBefore);
  });

  test('an order the coop has confirmed cannot be cancelled by chat', async () => {
    const placed = await order(BUDI, 'kecap 1 botol');
    await chat.models.Order.updateOne({ _id: placed!._id }, { $set: { status: 'confirmed' } });
    expect((await chat.send(BUDI, 'batal')).join('\n')).toContain('sudah dikonfirmasi');
    expect((await chat.models.Order.findById(placed!._id).lean())!.status).toBe('confirmed');
  });

  test('cancelling a simpanan-paid order refunds it with a ledger entry', async () => {
    const placed = await order(SITI, 'gula 2 kg', 'simpanan');
    const member = await chat.models.Member.findOne({ phone: SITI }).lean();
    expect(member!.balances.sukarelaRp).toBe(250_000 - 35_000);
    await chat.send(SITI, 'batal');
    const reply = (await chat.send(SITI, 'ya')).join('\n');
    expect(reply).toContain('Rp35.000 dikembalikan ke simpanan sukarela');
    const after = await chat.models.Member.findOne({ phone: SITI }).lean();
    expect(after!.balances.sukarelaRp).toBe(250_000);
    expect(await deriveBalancesFromLedger(chat.models, after!._id)).toEqual(after!.balances);
    const entries = await chat.models.SavingsEntry.find({ orderNumber: placed!.number }).sort({ amountRp: 1 }).lean();
    expect(entries.map((entry) => entry.amountRp)).toEqual([-35_000, 35_000]);
    expect((await chat.models.Order.findById(placed!._id).lean())!.payment.status).toBe('refunded');
  });
});
