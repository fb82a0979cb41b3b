import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { openChatHarness, RINA, SITI, STRANGER, type ChatHarness } from './chat-harness.js';

// Conversations played the way residents write them, each from its own phone so no state leaks between tests.
// Answers given before their question are kept; corrections replace the line they mean.
let chat: ChatHarness;
beforeAll(async () => {
  chat = await openChatHarness();
});
afterAll(async () => {
  await chat?.close();
});

const latestOrder = (phone: string) => chat.latestOrder(phone);
const cartOf = (phone: string) => chat.cartOf(phone);
const say = async (phone: string, text: string, channel?: 'sms') => (await chat.send(phone, text, channel ? { channel } : {})).join('\n---\n');
const lines = (order: Awaited<ReturnType<typeof latestOrder>>) => order?.items.map((item) => `${item.productId} ${item.quantity} ${item.unit}`).sort();

describe('at the delivery address question', () => {
  test('"batal" cancels the order instead of becoming the address', async () => {
    const phone = '+6281233300001';
    await say(phone, 'beras 2 kg');
    expect(await say(phone, '2')).toContain('Ke alamat mana diantar?');
    const reply = await say(phone, 'batal');
    expect(reply).toContain('keranjang dikosongkan');
    expect(reply).not.toContain('Bayar pakai apa?');
    expect(await cartOf(phone)).toEqual([]);
  });

  test('"menu" and "cek saldo" are commands, not addresses', async () => {
    const phone = '+6281233300002';
    await say(phone, 'beras 2 kg');
    await say(phone, 'antar');
    expect(await say(phone, 'menu')).toContain('1. Pesan sembako');
    await say(phone, 'beras 1 kg');
    await say(phone, 'antar');
    expect(await say(phone, 'cek saldo')).toContain('belum terdaftar sebagai anggota');
  });

  test('changing to pickup ("eh ambil aja deh") goes on to payment as a pickup', async () => {
    const phone = '+6281233300003';
    await say(phone, 'beras 2 kg');
    await say(phone, '2');
    expect(await say(phone, 'eh ambil aja deh')).toContain('Bayar pakai apa?');
    const summary = await say(phone, '1');
    expect(summary).not.toContain('Ongkir');
    expect(summary).toContain('Pengambilan: ambil di gerai (Gerai KDMP, Jl. Sultan Agung No. 10');
    expect(summary).not.toContain('eh ambil aja deh');
  });

  test('"gak jadi diantar" goes back to pickup or delivery with the cart kept', async () => {
    const phone = '+6281233300004';
    await say(phone, 'beras 2 kg');
    await say(phone, '2');
    const reply = await say(phone, 'gak jadi diantar');
    expect(reply).toContain('Beras Medium 2 kg = Rp27.000');
    expect(reply).toContain('Diambil atau diantar?');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 2 }]);
  });

  test('a street named after a product is an address, not an item', async () => {
    const phone = '+6281233300005';
    await say(phone, 'beras 2 kg');
    await say(phone, '2');
    expect(await say(phone, 'Jl. Gula Batu no 3, RT 02')).toContain('Bayar pakai apa?');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 2 }]);
    const summary = await say(phone, '1');
    expect(summary).toContain('Pengambilan: diantar (Jl. Gula Batu no 3, RT 02)');
    expect(summary).not.toContain('Gula Pasir');
  });

  test('items written at the address question still change the cart', async () => {
    const phone = '+6281233300006';
    await say(phone, 'beras 2 kg');
    await say(phone, '2');
    const reply = await say(phone, 'tambah telur 5 butir');
    expect(reply).toContain('Telur Ayam Ras 5 butir = Rp10.000');
    // Delivery was chosen already: the address is asked again, not pickup or delivery.
    expect(reply).toContain('Ke alamat mana diantar?');
  });

  test('"tidak" to the remembered address asks for the new one instead of storing "tidak"', async () => {
    const phone = '+6281233300007';
    await say(phone, 'beras 2 kg');
    await say(phone, '2');
    await say(phone, 'Jl. Kenanga No. 5 RT 02');
    await say(phone, '1');
    await say(phone, 'ya');
    await say(phone, 'gula 1 kg');
    expect(await say(phone, '2')).toContain('Jl. Kenanga No. 5 RT 02');
    expect(await say(phone, 'tidak')).toContain('Ke alamat mana diantar?');
    await say(phone, 'Perum Griya Blok C2 no 14');
    await say(phone, '1');
    await say(phone, 'ya');
    expect((await latestOrder(phone))!.fulfilment).toEqual({ method: 'delivery', address: 'Perum Griya Blok C2 no 14' });
  });
});

test('choosing pickup after typing a delivery address shows and stores the shop, not the home address', async () => {
  const phone = '+6281233300010';
  await say(phone, 'beras 2 kg');
  await say(phone, '2');
  await say(phone, 'Jl Kenanga 5 RT 3');
  await say(phone, '1');
  expect(await say(phone, 'tidak')).toContain('Silakan ubah pesanan');
  const summary = await say(phone, 'diambil aja deh');
  expect(summary).toContain('Pengambilan: ambil di gerai (Gerai KDMP, Jl. Sultan Agung No. 10');
  expect(summary).not.toContain('Kenanga');
  await say(phone, 'ya');
  expect((await latestOrder(phone))!.fulfilment).toEqual({ method: 'pickup' });
});

