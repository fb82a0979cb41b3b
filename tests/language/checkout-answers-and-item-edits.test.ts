import { describe, expect, test } from '@jest/globals';
import { demoCatalog } from '../../src/demo/catalog.js';
import { createCatalog } from '../../src/language/catalog.js';
import { understand } from '../../src/language/understand.js';

const catalog = createCatalog(demoCatalog);

describe('checkout answers given anywhere in a message', () => {
  test.each([
    ['minyak 2 liter sama gula 1 kg, dianter ke Jl. Kenanga No. 7 ya, bayar tf', { fulfilment: 'delivery', address: 'Jl. Kenanga No. 7', payment: 'transfer' }],
    ['dianter ya ke jl. melati no 3 rt 05', { fulfilment: 'delivery', address: 'jl. melati no 3 rt 05' }],
    ['kirim ke rumah bu Ani dekat masjid, bayar di tempat', { fulfilment: 'delivery', address: 'rumah bu Ani dekat masjid', payment: 'cod' }],
    ['alamat: Perum Griya Indah Blok C2 no 5', { address: 'Perum Griya Indah Blok C2 no 5' }],
    ['antar ke rumah ya, jl. bukit tinggi no 17', { fulfilment: 'delivery', address: 'jl. bukit tinggi no 17' }],
    ['Jl. Kenanga No. 5 RT 02 - dekat masjid "Al-Ikhlas"', { address: 'Jl. Kenanga No. 5 RT 02 - dekat masjid "Al-Ikhlas"' }],
    ['beras 5kg antar ke Jl. Gula Batu 3 cod', { fulfilment: 'delivery', address: 'Jl. Gula Batu 3', payment: 'cod' }],
    ['ambl sndiri', { fulfilment: 'pickup' }],
    ['gak usah dianter, ambil aja', { fulfilment: 'pickup' }],
    ['ga bisa tf, cod aja', { payment: 'cod' }],
    ['bayar pas nyampe aja', { payment: 'cod' }],
    ['transfer bri ya', { payment: 'transfer' }],
    ['potong simpanan', { payment: 'simpanan' }],
    ['pake qris', { payment: 'qris' }],
  ])('%j', (text, expected) => {
    const { fulfilment, address, payment } = understand(text, catalog);
    expect({ fulfilment, address, payment }).toEqual({ fulfilment: undefined, address: undefined, payment: undefined, ...expected });
  });

  test.each([
    'bisa qris?',
    'bisa dianter gak?',
    'kapan dikirim?',
    'cek saldo simpanan',
    'ambil 2 kg beras',
    'mau ambil yang premium',
    'rumah saya',
    // A menu choice, and a question about a delivery on its way, are not addresses.
    'no 2',
    'kurir udah jalan belum',
  ])('%j answers nothing', (text) => {
    const { fulfilment, address, payment } = understand(text, catalog);
    expect({ fulfilment, address, payment }).toEqual({ fulfilment: undefined, address: undefined, payment: undefined });
  });

  test('a street named after a product is the address, not an item', () => {
    const result = understand('beras 5kg antar ke Jl. Gula Batu 3 cod', catalog);
    expect(result.items.map((item) => item.productId)).toEqual(['BERAS-MED']);
  });

  test('a house number ("No. 7") is not a refusal', () => {
    expect(understand('dianter ke Jl. Kenanga No. 7', catalog).confirmation).toBeUndefined();
  });
});

describe('how each item edits the cart', () => {
  const marks = (text: string) => understand(text, catalog).items.map(({ productId, edit, exact, replaces }) => ({ productId, edit, exact, replaces }));

  test.each([
    ['gulanya jadi 2 kg, berasnya tetep', [{ productId: 'GULA', exact: true }, { productId: 'BERAS-MED' }]],
    ['eh galonnya 2 aja, sama tambah gas 1', [{ productId: 'AIR-GALON', exact: true }, { productId: 'LPG-3KG', edit: 'add' }]],
    ['beras 2 kg sama gula 1 kg aja', [{ productId: 'BERAS-MED' }, { productId: 'GULA', exact: true }]],
    ['bukan kecap, maksudnya skm', [{ productId: 'SKM', exact: true, replaces: 'KECAP' }]],
    ['ganti kecap jadi skm', [{ productId: 'SKM', edit: 'replace', exact: true, replaces: 'KECAP' }]],
    // One product named: the cart decides which line of its kind it replaces.
    ['ganti yang premium aja', [{ productId: 'BERAS-PREMIUM', edit: 'replace', exact: true }]],
    ['minyaknya ga jadi', [{ productId: 'MINYAKITA', edit: 'remove' }]],
    ['lho maaf, maksudnya gula bukan terigu', [{ productId: 'GULA', exact: true, replaces: 'TERIGU' }]],
    ['eh beras medium aja 5 kilo, jgn sphp', [{ productId: 'BERAS-MED', exact: true, replaces: 'BERAS-SPHP' }]],
    ['hapus gula sama telur', [{ productId: 'GULA', edit: 'remove' }, { productId: 'TELUR', edit: 'remove' }]],
  ])('%j', (text, expected) => {
    expect(marks(text)).toEqual(expected.map((mark) => ({ edit: undefined, exact: undefined, replaces: undefined, ...mark })));
  });

  test('"minyaknya ga jadi" is a cart edit, not a cancellation; "gak jadi pesen" still cancels', () => {
    expect(understand('minyaknya ga jadi', catalog).intent).toBe('order');
    expect(understand('gak jadi pesen', catalog).intent).toBe('cancel');
    expect(understand('batal pesanan beras tadi', catalog).intent).toBe('cancel');
  });
});

