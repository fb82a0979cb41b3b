import { expect, test } from '@jest/globals';
import { parseToContract, type ContractResult } from '../../src/demo/parse-to-contract.js';

/** Whole chat messages, as residents type them, against the demo catalogue in the CLI contract shape. */
test.each<[string, ContractResult]>([
  ['kak saya mau pesan:\n- beras 5kg\n- telor 1 papan\ntotalnya brp kak?', { intent: 'order', items: [{ product: 'BERAS-MED', unit: 'kg', quantity: 5 }, { product: 'TELUR', unit: 'papan', quantity: 1 }] }],
  ['pesen:\n1. gula 2 kilo\n2. minyak 2 liter\nkirim ke rumah pak RT ya', { intent: 'order', items: [{ product: 'GULA', unit: 'kg', quantity: 2 }, { product: 'MINYAKITA', unit: 'liter', quantity: 2 }] }],
  ['assalamualaikum bu, sy mau pesan gas 3kg 2 tabung sama aqua galon 1, antar ke blok C no 12 ya', { intent: 'order', items: [{ product: 'LPG-3KG', unit: 'tabung', quantity: 2 }, { product: 'AIR-GALON', unit: 'galon', quantity: 1 }] }],
  ['mau beras 5 kg. gula 2 kg. minyak 1 liter.', { intent: 'order', items: [{ product: 'BERAS-MED', unit: 'kg', quantity: 5 }, { product: 'GULA', unit: 'kg', quantity: 2 }, { product: 'MINYAKITA', unit: 'liter', quantity: 1 }] }],
  ['kak beras nya 5kg ya, gulanya 2kg', { intent: 'order', items: [{ product: 'BERAS-MED', unit: 'kg', quantity: 5 }, { product: 'GULA', unit: 'kg', quantity: 2 }] }],
  ['beras lima, gula dua', { intent: 'order', items: [{ product: 'BERAS-MED', unit: 'kg', quantity: 5 }, { product: 'GULA', unit: 'kg', quantity: 2 }] }],
  ['mie goreng 2 bungkus, mie rebus 3 bungkus', { intent: 'order', items: [{ product: 'MIE-INSTAN', unit: 'bungkus', quantity: 2 }, { product: 'MIE-INSTAN', unit: 'bungkus', quantity: 3 }] }],
  ['2 galon 1 gas', { intent: 'order', items: [{ product: 'AIR-GALON', unit: 'galon', quantity: 2 }, { product: 'LPG-3KG', unit: 'tabung', quantity: 1 }] }],
  ['telor sekilo brp kak? sm bamer seons', { intent: 'price', items: [{ product: 'TELUR', unit: 'kg', quantity: 1 }, { product: 'BAWANG-MERAH', unit: 'ons', quantity: 1 }] }],
  ['malam kak, telur brp sepapan?', { intent: 'price', items: [{ product: 'TELUR', unit: 'papan', quantity: 1 }] }],
  ['kak ada beras premium?', { intent: 'price', items: [{ product: 'BERAS-PREMIUM', unit: 'kg', quantity: 1 }] }],
  ['harga bawang', { intent: 'price', items: [] }],
  ['how much is rice per kg', { intent: 'price', items: [{ product: 'BERAS-MED', unit: 'kg', quantity: 1 }] }],
  ['gula 1kg bisa diantar?', { intent: 'order', items: [{ product: 'GULA', unit: 'kg', quantity: 1 }] }],
  ['beras 5kg sm sabun 2', { intent: 'order', items: [{ product: 'BERAS-MED', unit: 'kg', quantity: 5 }] }],
  ['mau beli rokok 1 bungkus', { intent: 'order', items: [] }],
  ['mau nabung 50rb', { intent: 'balance', items: [] }],
  ['berapa iuran wajib bulan ini', { intent: 'balance', items: [] }],
  ['pinjaman sy brp', { intent: 'unknown', items: [] }],
  ['koperasi buka jam brp', { intent: 'unknown', items: [] }],
  ['tolong cek pesanan saya', { intent: 'status', items: [] }],
  ['belum nyampe nih', { intent: 'status', items: [] }],
  ['gmn cara order di sini', { intent: 'help', items: [] }],
  ['produk apa aja yang ada', { intent: 'help', items: [] }],
  ['batal pesan beras', { intent: 'cancel', items: [] }],
  ['selamat pagi, mau pesan gas 2 tabung', { intent: 'order', items: [{ product: 'LPG-3KG', unit: 'tabung', quantity: 2 }] }],
  ['oke siap', { intent: 'unknown', items: [] }],
  ['Jl. Melati 3 no 12', { intent: 'unknown', items: [] }],
])('%j', (text, expected) => {
  expect(parseToContract(text)).toEqual(expected);
});

test('never returns anything but the contract keys', () => {
  const result = parseToContract('minyak 10 ribu sama telor 2 papan');
  expect(Object.keys(result).sort()).toEqual(['intent', 'items']);
  expect(result.items).toEqual([{ product: 'MINYAKITA', amountRp: 10000 }, { product: 'TELUR', unit: 'papan', quantity: 2 }]);
});