test('"gulanya 1 kg aja" corrects the sugar already in the cart instead of adding 1 kg', async () => {
  const phone = '+6281233300011';
  await say(phone, 'mau pesen gula 2kg sm telor 1 papan');
  const reply = await say(phone, 'eh gulanya 1 kg aja');
  expect(reply).toContain('Gula Pasir 1 kg = Rp17.500');
  expect(reply).not.toContain('Gula Pasir 3 kg');
  expect(reply).toContain('Subtotal: Rp74.500');
  // A product not yet in the cart is simply added, and "tambah … aja" still adds.
  expect(await say(phone, 'beras 2 kg aja')).toContain('Beras Medium 2 kg = Rp27.000');
  expect(await say(phone, 'tambah gula 1 kg aja')).toContain('Gula Pasir 2 kg = Rp35.000');
});

test('"gak jadi" at the summary cancels the order instead of asking what to change', async () => {
  const phone = '+6281233300012';
  await say(phone, 'beras 2 kg');
  await say(phone, '1');
  expect(await say(phone, '1')).toContain('Ringkasan pesanan');
  const reply = await say(phone, 'gak jadi');
  expect(reply).toContain('keranjang dikosongkan');
  expect(reply).not.toContain('Silakan ubah pesanan');
  expect(await cartOf(phone)).toEqual([]);
  // "tidak" still means "change it".
  await say(phone, 'beras 2 kg');
  await say(phone, '1');
  await say(phone, '1');
  expect(await say(phone, 'tidak')).toContain('Silakan ubah pesanan');
  expect(await chat.models.Order.countDocuments({ phone })).toBe(0);
});

test('"-1" is not menu choice 1', async () => {
  const phone = '+6281233300013';
  await say(phone, 'menu');
  expect(await say(phone, '1')).toContain('Pilih kategori');
  const reply = await say(phone, '-1');
  expect(reply).toContain('pilihannya belum ada');
  expect(reply).not.toContain('Beras Medium');
});

test('SMS lines do not end in a space where an emoji was dropped', async () => {
  const phone = '+6281233300014';
  const reply = await say(phone, 'halo', 'sms');
  expect(reply).toContain('Selamat datang di KDMP Kelurahan Way Halim Permai\n');
  expect(reply).not.toMatch(/ $/m);
});

describe('at the "how much?" question after browsing', () => {
  const browseToBerasPremium = async (phone: string) => {
    await say(phone, 'menu');
    await say(phone, '1');
    await say(phone, '1');
    expect(await say(phone, '2')).toContain('Berapa *Beras Premium*?');
  };

  test('an answer with no quantity is asked again instead of adding 1 kg', async () => {
    const phone = '+6281233300020';
    await browseToBerasPremium(phone);
    expect(await say(phone, 'hmm')).toContain('Berapa *Beras Premium*?');
    // A price question gets the product's price with the same question, not the category list.
    const price = await say(phone, 'berapa harganya?');
    expect(price).toContain('Berapa *Beras Premium*? (Rp14.900/kg)');
    expect(price).not.toContain('Beras Premium 1 kg');
    expect(await cartOf(phone)).toEqual([]);
    expect(await say(phone, 'hmm')).toContain('Berapa *Beras Premium*?');
    expect(await say(phone, 'dua kilo')).toContain('Beras Premium 2 kg = Rp29.800');
  });

  test('"kembali" goes back to the product list', async () => {
    const phone = '+6281233300021';
    await browseToBerasPremium(phone);
    const reply = await say(phone, 'kembali');
    expect(reply).toContain('1. Beras Medium');
    expect(await cartOf(phone)).toEqual([]);
    expect(await say(phone, '3')).toContain('Berapa *Beras SPHP 5 kg*?');
    expect(await say(phone, '1')).toContain('Beras SPHP 5 kg 1 karung = Rp62.500');
  });

  test('switching language is not an answer', async () => {
    const phone = '+6281233300022';
    await browseToBerasPremium(phone);
    expect(await say(phone, 'english')).toContain('continue in English');
    expect(await cartOf(phone)).toEqual([]);
  });
});

test('"english" while the bot asks which bawang switches and asks again, keeping the question', async () => {
  const phone = '+6281233300023';
  await say(phone, 'pesan bawang 2 ons');
  const reply = await say(phone, 'english');
  expect(reply).toContain('continue in English');
  expect(reply).toContain('Which one do you mean by "bawang"?');
  expect(reply).not.toContain('tidak saya masukkan');
  expect(await say(phone, '1')).toContain('Bawang Merah 2 ons = Rp8.000');
});

