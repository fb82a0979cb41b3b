import { describe, expect, test } from '@jest/globals';
import { createCatalog } from '../../src/language/catalog.js';
import { understand } from '../../src/language/understand.js';
import { demoCatalog } from '../../src/demo/catalog.js';

const catalog = createCatalog(demoCatalog);

describe('Understanding.confirmation: negation first', () => {
  test.each([
    ['iya batalin aja', 'yes'],
    ['ok batalin', 'yes'],
    ['yes cancel it', 'yes'],
    ['jangan, gak jadi batal', 'no'],
    ['gak usah', 'no'],
    ['iya jangan dulu', 'no'],
    ['bukan', 'no'],
    ['batalin aja', undefined],
    ['ya batalkan pesanan 1021 kak', 'yes'],
    ['ok but change the address', undefined],
    ['iya tapi alamatnya salah', undefined],
    ['yes the address is wrong', undefined],
    ['ok ganti jadi ambil sendiri', undefined],
    ['gula 2 kg', undefined],
  ])('%j -> %s', (text, expected) => {
    expect(understand(text, catalog).confirmation).toBe(expected);
  });
});
