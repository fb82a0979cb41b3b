import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GSM7_SEGMENT, measureGsm7 } from '../../src/engine/render/gsm7.js';
import { postSavingsEntry } from '../../src/domain/savings/post-savings-entry.js';
import { BUDI, SITI, openChatHarness, type ChatHarness } from './chat-harness.js';

// Coop data is typed by staff (often pasted from a spreadsheet or a phone keyboard): dashes,
// curly quotes, non-breaking spaces, accents and emoji. None of it may turn an SMS reply into
// UCS-2 (70 characters a segment), whichever flow the text comes through.
let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
  await chat.models.Coop.updateOne(
    { _id: chat.coopId },
    {
      $set: {
        name: 'KDMP “Way Halim Permai” ✨',
        'settings.openingHours': { days: 'Senin–Jum’at', open: '07.00', close: '20.00' },
        'settings.pickup.address': 'Gerai “Merah Putih”, Jl. Sultan Agung No.\u00a010 — Way Halim (dekat Café Señor’s)',
        'settings.bankAccount': { bank: 'BRI – Unit Way Halim', accountNumber: '0123‑01‑000123‑50‑9', accountName: 'Koperasi ✅ “Merah Putih” — Kel. Way Halim Permai' },
        'settings.qris.merchantName': 'KDMP WAY HALIM – PERMAI 😀',
      },
    },
  );
  await chat.models.Product.updateOne({ coopId: chat.coopId, productId: 'GULA' }, { $set: { name: 'Gula Pasir ‘Lokal’ 🍬 Crème\u00a0Brûlée' } });
  chat.service.refreshCatalog(chat.coopId);
});
afterAll(async () => {
  await chat?.close();
});

const sms = { channel: 'sms' as const };
const transcript: Array<{ from: string; text: string; reply: string }> = [];

async function say(from: string, text: string): Promise<string[]> {
  const replies = await chat.send(from, text, sms);
  expect(replies.length).toBeGreaterThan(0);
  for (const reply of replies) transcript.push({ from, text, reply });
  return replies;
}

/** The number in front of the line of a numbered menu that contains `label`. */
function numberOf(replies: string[], label: string): string {
  const line = replies.join('\n').split('\n').find((candidate) => candidate.includes(label));
  const number = line ? /^(\d+)\. /.exec(line)?.[1] : undefined;
  if (!number) throw new Error(`no numbered line with "${label}" in:\n${replies.join('\n')}`);
  return number;
}

