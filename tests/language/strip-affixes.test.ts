import { describe, expect, test } from '@jest/globals';
import { looksLikeVerb, stripVerbAffixes } from '../../src/language/strip-affixes.js';

describe('affixed forms of the intent verbs read as their root', () => {
  test.each<[string, string]>([
    ['membatalkan', 'batal'],
    ['membatalkannya', 'batal'],
    ['pembatalan', 'batal'],
    ['dicancel', 'batal'],
    ['memesankan', 'pesan'],
    ['dipesan', 'pesan'],
    ['pemesanan', 'pesanan'],
    ['mengorder', 'order'],
    ['ngorder', 'order'],
    ['mengecek', 'cek'],
    ['dicek', 'cek'],
    ['dicekin', 'cek'],
    ['mengirim', 'kirim'],
    ['mengirimkan', 'kirim'],
    ['ngirim', 'kirim'],
    ['dikirimkan', 'dikirim'],
    ['mengantarkan', 'kirim'],
    ['belikan', 'beli'],
    ['mengambilkan', 'ambil'],
    ['meminta', 'minta'],
    ['menambahkan', 'tambah'],
    ['mengurangi', 'kurangi'],
    ['menghapus', 'hapus'],
    ['menitipkan', 'nitip'],
  ])('%j -> %j', (word, canon) => {
    expect(stripVerbAffixes(word)).toBe(canon);
  });

  test.each(['mentega', 'merica', 'dimana', 'siapkan', 'beras', 'pesan', 'kacang', 'mentimun', 'pengen'])('%j is not an affixed intent verb', (word) => {
    expect(stripVerbAffixes(word)).toBeUndefined();
  });
});

describe('verb-shaped words are instructions, not goods', () => {
  test.each(['siapkan', 'sediakan', 'bawakan', 'carikan', 'sisihkan', 'dibawain', 'dibungkusin'])('%j looks like a verb', (word) => {
    expect(looksLikeVerb(word)).toBe(true);
  });

  test.each(['ikan', 'bensin', 'kacang', 'mentega', 'lilin', 'vitamin', 'sabun'])('%j does not', (word) => {
    expect(looksLikeVerb(word)).toBe(false);
  });
});
