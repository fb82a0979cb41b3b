import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ChannelName } from '../../src/channels/types.js';
import { readStaticQris } from '../../src/domain/payments/qris.js';
import { BUDI, openChatHarness, RINA, type ChatHarness } from './chat-harness.js';

describe('paying by QRIS', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  async function orderByQris(channel: ChannelName, kilos: number): Promise<{ number: number; reply: string }> {
    await chat.send(BUDI, `pesan gula ${kilos} kg`, { channel });
    await chat.send(BUDI, '1', { channel }); // pickup
    await chat.send(BUDI, 'qris', { channel });
    const reply = (await chat.send(BUDI, 'ya', { channel })).join('\n');
    return { number: Number(/#(\d+)/.exec(reply)?.[1]), reply };
  }

  test('on WhatsApp the order is followed by a QRIS image for its exact total', async () => {
    const { number, reply } = await orderByQris('whatsapp', 2);
    expect(reply).toContain('Kode QRIS KDMP WAY HALIM PERMAI untuk total ini kami kirim sesaat lagi');
    await chat.notices.drain();
    const item = await chat.models.OutboxItem.findOne({ to: BUDI, 'qrCode.data': { $exists: true } }).lean();
    expect(item?.text).toContain(`Pesanan *#${number}*: scan QRIS ini untuk membayar *Rp35.000* ke KDMP WAY HALIM PERMAI`);
    const code = item!.qrCode!.data;
    expect(code.startsWith('000201010212')).toBe(true);
    expect(code).toContain('540535000');
    expect(readStaticQris(code).merchantName).toBe('KDMP WAY HALIM PERMAI');
    expect(item!.qrCode!.token).toMatch(/^[0-9a-f]{32}$/);

    expect((await chat.send(RINA, `LUNAS ${number}`)).join('\n')).toContain('lunas* (Rp35.000)');
  });

  test('on SMS the resident gets the total and the merchant name, and no image', async () => {
    const before = await chat.models.OutboxItem.countDocuments({ 'qrCode.data': { $exists: true } });
    const { number } = await orderByQris('sms', 1);
    await chat.notices.drain();
    const texts = await chat.outboxTo(BUDI);
    expect(texts.at(-1)).toBe(`Pesanan #${number}: bayar Rp17.500 lewat QRIS KDMP WAY HALIM PERMAI. Scan QRIS di gerai dan isi jumlah Rp17.500.`);
    expect(await chat.models.OutboxItem.countDocuments({ 'qrCode.data': { $exists: true } })).toBe(before);
  });

  test('a coop without a stored QRIS sends no code: staff do it by hand, as before', async () => {
    await chat.models.Coop.updateOne({ _id: chat.coopId }, { $unset: { 'settings.qris.payload': '' } });
    chat.service.refreshCatalog(chat.coopId);
    const { reply } = await orderByQris('whatsapp', 1);
    expect(reply).toContain('QRIS KDMP WAY HALIM PERMAI akan dikirim petugas');
    expect(await chat.notices.drain()).toBe(1); // the staff notice only
  });
});
