import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { openChatHarness, type ChatHarness } from './chat-harness.js';

// Answers given before their question are kept; corrections replace the line they mean.
let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});

const latestOrder = (phone: string) => chat.models.Order.findOne({ coopId: chat.coopId, phone }).sort({ number: -1 }).lean();
const cartOf = async (phone: string) => (await chat.models.Session.findOne({ phone }).lean())?.cart ?? [];
const say = async (phone: string, text: string) => (await chat.send(phone, text)).join('\n---\n');
const lines = (order: Awaited<ReturnType<typeof latestOrder>>) => order?.items.map((item) => `${item.productId} ${item.quantity} ${item.unit}`).sort();

describe('everything in one message', () => {
  test('items, delivery address and payment go straight to the summary; the yes places exactly that', async () => {
    const phone = '+6281233310001';
    const summary = await say(phone, 'minyak 2 liter sama gula 1 kg, dianter ke Jl. Kenanga No. 7 ya, bayar tf');
    expect(summary).toContain('Ringkasan pesanan');
    expect(summary).toContain('Pengambilan: diantar (Jl. Kenanga No. 7)');
    expect(summary).toContain('Pembayaran: transfer');
    expect(summary).not.toContain('Diambil atau diantar?');
    expect(await chat.models.Order.countDocuments({ phone })).toBe(0);
    await say(phone, 'ya');
    const order = await latestOrder(phone);
    expect(lines(order)).toEqual(['GULA 1 kg', 'MINYAKITA 2 liter']);
    expect(order?.fulfilment).toEqual({ method: 'delivery', address: 'Jl. Kenanga No. 7' });
    expect(order?.payment.method).toBe('transfer');
  });

  test('pickup and cash in one message without punctuation ask nothing more but the yes', async () => {
    const phone = '+6281233310002';
    expect(await say(phone, 'gula 1kg telor 1 papan ambil sendiri bayar cash')).toContain('Pembayaran: bayar di tempat');
    await say(phone, 'iya');
    const order = await latestOrder(phone);
    expect(order?.fulfilment.method).toBe('pickup');
    expect(order?.payment.method).toBe('cod');
  });

  test('an answer given early is kept: the address at the pickup-or-delivery question, the payment with it', async () => {
    const phone = '+6281233310003';
    await say(phone, 'pesen migor 2 liter');
    expect(await say(phone, 'dianter ya ke jl. melati no 3 rt 05, cod')).toContain('Pengambilan: diantar (jl. melati no 3 rt 05)');
  });

  test('a refused payment word (QRIS off, savings for a non-member) is left for its question', async () => {
    const phone = '+6281233310004';
    const reply = await say(phone, 'gula 1 kg ambil sendiri potong simpanan');
    expect(reply).toContain('Bayar pakai apa?');
  });
});

describe('corrections replace the line they mean', () => {
  test('"ganti yang premium aja" swaps the rice and keeps its 5 kg', async () => {
    const phone = '+6281233310011';
    await say(phone, 'beras 5 kg');
    await say(phone, 'ganti yang premium aja');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 5 }]);
  });

  test('"bukan kecap, maksudnya skm" replaces the kecap with two cans of SKM', async () => {
    const phone = '+6281233310012';
    await say(phone, 'kecap 2 botol');
    await say(phone, 'bukan kecap, maksudnya skm');
    expect(await cartOf(phone)).toEqual([{ productId: 'SKM', unit: 'kaleng', quantity: 2 }]);
  });

  test('"minyaknya ga jadi" takes out the oil only', async () => {
    const phone = '+6281233310013';
    await say(phone, 'beras 5 kg sama minyak 2 liter');
    await say(phone, 'minyaknya ga jadi');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }]);
  });

  test('at the summary, "galonnya 2 aja, sama tambah gas 1" sets the water to 2 and adds the gas', async () => {
    const phone = '+6281233310014';
    await say(phone, 'galon 3 diantar ke jl. sirsak no 4 bayar qris');
    const summary = await say(phone, 'eh galonnya 2 aja, sama tambah gas 1');
    expect(summary).toContain('Ringkasan pesanan');
    expect(await cartOf(phone)).toEqual([
      { productId: 'AIR-GALON', unit: 'galon', quantity: 2 },
      { productId: 'LPG-3KG', unit: 'tabung', quantity: 1 },
    ]);
  });

  test('naming a product already in the cart without an amount changes nothing ("oke tetep premium")', async () => {
    const phone = '+6281233310015';
    await say(phone, 'beras premium 5 kg');
    await say(phone, 'oke tetep premium');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 5 }]);
  });
});