describe('questions about the shop', () => {
  test.each([
    ['ongkirnya berapa?', 'delivery_fee'],
    ['ongkos kirim brp kak', 'delivery_fee'],
    ['buka sampai jam berapa kak?', 'opening_hours'],
    ['bisa qris?', 'payment_options'],
    ['rekeningnya apa kak', 'bank_account'],
    ['no rek nya apa kak?', 'bank_account'],
    ['rekening bri nya brp kak?', 'bank_account'],
    ['kalo udh pesen bisa dibatalin ga nanti?', 'cancellation'],
  ])('%j asks about %s', (text, topic) => {
    expect(understand(text, catalog).asks).toBe(topic);
  });

  test.each(['bisa dianter jam 4?', 'gula berapa?', 'ongkir'])('%j is not a question about the shop', (text) => {
    expect(understand(text, catalog).asks).toBeUndefined();
  });
});

test('"oke gas" is a go-ahead, not a cylinder of LPG; "ok gas 1 tabung" is', () => {
  const goAhead = understand('oke gas', catalog);
  expect(goAhead.items).toEqual([]);
  expect(goAhead.reply).toEqual({ yes: true });
  expect(understand('ok gas 1 tabung', catalog).items.map((item) => item.productId)).toEqual(['LPG-3KG']);
});

test.each(['👍', '👍🏽 kak', 'yaudah gpp, iya pesen', 'nggih', 'iya sesuai'])('%j is a yes', (text) => {
  expect(understand(text, catalog).reply).toEqual({ yes: true });
});

test('"yaudah gak jadi" is no yes', () => {
  expect(understand('yaudah gak jadi', catalog).reply).toBeUndefined();
});

describe('an amount on its own, for the product the conversation asked about', () => {
  test.each([
    ['mau 2 papan ya kak', { value: 2, unit: 'papan' }],
    ['setengah kilo aja', { value: 0.5, unit: 'kg' }],
    ['3', { value: 3 }],
    ['ceban', { value: 10_000, amountRp: 10_000 }],
  ])('%j', (text, amount) => {
    expect(understand(text, catalog).amount).toEqual(amount);
  });

  test.each(['jl melati 3', 'ok makasih', 'beras 2 kg', 'rumah no 5 dekat masjid'])('%j is no amount', (text) => {
    expect(understand(text, catalog).amount).toBeUndefined();
  });
});

test('address words, and references to an order already placed, are fields of the understanding', () => {
  expect(understand('rumah bu ani dekat masjid', catalog).readsAsAddress).toBe(true);
  expect(understand('tidak', catalog).readsAsAddress).toBeUndefined();
  expect(understand('batalkan pesanan yang tadi', catalog).refersToPlacedOrder).toBe(true);
  expect(understand('batal 1021', catalog).refersToPlacedOrder).toBe(true);
  expect(understand('batal', catalog).refersToPlacedOrder).toBeUndefined();
});

test('a question about cancelling cancels nothing; a request to cancel does', () => {
  expect(understand('kalo udh pesen bisa dibatalin ga nanti?', catalog).intent).not.toBe('cancel');
  expect(understand('batalin aja', catalog).intent).toBe('cancel');
});

test('"berat" (heavy) is a word, not a typo for beras', () => {
  expect(understand('eh dianter aja deh, berat', catalog).items).toEqual([]);
});

describe('amounts and varieties as residents write them', () => {
  test.each([
    ['half a kilo of rice', [{ productId: 'BERAS-MED', unit: 'kg', quantity: 0.5 }]],
    ['3 liters of cooking oil', [{ productId: 'MINYAKITA', unit: 'liter', quantity: 3 }]],
    ['i want 2 trays of eggs', [{ productId: 'TELUR', unit: 'papan', quantity: 2 }]],
    ['2 cans of condensed milk', [{ productId: 'SKM', unit: 'kaleng', quantity: 2 }]],
    ['water gallon 2', [{ productId: 'AIR-GALON', unit: 'galon', quantity: 2 }]],
    // A variety after the amount, or before the product in English, qualifies the one line.
    ['beras 5 kg yang premium', [{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 5 }]],
    ['premium rice 5 kg', [{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 5 }]],
    ['bawang 1 kg yang merah', [{ productId: 'BAWANG-MERAH', unit: 'kg', quantity: 1 }]],
  ])('%j', (text, expected) => {
    expect(understand(text, catalog).items.map(({ productId, ...rest }) => ({ productId, unit: 'unit' in rest ? rest.unit : undefined, quantity: 'quantity' in rest ? rest.quantity : undefined }))).toEqual(expected);
  });

  test.each(['has my order been sent?', 'when will my order be delivered'])('%j asks for the status', (text) => {
    expect(understand(text, catalog).intent).toBe('status');
  });
});

