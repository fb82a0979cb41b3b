import { expect, test } from '@jest/globals';
import { demoCatalog } from '../../src/demo/catalog.js';

test('the demo catalogue has 19 products with unique ids and integer rupiah prices', () => {
  expect(demoCatalog).toHaveLength(19);
  expect(new Set(demoCatalog.map((p) => p.id)).size).toBe(19);
  for (const product of demoCatalog) {
    expect(product.units.length).toBeGreaterThan(0);
    for (const unit of product.units) expect(Number.isSafeInteger(unit.priceRp) && unit.priceRp > 0).toBe(true);
  }
});

test.each([
  ['TELUR', 'Telur Ayam Ras', ['telor'], [['kg', 30000], ['butir', 2000], ['papan', 57000]]],
  ['LPG-3KG', 'LPG 3 kg', ['gas', 'gas melon', 'elpiji'], [['tabung', 20000]]],
  ['BERAS-SPHP', 'Beras SPHP 5 kg', ['sphp', 'beras bulog'], [['karung', 62500]]],
  ['MIE-INSTAN', 'Mi Instan', ['mie', 'indomie', 'indomi'], [['bungkus', 3500], ['dus', 120000]]],
  ['KOPI-SACHET', 'Kopi Sachet', ['kopi'], [['sachet', 1500], ['renceng', 15000]]],
])('%s matches the agreed table', (id, name, aliases, units) => {
  const product = demoCatalog.find((p) => p.id === id);
  expect(product?.name).toBe(name);
  expect(product?.aliases).toEqual(aliases);
  expect(product?.units.map((u) => [u.code, u.priceRp])).toEqual(units);
});
