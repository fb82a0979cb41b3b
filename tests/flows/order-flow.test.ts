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

const latestOrder = (phone: string) => chat.latestOrder(phone);

describe('order flow', () => {
  test('Budi orders beras and minyak, picks up, pays cash and gets an order number (done-when journey)', async () => {
    const berasBefore = await chat.stockOf('BERAS-MED');
    const cart = await chat.send(BUDI, 'pesan beras 5 kg sama minyak 2 liter');
    expect(cart).toHaveLength(1);
    expect(cart[0]).toContain('Beras Medium 5 kg = Rp67.500');
    expect(cart[0]).toContain('Minyak Goreng MinyaKita 2 liter = Rp31.400');
    expect(cart[0]).toContain('Subtotal: Rp98.900');
    expect(cart[0]).toContain('1. Ambil di gerai');

    const payment = await chat.send(BUDI, 'ambil');
    expect(payment.join('\n')).toContain('1. Bayar di tempat (COD)');
    // Budi is not a member: no savings option.
    expect(payment.join('\n')).not.toContain('simpanan');

    const summary = await chat.send(BUDI, 'cod');
    // A pickup pays no fee: the total alone, no "Ongkir: Rp0".
    expect(summary[0]).not.toContain('Ongkir');
    expect(summary[0]).toContain('Total: Rp98.900');
    expect(summary[0]).toContain('Balas *YA*');
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(0);

    const placed = await chat.send(BUDI, 'ya');
    const order = await latestOrder(BUDI);
    expect(order).not.toBeNull();
    expect(placed[0]).toContain(`#${order!.number}`);
    expect(order!.number).toBe(1001);
    expect(order!.subtotalRp).toBe(98_900);
    expect(order!.deliveryFeeRp).toBe(0);
    expect(order!.totalRp).toBe(98_900);
    expect(order!.status).toBe('new');
    expect(order!.channel).toBe('whatsapp');
    expect(order!.fulfilment.method).toBe('pickup');
    expect(order!.payment).toMatchObject({ method: 'cod', status: 'pending' });
    expect(order!.items).toEqual([
      { productId: 'BERAS-MED', name: 'Beras Medium', unit: 'kg', quantity: 5, unitPriceRp: 13_500, lineTotalRp: 67_500 },
      { productId: 'MINYAKITA', name: 'Minyak Goreng MinyaKita', unit: 'liter', quantity: 2, unitPriceRp: 15_700, lineTotalRp: 31_400 },
    ]);
    expect(order!.history.map((change) => change.status)).toEqual(['new']);
    expect(await chat.stockOf('BERAS-MED')).toBe(berasBefore - 5);

    // The cart is gone: the next "ya" places nothing.
    await chat.send(BUDI, 'ya');
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(1);
  });

  test('the cart can be changed with tambah, kurangi, hapus and ganti … aja', async () => {
    await chat.send(BUDI, 'beras 2 kg, gula 1 kg, minyak 2 liter');
    let reply = (await chat.send(BUDI, 'tambah telur 5 butir')).join('\n');
    expect(reply).toContain('Telur Ayam Ras 5 butir = Rp10.000');
    reply = (await chat.send(BUDI, 'kurangi telur 2 butir')).join('\n');
    expect(reply).toContain('Telur Ayam Ras 3 butir = Rp6.000');
    reply = (await chat.send(BUDI, 'hapus gula')).join('\n');
    expect(reply).toContain('Gula Pasir dihapus dari keranjang');
    expect(reply).not.toContain('Gula Pasir 1 kg');
    reply = (await chat.send(BUDI, 'ganti minyak 1 liter aja')).join('\n');
    expect(reply).toContain('Minyak Goreng MinyaKita 1 liter = Rp15.700');
    expect(reply).not.toContain('2 liter');
    // 2 kg beras 27.000 + 3 butir 6.000 + 1 liter 15.700
    expect(reply).toContain('Subtotal: Rp48.700');
    const session = await chat.models.Session.findOne({ phone: BUDI }).lean();
    // A changed line keeps its place in the cart.
    expect(session!.cart).toEqual([
      { productId: 'BERAS-MED', unit: 'kg', quantity: 2 },
      { productId: 'MINYAKITA', unit: 'liter', quantity: 1 },
      { productId: 'TELUR', unit: 'butir', quantity: 3 },
    ]);
    expect((await chat.send(BUDI, 'batal')).join('\n')).toContain('keranjang dikosongkan');
    expect((await chat.models.Session.findOne({ phone: BUDI }).lean())!.cart).toEqual([]);
  });

  test('removing or reducing something that is not in the cart says so and changes nothing', async () => {
    await chat.send(BUDI, 'beras 2 kg');
    expect((await chat.send(BUDI, 'hapus gula')).join('\n')).toContain('Gula Pasir tidak ada di keranjang');
    expect((await chat.send(BUDI, 'kurangi bawang merah setengah kilo')).join('\n')).toContain('Bawang Merah tidak ada di keranjang');
    const session = await chat.models.Session.findOne({ phone: BUDI }).lean();
    expect(session!.cart).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 2 }]);
    await chat.send(BUDI, 'batal');
  });

  test('an ambiguous product is asked about and answered by digit or by name', async () => {
    const question = (await chat.send(BUDI, 'bawang 1 kg')).join('\n');
    expect(question).toContain('1. Bawang Merah');
    expect(question).toContain('2. Bawang Putih');
    const byDigit = (await chat.send(BUDI, '2')).join('\n');
    expect(byDigit).toContain('Bawang Putih 1 kg = Rp38.000');

    await chat.send(BUDI, 'tambah bawang 2 ons');
    const byName = (await chat.send(BUDI, 'bawang merah')).join('\n');
    expect(byName).toContain('Bawang Merah 2 ons = Rp8.000');
    expect(byName).toContain('Bawang Putih 1 kg = Rp38.000');
    await chat.send(BUDI, 'batal');
  });

  test('a distinguishing word answers the question; "hapus bawang" needs no question when only one is in the cart', async () => {
    await chat.send(BUDI, 'bawang 2 ons');
    expect((await chat.send(BUDI, 'yang merah')).join('\n')).toContain('Bawang Merah 2 ons = Rp8.000');
    await chat.send(BUDI, 'beras 1 kg');
    const removed = (await chat.send(BUDI, 'hapus bawang')).join('\n');
    expect(removed).not.toContain('yang mana');
    expect(removed).not.toContain('Bawang');
    expect((await chat.models.Session.findOne({ phone: BUDI }).lean())!.cart).toEqual([{ productId: 'BERAS-MED', unit: 'kg', quantity: 1 }]);
    await chat.send(BUDI, 'batal');
  });

  test('an answer that does not resolve the question drops it instead of trapping the resident', async () => {
    await chat.send(BUDI, 'beras 1 kg');
    expect((await chat.send(BUDI, 'bawang 1 kg')).join('\n')).toContain('yang mana');
    const moved = (await chat.send(BUDI, 'ambil')).join('\n');
    expect(moved).toContain('"bawang" tidak saya masukkan');
    expect(moved).toContain('Diambil atau diantar?');
    expect((await chat.send(BUDI, 'ambil')).join('\n')).toContain('Bayar pakai apa?');
    await chat.send(BUDI, 'batal');
  });

  test('unknown products and unsold units are explained without guessing', async () => {
    const reply = (await chat.send(BUDI, 'durian 2 kg')).join('\n');
    expect(reply).toContain('"durian" belum ada di gerai kami');
    const unit = (await chat.send(BUDI, 'beras 1 ikat')).join('\n');
    expect(unit).toContain('Beras Medium tidak dijual per');
    expect(unit).toContain('Rp13.500/kg');
    expect((await chat.models.Session.findOne({ phone: BUDI }).lean())!.cart).toEqual([]);
  });

  test('buying by money: measured units get a fractional quantity, countable units round down and say so', async () => {
    let reply = (await chat.send(BUDI, 'minyak 10 ribu')).join('\n');
    // 10.000 / 15.700 = 0,637 liter; the line total is the amount.
    expect(reply).toContain('Minyak Goreng MinyaKita 0,637 liter = Rp10.000');
    reply = (await chat.send(BUDI, 'telur 5 ribu')).join('\n');
    // Telur's first measured unit is kg: 5.000 / 30.000 kg.
    expect(reply).toContain('Telur Ayam Ras 0,167 kg = Rp5.000');
    reply = (await chat.send(BUDI, 'garam 10 ribu')).join('\n');
    // Garam is sold per bungkus at Rp3.000: three bungkus, and the resident is told.
    expect(reply).toContain('Garam Beryodium 250 g 3 bungkus = Rp9.000');
    expect(reply).toContain('kami hitung 3 bungkus');
    await chat.send(BUDI, 'ambil');
    await chat.send(BUDI, '1');
    await chat.send(BUDI, 'ya');
    const order = await latestOrder(BUDI);
    expect(order!.items.find((item) => item.productId === 'MINYAKITA')).toMatchObject({ quantity: 0.637, lineTotalRp: 10_000 });
    expect(order!.subtotalRp).toBe(10_000 + 5_000 + 9_000);
  });

  test('browse by category with numbered choices, delivery to a new address, then the remembered one', async () => {
    const categories = (await chat.send(BUDI, 'mau pesan')).join('\n');
    expect(categories).toContain('1. beras');
    const products = (await chat.send(BUDI, '1')).join('\n');
    expect(products).toContain('1. Beras Medium: Rp13.500/kg');
    expect((await chat.send(BUDI, '2')).join('\n')).toContain('Berapa *Beras Premium*');
    expect((await chat.send(BUDI, '3 kg')).join('\n')).toContain('Beras Premium 3 kg = Rp44.700');
    expect((await chat.send(BUDI, '2')).join('\n')).toContain('Ke alamat mana');
    await chat.send(BUDI, 'Jl. Kenanga No. 5 RT 02, dekat masjid');
    const summary = (await chat.send(BUDI, '2')).join('\n');
    expect(summary).toContain('Ongkir: Rp5.000');
    expect(summary).toContain('Total: Rp49.700');
    expect(summary).toContain('Jl. Kenanga No. 5 RT 02, dekat masjid');
    expect((await chat.send(BUDI, 'iya')).join('\n')).toContain('BRI 0123-01-000123-50-9');
    const order = await latestOrder(BUDI);
    expect(order).toMatchObject({ subtotalRp: 44_700, deliveryFeeRp: 5_000, totalRp: 49_700, fulfilment: { method: 'delivery', address: 'Jl. Kenanga No. 5 RT 02, dekat masjid' }, payment: { method: 'transfer' } });
    expect((await chat.models.Contact.findOne({ phone: BUDI }).lean())!.lastAddress).toBe('Jl. Kenanga No. 5 RT 02, dekat masjid');

    await chat.send(BUDI, 'gula 1 kg');
    const offer = (await chat.send(BUDI, 'antar')).join('\n');
    expect(offer).toContain('Jl. Kenanga No. 5 RT 02, dekat masjid');
    expect((await chat.send(BUDI, 'ya')).join('\n')).toContain('Bayar pakai apa?');
    await chat.send(BUDI, 'qris');
    await chat.send(BUDI, 'ok');
    expect((await latestOrder(BUDI))!.fulfilment.address).toBe('Jl. Kenanga No. 5 RT 02, dekat masjid');
  });

  test('a member pays from sukarela savings: ledger debit in the order transaction; not enough balance is refused', async () => {
    await chat.send(SITI, 'beras 5 kg');
    await chat.send(SITI, '1');
    const options = (await chat.send(SITI, 'x')).join('\n');
    expect(options).toContain('Balas dengan angka cara bayar');
    const payment = (await chat.send(SITI, 'menu')).join('\n');
    expect(payment).toContain('1. Pesan sembako');
    // Back to the cart by typing an item, then through to payment.
    await chat.send(SITI, 'gula 1 kg');
    const paymentOptions = (await chat.send(SITI, 'ambil')).join('\n');
    expect(paymentOptions).toContain('4. Potong simpanan sukarela (saldo Rp250.000)');
    await chat.send(SITI, '4');
    const placed = (await chat.send(SITI, 'betul')).join('\n');
    expect(placed).toContain('dipotong dari simpanan sukarela');
    const order = await latestOrder(SITI);
    expect(order).toMatchObject({ totalRp: 85_000, payment: { method: 'simpanan', status: 'paid' } });
    const member = await chat.models.Member.findOne({ phone: SITI }).lean();
    expect(member!.balances.sukarelaRp).toBe(250_000 - 85_000);
    expect(await deriveBalancesFromLedger(chat.models, member!._id)).toEqual(member!.balances);
    const debit = await chat.models.SavingsEntry.findOne({ memberId: member!._id, orderNumber: order!.number }).lean();
    expect(debit).toMatchObject({ type: 'sukarela', amountRp: -85_000 });

    // 20 kg premium beras = Rp298.000 > Rp165.000 left.
    await chat.send(SITI, 'beras premium 20 kg');
    await chat.send(SITI, 'ambil');
    const refused = (await chat.send(SITI, 'potong simpanan')).join('\n');
    expect(refused).toContain('belum cukup');
    await chat.send(SITI, 'batal');
  });

  test('LPG 3 kg: one tabung per order (applied in the cart) and per household per day (checked at confirmation)', async () => {
    const before = await chat.models.Order.countDocuments({ phone: BUDI });
    const stockBefore = await chat.stockOf('LPG-3KG');
    expect((await chat.send(BUDI, 'gas 2 tabung')).join('\n')).toContain('LPG 3 kg paling banyak 1 tabung per pesanan, jadi saya masukkan 1 tabung');
    await chat.send(BUDI, 'ambil');
    await chat.send(BUDI, 'cod');
    expect((await chat.send(BUDI, 'ya')).join('\n')).toContain('kami terima');
    expect(await chat.stockOf('LPG-3KG')).toBe(stockBefore - 1);
    await chat.send(BUDI, 'gas 1 tabung');
    await chat.send(BUDI, 'ambil');
    await chat.send(BUDI, 'cod');
    expect((await chat.send(BUDI, 'ya')).join('\n')).toContain('per rumah tangga per hari');
    expect(await chat.models.Order.countDocuments({ phone: BUDI })).toBe(before + 1);
    await chat.send(BUDI, 'batal');
  });

  test('stock is checked at confirmation and nothing is taken when it is short', async () => {
    await chat.models.Product.updateOne({ coopId: chat.coopId, productId: 'AYAM' }, { $set: { stock: 2 } });
    await chat.send(BUDI, 'ayam 3 kg');
    await chat.send(BUDI, 'ambil');
    await chat.send(BUDI, 'cod');
    const counterBefore = await chat.models.Counter.findById(`${chat.coopId}:order`).lean();
    expect((await chat.send(BUDI, 'ya')).join('\n')).toContain('stok Daging Ayam Ras tinggal 2 kg');
    expect(await chat.stockOf('AYAM')).toBe(2);
    // The transaction rolled back: the order number was not used up.
    expect((await chat.models.Counter.findById(`${chat.coopId}:order`).lean())!.seq).toBe(counterBefore!.seq);
    await chat.send(BUDI, 'batal');
  });
});