test('a member who answers the payment question wrongly is reminded of the savings option too', async () => {
  const phone = '+6281200000001';
  await say(phone, 'beras 5 kg');
  await say(phone, '1');
  expect(await say(phone, '9')).toContain('4 potong simpanan');
  await say(phone, 'batal');
  await say(BUDI_LIKE, 'beras 5 kg');
  await say(BUDI_LIKE, '1');
  expect(await say(BUDI_LIKE, '9')).not.toContain('simpanan');
});
const BUDI_LIKE = '+6281233300024';

test('"beras 0 kg" adds no Rp0 line; "ganti gula 0 kg" takes the sugar out', async () => {
  const phone = '+6281233300025';
  const reply = await say(phone, 'beras 0 kg');
  expect(reply).toContain('Jumlah Beras Medium belum ada');
  expect(reply).not.toContain('= Rp0');
  expect(await cartOf(phone)).toEqual([]);
  await say(phone, 'beras 2 kg sama gula 1 kg');
  const after = await say(phone, 'ganti gula 0 kg');
  expect(after).toContain('Gula Pasir dihapus dari keranjang');
  expect(after).not.toContain('Gula Pasir 1 kg');
  expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 2 }]);
});

test('"batalkan pesanan yang tadi" while building a new cart cancels the placed order, not just the cart', async () => {
  const phone = '+6281233300026';
  await say(phone, 'beras 2 kg');
  await say(phone, '1');
  await say(phone, '1');
  await say(phone, 'ya');
  const placed = (await latestOrder(phone))!;
  await say(phone, 'pesan gula 1 kg');
  const reply = await say(phone, 'batalkan pesanan yang tadi');
  expect(reply).toContain(`Batalkan pesanan *#${placed.number}*`);
  expect(reply).not.toContain('keranjang dikosongkan');
  expect(await say(phone, 'ya')).toContain(`Pesanan *#${placed.number}* sudah dibatalkan`);
  expect((await latestOrder(phone))!.status).toBe('cancelled');
  // A plain "batal" still empties the cart being built.
  expect(await say(phone, 'batal')).toContain('keranjang dikosongkan');
});

test('a quantity right after asking one product\'s price orders that product', async () => {
  const phone = '+6281233300027';
  expect(await say(phone, 'telor sepapan brp?')).toContain('Rp57.000/papan');
  const reply = await say(phone, 'mau 2 papan');
  expect(reply).toContain('Telur Ayam Ras 2 papan = Rp114.000');
  expect(reply).not.toContain('belum paham');
  // Asked in the middle of the order, the answer joins the cart.
  await say(phone, 'minyak goreng ada?');
  const more = await say(phone, 'yg 2 liter aja');
  expect(more).toContain('Minyak Goreng MinyaKita 2 liter = Rp31.400');
  expect(more).toContain('Subtotal: Rp145.400');
  // Two products asked about: a bare quantity is not guessed.
  await say(phone, 'bawang brp?');
  await say(phone, '1 ons');
  expect(await cartOf(phone)).toEqual([
    { productId: 'TELUR', unit: 'papan', quantity: 2 },
    { productId: 'MINYAKITA', unit: 'liter', quantity: 2 },
  ]);
});

test('"bantuan" and "gmn cara order?" get the how-to, "menu" the numbered menu', async () => {
  const phone = '+6281233300028';
  for (const text of ['bantuan', 'help', 'gmn cara order di sini']) {
    const reply = await say(phone, text);
    expect(reply).toContain('Cara pesan di KDMP Kelurahan Way Halim Permai');
    expect(reply).not.toContain('Balas dengan angka');
  }
  expect(await say(phone, 'menu')).toContain('6. Bantuan');
  expect(await say(phone, 'halo kak')).toContain('Balas dengan angka');
});

test('a number out of range at "which bawang?" asks again instead of dropping the item', async () => {
  const phone = '+6281233300029';
  await say(phone, 'bawang 2 ons');
  for (const text of ['5', '0']) {
    const reply = await say(phone, text);
    expect(reply).toContain('pilihannya belum ada');
    expect(reply).not.toContain('tidak saya masukkan');
  }
  expect(await say(phone, '2')).toContain('Bawang Putih 2 ons = Rp7.600');
});

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
    expect(reply).toContain('Transfer ke BRI 0123-01-000123-50-9');
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

test('how to change the cart is said with the first cart only', async () => {
  const phone = '+6281233310081';
  expect(await say(phone, 'beras 2 kg')).toContain('Mau tambah barang?');
  const second = await say(phone, 'tambah gula 1 kg');
  expect(second).toContain('Gula Pasir 1 kg');
  expect(second).not.toContain('Mau tambah barang?');
});

test('a change to a line already in the cart is said in one line before the cart', async () => {
  const phone = '+6281233310091';
  await say(phone, 'kecap 2 botol, gula 1 kg, minyak 2 liter');
  expect(await say(phone, 'gulanya jadi 2 kg')).toContain('✏️ Gula Pasir jadi 2 kg.');
  expect(await say(phone, 'minyaknya ga jadi')).toContain('🗑️ Minyak Goreng MinyaKita dihapus dari keranjang.');
  expect(await say(phone, 'bukan kecap, maksudnya skm')).toContain('🔁 Kecap Manis 520 ml diganti Susu Kental Manis 370 g 2 kaleng.');
});

