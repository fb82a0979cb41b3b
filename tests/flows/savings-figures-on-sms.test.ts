import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { formatRupiah } from '../../src/language/format-rupiah.js';
import { SITI, openChatHarness, type ChatHarness } from './chat-harness.js';

// Where the coop asks for a PIN before showing savings (the demo coop: SMS), the order flow,
// which never asks for the PIN, must neither print a savings figure nor spend savings.
// WhatsApp keeps both.
let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});

const sms = { channel: 'sms' as const };
const latestOrder = (phone: string) => chat.latestOrder(phone);
const sitiBalances = async () => (await chat.models.Member.findOne({ phone: SITI }).lean())!.balances;

/** Every savings figure Siti has right now, as a reply would print it (sukarela, pokok, wajib, total). */
async function sitiFigures(): Promise<string[]> {
  const { pokokRp, wajibRp, sukarelaRp } = await sitiBalances();
  return [sukarelaRp, pokokRp, wajibRp, pokokRp + wajibRp + sukarelaRp].map(formatRupiah);
}

function expectNoFigure(replies: string[], figures: string[]) {
  for (const reply of replies) for (const figure of figures) expect(reply).not.toContain(figure);
}

async function setPinChannels(channels: Array<'sms' | 'whatsapp'>) {
  await chat.models.Coop.updateOne({ _id: chat.coopId }, { $set: { 'settings.pinRequiredOn': channels } });
  chat.service.refreshCatalog(chat.coopId);
}

describe('on SMS (PIN required) no reply shows or spends savings before the PIN', () => {
  test('the payment menu does not offer simpanan (it would spend savings without the PIN); asking for it explains why', async () => {
    const figures = await sitiFigures();
    const seen: string[] = [];
    const say = async (text: string) => {
      const replies = await chat.send(SITI, text, sms);
      seen.push(...replies);
      return replies;
    };
    await say('beras 2 kg');
    expect(await say('1')).toEqual(['Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS']);
    expect(await say('potong simpanan')).toEqual(['Maaf, potong simpanan perlu PIN dan belum bisa dari sini. Pilih cara bayar lain ya: 1 bayar di tempat, 2 transfer, 3 QRIS.']);
    // "4" is no option here: nothing is paid from savings.
    expect((await say('4')).join('\n')).not.toContain('Ringkasan');
    const summary = (await say('1')).join('\n');
    expect(summary).toContain('Pembayaran: bayar di tempat');
    await say('ya');
    expect(await latestOrder(SITI)).toMatchObject({ channel: 'sms', payment: { method: 'cod' } });
    expect((await sitiBalances()).sukarelaRp).toBe(250_000);
    expectNoFigure(seen, figures);
  });

  test('in English too', async () => {
    await chat.send(SITI, 'english', sms);
    await chat.send(SITI, 'beras 2 kg', sms);
    expect(await chat.send(SITI, '1', sms)).toEqual(['How will you pay?\n1. Cash on delivery/pickup (COD)\n2. Bank transfer\n3. QRIS']);
    expect((await chat.send(SITI, 'simpanan', sms)).join('\n')).toContain('needs your PIN');
    await chat.send(SITI, 'batal', sms);
    await chat.send(SITI, 'bahasa indonesia', sms);
  });

  test('after the PIN the balance flow shows the figures (the PIN is what lets them through)', async () => {
    const [sukarela] = await sitiFigures();
    expect((await chat.send(SITI, 'saldo', sms)).join('\n')).not.toContain(sukarela);
    expect((await chat.send(SITI, '1234', sms)).join('\n')).toContain(`Sukarela ${sukarela}`);
  });
});

describe('on WhatsApp (no PIN asked) the figures stay', () => {
  test('the payment menu shows the sukarela balance, and the refusal says how much there is', async () => {
    const [sukarela] = await sitiFigures();
    await chat.send(SITI, 'beras 2 kg');
    expect(await chat.send(SITI, '1')).toEqual([`Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS\n4. Potong simpanan sukarela (saldo ${sukarela})`]);
    await chat.send(SITI, 'batal');
    await chat.send(SITI, 'beras premium 20 kg');
    await chat.send(SITI, '1');
    expect(await chat.send(SITI, '4')).toEqual([`Maaf, saldo simpanan sukarela (${sukarela}) belum cukup untuk total Rp298.000. Pilih cara bayar lain ya.`]);
    await chat.send(SITI, 'batal');
  });
});

describe('the coop decides which channels ask for the PIN', () => {
  afterAll(async () => {
    await setPinChannels(['sms']);
  });

  test('a coop that asks on WhatsApp too hides the figure there; one that asks nowhere shows it on SMS', async () => {
    const [sukarela] = await sitiFigures();
    await setPinChannels(['sms', 'whatsapp']);
    await chat.send(SITI, 'beras 2 kg');
    const whatsapp = await chat.send(SITI, '1');
    expect(whatsapp).toEqual(['Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS']);
    await chat.send(SITI, 'batal');

    await setPinChannels([]);
    await chat.send(SITI, 'beras 2 kg', sms);
    expect(await chat.send(SITI, '1', sms)).toEqual([`Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS\n4. Potong simpanan sukarela (saldo ${sukarela})`]);
    await chat.send(SITI, 'batal', sms);
  });
});