test('"ga jadi premium, yang biasa aja" swaps the rice back; "gak jadi pesen beras" still cancels', () => {
  const swap = understand('ga jadi premium, yang biasa aja', catalog);
  expect(swap.intent).toBe('order');
  expect(swap.items).toMatchObject([{ productId: 'BERAS-MED', replaces: 'BERAS-PREMIUM' }]);
  expect(understand('gak jadi pesen beras', catalog).intent).toBe('cancel');
});

test.each(["I'll pick it up", 'nanti saya pick up'])('%j collects at the shop', (text) => {
  expect(understand(text, catalog).fulfilment).toBe('pickup');
});

test.each([
  ['ganti alamat', 'address'],
  ['ubah pembayaran kak', 'payment'],
])('%j asks to change the %s', (text, topic) => {
  expect(understand(text, catalog).changeRequest).toBe(topic);
});

test('"alamatnya salah, jl melati 7" gives the new address rather than asking to change it', () => {
  const result = understand('alamatnya salah, jl melati 7', catalog);
  expect(result.address).toBe('jl melati 7');
  expect(result.changeRequest).toBeUndefined();
});

describe('an item spoken of across clauses', () => {
  test.each([
    // The amount in the next clause is the amount meant, whatever word judged the line.
    ['ayamnya kurang, harusnya 1,5 kg', [{ productId: 'AYAM', unit: 'kg', quantity: 1.5, exact: true }]],
    ['telornya kebanyakan, 5 butir aja', [{ productId: 'TELUR', unit: 'butir', quantity: 5, exact: true }]],
    // "yang premium" alone names the variety of the rice before it; "yang putih" only describes the sugar.
    ['berasnya 5 kg ya, yg premium', [{ productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 5 }]],
    ['gula 1 kg, yang putih', [{ productId: 'GULA', unit: 'kg', quantity: 1 }]],
    ['mie 2 bungkus, yg goreng', [{ productId: 'MIE-INSTAN', unit: 'bungkus', quantity: 2 }]],
    ['eh berasnya ganti medium aja, yg premium mahal', [{ productId: 'BERAS-MED' }]],
    // With an amount or "juga" it is another item.
    ['beras 5 kg, yang premium 2 kg', [{ productId: 'BERAS-MED', quantity: 5 }, { productId: 'BERAS-PREMIUM', quantity: 2 }]],
    ['beras premium 2 kg, yang medium juga', [{ productId: 'BERAS-PREMIUM', quantity: 2 }, { productId: 'BERAS-MED' }]],
    // "X-nya ganti Y": Y replaces X.
    ['baputnya ganti bamer aja kak', [{ productId: 'BAWANG-MERAH', replaces: 'BAWANG-PUTIH' }]],
    ['bawang merahnya ganti bawang putih ya, sama 1 ons', [{ productId: 'BAWANG-PUTIH', unit: 'ons', quantity: 1, replaces: 'BAWANG-MERAH' }]],
    // A reason in another clause ("udah beli tadi") does not make it a placed order.
    ['gasnya ga jadi deh kak, udah beli tadi', [{ productId: 'LPG-3KG', edit: 'remove' }]],
    ['susunya dicoret aja', [{ productId: 'SKM', edit: 'remove' }]],
  ])('%j', (text, items) => {
    const result = understand(text, catalog);
    expect(result.intent).toBe('order');
    expect(result.items).toMatchObject(items);
    expect(result.items).toHaveLength(items.length);
  });

  test('"bukan 3, 2 aja" corrects the amount to 2', () => {
    expect(understand('bukan 3, 2 aja kak', catalog).quantityCorrection).toEqual({ value: 2 });
  });
});

describe('words written the way people text', () => {
  test.each([
    ['tlr 1 kg', 'TELUR'],
    ['mnyk 2 ltr', 'MINYAKITA'],
    ['brs 5 kg', 'BERAS-MED'],
    ['one 3 kg LPG cylinder', 'LPG-3KG'],
    ['1 sack of SPHP rice', 'BERAS-SPHP'],
    ['1 box of tea bags', 'TEH-CELUP'],
    ['2 gallons of drinking water please', 'AIR-GALON'],
  ])('%j orders %s and nothing else', (text, productId) => {
    const result = understand(text, catalog);
    expect(result.items.map((item) => item.productId)).toEqual([productId]);
    expect(result.clarifications).toEqual([]);
    expect(result.looseAmount).toBeUndefined();
  });

  test.each(['Do you sell bread?', 'do you have cigarettes?'])('%j asks about goods the shop does not sell', (text) => {
    const result = understand(text, catalog);
    expect(result.intent).toBe('price');
    expect(result.unsoldGoods).toHaveLength(1);
  });

  test('"can I get …?" orders rather than asks the price', () => {
    expect(understand('Hello, can I get 1 tray of eggs and 2 liters of cooking oil?', catalog).intent).toBe('order');
  });

  test.each([
    ['please deduct it from my savings', 'simpanan'],
    ['pay with my savings', 'simpanan'],
    ['byr ditmpt', 'cod'],
  ])('%j pays by %s', (text, payment) => {
    expect(understand(text, catalog).payment).toBe(payment);
  });

  test.each(['cek simpanan', 'check my savings', 'bisa bayar pake simpanan?'])('%j is not a payment that leaves the balance question', (text) => {
    const result = understand(text, catalog);
    expect(result.intent === 'balance' || result.asks === 'payment_options').toBe(true);
  });
});

