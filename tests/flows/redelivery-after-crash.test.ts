import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { messageKey } from '../../src/db/inbound-log.js';
import { cancelOrder } from '../../src/domain/orders/cancel-order.js';
import { createOrderPlacer } from '../../src/domain/orders/place-order.js';
import { BUDI, SITI, openChatHarness, type ChatHarness } from './chat-harness.js';

let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});

/**
 * The state a SIGKILL leaves between an effect's transaction and the turn's write: the
 * effect committed, the conversation still at the question, the claim open and owned by an
 * instance that no longer exists. The provider then redelivers the same message.
 */
async function leaveClaimOfDeadInstance(phone: string, providerMessageId: string): Promise<void> {
  await chat.models.InboundMessage.create({
    coopId: chat.coopId,
    channel: 'whatsapp',
    provider: 'simulator',
    providerMessageId,
    from: phone,
    receivedAt: chat.clock.now(),
    owner: 'crashed-host:31337:0badc0de',
    claimedAt: chat.clock.now(),
  });
}

describe('a redelivery after a crash between an effect and the conversation save', () => {
  test('the confirming "ya" answers with the order it already placed; no second order, stock taken once', async () => {
    await chat.send(BUDI, 'gula 2 kg');
    await chat.send(BUDI, 'ambil');
    expect((await chat.send(BUDI, 'cod')).join('\n')).toContain('YA');
    const stockBefore = await chat.stockOf('GULA');
    const ordersBefore = await chat.models.Order.countDocuments({ phone: BUDI });

    // The run that handled "ya" placed the order, then died before its turn was written.
    const id = 'wamid.CONFIRM-THEN-CRASH';
    const contact = (await chat.models.Contact.findOne({ coopId: chat.coopId, phone: BUDI }).lean())!;
    const placed = await createOrderPlacer(chat.models).place({
      coopId: chat.coopId,
      phone: BUDI,
      channel: 'whatsapp',
      contactId: contact._id,
      lines: [{ productId: 'GULA', unit: 'kg', quantity: 2 }],
      fulfilment: { method: 'pickup' },
      payment: 'cod',
      now: chat.clock.now(),
      sourceMessageKey: messageKey({ channel: 'whatsapp', from: BUDI, providerMessageId: id }),
    });
    await leaveClaimOfDeadInstance(BUDI, id);

    const replies = (await chat.send(BUDI, 'ya', { id })).join('\n');
    expect(replies).toContain(`#${placed.number}`);
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(ordersBefore + 1);
    expect(await chat.stockOf('GULA')).toBe(stockBefore - 2);
    // Delivered once more after that: nothing at all.
    expect(await chat.send(BUDI, 'ya', { id })).toEqual([]);
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(ordersBefore + 1);
  });

  test('the confirming "ya" of a cancellation answers that it is cancelled; stock and savings restored once', async () => {
    await chat.send(SITI, 'gula 1 kg');
    await chat.send(SITI, 'ambil');
    await chat.send(SITI, 'simpanan');
    await chat.send(SITI, 'ya');
    const order = (await chat.models.Order.findOne({ phone: SITI }).sort({ number: -1 }).lean())!;
    expect(order.payment).toMatchObject({ method: 'simpanan', status: 'paid' });
    const stockBefore = await chat.stockOf('GULA');
    const sukarelaBefore = (await chat.models.Member.findOne({ phone: SITI }).lean())!.balances.sukarelaRp;
    expect((await chat.send(SITI, 'batal')).join('\n')).toContain(`#${order.number}`);

    const id = 'wamid.CANCEL-THEN-CRASH';
    await cancelOrder(chat.models, { coopId: chat.coopId, number: order.number, phone: SITI, now: chat.clock.now(), by: 'resident', notify: 'staff', sourceMessageKey: messageKey({ channel: 'whatsapp', from: SITI, providerMessageId: id }) });
    await leaveClaimOfDeadInstance(SITI, id);

    expect((await chat.send(SITI, 'ya', { id })).join('\n')).toContain(`Pesanan *#${order.number}* sudah dibatalkan`);
    expect(await chat.stockOf('GULA')).toBe(stockBefore + 1);
    expect((await chat.models.Member.findOne({ phone: SITI }).lean())!.balances.sukarelaRp).toBe(sukarelaBefore + order.totalRp);
    expect(await chat.models.SavingsEntry.countDocuments({ orderNumber: order.number })).toBe(2);
  });

  test('the same cause never posts a second ledger entry, even through another path', async () => {
    const order = (await chat.models.Order.findOne({ phone: SITI, status: 'cancelled' }).sort({ number: -1 }).lean())!;
    const refund = (await chat.models.SavingsEntry.findOne({ orderNumber: order.number, amountRp: { $gt: 0 } }).lean())!;
    expect(refund.sourceKey).toBe(`order:${order.number}:refund`);
    await expect(
      chat.models.SavingsEntry.create({ ...refund, _id: undefined, createdAt: undefined }),
    ).rejects.toMatchObject({ code: 11000 });
  });
});
