import { describe, expect, test } from '@jest/globals';
import { understand } from '../../src/language/understand.js';
import { createCatalog } from '../../src/language/catalog.js';
import { demoCatalog } from '../../src/demo/catalog.js';

const catalog = createCatalog(demoCatalog);

describe('Understanding.question', () => {
  test.each([
    ['bisa dianter sekarang gak?', true],
    ['rekeningnya apa kak', true],
    ['ongkir brp', true],
    ['bayar pas barang dateng bisa ga', true],
    ['ada yang premium ga', true],
    ['Jl. Kenanga No. 7 RT 02', undefined],
    ['gula 2 kg', undefined],
    ['ga jadi', undefined],
    ['iya', undefined],
  ])('%j -> %s', (text, expected) => {
    expect(understand(text, catalog).question).toBe(expected);
  });
});
