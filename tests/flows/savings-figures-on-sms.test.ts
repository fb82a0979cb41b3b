import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { formatRupiah } from '../../src/language/format-rupiah.js';
import { SITI, openChatHarness, type ChatHarness } from './chat-harness.js';

// Where the coop asks for a PIN before showing savings (the demo coop: SMS), the order flow,
// which never asks for the PIN, must not print a savings figure. WhatsApp keeps showing it.
let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});

const sms = { channel: 'sms' as const };
const latestOrder = (phone: string) => chat.models.Order.findOne({ coopId: chat.coopId, phone }).sort({ number: -1 }).lean();
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

describe('on SMS (PIN required) no reply shows a savings figure before the PIN', () => {
  test('the payment menu offers simpanan without the balance; paying by simpanan still works, without a PIN', async () => {
    const figures = await sitiFigures();
    expect(figures[0]).toBe('Rp250.000');
    const seen: string[] = [];
    const say = async (text: string) => {
      const replies = await chat.send(SITI, text, sms);
      seen.push(...replies);
      return replies;
    };

    await say('beras 2 kg');
    expect(await say('1')).toEqual(['Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS\n4. Potong simpanan sukarela']);
    // The reminder never carried a figure; it still numbers the same list.
    expect(await say('x')).toEqual(['Balas dengan angka cara bayar ya: 1 bayar di tempat, 2 transfer, 3 QRIS, 4 potong simpanan.']);
    const summary = (await say('4')).join('\n');
    expect(summary).toContain('Pembayaran: potong simpanan sukarela');
    expect(summary).toContain('Total: Rp27.000');
    const placed = (await say('ya')).join('\n');
    expect(placed).toMatch(/^Pesanan #\d+ kami terima\. Total Rp27\.000, bayar: potong simpanan sukarela\.\nPembayaran sudah dipotong dari simpanan sukarela Anda\./);

    expect(await latestOrder(SITI)).toMatchObject({ totalRp: 27_000, channel: 'sms', payment: { method: 'simpanan', status: 'paid' } });
    expect((await sitiBalances()).sukarelaRp).toBe(250_000 - 27_000);
    expectNoFigure(seen, [...figures, ...(await sitiFigures())]);
  });

  test('not enough sukarela: refused without saying how much there is', async () => {
    const figures = await sitiFigures();
    await chat.send(SITI, 'beras premium 20 kg', sms);
    const menu = await chat.send(SITI, 'ambil', sms);
    expect(menu).toEqual(['Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS\n4. Potong simpanan sukarela']);
    const refused = await chat.send(SITI, 'potong simpanan', sms);
    expect(refused).toEqual(['Maaf, saldo simpanan sukarela belum cukup untuk total Rp298.000. Pilih cara bayar lain ya.']);
    // By number too, and the conversation stays at payment.
    expect(await chat.send(SITI, '4', sms)).toEqual(refused);
    expectNoFigure([...menu, ...refused], figures);
    expect((await chat.send(SITI, 'batal', sms)).join('\n')).toContain('keranjang dikosongkan');
  });

  test('in English too', async () => {
    const figures = await sitiFigures();
    await chat.send(SITI, 'english', sms);
    await chat.send(SITI, 'beras 2 kg', sms);
    expect(await chat.send(SITI, '1', sms)).toEqual(['How will you pay?\n1. Cash on delivery/pickup (COD)\n2. Bank transfer\n3. QRIS\n4. From voluntary savings']);
    await chat.send(SITI, 'batal', sms);
    await chat.send(SITI, 'beras premium 20 kg', sms);
    await chat.send(SITI, '1', sms);
    const refused = await chat.send(SITI, '4', sms);
    expect(refused).toEqual(['Sorry, your voluntary savings do not cover the total of Rp298.000. Please choose another payment method.']);
    expectNoFigure(refused, figures);
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
    expect(whatsapp).toEqual(['Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS\n4. Potong simpanan sukarela']);
    await chat.send(SITI, 'batal');

    await setPinChannels([]);
    await chat.send(SITI, 'beras 2 kg', sms);
    expect(await chat.send(SITI, '1', sms)).toEqual([`Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS\n4. Potong simpanan sukarela (saldo ${sukarela})`]);
    await chat.send(SITI, 'batal', sms);
  });
});