describe('found by a resident trying the bot', () => {
  test('"wait, no gas. just the water" at the summary takes the gas out and keeps the address', async () => {
    const phone = '+6281233310101';
    await say(phone, 'galon 2 sama gas 1, antar ke Jl. Sam Ratulangi 12, cod');
    const reply = await say(phone, 'wait, no gas. just the water');
    expect(reply).toContain('Pengambilan: diantar (Jl. Sam Ratulangi 12)');
    expect(await cartOf(phone)).toEqual([{ productId: 'AIR-GALON', unit: 'galon', quantity: 2 }]);
  });

  test('place names that sound like goods stay in the address and add nothing', async () => {
    const phone = '+6281233310102';
    const summary = await say(phone, 'beras 5 kg, kirim ke jl. za pagar alam no 21 labuhan ratu ya. bayar cod');
    expect(summary).toContain('Pengambilan: diantar (jl. za pagar alam no 21 labuhan ratu)');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }]);
  });

  test('small talk at the address question is not stored; "alamatnya salah, …" gives the new one', async () => {
    const phone = '+6281233310103';
    await say(phone, 'gula 1 kg');
    await say(phone, 'antar');
    expect(await say(phone, 'bentar ya kak aku tanya suami dulu')).toContain('Alamatnya belum saya catat');
    expect((await chat.models.Session.findOne({ phone }).lean())?.vars.address).toBeUndefined();
    await say(phone, 'jl. sultan haji no 5');
    await say(phone, 'cod');
    expect(await say(phone, 'tidak, alamatnya salah. jl. sultan haji no 7')).toContain('Pengambilan: diantar (jl. sultan haji no 7)');
  });

  test('"berasnya 5 kg aja" in the same message changes the premium rice named before it', async () => {
    const phone = '+6281233310104';
    await say(phone, 'beras premium 10kg, minyak 2L. eh beras nya 5 kg aja deh');
    const cart = await cartOf(phone);
    expect(cart).toHaveLength(2);
    expect(cart).toEqual(expect.arrayContaining([
      { productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 5 },
      { productId: 'MINYAKITA', unit: 'liter', quantity: 2 },
    ]));
  });

  test('"remove beras medium, premium 5 kg" swaps the rice', async () => {
    const phone = '+6281233310105';
    await say(phone, 'beras 5 kg');
    await say(phone, 'remove beras medium, premium 5 kg');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 5 }]);
  });

  test('a question with a word the shop does not know is not answered as goods not sold', async () => {
    const phone = '+6281233310106';
    await say(phone, 'gula 1 kg');
    expect(await say(phone, 'kok cuma 5 kg?')).not.toContain('tidak dijual');
  });
});

test('at the summary, "ganti alamat" asks for the address again and keeps the rest', async () => {
  const phone = '+6281233310111';
  await say(phone, 'gula 1 kg antar ke jl. melati no 3, cod');
  expect(await say(phone, 'ganti alamat')).toContain('Ke alamat mana diantar?');
  const summary = await say(phone, 'jl. kenanga no 9');
  expect(summary).toContain('Pengambilan: diantar (jl. kenanga no 9)');
  expect(summary).toContain('Pembayaran: bayar di tempat');
});

test('"berapa totalnya?" shows the cart and its total where it was asked; "udah" leaves the change step', async () => {
  const phone = '+6281233310112';
  await say(phone, 'gula 2 kg');
  const total = await say(phone, 'berapa totalnya?');
  expect(total).toContain('Subtotal: Rp35.000');
  expect(total).not.toContain('Pilih kategori');
  await say(phone, 'ambil, cod');
  expect(await say(phone, 'tidak')).toContain('Silakan ubah pesanan');
  expect(await say(phone, 'udah')).toContain('Ringkasan pesanan');
});

test('an amount no product took is never dropped: for the product just priced, else asked about', async () => {
  const phone = '+6281233310121';
  await say(phone, 'minyak berapa?');
  await say(phone, 'oke mau 2 liter ya kak. sama gula 1kg');
  expect(await cartOf(phone)).toEqual([
    { productId: 'MINYAKITA', unit: 'liter', quantity: 2 },
    { productId: 'GULA', unit: 'kg', quantity: 1 },
  ]);
  const other = '+6281233310122';
  expect(await say(other, 'beras 5 kg 2 karung')).toContain('Jumlah "2 karung" belum saya masukkan');
  expect(await cartOf(other)).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }]);
});

test('"tambah telur ke pesanan tadi" after placing says a new order starts', async () => {
  const phone = '+6281233310131';
  await chat.placePickupOrder(phone, 'gula 1 kg');
  expect(await say(phone, 'tambah telur 1 kg ya ke pesanan tadi')).toContain('ini saya buatkan pesanan baru');
});

