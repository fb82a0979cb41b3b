import { describe, expect, test } from '@jest/globals';
import { demoCatalog } from '../../src/demo/catalog.js';
import { createCatalog } from '../../src/language/catalog.js';
import type { ItemRequest } from '../../src/language/types.js';
import { understand } from '../../src/language/understand.js';

const catalog = createCatalog(demoCatalog);

/** Items without the marks on how they edit the cart (checked on their own). */
function plain(requests: ItemRequest[]): ItemRequest[] {
  return requests.map(({ edit: _edit, exact: _exact, replaces: _replaces, generic: _generic, ...rest }) => rest);
}

/** The items as requested; whether an amount was implied, and how each edits the cart, are checked on their own. */
function items(text: string): ItemRequest[] {
  return plain(understand(text, catalog).items).map((item) => {
    if (!('quantityImplied' in item)) return item;
    const { quantityImplied: _implied, ...rest } = item;
    return rest;
  });
}

const u = (productId: string, unit: string, quantity: number): ItemRequest => ({ productId, unit, quantity });
/** A bare count ("telor 10"): the unit was not written, so it is marked as assumed. */
const bare = (productId: string, unit: string, quantity: number): ItemRequest => ({ productId, unit, quantity, unitAssumed: true });
const rp = (productId: string, amountRp: number): ItemRequest => ({ productId, amountRp });

describe('units and conversions', () => {
  test.each<[string, ItemRequest[]]>([
    ['beras 5kg', [u('BERAS-MED', 'kg', 5)]],
    ['beras 3 liter', [u('BERAS-MED', 'liter', 3)]],
    ['gula 2 ons', [u('GULA', 'kg', 0.2)]],
    ['bawang merah 2 ons', [u('BAWANG-MERAH', 'ons', 2)]],
    ['pesen tepung 500 gram', [u('TERIGU', 'kg', 0.5)]],
    ['bamer 250 gr', [u('BAWANG-MERAH', 'kg', 0.25)]],
    ['minyak 500 ml', [u('MINYAKITA', 'liter', 0.5)]],
    ['telor 10', [bare('TELUR', 'butir', 10)]],
    ['telur selusin', [u('TELUR', 'butir', 12)]],
    ['mie selusin', [u('MIE-INSTAN', 'bungkus', 12)]],
    ['indomie 5', [bare('MIE-INSTAN', 'bungkus', 5)]],
    ['telur 1 rak', [u('TELUR', 'papan', 1)]],
    ['telor 5 biji', [u('TELUR', 'butir', 5)]],
    ['mie 5 pcs', [u('MIE-INSTAN', 'bungkus', 5)]],
    ['3 buah kecap', [u('KECAP', 'botol', 3)]],
    ['pesan gula', [u('GULA', 'kg', 1)]],
    ['gula 2', [u('GULA', 'kg', 2)]],
    ['gas setabung', [u('LPG-3KG', 'tabung', 1)]],
    ['tabung gas 2', [u('LPG-3KG', 'tabung', 2)]],
    ['kopi 3 renteng', [u('KOPI-SACHET', 'renceng', 3)]],
    ['2 galon', [u('AIR-GALON', 'galon', 2)]],
    ['aqua galon 2 galon', [u('AIR-GALON', 'galon', 2)]],
  ])('%j', (text, expected) => {
    expect(items(text)).toEqual(expected);
  });

  test('a unit the product does not sell becomes a question, not an item', () => {
    const r = understand('gula 2 botol', catalog);
    expect(plain(r.items)).toEqual([]);
    expect(r.clarifications).toEqual([{ kind: 'unit_not_sold', productId: 'GULA', unit: 'botol', quantity: 2 }]);
    expect(r.intent).toBe('order');
  });

  test('a bare generic word takes the one sibling selling the unit ("beras sekarung" = SPHP)', () => {
    expect(items('beras sekarung')).toEqual([u('BERAS-SPHP', 'karung', 1)]);
    expect(understand('beras premium sekarung', catalog).clarifications[0]).toMatchObject({ kind: 'unit_not_sold', productId: 'BERAS-PREMIUM' });
  });

  test.each([
    ['beras 5kg eh 3kg aja', 3, 'kg'],
    ['beras 5 kg ralat 3 kg', 3, 'kg'],
    ['beras 5 kg salah, 3 kg', 3, 'kg'],
    ['telur 1 papan maksudnya 2 papan', 2, 'papan'],
  ])('a correction inside one message keeps the second quantity (%s)', (text, quantity, unit) => {
    const r = understand(text, catalog);
    expect(r.items).toHaveLength(1);
    expect(r.items[0]).toMatchObject({ quantity, unit });
  });

  test('an amount not written is marked implied ("kopinya aja"), a written one is not', () => {
    expect(understand('kopinya aja', catalog).items[0]).toMatchObject({ productId: 'KOPI-SACHET', quantity: 1, quantityImplied: true });
    expect(understand('kopi 1 renceng', catalog).items[0]).not.toHaveProperty('quantityImplied');
  });

  test.each([
    ['jadi 3 aja', { value: 3 }],
    ['eh salah, maksudnya 2 kg', { value: 2, unit: 'kg' }],
    ['ralat 4 papan', { value: 4, unit: 'papan' }],
    ['eh kebanyakan, setengah kilo aja', { value: 0.5, unit: 'kg' }],
  ])('an amount corrected without a product (%s) is reported, with no unknown product', (text, correction) => {
    const r = understand(text, catalog);
    expect(r.quantityCorrection).toEqual(correction);
    expect(r.clarifications).toEqual([]);
  });

  test.each(['jadi 3 kg sama 2 liter', 'ganti 10 ribu', 'beras 3 kg', 'jalan 3', 'eh alamatnya salah, jl. melati no 17', 'jadi 250 aja', 'salah kirim'])('no correction read in %j', (text) => {
    expect(understand(text, catalog).quantityCorrection).toBeUndefined();
  });

  test.each([
    ['beras -5 kg', '-5 kg'],
    ['beras 1000000 kg', '1000000 kg'],
    ['beras 99999999999999999999 kg', '99999999999999999999 kg'],
    ['-5 kg beras', '-5 kg'],
  ])('a quantity nobody means (%s) is asked about, never guessed', (text, unclear) => {
    const r = understand(text, catalog);
    expect(plain(r.items)).toEqual([]);
    expect(r.clarifications).toEqual([{ kind: 'unclear_quantity', productId: 'BERAS-MED', text: unclear }]);
  });
});