describe('fourth-set rules', () => {
  test('"minyak tiga liter, eh bukan, dua liter saja" keeps the corrected amount', () => {
    expect(understand('mau pesan minyak goreng tiga liter, eh bukan, dua liter saja bu, sama gula sekilo', catalog).items).toMatchObject([
      { productId: 'MINYAKITA', unit: 'liter', quantity: 2 },
      { productId: 'GULA', unit: 'kg', quantity: 1 },
    ]);
  });

  test('an edit word after an item outranks one carried from the clause before', () => {
    expect(understand('gulanya kurangi satu kilo, terigunya tambah satu kilo', catalog).items).toMatchObject([
      { productId: 'GULA', edit: 'reduce' },
      { productId: 'TERIGU', edit: 'add' },
    ]);
    expect(understand('hapus gula, telur', catalog).items).toMatchObject([{ edit: 'remove' }, { edit: 'remove' }]);
  });

  test.each([
    ['kak, telor sekilo samo minyak goreng duo liter', [{ productId: 'TELUR', quantity: 1 }, { productId: 'MINYAKITA', quantity: 2 }]],
    ["1 ons of bird's eye chili", [{ productId: 'CABAI-RAWIT', unit: 'ons', quantity: 1 }]],
    ['one carton of Indomie', [{ productId: 'MIE-INSTAN', unit: 'dus', quantity: 1 }]],
  ])('%j', (text, items) => {
    expect(understand(text, catalog).items).toMatchObject(items);
  });

  test('the street and number after "ke rumah mertua" are kept with it', () => {
    expect(understand('antar ke rumah mertua ya: perum way halim permai blok h1 no 6', catalog).address).toContain('blok h1 no 6');
  });

  test('"kurangi 1 kg" with no product is an amount with its edit', () => {
    expect(understand('kurangi 1 kg', catalog)).toMatchObject({ edit: 'reduce', amount: { value: 1, unit: 'kg' } });
  });
});

describe('a yes with thanks and blessings', () => {
  test.each(['iya kak betul semua, terima kasih ya kak semoga berkah', 'iya bu sudah betul, matur nuwun', 'yo wis, lanjut mas', 'nggih mbak, monggo diproses', 'cus kak', 'sure'])('%j is a yes', (text) => {
    expect(understand(text, catalog).reply).toEqual({ yes: true });
  });

  test.each(['iya tapi ganti alamat ya kak terima kasih', 'iya kak betul semua tapi gulanya 2 kg ya terima kasih'])('%j is not a bare yes', (text) => {
    expect(understand(text, catalog).reply).toBeUndefined();
  });
});

describe('words that look like edits but are not', () => {
  test.each(['mohon maaf kalau tulisan saya kurang jelas', 'kaki saya lagi kurang sehat'])('%j edits nothing', (text) => {
    expect(understand(text, catalog).edit).toBeUndefined();
  });

  test('"harus" is not a typo of "hapus"', () => {
    expect(understand('ibu sudah tua jadi susah kalau harus jalan jauh. ibu pesan indomie satu dus', catalog).items).toMatchObject([{ productId: 'MIE-INSTAN', unit: 'dus', quantity: 1 }]);
    expect(understand('ibu sudah tua jadi susah kalau harus jalan jauh. ibu pesan indomie satu dus', catalog).items[0].edit).toBeUndefined();
  });

  test('"ga jadi, 2 kilo aja" corrects the amount instead of cancelling', () => {
    expect(understand('ga jadi, 2 kilo aja', catalog)).toMatchObject({ intent: 'order', quantityCorrection: { value: 2, unit: 'kg' } });
  });
});

describe('fifth-set rules', () => {
  test.each([
    ['cahs aja', 'cod'],
    ['byr ditmpat', 'cod'],
    ['qirs', 'qris'],
    ['bayar tunia', 'cod'],
    ['trasnfer', 'transfer'],
  ])('mistyped payment %j pays by %s', (text, payment) => {
    expect(understand(text, catalog).payment).toBe(payment);
  });

  test.each([
    ['kopi 2 rencneg', { productId: 'KOPI-SACHET', unit: 'renceng', quantity: 2 }],
    ['telor 1 papn', { productId: 'TELUR', unit: 'papan', quantity: 1 }],
    ['kopinya 1 renceng aja deh bukan sachet', { productId: 'KOPI-SACHET', unit: 'renceng', quantity: 1 }],
    ['pagi kak mau pesn berat 5kg', { productId: 'BERAS-MED', unit: 'kg', quantity: 5 }],
  ])('%j is read with the unit meant', (text, item) => {
    expect(understand(text, catalog).items).toMatchObject([item]);
  });

  test('a mistyped unit is read only after a number: "pick up" is not "pack"', () => {
    expect(understand("I'll pick it up", catalog)).toMatchObject({ fulfilment: 'pickup', clarifications: [] });
  });

  test('"eh salah, bawang putih maksudnya" is said as a correction', () => {
    expect(understand('eh salah, bawang putih maksudnya, 1 kg', catalog).items).toMatchObject([{ productId: 'BAWANG-PUTIH', corrects: true }]);
  });
});