describe('found by a second resident trial', () => {
  test('"Teluk Betung" and an area before the street stay in the address and add no eggs', async () => {
    const phone = '+6281233310141';
    const summary = await say(phone, 'pesan gula 2 kg kirim ke teluk betung barat jl. ikan kakap no 12, bayar cod');
    expect(summary).toContain('Pengambilan: diantar (teluk betung barat jl. ikan kakap no 12)');
    expect(await cartOf(phone)).toEqual([{ productId: 'GULA', unit: 'kg', quantity: 2 }]);
    const other = '+6281233310142';
    await say(other, 'gula 1 kg');
    expect(await say(other, 'antar ke rajabasa, jl. pramuka gg. kenanga 2 no 5b, cod')).toContain('diantar (rajabasa, jl. pramuka gg. kenanga 2 no 5b)');
  });

  test('"telurnya 2 kg" sets the eggs to 2 kg; "hapus telurnya" keeps the sugar', async () => {
    const phone = '+6281233310143';
    await say(phone, 'gula 1 kg sama telur 1 kg');
    await say(phone, 'eh telurnya 2 kg ya');
    expect(await cartOf(phone)).toEqual([
      { productId: 'GULA', unit: 'kg', quantity: 1 },
      { productId: 'TELUR', unit: 'kg', quantity: 2 },
    ]);
    await say(phone, 'kok ada telur? sy cuma pesen gula. hapus telurnya');
    expect(await cartOf(phone)).toEqual([{ productId: 'GULA', unit: 'kg', quantity: 1 }]);
  });

  test('a question at the summary about a time does not drop the conversation into the main menu', async () => {
    const phone = '+6281233310144';
    await say(phone, 'gula 1 kg antar ke jl. melati no 3, cod');
    expect(await say(phone, 'bisa dianter besok pagi kan kak?')).not.toContain('1. Pesan sembako');
    expect(await say(phone, 'ya')).toContain('kami terima');
  });

  test('"batal 1001" asks about that order, never the latest one', async () => {
    const phone = '+6281233310145';
    const first = await chat.placePickupOrder(phone, 'gula 1 kg');
    await chat.placePickupOrder(phone, 'garam 1 bungkus');
    expect(await say(phone, `batal ${first}`)).toContain(`Batalkan pesanan *#${first}*`);
    await say(phone, 'tidak');
    expect(await say(phone, 'batal 999999')).toContain('Pesanan #999999 tidak ada');
  });
});

test('"oke pesan itu, ambil sendiri bayar qris" after a price question keeps the checkout answers too', async () => {
  const phone = '+6281233310151';
  await say(phone, 'telor sepapan brp?');
  const summary = await say(phone, 'oke pesan itu, ambil sendiri bayar qris');
  expect(summary).toContain('Ringkasan pesanan');
  expect(summary).toContain('Pembayaran: QRIS');
  expect(await cartOf(phone)).toEqual([{ productId: 'TELUR', unit: 'papan', quantity: 1 }]);
});

describe('a product and its amount sent as two messages', () => {
  test('"beras" then "5 kg" orders 5 kg, and "setengah kilo" after "cabe rawit" half a kilo', async () => {
    const phone = '+6281233300090';
    await say(phone, 'beras');
    expect(await say(phone, '5 kg')).toContain('Beras Medium jadi 5 kg');
    await say(phone, 'cabe rawit');
    await say(phone, 'setengah kilo');
    expect(await cartOf(phone)).toMatchObject([
      { productId: 'BERAS-MED', unit: 'kg', quantity: 5 },
      { productId: 'CABAI-RAWIT', unit: 'kg', quantity: 0.5 },
    ]);
  });

  test('a digit at the menu answers the menu; an amount typed later still sets the line it was assumed for', async () => {
    const phone = '+6281233300091';
    await say(phone, 'gula');
    // "1" answers "Diambil atau diantar?" (pickup), not "1 kg of sugar".
    expect(await say(phone, '1')).toContain('Bayar pakai apa?');
    expect(await say(phone, '2 kg')).toContain('Gula Pasir jadi 2 kg');
    await say(phone, 'tambah minyak');
    // The oil is now the line assumed, and it is not sold by the kilo: nothing changes.
    expect(await say(phone, '3 kg')).not.toContain('jadi 3 kg');
    expect(await cartOf(phone)).toMatchObject([{ productId: 'GULA', quantity: 2 }, { productId: 'MINYAKITA', quantity: 1 }]);
  });
});

describe('an amount added or taken without naming the product', () => {
  test('goes to the one line it fits, and is asked about when several fit', async () => {
    const phone = '+6281233300092';
    await say(phone, 'indomie 5 bungkus');
    expect(await say(phone, 'tambah 5 bungkus lagi')).toContain('Mi Instan jadi 10 bungkus');
    await say(phone, 'gula 2 kg');
    expect(await say(phone, 'kurangi 1 kg')).toContain('Gula Pasir jadi 1 kg');
    expect(await say(phone, 'tambah 2 lagi')).toContain('yang mana');
    expect(await cartOf(phone)).toMatchObject([
      { productId: 'MIE-INSTAN', quantity: 10 },
      { productId: 'GULA', quantity: 1 },
    ]);
  });
});