describe('every SMS reply is GSM-7, whatever the coop typed', () => {
  test('menu and help show the coop name and opening hours in GSM-7', async () => {
    const menu = (await say(SITI, 'menu')).join('\n');
    expect(menu).toContain('Selamat datang di KDMP "Way Halim Permai"');
    const help = (await say(SITI, '6')).join('\n');
    expect(help).toContain("Gerai buka Senin-Jum'at 07.00-20.00 WIB.");
    expect((await say(SITI, 'bantuan')).join('\n')).toBe(help);
  });

  test('browsing, prices, an order with pickup paid by transfer', async () => {
    await say(SITI, 'menu');
    const categories = await say(SITI, '1');
    const products = await say(SITI, numberOf(categories, 'bumbu dapur'));
    expect(products.join('\n')).toContain("Gula Pasir 'Lokal' Crème Brulée: Rp17.500/kg");
    await say(SITI, numberOf(products, 'Gula Pasir'));
    const cart = (await say(SITI, '2 kg')).join('\n');
    expect(cart).toContain("- Gula Pasir 'Lokal' Crème Brulée 2 kg = Rp35.000");
    expect((await say(SITI, 'harga gula?')).join('\n')).toContain("Gula Pasir 'Lokal' Crème Brulée: Rp17.500/kg");
    await say(SITI, 'ambil');
    const summary = (await say(SITI, '2')).join('\n');
    expect(summary).toContain(`Pengambilan: ambil di gerai (Gerai "Merah Putih", Jl. Sultan Agung No. 10 - Way Halim (dekat Café Señor's))`);
    const placed = (await say(SITI, 'ya')).join('\n');
    expect(placed).toContain(`Silakan transfer ke BRI - Unit Way Halim 0123-01-000123-50-9 a.n. Koperasi "Merah Putih" - Kel. Way Halim Permai, lalu`);
    expect(placed).toContain(`siap diambil di gerai: Gerai "Merah Putih", Jl. Sultan Agung No. 10 - Way Halim (dekat Café Señor's).`);
  });

  test('delivery paid by QRIS, the remembered address, status and cancelling', async () => {
    await say(BUDI, 'gula 1 kg');
    await say(BUDI, 'antar');
    await say(BUDI, 'Jl. Kenanga No. 5 RT 02 – dekat masjid “Al‑Ikhlas”');
    const summary = (await say(BUDI, 'qris')).join('\n');
    expect(summary).toContain(`Pengambilan: diantar (Jl. Kenanga No. 5 RT 02 - dekat masjid "Al-Ikhlas")`);
    // No QR image can go by SMS: the reply promises the steps to pay, not a code.
    expect((await say(BUDI, 'ya')).join('\n')).toContain('Cara bayar dengan QRIS KDMP WAY HALIM - PERMAI untuk total ini kami kirim lewat SMS');

    await say(BUDI, 'gula 1 kg');
    expect((await say(BUDI, '2')).join('\n')).toContain('Jl. Kenanga No. 5 RT 02 - dekat masjid "Al-Ikhlas"');
    await say(BUDI, 'ya');
    await say(BUDI, 'cod');
    await say(BUDI, 'ya');

    expect((await say(BUDI, 'status')).join('\n')).toMatch(/#\d+ .*: menunggu konfirmasi, Rp22\.500/);
    await say(BUDI, 'batalkan pesanan');
    expect((await say(BUDI, 'ya')).join('\n')).toContain('sudah dibatalkan');
  });

  test('a coop that only hands over at the shop names its address with the cart', async () => {
    await chat.models.Coop.updateOne({ _id: chat.coopId }, { $set: { 'settings.delivery.enabled': false } });
    chat.service.refreshCatalog(chat.coopId);
    try {
      const replies = (await say(BUDI, 'gula 1 kg')).join('\n');
      expect(replies).toContain(`Pesanan diambil di gerai: Gerai "Merah Putih", Jl. Sultan Agung No. 10 - Way Halim (dekat Café Señor's).`);
      await say(BUDI, 'batal');
    } finally {
      await chat.models.Coop.updateOne({ _id: chat.coopId }, { $set: { 'settings.delivery.enabled': true } });
      chat.service.refreshCatalog(chat.coopId);
    }
  });

  test('the same in English, and a message nobody understands', async () => {
    await say(SITI, 'english');
    await say(SITI, 'menu');
    expect((await say(SITI, 'help')).join('\n')).toContain("The shop is open Senin-Jum'at 07.00-20.00 WIB.");
    await say(SITI, 'gula 1 kg');
    await say(SITI, '1');
    await say(SITI, '2');
    expect((await say(SITI, 'yes')).join('\n')).toContain(`Please transfer to BRI - Unit Way Halim 0123-01-000123-50-9 (account name Koperasi "Merah Putih" - Kel. Way Halim Permai)`);
    await say(SITI, 'qwerty zxcv');
    await say(SITI, 'bahasa indonesia');
  });

  test('balance with a PIN, in both languages, one segment even for a long name and large savings', async () => {
    const name = 'Siti Aminah Nurul Hidayah binti Qādir Al';
    expect(name).toHaveLength(40);
    const member = await chat.models.Member.findOneAndUpdate({ phone: SITI }, { $set: { name } }, { returnDocument: 'after' }).lean();
    await postSavingsEntry(chat.models, { coopId: chat.coopId, memberId: member!._id, type: 'sukarela', amountRp: 987_654_321, note: 'Setoran – besar', at: chat.clock.now(), by: { kind: 'system', ref: 'test' } });

    for (const [language, ask, expected] of [
      ['bahasa indonesia', 'saldo', /^Saldo KDMP-0001: Pokok Rp100\.000, Wajib Rp240\.000, Sukarela Rp987\.\d{3}\.\d{3}\. Total Rp988\.\d{3}\.\d{3}\.$/],
      ['english', 'balance', /^Savings KDMP-0001: Pokok Rp100\.000, Wajib Rp240\.000, Sukarela Rp987\.\d{3}\.\d{3}\. Total Rp988\.\d{3}\.\d{3}\.$/],
    ] as const) {
      await say(SITI, language);
      expect((await say(SITI, ask)).join('\n')).toContain('PIN');
      const replies = await say(SITI, '1234');
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(expected);
      expect(measureGsm7(replies[0])).toBeLessThanOrEqual(GSM7_SEGMENT);
    }
    await say(SITI, 'bahasa indonesia');
  });

  test('not one reply of all the conversations above falls outside GSM-7', () => {
    expect(transcript.length).toBeGreaterThan(40);
    const outside = transcript.filter(({ reply }) => measureGsm7(reply) === undefined);
    expect(outside).toEqual([]);
    // Nothing was lost but the emoji: the words around them are still there.
    expect(transcript.map(({ reply }) => reply).join('\n')).not.toMatch(/[✨✅😀🍬🛒📝💳📦👋🙏]/u);
  });
});
