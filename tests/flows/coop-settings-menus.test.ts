import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SITI, openChatHarness, type ChatHarness } from './chat-harness.js';

// The pickup/delivery and payment menus follow the coop's settings; the demo coop offers everything.
let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});

const PICKUP_ADDRESS = 'Gerai KDMP, Jl. Sultan Agung No. 10, Way Halim Permai';
const CART_BERAS_2KG = '🛒 *Keranjang Anda*\n- Beras Medium 2 kg = Rp27.000\n*Subtotal: Rp27.000*';
const latestOrder = (phone: string) => chat.latestOrder(phone);

async function changeSettings(settings: Record<string, boolean>) {
  await chat.models.Coop.updateOne({ _id: chat.coopId }, { $set: Object.fromEntries(Object.entries(settings).map(([path, value]) => [`settings.${path}`, value])) });
  chat.service.refreshCatalog(chat.coopId);
}

describe('a coop offering everything (the demo coop): menus read as they always did', () => {
  test('pickup or delivery, payment and the reminder for a resident', async () => {
    const phone = '+6281244400001';
    expect(await chat.send(phone, 'beras 2 kg')).toEqual([
      `${CART_BERAS_2KG}\n\nDiambil atau diantar?\n1. Ambil di gerai (gratis)\n2. Diantar (ongkir Rp5.000)\nMau tambah barang? Tulis saja, misalnya _tambah telur 5 butir_.`,
    ]);
    expect(await chat.send(phone, '1')).toEqual(['Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS']);
    expect(await chat.send(phone, '9')).toEqual(['Balas dengan angka cara bayar ya: 1 bayar di tempat, 2 transfer, 3 QRIS.']);
    expect((await chat.send(phone, '3')).join('\n')).toContain('Pembayaran: QRIS');
    await chat.send(phone, 'batal');
  });

  test('a member also gets the savings option as 4, on WhatsApp and SMS, in both languages', async () => {
    await chat.send(SITI, 'beras 2 kg');
    expect(await chat.send(SITI, 'ambil')).toEqual(['Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS\n4. Potong simpanan sukarela (saldo Rp250.000)']);
    expect(await chat.send(SITI, 'x')).toEqual(['Balas dengan angka cara bayar ya: 1 bayar di tempat, 2 transfer, 3 QRIS, 4 potong simpanan.']);
    await chat.send(SITI, 'batal');

    await chat.send(SITI, 'beras 2 kg', { channel: 'sms' });
    // On SMS savings are neither shown nor spent before the PIN.
    expect(await chat.send(SITI, '1', { channel: 'sms' })).toEqual(['Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS']);
    await chat.send(SITI, 'batal', { channel: 'sms' });

    await chat.send(SITI, 'english');
    const cart = (await chat.send(SITI, 'beras 2 kg')).join('\n');
    expect(cart).toContain('\nPickup or delivery?\n1. Pick up at the shop (free)\n2. Delivery (fee Rp5.000)\nWant to add something?');
    expect(await chat.send(SITI, '1')).toEqual(['How will you pay?\n1. Cash on delivery/pickup (COD)\n2. Bank transfer\n3. QRIS\n4. From voluntary savings (balance Rp250.000)']);
    expect(await chat.send(SITI, '9')).toEqual(['Please reply with the number of a payment method: 1 cash, 2 transfer, 3 QRIS, 4 savings.']);
    await chat.send(SITI, 'batal');
    await chat.send(SITI, 'bahasa indonesia');
  });
});