describe('a price question about the cart, mid-checkout', () => {
  test('"berapa harga kalo 5 kilo?" prices that amount of the sugar, and "ga jadi, 2 kilo aja" with an address keeps both', async () => {
    const phone = '+6281233300093';
    await say(phone, 'gula 2 kg');
    const priced = await say(phone, 'berapa harga kalo 5 kilo kak?');
    expect(priced).toContain('5 kg = *Rp87.500*');
    expect(priced).not.toContain('Pilih kategori');
    expect(await say(phone, 'ga jadi, 2 kilo aja. antar ya ke jl sultan agung gg. asoka no 10 way halim')).toContain('Bayar pakai apa?');
    await say(phone, 'cod');
    await say(phone, 'iya');
    const order = await latestOrder(phone);
    expect(lines(order)).toEqual(['GULA 2 kg']);
    expect(order?.fulfilment.address).toContain('gg. asoka no 10');
  });
});

describe('a question asked mid-checkout', () => {
  test('is answered, then the open question is asked again', async () => {
    const phone = '+6281233300094';
    await say(phone, 'gula 2 kg');
    const fee = await say(phone, 'ongkirnya berapa?');
    expect(fee).toContain('Ongkir Rp5.000');
    expect(fee).toContain('Balas *1* untuk ambil di gerai atau *2* untuk diantar');
    await say(phone, '2');
    const hours = await say(phone, 'buka sampai jam berapa?');
    expect(hours).toContain('Gerai buka');
    expect(hours).toContain('Ke alamat mana diantar?');
    await say(phone, 'jl melati no 3');
    const unsold = await say(phone, 'ada rokok?');
    expect(unsold).toContain('rokok tidak dijual');
    expect(unsold).toContain('Balas dengan angka cara bayar');
    await say(phone, 'cod');
    expect(await say(phone, 'berapa harga kalo 5 kilo?')).toContain('Balas *YA* untuk memesan');
    await say(phone, 'ya');
    expect(lines(await latestOrder(phone))).toEqual(['GULA 2 kg']);
  });
});

describe('seventh- and eighth-set conversations', () => {
  test('"sepapan brp?" after asking about eggs prices a tray, and "oke pesan itu" orders that tray', async () => {
    const phone = '+6281233310160';
    await say(phone, 'kak ada telur ga?');
    expect(await say(phone, 'sepapan brp?')).toContain('1 papan = *Rp57.000*');
    await say(phone, 'oke pesan itu');
    expect(await cartOf(phone)).toEqual([{ productId: 'TELUR', unit: 'papan', quantity: 1 }]);
  });

  test('"kalo bawang putih?" after a price answer is another price question, not an order', async () => {
    const phone = '+6281233310161';
    await say(phone, 'bawang merah sekilo brp kak?');
    expect(await say(phone, 'kalo bawang putih?')).toContain('Bawang Putih: Rp38.000/kg');
    expect(await cartOf(phone)).toEqual([]);
  });

  test('"eh tambah 5 lagi deh jadi 10" sets the one line to 10', async () => {
    const phone = '+6281233310162';
    await say(phone, 'indomie 5 bungkus');
    expect(await say(phone, 'eh tambah 5 lagi deh jadi 10')).toContain('Mi Instan jadi 10 bungkus');
    expect(await cartOf(phone)).toEqual([{ productId: 'MIE-INSTAN', unit: 'bungkus', quantity: 10 }]);
  });

  test('"yg kopi barusan batalin" after two orders asks to cancel the order with the coffee', async () => {
    const phone = '+6281233310163';
    const eggs = await chat.placePickupOrder(phone, 'telor 1 papan');
    const coffee = await chat.placePickupOrder(phone, 'kopi 1 renceng');
    expect(await say(phone, 'eh yg kopi barusan batalin aja deh kak')).toContain(`Batalkan pesanan *#${coffee}*`);
    expect(await say(phone, 'iya')).toContain('dibatalkan');
    const orders = await chat.models.Order.find({ phone }, { number: 1, status: 1 }).lean();
    expect(orders.map((order) => [order.number, order.status]).sort()).toEqual([[eggs, 'new'], [coffee, 'cancelled']].sort());
  });

  test('"minyaknya ga jadi" about an order holding more says the whole order would go, and "tidak" keeps it', async () => {
    const phone = '+6281233310164';
    const number = await chat.placePickupOrder(phone, 'minyak 2 liter sama gula 1 kg');
    expect(await say(phone, 'minyaknya ga jadi deh')).toContain(`Pesanan *#${number}* (Minyak Goreng MinyaKita 2 liter, Gula Pasir 1 kg; Rp48.900) berisi barang lain juga`);
    await say(phone, 'tidak');
    expect((await latestOrder(phone))?.status).toBe('new');
  });
});