describe('se- prefix, fractions and number words on items', () => {
  test.each<[string, ItemRequest[]]>([
    ['sekilo gula', [u('GULA', 'kg', 1)]],
    ['setengah kilo gula', [u('GULA', 'kg', 0.5)]],
    ['gula seperempat', [u('GULA', 'kg', 0.25)]],
    ['beras 2 setengah kilo', [u('BERAS-MED', 'kg', 2.5)]],
    ['gula 1,5 kg', [u('GULA', 'kg', 1.5)]],
    ['daging ayam 1.5 kg', [u('AYAM', 'kg', 1.5)]],
    ['telor 1/2 kg', [u('TELUR', 'kg', 0.5)]],
    ['telor setengah papan', [u('TELUR', 'papan', 0.5)]],
    ['pesen beras lima kilo', [u('BERAS-MED', 'kg', 5)]],
    ['dua puluh butir telor', [u('TELUR', 'butir', 20)]],
    ['indomie dua belas bungkus', [u('MIE-INSTAN', 'bungkus', 12)]],
    ['minyak seliter sm gula sekilo', [u('MINYAKITA', 'liter', 1), u('GULA', 'kg', 1)]],
  ])('%j', (text, expected) => {
    expect(items(text)).toEqual(expected);
  });
});

describe('buying by money', () => {
  test.each<[string, ItemRequest[]]>([
    ['minyak 10 ribu', [rp('MINYAKITA', 10_000)]],
    ['telur 15rb', [rp('TELUR', 15_000)]],
    ['gula 20k', [rp('GULA', 20_000)]],
    ['beli bawang putih Rp10.000', [rp('BAWANG-PUTIH', 10_000)]],
    ['beli minyak goreng Rp 31.400', [rp('MINYAKITA', 31_400)]],
    ['cabe rawit sepuluh ribu', [rp('CABAI-RAWIT', 10_000)]],
    ['mau minyak goreng ceban aja', [rp('MINYAKITA', 10_000)]],
    ['beli bamer goceng', [rp('BAWANG-MERAH', 5_000)]],
    ['goceng telor', [rp('TELUR', 5_000)]],
  ])('%j', (text, expected) => {
    expect(items(text)).toEqual(expected);
  });
});

