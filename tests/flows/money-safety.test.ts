import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { BUDI, SITI, openChatHarness, type ChatHarness } from './chat-harness.js';

describe('a price that changes between the summary and "ya"', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  test('is shown again, never charged silently', async () => {
    await chat.send(BUDI, 'pesan gula 1 kg');
    await chat.send(BUDI, '1');
    expect((await chat.send(BUDI, '1')).join('\n')).toContain('Total: Rp17.500');
    await chat.models.Product.updateOne({ coopId: chat.coopId, productId: 'GULA' }, { $set: { 'units.0.priceRp': 25_000 } });
    chat.service.refreshCatalog(chat.coopId);
    const refused = (await chat.send(BUDI, 'ya')).join('\n');
    expect(refused).toContain('harga hari ini berubah, total baru Rp25.000');
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(0);
    // The answers are kept: the new summary comes with the refusal, and its total is the one placed.
    expect(refused).toContain('Total: Rp25.000');
    expect((await chat.send(BUDI, 'ya')).join('\n')).toContain('Total *Rp25.000*');
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(1);
  });
});

describe('a quantity nobody means', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  test.each(['pesan beras -5 kg', 'pesan beras 1000000 kg'])('"%s" adds nothing and asks again', async (text) => {
    const reply = (await chat.send(BUDI, text)).join('\n');
    expect(reply).toContain('sepertinya salah ketik, jadi belum saya masukkan');
    const session = await chat.models.Session.findOne({ phone: BUDI, channel: 'whatsapp' }).lean();
    expect(session?.cart ?? []).toEqual([]);
  });
});

describe('an amount corrected without naming the product', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  const cart = async () => (await chat.models.Session.findOne({ phone: BUDI, channel: 'whatsapp' }).lean())?.cart ?? [];

  test('"eh salah, maksudnya 2 kg" changes the one line in the cart, never adds an unknown product', async () => {
    await chat.send(BUDI, 'beras 5 kg');
    const reply = (await chat.send(BUDI, 'eh salah, maksudnya 2 kg')).join('\n');
    expect(reply).not.toContain('belum ada di gerai');
    expect(reply).toContain('Beras Medium 2 kg');
    expect(await cart()).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 2 }]);
    await chat.send(BUDI, 'batal');
  });

  test('"jadi 3 aja" at the summary shows the summary again with the new total; "ya" places that', async () => {
    await chat.send(BUDI, 'gula 2 kg');
    await chat.send(BUDI, '1');
    expect((await chat.send(BUDI, '1')).join('\n')).toContain('Total: Rp35.000');
    expect((await chat.send(BUDI, 'jadi 3 aja')).join('\n')).toContain('Total: Rp52.500');
    expect((await chat.send(BUDI, 'ya')).join('\n')).toContain('Total *Rp52.500*');
  });

  test('with two lines in the cart, it asks which', async () => {
    await chat.send(BUDI, 'gula 1 kg sama beras 5 kg');
    expect((await chat.send(BUDI, 'jadi 3 aja')).join('\n')).toContain('Jumlah barang yang mana yang diubah?');
    expect(await cart()).toEqual([
      { productId: 'GULA', unit: 'kg', quantity: 1 },
      { productId: 'BERAS-MED', unit: 'kg', quantity: 5 },
    ]);
  });
});

describe('a payment method named at the summary', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  test('changes the payment and shows the summary again; "iya transfer aja" never places it as cash', async () => {
    await chat.send(BUDI, 'gula 1 kg');
    await chat.send(BUDI, '1');
    expect((await chat.send(BUDI, '1')).join('\n')).toContain('Pembayaran: bayar di tempat');
    expect((await chat.send(BUDI, 'iya transfer aja deh')).join('\n')).toContain('Pembayaran: transfer bank');
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(0);
    expect((await chat.send(BUDI, 'ya')).join('\n')).toContain('bayar: transfer bank');
    expect((await chat.models.Order.findOne({ phone: BUDI }).lean())?.payment.method).toBe('transfer');
  });
});

describe('what was already settled stays settled unless changed', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  test('"kopinya aja" keeps the renceng in the cart (it names the line, not a new amount)', async () => {
    await chat.send(BUDI, 'kopi 1 renceng');
    await chat.send(BUDI, 'kopinya aja');
    expect((await chat.models.Session.findOne({ phone: BUDI, channel: 'whatsapp' }).lean())?.cart).toEqual([{ productId: 'KOPI-SACHET', unit: 'renceng', quantity: 1 }]);
    await chat.send(BUDI, 'batal');
  });

  test('an address corrected at the payment question replaces the first one', async () => {
    await chat.send(BUDI, 'gula 1 kg');
    await chat.send(BUDI, 'diantar');
    await chat.send(BUDI, 'jl. melati no 7');
    expect((await chat.send(BUDI, 'eh alamatnya salah, jl. melati no 17')).join('\n')).toContain('Bayar pakai apa');
    const summary = (await chat.send(BUDI, 'cod')).join('\n');
    expect(summary).toContain('jl. melati no 17');
    expect(summary).not.toMatch(/jl\. melati no 7\b/);
  });
});

describe('confirming a cancellation', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  const statusOf = async (number: number) => (await chat.models.Order.findOne({ coopId: chat.coopId, number }).lean())?.status;

  test.each(['iya batalin aja', 'ok batalin', 'yes cancel it', 'batalin aja'])('"%s" cancels', async (answer) => {
    const number = await chat.placePickupOrder(BUDI, 'gula 1 kg');
    expect((await chat.send(BUDI, 'kak pesanan tadi batalin ya')).join('\n')).toContain(`Batalkan pesanan *#${number}*`);
    expect((await chat.send(BUDI, answer)).join('\n')).toContain('sudah dibatalkan');
    expect(await statusOf(number)).toBe('cancelled');
  });

  test.each(['jangan, gak jadi batal', 'gak usah', 'jangan dibatalin'])('"%s" keeps the order, and a later "iya makasih" cancels nothing', async (answer) => {
    const number = await chat.placePickupOrder(BUDI, 'gula 1 kg');
    await chat.send(BUDI, `batal #${number}`);
    expect((await chat.send(BUDI, answer)).join('\n')).toContain('tidak dibatalkan');
    await chat.send(BUDI, 'iya makasih');
    expect(await statusOf(number)).toBe('new');
  });
});

describe('savings named at the payment question', () => {
  let chat: ChatHarness;

  beforeAll(async () => {
    chat = await openChatHarness();
  });

  afterAll(async () => {
    await chat.close();
  });

  // Once told "saldo Rp250.000 belum cukup untuk total Rp40.000" whenever the words were not read as a payment.
  test('that cover the total are chosen, never called not enough', async () => {
    await chat.send(SITI, 'ayam 1 kg');
    await chat.send(SITI, 'ambil sendiri');
    const reply = (await chat.send(SITI, 'simpanan saya cukup kan?')).join('\n');
    expect(reply).not.toContain('belum cukup');
    expect(reply).toContain('Pembayaran: potong simpanan sukarela');
    expect((await chat.send(SITI, 'ya')).join('\n')).toContain('Total *Rp40.000*, bayar: potong simpanan sukarela');
  });
});