describe('sixth-set rules', () => {
  test.each(['yoi sip mantul bg', 'Ya, ringkasan pesanan tersebut sudah benar, silakan diproses.', 'Iya, pesanan tersebut sudah benar.'])('%j is a yes', (text) => {
    expect(understand(text, catalog).reply).toEqual({ yes: true });
  });

  test('"Ya, saya yakin ingin membatalkan pesanan tersebut." confirms the cancellation', () => {
    expect(understand('Ya, saya yakin ingin membatalkan pesanan tersebut.', catalog).confirmation).toBe('yes');
  });

  test('"ganti jadi 20 bungkus aja, 1 dus kebanyakan" corrects to the amount after the cue', () => {
    expect(understand('eh actually ganti jadi 20 bungkus aja, 1 dus kebanyakan', catalog).quantityCorrection).toEqual({ value: 20, unit: 'bungkus' });
  });

  test('"susu kental manisnya saya ganti dengan kopi sachet dua renceng" swaps the line', () => {
    expect(understand('Maaf, susu kental manisnya saya ganti dengan kopi sachet dua renceng saja.', catalog).items).toMatchObject([
      { productId: 'KOPI-SACHET', unit: 'renceng', quantity: 2, replaces: 'SKM' },
    ]);
  });
});

describe('seventh- and eighth-set rules', () => {
  test.each([
    ["I'd like to order 2 liters of cooking oil and 1 kg of sugar", [{ productId: 'MINYAKITA', unit: 'liter', quantity: 2 }, { productId: 'GULA', unit: 'kg', quantity: 1 }]],
    ["OK I'll take 5 kg of the medium one", [{ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }]],
    // An English word the shop does not sell no longer takes the amount from the product named before it.
    ['kak literally gula aku abis, order 2 kg dong asap', [{ productId: 'GULA', unit: 'kg', quantity: 2 }]],
    ['brambang setengah kilo, lombok rawit 2 ons nggih', [{ productId: 'BAWANG-MERAH', unit: 'kg', quantity: 0.5 }, { productId: 'CABAI-RAWIT', unit: 'ons', quantity: 2 }]],
  ])('%j keeps every amount with its product', (text, items) => {
    const understood = understand(text, catalog);
    expect(understood.items).toMatchObject(items);
    expect(understood.clarifications).toEqual([]);
    expect(understood.looseAmount).toBeUndefined();
  });

  test('"kalo bawang putih?" asks its price; it orders nothing', () => {
    expect(understand('kalo bawang putih?', catalog).intent).toBe('price');
  });

  test('"oke yg tadi satu papan ya" gives an amount for the product just asked about', () => {
    expect(understand('oke yg tadi satu papan ya', catalog).amount).toEqual({ value: 1, unit: 'papan' });
  });

  test('"tambah 5 lagi jadi 10" corrects the amount to the total it names', () => {
    expect(understand('eh tambah 5 lagi deh jadi 10', catalog).quantityCorrection).toEqual({ value: 10 });
    expect(understand('tambah 5 bungkus lagi jadi 10', catalog).quantityCorrection).toEqual({ value: 10, unit: 'bungkus' });
  });

  test.each(['Pay at the store', "I'll pay on delivery", 'pay in cash'])('%j pays cash', (text) => {
    expect(understand(text, catalog).payment).toBe('cod');
  });
});

describe('a yes in a clause of its own after small talk', () => {
  test.each(['sudah kak, suami setuju. jadi pesan ya', 'kata suami jadi kak, lanjut', 'ok makasih, jadi pesan ya', 'jadi kak'])('%j is a yes', (text) => {
    expect(understand(text, catalog).reply).toEqual({ yes: true });
  });

  test.each(['belum kak, suami belum setuju', 'tunggu ya, ok', 'alamatnya jl melati 5, lanjut', 'minyaknya 1 aja, ok', 'bisa diantar jam 5?, ok', 'jadi 2 kg'])('%j is not', (text) => {
    expect(understand(text, catalog).reply?.yes).toBeUndefined();
  });
});