describe('numbers inside product names', () => {
  test.each<[string, ItemRequest[]]>([
    ['gas 3kg brp?', [u('LPG-3KG', 'tabung', 1)]],
    ['gas 3kg 2', [u('LPG-3KG', 'tabung', 2)]],
    ['2 tabung gas 3 kg', [u('LPG-3KG', 'tabung', 2)]],
    ['gas 3 kg 3 tabung', [u('LPG-3KG', 'tabung', 3)]],
    ['beras sphp', [u('BERAS-SPHP', 'karung', 1)]],
    ['sphp 5kg 2', [u('BERAS-SPHP', 'karung', 2)]],
    ['beras 5kg', [u('BERAS-MED', 'kg', 5)]],
    ['kecap 520ml 2', [u('KECAP', 'botol', 2)]],
    ['teh celup isi 25 2 kotak', [u('TEH-CELUP', 'kotak', 2)]],
    ['pesen beras 5 kg sama gas 3 kg', [u('BERAS-MED', 'kg', 5), u('LPG-3KG', 'tabung', 1)]],
  ])('%j', (text, expected) => {
    expect(items(text)).toEqual(expected);
  });
});

describe('several items in one message', () => {
  test.each<[string, ItemRequest[]]>([
    ['beras 2kg, gula 1kg', [u('BERAS-MED', 'kg', 2), u('GULA', 'kg', 1)]],
    ['beras 2kg gula 1kg', [u('BERAS-MED', 'kg', 2), u('GULA', 'kg', 1)]],
    ['2kg beras 1kg gula', [u('BERAS-MED', 'kg', 2), u('GULA', 'kg', 1)]],
    ['kak mau pesen beras 5kg sm migor 2 liter ya', [u('BERAS-MED', 'kg', 5), u('MINYAKITA', 'liter', 2)]],
    ['ayam 2 kg & cabe rawit 2 ons', [u('AYAM', 'kg', 2), u('CABAI-RAWIT', 'ons', 2)]],
    ['beli telur 1 papan + mie 1 dus + minyak 2 liter', [u('TELUR', 'papan', 1), u('MIE-INSTAN', 'dus', 1), u('MINYAKITA', 'liter', 2)]],
    ['1. beras 5kg\n2. gula 1kg', [u('BERAS-MED', 'kg', 5), u('GULA', 'kg', 1)]],
    ['- beras 5kg\n- minyak 2 liter', [u('BERAS-MED', 'kg', 5), u('MINYAKITA', 'liter', 2)]],
    ['beras, 2 gula', [u('BERAS-MED', 'kg', 1), u('GULA', 'kg', 2)]],
    ['migor 2 sama telor 15', [u('MINYAKITA', 'liter', 2), bare('TELUR', 'butir', 15)]],
    ['gas 2 galon 1', [u('LPG-3KG', 'tabung', 2), u('AIR-GALON', 'galon', 1)]],
    ['i want to order 5kg rice and 2 liters of oil', [u('BERAS-MED', 'kg', 5), u('MINYAKITA', 'liter', 2)]],
  ])('%j', (text, expected) => {
    expect(items(text)).toEqual(expected);
  });
});