describe('ninth-set conversations', () => {
  test('"yang pesanan beras tadi batalin" cancels the rice order, not the latest one, and the question names the goods', async () => {
    const phone = '+6281233310170';
    const rice = await chat.placePickupOrder(phone, 'beras 5 kg');
    const eggs = await chat.placePickupOrder(phone, 'telor 1 papan');
    expect(await say(phone, 'yang pesanan beras tadi batalin ya kak')).toContain(`Batalkan pesanan *#${rice}* (Beras Medium 5 kg; Rp67.500)?`);
    await say(phone, 'iya');
    const orders = await chat.models.Order.find({ phone }, { number: 1, status: 1 }).lean();
    expect(orders.map((order) => [order.number, order.status]).sort()).toEqual([[rice, 'cancelled'], [eggs, 'new']].sort());
  });

  test('the same goods message twice in a row is a double send: the cart is not doubled, and saying so is answered', async () => {
    const phone = '+6281233310171';
    await say(phone, 'telor 1 papan');
    expect(await say(phone, 'telor 1 papan')).toContain('Pesan yang sama masuk dua kali');
    expect(await cartOf(phone)).toEqual([{ productId: 'TELUR', unit: 'papan', quantity: 1 }]);
    await say(phone, 'tambah telor 1 papan');
    expect(await cartOf(phone)).toEqual([{ productId: 'TELUR', unit: 'papan', quantity: 2 }]);
  });

  test('"hapus aja kak, mulai dari awal" empties the cart before the next order', async () => {
    const phone = '+6281233310172';
    await say(phone, 'gula 1 kg');
    expect(await say(phone, 'hapus aja kak, mulai dari awal')).toContain('keranjang dikosongkan');
    await say(phone, 'beras premium 5 kg');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 5 }]);
  });

  test('"tidak" at the summary, then "berasnya 10 kg bukan 5", sets 10 kg', async () => {
    const phone = '+6281233310173';
    await say(phone, 'beras 5 kg');
    await say(phone, 'ambil');
    await say(phone, 'cod');
    await say(phone, 'tidak kak, ada yang salah');
    await say(phone, 'berasnya 10 kg bukan 5');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 10 }]);
  });
});

test('"eh berasnya yg premium aja, 10 kg" swaps the rice line at the new amount instead of adding premium rice next to it', async () => {
  const phone = '+6281233310180';
  await say(phone, 'beras 5 kg sama telor 1 papan');
  expect(await say(phone, 'eh berasnya yg premium aja, 10 kg')).toContain('Beras Medium diganti Beras Premium 10 kg');
  expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 10 }, { productId: 'TELUR', unit: 'papan', quantity: 1 }]);
});

describe('found by a resident trial', () => {
  test('a bare number for a line in the cart counts in that line\'s unit', async () => {
    const phone = '+6281233310190';
    await say(phone, 'kopi 1 renceng sama telor 1 papan');
    expect(await say(phone, 'kopinya jadi 2')).toContain('Kopi Sachet jadi 2 renceng');
    expect(await say(phone, 'telurnya jadi 2')).toContain('Telur Ayam Ras jadi 2 papan');
    await say(phone, 'mie 1 dus');
    await say(phone, 'mienya tambah 1');
    expect(await cartOf(phone)).toEqual([
      { productId: 'KOPI-SACHET', unit: 'renceng', quantity: 2 },
      { productId: 'TELUR', unit: 'papan', quantity: 2 },
      { productId: 'MIE-INSTAN', unit: 'dus', quantity: 2 },
    ]);
  });

  test('"tambah 2 kg lg berasnya" adds to the premium rice in the cart, not medium rice beside it', async () => {
    const phone = '+6281233310191';
    await say(phone, 'beras premium 5 kg');
    expect(await say(phone, 'tambah 2 kg lg berasnya')).toContain('Beras Premium jadi 7 kg');
    expect(await cartOf(phone)).toEqual([{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 7 }]);
  });

  test('"jangan dibatalin ya pesanannya" after an order never asks to cancel it', async () => {
    const phone = '+6281233310192';
    await chat.placePickupOrder(phone, 'gula 1 kg');
    expect(await say(phone, 'jangan dibatalin ya pesanannya, kapan dianter?')).not.toContain('Batalkan pesanan');
    await say(phone, 'iya');
    expect((await latestOrder(phone))?.status).toBe('new');
  });
});

test('"gula 2" with sugar already in the cart says what the line became', async () => {
  const phone = '+6281233310193';
  await say(phone, 'gula 1 kg');
  expect(await say(phone, 'gula 2')).toContain('Gula Pasir jadi 3 kg');
});