describe('ninth-set rules: what a careless reading would store', () => {
  test.each([
    ['di rumah masih ada beras, cuma butuh minyak 2 liter', [{ productId: 'MINYAKITA', unit: 'liter', quantity: 2 }]],
    ['beras masih 3 kg, minyak 1 liter aja', [{ productId: 'MINYAKITA', unit: 'liter', quantity: 1 }]],
    ['minyak di rumah masih 2 liter, cukup. gula yang habis, 2 kg ya', [{ productId: 'GULA', unit: 'kg', quantity: 2 }]],
    ['masih ada gula, kopi 1 renceng', [{ productId: 'KOPI-SACHET', unit: 'renceng', quantity: 1 }]],
    ['kopi 1 renceng, teh celup 1 kotak. susu jangan deh, lagi mahal', [{ productId: 'KOPI-SACHET' }, { productId: 'TEH-CELUP' }, { productId: 'SKM', edit: 'remove' }]],
    ['berasnya 10 kg bukan 5', [{ productId: 'BERAS-MED', unit: 'kg', quantity: 10 }]],
    ['beras jangan yang premium ya, 5 kg', [{ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }]],
    ['minyak yang 15rb an itu 2 liter ya', [{ productId: 'MINYAKITA', unit: 'liter', quantity: 2 }]],
    ['kemarin beli telor 2 papan udah abis, sekarang 1 papan aja ya', [{ productId: 'TELUR', unit: 'papan', quantity: 1 }]],
  ])('%j', (text, items) => {
    expect(understand(text, catalog).items).toMatchObject(items);
  });

  test.each(['beras masih ada?', 'telur masih ada ga kak'])('%j still asks about the goods', (text) => {
    const understood = understand(text, catalog);
    expect(understood.intent).toBe('price');
    expect(understood.items).toHaveLength(1);
  });

  test('"gula yang 20rb aja" is still twenty thousand worth', () => {
    expect(understand('gula yang 20rb aja', catalog).items).toMatchObject([{ productId: 'GULA', amountRp: 20000 }]);
  });

  test('"Perum Telaga Garam blok A2 no 5" is an address, not salt', () => {
    const understood = understand('beras 10 kg antar ke Perum Telaga Garam blok A2 no 5', catalog);
    expect(understood.address).toBe('Perum Telaga Garam blok A2 no 5');
    expect(understood.items).toMatchObject([{ productId: 'BERAS-MED', quantity: 10 }]);
  });

  test.each(['hapus aja kak, mulai dari awal', 'hapus semua'])('%j empties the cart (a cancel)', (text) => {
    expect(understand(text, catalog).intent).toBe('cancel');
  });

  test('"yang pesanan beras tadi batalin" names the goods of the order to cancel', () => {
    expect(understand('yang pesanan beras tadi batalin ya kak', catalog)).toMatchObject({ intent: 'cancel', orderGoods: ['BERAS-MED', 'BERAS-PREMIUM', 'BERAS-SPHP'] });
  });

  test('"maaf dobel, 1 papan aja" corrects the amount', () => {
    expect(understand('maaf dobel, 1 papan aja', catalog).quantityCorrection).toEqual({ value: 1, unit: 'papan' });
  });
});

describe('tenth-set rules', () => {
  test.each([
    ['punten teh, abdi bade meser gula sakilo sareng minyak 2 liter', [{ productId: 'GULA', unit: 'kg', quantity: 1 }, { productId: 'MINYAKITA', unit: 'liter', quantity: 2 }]],
    ['mbak, kulo badhe tumbas gulo 2 kilo kalih teh sariwangi 1 kotak', [{ productId: 'GULA', unit: 'kg', quantity: 2 }, { productId: 'TEH-CELUP', unit: 'kotak', quantity: 1 }]],
    ['horas lae, pesan la beras 10 kilo sama telor sapapan', [{ productId: 'BERAS-MED', unit: 'kg', quantity: 10 }, { productId: 'TELUR', unit: 'papan', quantity: 1 }]],
    ['bng psn gs melon 1 sm aqua galon 1', [{ productId: 'LPG-3KG', unit: 'tabung', quantity: 1 }, { productId: 'AIR-GALON', unit: 'galon', quantity: 1 }]],
    ['kak pesen telor 2 (dua) papan, beras 15 (lima belas) kilo', [{ productId: 'TELUR', unit: 'papan', quantity: 2 }, { productId: 'BERAS-MED', unit: 'kg', quantity: 15 }]],
    ['minyak 2 liter, beras 5 kg, bayar tf. eh berasnya premium ya', [{ productId: 'MINYAKITA', unit: 'liter', quantity: 2 }, { productId: 'BERAS-PREMIUM', unit: 'kg', quantity: 5 }]],
  ])('%j', (text, items) => {
    const understood = understand(text, catalog);
    expect(understood.items).toMatchObject(items);
    expect(understood.items).toHaveLength(items.length);
  });

  test('"gula 1 kg sama teh" still orders tea; only a lone "teh" after a greeting or a yes calls the shopkeeper', () => {
    expect(understand('gula 1 kg sama teh', catalog).items.map((item) => item.productId)).toEqual(['GULA', 'TEH-CELUP']);
    expect(understand('muhun teh', catalog).reply).toEqual({ yes: true });
  });

  test.each(['mama bilang bayar di rumah aja', 'bayar di gerai aja'])('%j pays cash', (text) => {
    expect(understand(text, catalog).payment).toBe('cod');
  });

  test.each(['mangke kulo pendhet dewe teng gerai', 'ambil dewek ke gerai'])('%j picks up', (text) => {
    expect(understand(text, catalog).fulfilment).toBe('pickup');
  });
});

describe('refusals written as one word or before a verb', () => {
  test.each(['ga usah pake gula', 'gulanya gausah'])('%j takes the sugar out; it never adds it', (text) => {
    expect(understand(text, catalog).items).toMatchObject([{ productId: 'GULA', edit: 'remove' }]);
  });

  test('"gausah dianter" asks for no delivery', () => {
    expect(understand('gausah dianter', catalog).fulfilment).toBeUndefined();
  });
});