describe('a question mid-checkout', () => {
  test('is answered and the conversation stays at its question', async () => {
    const phone = '+6281233310021';
    await say(phone, 'beras 5 kg');
    const fee = await say(phone, 'ongkirnya berapa?');
    expect(fee).toContain('Ongkir Rp5.000');
    expect(fee).not.toContain('Pilih kategori');
    expect(await say(phone, 'oke diantar aja ke jl. kenanga no 5')).toContain('Bayar pakai apa?');
    expect(await say(phone, 'bisa qris?')).toContain('QRIS');
    expect(await say(phone, 'buka sampai jam berapa?')).toContain('Gerai buka');
    expect(await say(phone, 'cod')).toContain('Ringkasan pesanan');
    await say(phone, 'iya');
    const order = await latestOrder(phone);
    expect(lines(order)).toEqual(['BERAS-MED 5 kg']);
    expect(order?.fulfilment).toEqual({ method: 'delivery', address: 'jl. kenanga no 5' });
    expect(order?.payment.method).toBe('cod');
  });
});

test('a per-order limit applies as the item enters the cart, and says so', async () => {
  const phone = '+6281233310031';
  const reply = await say(phone, 'gas 2 tabung');
  expect(reply).toContain('LPG 3 kg paling banyak 1 tabung per pesanan, jadi saya masukkan 1 tabung.');
  expect(await cartOf(phone)).toEqual([{ productId: 'LPG-3KG', unit: 'tabung', quantity: 1 }]);
});

describe('questions about goods', () => {
  test('"gula 2 kg berapa?" gives the price for 2 kg, and "oke pesan itu" orders exactly that', async () => {
    const phone = '+6281233310041';
    expect(await say(phone, 'gula 2 kg berapa?')).toContain('2 kg = *Rp35.000*');
    expect(await say(phone, 'oke pesan itu')).toContain('Gula Pasir 2 kg = Rp35.000');
    expect(await cartOf(phone)).toEqual([{ productId: 'GULA', unit: 'kg', quantity: 2 }]);
  });

  test('"ada rokok?" mid-checkout says plainly it is not sold, and the checkout question still stands', async () => {
    const phone = '+6281233310042';
    await say(phone, 'beras 2 kg');
    const reply = await say(phone, 'ada rokok?');
    expect(reply).toContain('rokok tidak dijual di gerai kami');
    expect(reply).not.toContain('Pilih kategori');
    expect(await say(phone, 'jual sabun ga kak')).toContain('sabun tidak dijual');
    expect(await say(phone, '1')).toContain('Bayar pakai apa?');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 2 }]);
  });
});

test.each([
  ['at the pickup-or-delivery question', ['beras 2 kg']],
  ['at the payment question', ['beras 2 kg', '1']],
  ['at the summary', ['beras 2 kg', '1', '1']],
])('%s, items sent with checkout answers go into the cart as well', async (_where, before) => {
  const phone = `+62812333100${50 + before.length}`;
  for (const text of before) await say(phone, text);
  const summary = await say(phone, 'gula 1 kg ambil sendiri cod');
  expect(summary).toContain('Gula Pasir 1 kg');
  expect(summary).toContain('Ringkasan pesanan');
  expect(await cartOf(phone)).toEqual([
    { productId: 'BERAS-MED', unit: 'kg', quantity: 2 },
    { productId: 'GULA', unit: 'kg', quantity: 1 },
  ]);
});

describe('found in a held-out set', () => {
  test('"iya" at the address question, with no address remembered, is asked again, never stored', async () => {
    const phone = '+6281233310061';
    await say(phone, 'bamer 1 kg kak');
    await say(phone, 'antar');
    expect(await say(phone, 'iya')).toContain('Ke alamat mana diantar?');
    expect((await chat.models.Session.findOne({ phone }).lean())?.vars.address).toBeUndefined();
  });

  test('a question at the summary is never taken as the new address', async () => {
    const phone = '+6281233310062';
    await say(phone, 'beras premium 5kg antar ke jl. gunung tanggamus no 5 transfer');
    const reply = await say(phone, 'no rek nya apa kak?');
    expect(reply).toContain('Bisa bayar dengan');
    expect((await chat.models.Session.findOne({ phone }).lean())?.vars.address).toBe('jl. gunung tanggamus no 5');
  });

  test('asking whether an order can be cancelled keeps the cart', async () => {
    const phone = '+6281233310063';
    await say(phone, 'beras premium 10kg ambil cod');
    expect(await say(phone, 'kalo udh pesen bisa dibatalin ga nanti?')).toContain('ketik *BATAL*');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 10 }]);
    await say(phone, 'oke deh, ya pesan');
    expect(lines(await latestOrder(phone))).toEqual(['BERAS-PREMIUM 10 kg']);
  });

  test.each([
    ['terigu 2kg', 'lho maaf, maksudnya gula bukan terigu', [{ productId: 'GULA', unit: 'kg', quantity: 2 }]],
    ['sphp 1 karung', 'eh beras medium aja 5 kilo, jgn sphp', [{ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }]],
    ['beras premium 5kg', 'ganti beras medium aja 5kg', [{ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }]],
  ])('after %j, %j replaces the line', async (first, correction, cart) => {
    const phone = `+628123331007${first.length % 10}`;
    await say(phone, 'batal');
    await say(phone, first);
    await say(phone, correction);
    expect(await cartOf(phone)).toEqual(cart);
  });
});