describe('when the goods are wanted and a number to call', () => {
  test('are kept through checkout, shown in the summary, stored on the order and told to the shop', async () => {
    const phone = '+6281233311001';
    await say(phone, 'gula 1 kg');
    await say(phone, 'antar');
    await say(phone, 'jl kenanga 7');
    expect(await say(phone, 'jam 4 sore ya')).toContain('Dicatat: jam 4 sore.');
    await say(phone, 'tf');
    const summary = await say(phone, 'no wa saya 0857 1234 5678');
    expect(summary).toContain('Catatan: jam 4 sore, HP 085712345678');
    expect(summary).toContain('Balas *YA*');
    await say(phone, 'ya');
    const order = await latestOrder(phone);
    expect(order?.fulfilment).toMatchObject({ method: 'delivery', address: 'jl kenanga 7', when: 'jam 4 sore', contactPhone: '085712345678' });
    await chat.notices.drain();
    expect(await chat.lastTo(RINA)).toContain('Antar ke: jl kenanga 7\nCatatan: jam 4 sore, HP 085712345678');
  });

  test('said in one message with everything else, "jam 10" is no amount', async () => {
    const phone = '+6281233311002';
    const summary = await say(phone, 'beras 5 kg sm migor 2 liter, kirim ke jl melati no 3 besok jam 10 pagi, bayar cod');
    expect(summary).toContain('Catatan: besok jam 10 pagi');
    await say(phone, 'ya');
    expect(lines(await latestOrder(phone))).toEqual(['BERAS-MED 5 kg', 'MINYAKITA 2 liter']);
  });
});

describe('eleventh-set conversations', () => {
  test('an order that asks whether the savings cover it shows them beside the cart', async () => {
    const reply = await say(SITI, 'saya mau pesan beras premium 5 kg. saldo simpanan sukarela saya cukup kan?');
    expect(reply).toMatch(/Saldo simpanan sukarela Anda Rp[\d.]+; pesanan ini Rp74\.500/);
    expect(reply).toContain('Beras Premium 5 kg');
    expect(await say(STRANGER, 'mau pesan gula 1 kg, saldo simpanan saya berapa?')).toContain('Simpanan hanya untuk anggota koperasi');
    await say(SITI, 'batal');
    await say(STRANGER, 'batal');
  });

  test('goods ordered beside a question about unsold goods go in the cart, and the unsold ones are named', async () => {
    const phone = '+6281233311003';
    const reply = await say(phone, 'terigu 1 kg, telor 10 butir, gula 1 kg, mentega ada gk kak?');
    expect(reply).toContain('"mentega" belum ada di gerai kami');
    expect(await cartOf(phone)).toHaveLength(3);
  });
});

test('the payment menu says when the savings do not cover the total', async () => {
  await say(SITI, 'beras premium 25 kg');
  expect(await say(SITI, 'ambil')).toMatch(/4\. Potong simpanan sukarela \(saldo Rp[\d.]+, belum cukup\)/);
  await say(SITI, 'batal');
  await say(SITI, 'gula 1 kg');
  expect(await say(SITI, 'ambil')).toMatch(/4\. Potong simpanan sukarela \(saldo Rp[\d.]+\)$/);
  await say(SITI, 'batal');
});

test('an address sent before any goods is kept for the order', async () => {
  const phone = '+6281233311004';
  expect(await say(phone, 'kak aku di perum way halim permai blok b7 no 3')).toContain('Alamat dicatat untuk pesanan berikutnya: perum way halim permai blok b7 no 3');
  expect(await say(phone, 'mau pesen galon 1 sama telor 1 kg')).toContain('Bayar pakai apa?');
  await say(phone, 'bayar qris');
  await say(phone, 'ya');
  expect((await latestOrder(phone))?.fulfilment).toMatchObject({ method: 'delivery', address: 'perum way halim permai blok b7 no 3' });
});

test('a checkout answer alone right after an order says the placed order is not changed by chat, and keeps nothing', async () => {
  const phone = '+6281233311005';
  await say(phone, 'gula 1 kg antar ke jl kenanga 7 cod');
  await say(phone, 'ya');
  for (const text of ['eh ambil sendiri aja deh', 'kirim jam 10 ya']) expect(await say(phone, text)).toMatch(/Pesanan \*#\d+\* sudah masuk, jadi cara ambil, alamat, waktu atau cara bayarnya tidak bisa diubah lewat chat/);
  expect((await latestOrder(phone))?.fulfilment).toMatchObject({ method: 'delivery', address: 'jl kenanga 7' });
  await say(phone, 'beras 2 kg');
  expect(await say(phone, 'ambil')).toContain('Bayar pakai apa?');
  // Hours later the same words start a new order's checkout.
  await say(phone, 'batal');
  chat.clock.advance(7 * 60 * 60 * 1000);
  expect(await say(phone, 'ambil sendiri aja')).not.toContain('sudah masuk');
});

test('"simpanan" said again at the summary when savings already pay shows the summary again, and "ya" places the order', async () => {
  await say(SITI, 'pakai simpanan ya kak, gula 1 kg');
  await say(SITI, 'ambil');
  const again = await say(SITI, 'simpanan');
  expect(again).toContain('Ringkasan pesanan');
  expect(again).not.toContain('Saldo simpanan Siti');
  await say(SITI, 'ya');
  expect((await latestOrder(SITI))?.payment.method).toBe('simpanan');
});