test('"tapi gulanya nanti aja" puts the sugar off; "gula 1 kg nanti aja diantar" is about the delivery', () => {
  expect(understand('minyak 2 liter, gula 1 kg, tapi gulanya nanti aja', catalog).items.at(-1)).toMatchObject({ productId: 'GULA', edit: 'remove' });
  expect(understand('gula 1 kg nanti aja diantar', catalog).items).toMatchObject([{ productId: 'GULA', quantity: 1 }]);
  expect(understand('gula 1 kg nanti aja diantar', catalog).items[0].edit).toBeUndefined();
});

test.each(['gula, potong simpanan aja', 'gula 2 kg sama minyak 1 liter, ambil sendiri, potong simpanan aja'])('%j: "potong" pays from savings, it is not an amount of pieces', (text) => {
  const understood = understand(text, catalog);
  expect(understood.payment).toBe('simpanan');
  expect(understood.clarifications).toEqual([]);
  expect(understood.looseAmount).toBeUndefined();
});

describe('found by a resident trial', () => {
  test('"jangan dibatalin ya pesanannya" is no cancel', () => {
    expect(understand('jangan dibatalin ya pesanannya, kapan dianter?', catalog).intent).not.toBe('cancel');
  });

  test.each([
    ['bisa antar ke Jl. Kopi Luwak no 3 gak?', []],
    ['beras 5kg antar ke Jl. Gula Batu 3 cod', [{ productId: 'BERAS-MED', quantity: 5 }]],
  ])('%j: goods words naming a street are not ordered', (text, items) => {
    const understood = understand(text, catalog);
    expect(understood.items).toMatchObject(items);
    expect(understood.items).toHaveLength(items.length);
    expect(understood.looseAmount).toBeUndefined();
  });

  test('"ongkir ke jl gula batu brp mas?" asks the delivery fee', () => {
    expect(understand('ongkir ke jl gula batu brp mas?', catalog)).toMatchObject({ asks: 'delivery_fee', items: [] });
  });

  test.each([
    ['bu di rumah minyak msh ada 2 liter, gula abis. pesen gula 1 kg aja', [{ productId: 'GULA', unit: 'kg', quantity: 1 }]],
    ['kemarin beli beras 5 kg udah abis, pesan gula 1 kg', [{ productId: 'GULA', unit: 'kg', quantity: 1 }]],
    ['beras di rumah tinggal 1 kg, pesen 5 kg ya', [{ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }]],
    ['telurnya bukan 1 kg tapi 10 butir', [{ productId: 'TELUR', unit: 'butir', quantity: 10 }]],
    ['telur jgn 1kg, 10 butir aja', [{ productId: 'TELUR', unit: 'butir', quantity: 10 }]],
    ['beras 5kg ga usah diantar, ambil sendiri aja', [{ productId: 'BERAS-MED', unit: 'kg', quantity: 5 }]],
  ])('%j', (text, items) => {
    const understood = understand(text, catalog);
    expect(understood.items).toMatchObject(items);
    expect(understood.items).toHaveLength(items.length);
    expect(understood.items.every((item) => item.edit === undefined)).toBe(true);
  });

  test('"batal gulanya" takes the sugar out of the cart; it does not cancel everything', () => {
    expect(understand('batal gulanya', catalog)).toMatchObject({ intent: 'order', items: [{ productId: 'GULA', edit: 'remove' }] });
  });

  test.each(['cabenya gak usah bu, masih ada', 'kecapnya ga usah kak'])('%j drops the line', (text) => {
    expect(understand(text, catalog).items[0].edit).toBe('remove');
  });
});

test('"beras 5 kg untuk 3 orang di rumah": a count of people is no amount and no goods', () => {
  const understood = understand('beras 5 kg untuk 3 orang di rumah', catalog);
  expect(understood.clarifications).toEqual([]);
  expect(understood.looseAmount).toBeUndefined();
});

describe('when the goods are wanted and a number to call', () => {
  test.each([
    ['minyak 2 liter antar jam 10 pagi ya', { when: 'jam 10 pagi' }],
    ['gula 1kg dianter besok pagi aja, bayar cod', { when: 'besok pagi' }],
    ['kirim sore aja ya kak habis ashar', { when: 'sore habis ashar' }],
    ['telur 2 kg, jam 9-10 pagi dianter', { when: 'jam 9-10 pagi' }],
    ['ambil jam 4 sore ya', { when: 'jam 4 sore' }],
    ['bisa dianter jam 10?', { when: 'jam 10' }],
    ['beras 5 kg kirim ke jl melati no 3, no hp 081377712345', { contactPhone: '081377712345' }],
    ['wa saya +62 813-7771-2345', { contactPhone: '081377712345' }],
    ['ini nomor hp istri saya 0857 1234 5678 ya', { contactPhone: '085712345678' }],
  ])('%j', (text, expected) => {
    const { when, contactPhone } = understand(text, catalog);
    expect({ when, contactPhone }).toEqual({ when: undefined, contactPhone: undefined, ...expected });
  });

  test.each(['jam 7 udah buka?', 'selamat pagi kak, beras 5 kg diantar', 'besok aja deh', 'nanti aja', 'beras 5 kg'])('%j says neither', (text) => {
    const { when, contactPhone } = understand(text, catalog);
    expect({ when, contactPhone }).toEqual({ when: undefined, contactPhone: undefined });
  });

  test('a time is no amount, and a phone number is no house number, order number or "no"', () => {
    const timed = understand('minyak 2 liter antar jam 10 pagi ya', catalog);
    expect(timed.items).toEqual([{ productId: 'MINYAKITA', unit: 'liter', quantity: 2 }]);
    expect(timed.looseAmount).toBeUndefined();
    const called = understand('beras 5 kg kirim ke jl melati no 3, no hp 081377712345', catalog);
    expect(called.address).toBe('jl melati no 3');
    expect(called.refersToPlacedOrder).toBeUndefined();
    const alone = understand('nomor saya 0813 7771 2345', catalog);
    expect(alone.reply).toBeUndefined();
    expect(alone.confirmation).toBeUndefined();
  });
});