describe('a quantity before the product survives the words in front of it', () => {
  test.each<[string, ItemRequest[]]>([
    // Affixed verbs are instructions to the shop, not goods.
    ['tolong sisihkan 2 kg gula', [u('GULA', 'kg', 2)]],
    ['bawakan 3 bungkus indomie ya', [u('MIE-INSTAN', 'bungkus', 3)]],
    ['tolong carikan 1 dus indomie', [u('MIE-INSTAN', 'dus', 1)]],
    ['tolong dibawain 2 papan telor', [u('TELUR', 'papan', 2)]],
    ['belikan 2 liter minyak', [u('MINYAKITA', 'liter', 2)]],
    ['sediakan 2 karung beras', [u('BERAS-SPHP', 'karung', 2)]],
    ['kak titip 2 kg gula', [u('GULA', 'kg', 2)]],
    // Any unknown word that is not known goods: the quantity waits for the product.
    ['buat bu sri 3 kg beras', [u('BERAS-MED', 'kg', 3)]],
    ['buat bu sri 2 kg gula dan 1 liter minyak', [u('GULA', 'kg', 2), u('MINYAKITA', 'liter', 1)]],
    ['titip 2 kg gula 3 kg beras', [u('GULA', 'kg', 2), u('BERAS-MED', 'kg', 3)]],
  ])('%j', (text, expected) => {
    const r = understand(text, catalog);
    expect(plain(r.items)).toEqual(expected);
    expect(r.clarifications).toEqual([]);
  });

  test('an unknown word keeps its own quantity when the product after it has one ("sabun 2 beras 5kg")', () => {
    const r = understand('sabun 2 beras 5kg', catalog);
    expect(plain(r.items)).toEqual([u('BERAS-MED', 'kg', 5)]);
    expect(r.clarifications).toEqual([{ kind: 'unknown_product', text: 'sabun' }]);
  });
});

describe('a qualifier naming another variety is a product we lack, never a guess', () => {
  test.each([
    ['cabai merah 1 kg', 'cabai merah'],
    ['beras merah 2 kg', 'beras merah'],
    ['gula merah sekilo', 'gula merah'],
    ['2 ons cabe merah', 'cabe merah'],
    ['sabun merah 2', 'sabun merah'],
    ['cabe yg keriting 2 ons', 'cabe yg keriting'],
    ['telor yang bebek 10', 'telor yang bebek'],
    ['bamer putih 1 ons', 'bamer putih'],
  ])('%j', (text, unknown) => {
    const r = understand(text, catalog);
    expect(r.intent).toBe('order');
    expect(plain(r.items)).toEqual([]);
    expect(r.clarifications).toEqual([{ kind: 'unknown_product', text: unknown }]);
  });

  test.each<[string, ItemRequest[]]>([
    ['bawang yg putih 1 ons', [u('BAWANG-PUTIH', 'ons', 1)]],
    ['beras yang medium 2kg', [u('BERAS-MED', 'kg', 2)]],
  ])('a variety word of the same family picks the sibling: %j', (text, expected) => {
    expect(items(text)).toEqual(expected);
  });

  test.each<[string, ItemRequest[]]>([
    ['cabe rawit merah 1 ons', [u('CABAI-RAWIT', 'ons', 1)]],
    ['rawit merah sekilo', [u('CABAI-RAWIT', 'kg', 1)]],
    ['indomie goreng 2', [bare('MIE-INSTAN', 'bungkus', 2)]],
  ])('a product named by its specific name takes another family\'s word as a description: %j', (text, expected) => {
    expect(items(text)).toEqual(expected);
  });

  test('the varieties come from the catalogue: with Cabai Merah on sale, "cabe merah" is that product', () => {
    const custom = createCatalog([
      ...demoCatalog,
      { id: 'CABAI-MERAH', name: 'Cabai Merah', aliases: ['cabe merah'], category: 'bumbu dapur', units: [{ code: 'kg', priceRp: 50000 }, { code: 'ons', priceRp: 5000 }] },
    ]);
    expect(plain(understand('cabe merah 2 ons', custom).items)).toEqual([u('CABAI-MERAH', 'ons', 2)]);
    expect(understand('cabe 2 ons', custom).clarifications[0]).toMatchObject({ kind: 'ambiguous_product', candidates: ['CABAI-RAWIT', 'CABAI-MERAH'] });
  });
});