describe('a coop with QRIS and delivery turned off', () => {
  beforeAll(async () => {
    await changeSettings({ 'qris.enabled': false, 'delivery.enabled': false });
  });
  afterAll(async () => {
    await changeSettings({ 'qris.enabled': true, 'delivery.enabled': true });
  });

  test('pickup is used without asking; payment lists cod and transfer only; "qris" and "3" are not accepted', async () => {
    const phone = '+6281244400002';
    expect(await chat.send(phone, 'beras 2 kg')).toEqual([
      `${CART_BERAS_2KG}\n\nPesanan diambil di gerai: ${PICKUP_ADDRESS}.\nMau tambah barang? Tulis saja.`,
      'Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank',
    ]);
    const reminder = ['Balas dengan angka cara bayar ya: 1 bayar di tempat, 2 transfer.'];
    expect(await chat.send(phone, 'qris')).toEqual(reminder);
    expect(await chat.send(phone, 'bayar pakai qr aja')).toEqual(reminder);
    expect(await chat.send(phone, '3')).toEqual(reminder);
    expect((await chat.models.Session.findOne({ phone }).lean())!.vars.payment).toBeUndefined();

    const summary = (await chat.send(phone, '2')).join('\n');
    expect(summary).not.toContain('Ongkir');
    expect(summary).toContain(`Pengambilan: ambil di gerai (${PICKUP_ADDRESS})`);
    expect(summary).toContain('Pembayaran: transfer bank');
    await chat.send(phone, 'ya');
    expect(await latestOrder(phone)).toMatchObject({ totalRp: 27_000, deliveryFeeRp: 0, fulfilment: { method: 'pickup' }, payment: { method: 'transfer' } });
  });

  test('a member\'s savings option is 3, by number and in the reminder; words still work', async () => {
    await chat.send(SITI, 'beras 2 kg');
    expect(await chat.send(SITI, 'tambah gula 1 kg')).toEqual([
      '🛒 *Keranjang Anda*\n- Beras Medium 2 kg = Rp27.000\n- Gula Pasir 1 kg = Rp17.500\n*Subtotal: Rp44.500*' + `\n\nPesanan diambil di gerai: ${PICKUP_ADDRESS}.\nMau tambah barang? Tulis saja.`,
      'Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. Potong simpanan sukarela (saldo Rp250.000)',
    ]);
    expect(await chat.send(SITI, 'qris')).toEqual(['Balas dengan angka cara bayar ya: 1 bayar di tempat, 2 transfer, 3 potong simpanan.']);
    expect(await chat.send(SITI, '4')).toEqual(['Balas dengan angka cara bayar ya: 1 bayar di tempat, 2 transfer, 3 potong simpanan.']);
    expect((await chat.send(SITI, '3')).join('\n')).toContain('Pembayaran: potong simpanan sukarela');
    await chat.send(SITI, 'ya');
    expect(await latestOrder(SITI)).toMatchObject({ totalRp: 44_500, fulfilment: { method: 'pickup' }, payment: { method: 'simpanan', status: 'paid' } });

    // By word: "tunai" is cod, "potong saldo" the savings.
    await chat.send(SITI, 'beras 1 kg');
    expect((await chat.send(SITI, 'tunai')).join('\n')).toContain('Pembayaran: bayar di tempat');
    await chat.send(SITI, 'tidak');
    expect((await chat.send(SITI, 'potong saldo')).join('\n')).toContain('Pembayaran: potong simpanan sukarela');
    await chat.send(SITI, 'batal');
  });

  test('a resident who is not a member gets no savings option by number or word', async () => {
    const phone = '+6281244400003';
    await chat.send(phone, 'beras 2 kg');
    expect(await chat.send(phone, 'simpanan')).toEqual(['Potong simpanan hanya untuk anggota koperasi. Pilih cara bayar lain ya.']);
    expect(await chat.send(phone, '3')).toEqual(['Balas dengan angka cara bayar ya: 1 bayar di tempat, 2 transfer.']);
    await chat.send(phone, 'batal');
  });
});

describe('a coop that only delivers', () => {
  beforeAll(async () => {
    await changeSettings({ 'pickup.enabled': false });
  });
  afterAll(async () => {
    await changeSettings({ 'pickup.enabled': true });
  });

  test('the address is asked without a pickup question, and "ambil" is not taken as pickup', async () => {
    const phone = '+6281244400004';
    expect(await chat.send(phone, 'beras 2 kg')).toEqual([
      `${CART_BERAS_2KG}\n\nPesanan diantar (ongkir Rp5.000).\nMau tambah barang? Tulis saja.`,
      'Ke alamat mana diantar? Tulis alamat lengkap (jalan, nomor, RT/RW, patokan).',
    ]);
    expect((await chat.send(phone, 'eh ambil aja deh')).join('\n')).toContain('hanya diantar');
    expect(await chat.send(phone, 'Jl. Kenanga No. 5 RT 02')).toEqual(['Bayar pakai apa?\n1. Bayar di tempat (COD)\n2. Transfer bank\n3. QRIS']);
    const summary = (await chat.send(phone, '3')).join('\n');
    expect(summary).toContain('Ongkir: Rp5.000');
    expect(summary).toContain('Pengambilan: diantar (Jl. Kenanga No. 5 RT 02)');
    await chat.send(phone, 'ya');
    expect(await latestOrder(phone)).toMatchObject({ deliveryFeeRp: 5_000, totalRp: 32_000, fulfilment: { method: 'delivery', address: 'Jl. Kenanga No. 5 RT 02' }, payment: { method: 'qris' } });
  });
});