describe('eleventh-set messages', () => {
  test('"tadinya mau telor jg tp gk jadi" beside an order drops the eggs, it cancels nothing', () => {
    const result = understand('mau pesen gula 1 kg, garam 2 bungkus. tadinya mau telor jg tp gk jadi', catalog);
    expect(result.intent).toBe('order');
    expect(result.items.filter((item) => item.edit !== 'remove').map((item) => item.productId)).toEqual(['GULA', 'GARAM']);
  });

  test('goods judged ("premium kemahalan") are not ordered; a price question about them still asks', () => {
    expect(understand('eh yg medium aja kak, premium kemahalan', catalog).items.map((item) => item.productId)).toEqual(['BERAS-MED']);
    expect(understand('yg premium mahal ya, medium aja 5 kg', catalog).items.map((item) => item.productId)).toEqual(['BERAS-MED']);
    expect(understand('beras premium mahal ga?', catalog).intent).toBe('price');
  });

  test('"minyak jg masih setengah" is what is at home', () => {
    expect(understand('beras masih ada, minyak jg masih setengah. gula aja 2 kg sm kopi 1 renceng', catalog).items.map((item) => item.productId)).toEqual(['GULA', 'KOPI-SACHET']);
  });

  test('"blok a no 17" and "perumnas …" are addresses', () => {
    expect(understand('Sy mau pesan galon 3, antar ke perumnas way halim blok a no 17', catalog).address).toBe('perumnas way halim blok a no 17');
  });

  test('goods with amounts beside a question about unsold goods are ordered, and the question names the unsold ones', () => {
    for (const text of ['ada rokok gk kak? klo gk ada, kopi 10 sachet sm gula 1 kg aja', 'terigu 1 kg, telor 10 butir, gula 1 kg, mentega ada gk kak?']) {
      const result = understand(text, catalog);
      expect(result.intent).toBe('order');
      expect(result.unsoldGoods).toHaveLength(1);
    }
    expect(understand('gula 2 kg, berapa?', catalog).intent).toBe('price');
  });

  test('an order that asks about the savings is an order that asks', () => {
    const result = understand('saya mau pesan beras premium 5 kg. saldo simpanan sukarela saya cukup kan?', catalog);
    expect(result.intent).toBe('order');
    expect(result.asksBalance).toBe(true);
    expect(understand('cek saldo', catalog).intent).toBe('balance');
  });
});

describe('twelfth-set messages', () => {
  test('"tlr 3 pp" is three trays; an unknown short word after a bare number is asked about, never read as the first unit', () => {
    expect(understand('tlr 3 pp buat jualan gorengan', catalog).items).toEqual([{ productId: 'TELUR', unit: 'papan', quantity: 3 }]);
    expect(understand('telor 2 xy', catalog)).toMatchObject({ items: [], clarifications: [{ kind: 'unclear_quantity', productId: 'TELUR', text: '2 xy' }] });
    expect(understand('telor 10', catalog).items).toEqual([{ productId: 'TELUR', unit: 'butir', quantity: 10, unitAssumed: true }]);
  });

  test('traders\' "br 10kg" is rice; "br" without an amount is not', () => {
    expect(understand('br 10kg, mgr 5lt, tlr 2 pp', catalog).items.map((item) => item.productId)).toEqual(['BERAS-MED', 'MINYAKITA', 'TELUR']);
    expect(understand('br nyampe kak', catalog).items).toEqual([]);
  });

  test('"gasnya nanti aja kalau udah habis" puts the gas off', () => {
    expect(understand('galon 2. gasnya nanti aja kalau udah habis', catalog).items.filter((item) => item.edit !== 'remove').map((item) => item.productId)).toEqual(['AIR-GALON']);
  });

  test('"pake simpanan bisa? mau beras 5 kg" orders and asks; "saldo 50rb cukup ga?" only asks', () => {
    expect(understand('pake simpanan sukarela bisa kak? mau beras premium 5 kg sama minyak 2 liter', catalog)).toMatchObject({ intent: 'order', asksBalance: true });
    expect(understand('saldo 50rb cukup ga?', catalog).intent).toBe('balance');
  });

  test('"garam ada kak? kalo ada garam 2 bungkus juga" orders the salt; "telor ada? 2 kg brp?" asks a price', () => {
    expect(understand('garam ada kak? kalo ada garam 2 bungkus juga', catalog)).toMatchObject({ intent: 'order', items: [{ productId: 'GARAM', unit: 'bungkus', quantity: 2 }] });
    expect(understand('telor ada? 2 kg brp?', catalog).intent).toBe('price');
  });
});