describe('product matching', () => {
  test.each<[string, ItemRequest[]]>([
    ['berasss 2kg', [u('BERAS-MED', 'kg', 2)]],
    ['mnyak goreng 1 liter', [u('MINYAKITA', 'liter', 1)]],
    ['gual pasir 2kg', [u('GULA', 'kg', 2)]],
    ['telut 10 butir', [u('TELUR', 'butir', 10)]],
    ['tepng 1kg', [u('TERIGU', 'kg', 1)]],
    ['garem sebungkus', [u('GARAM', 'bungkus', 1)]],
    ['indomiee 3', [bare('MIE-INSTAN', 'bungkus', 3)]],
    ['beras premium 10 kg', [u('BERAS-PREMIUM', 'kg', 10)]],
    ['beras yg premium 5kg', [u('BERAS-PREMIUM', 'kg', 5)]],
    ['mau pesan telor ayam sepapan', [u('TELUR', 'papan', 1)]],
    ['ayam 1kg', [u('AYAM', 'kg', 1)]],
    ['indomie goreng 5', [bare('MIE-INSTAN', 'bungkus', 5)]],
    ['skm 2 kaleng', [u('SKM', 'kaleng', 2)]],
    ['gas elpiji 2', [u('LPG-3KG', 'tabung', 2)]],
    ['air galon 2', [u('AIR-GALON', 'galon', 2)]],
    ['minyakgoreng 2 liter', [u('MINYAKITA', 'liter', 2)]],
    ['bawangmerah 2 ons', [u('BAWANG-MERAH', 'ons', 2)]],
  ])('%j', (text, expected) => {
    expect(items(text)).toEqual(expected);
  });

  test('words of three letters or fewer are never fuzzy-matched', () => {
    expect(plain(understand('gla 2', catalog).items)).toEqual([]);
    expect(plain(understand('mia 2', catalog).items)).toEqual([]);
  });

  test.each(['bayam 2 ikat', 'ke pasar 2 kali', 'kasir 1', 'asam 1 bungkus'])('a real word one typo from a product is not that product: %j', (text) => {
    expect(plain(understand(text, catalog).items)).toEqual([]);
  });

  test.each([['telur bebek 10', 'telur bebek'], ['minyak tanah 1 liter', 'minyak tanah'], ['daging sapi 1kg', 'daging sapi']])(
    'a product word naming another kind of goods is an unknown product: %j',
    (text, unknown) => {
      const r = understand(text, catalog);
      expect(plain(r.items)).toEqual([]);
      expect(r.clarifications).toEqual([{ kind: 'unknown_product', text: unknown }]);
    },
  );

  test('a brand or variant after a product keeps the product ("kopi kapal api 2")', () => {
    expect(items('kopi kapal api 2')).toEqual([bare('KOPI-SACHET', 'sachet', 2)]);
  });

  test('an ambiguous product is asked about, never guessed', () => {
    const r = understand('bawang 1kg', catalog);
    expect(plain(r.items)).toEqual([]);
    expect(r.clarifications).toEqual([
      { kind: 'ambiguous_product', text: 'bawang', candidates: ['BAWANG-MERAH', 'BAWANG-PUTIH'], quantity: 1, unit: 'kg' },
    ]);
  });

  test('an ambiguous product keeps its money amount for the follow-up question', () => {
    expect(understand('bawang 10rb', catalog).clarifications).toEqual([
      { kind: 'ambiguous_product', text: 'bawang', candidates: ['BAWANG-MERAH', 'BAWANG-PUTIH'], amountRp: 10_000 },
    ]);
  });

  test('a product not in the catalogue is reported and the order stays an order', () => {
    const r = understand('beras 5kg sm sabun 2', catalog);
    expect(r.intent).toBe('order');
    expect(plain(r.items)).toEqual([u('BERAS-MED', 'kg', 5)]);
    expect(r.clarifications).toEqual([{ kind: 'unknown_product', text: 'sabun' }]);
  });

  test('clarifications and items keep message order', () => {
    const r = understand('bawang 1kg, gula 2kg, sabun 1', catalog);
    expect(plain(r.items)).toEqual([u('GULA', 'kg', 2)]);
    expect(r.clarifications.map((c) => c.kind)).toEqual(['ambiguous_product', 'unknown_product']);
  });

  test('the catalogue is indexed from data: a new product is found without code changes', () => {
    const custom = createCatalog([
      ...demoCatalog,
      { id: 'SABUN', name: 'Sabun Mandi Batang', aliases: ['sabun'], category: 'kebersihan', units: [{ code: 'batang', priceRp: 4000 }] },
    ]);
    expect(plain(understand('sabun 2 batang', custom).items)).toEqual([u('SABUN', 'batang', 2)]);
    expect(plain(understand('sabun 2 batang', catalog).items)).toEqual([]);
  });
});
