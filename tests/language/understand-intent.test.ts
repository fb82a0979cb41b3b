import { describe, expect, test } from '@jest/globals';
import { demoCatalog } from '../../src/demo/catalog.js';
import { createCatalog } from '../../src/language/catalog.js';
import type { Intent } from '../../src/language/types.js';
import { understand } from '../../src/language/understand.js';

const catalog = createCatalog(demoCatalog);

describe('intents', () => {
  test.each<[string, Intent]>([
    ['kak mau pesen beras 5kg sm migor 2 liter ya', 'order'],
    ['beras 2kg, gula 1kg', 'order'],
    ['beli kecap', 'order'],
    ['tolong kirim gas 3kg 1 tabung', 'order'],
    ['sy mau ambil gula 1kg', 'order'],
    ['telor sepapan brp?', 'price'],
    ['harga minyak brp', 'price'],
    ['berapa duit beras 5 kilo', 'price'],
    ['how much is sugar', 'price'],
    ['beras ada?', 'price'],
    ['saldo simpanan sy brp', 'balance'],
    ['simpanan wajib sy brp', 'balance'],
    ['cek saldo', 'balance'],
    ['kak mau cek tabungan aku dong', 'balance'],
    ['status pesanan', 'status'],
    ['pesanan sy udh smpe mana', 'status'],
    ['orderan sy gmn', 'status'],
    ['kapan dikirim', 'status'],
    ['kurirnya udah berangkat belum?', 'status'],
    ['kapan dikirim beras yg sy pesen td', 'status'],
    ['gajadi deh, batalin', 'cancel'],
    ['gak jadi pesen ya kak, maaf', 'cancel'],
    ['cancel order', 'cancel'],
    // Affixed verb forms read as their root.
    ['saya mau membatalkan order', 'cancel'],
    ['mau membatalkannya kak', 'cancel'],
    ['mohon pembatalan pesanan', 'cancel'],
    ['pak tolong dicancel ya', 'cancel'],
    ['dipesankan beras 5kg ya', 'order'],
    ['saya mau mengorder', 'order'],
    ['mau ngorder telur sepapan', 'order'],
    ['tolong mengirimkan gas 2 tabung', 'order'],
    ['mengecek pesanan saya', 'status'],
    ['tolong dicek pesanan saya', 'status'],
    ['mau mengecek saldo', 'balance'],
    ['sudah dikirimkan belum?', 'status'],
    ['menu', 'help'],
    ['bantuan', 'help'],
    ['cara pesan gmn', 'help'],
    ['?', 'help'],
    ['halo', 'greeting'],
    ['assalamualaikum wr wb', 'greeting'],
    ['pagi kak', 'greeting'],
    ['selamat siang bu', 'greeting'],
    ['p', 'greeting'],
    ['permisi', 'greeting'],
    ['cuaca hari ini gmn', 'unknown'],
    ['wkwkwk', 'unknown'],
    ['jual motor gak?', 'unknown'],
    ['', 'unknown'],
    ['Jl. Merdeka No. 5 RT 02/RW 03, dekat masjid', 'unknown'],
    ['08123456789', 'unknown'],
    ['Jl. Melati 3 no 12', 'unknown'],
    ['Perum Griya Asri blok C2 no 7', 'unknown'],
  ])('%j is %s', (text, intent) => {
    expect(understand(text, catalog).intent).toBe(intent);
  });

  test('a greeting with an order is an order', () => {
    const r = understand('assalamualaikum kak, mau pesan beras 10 kg', catalog);
    expect(r.intent).toBe('order');
    expect(r.items).toMatchObject([{ productId: 'BERAS-MED', unit: 'kg', quantity: 10 }]);
  });

  test('a greeting with a price question is a price question', () => {
    expect(understand('pagi kak, gula pasir 2 kilo berapa?', catalog)).toMatchObject({
      intent: 'price',
      items: [{ productId: 'GULA', unit: 'kg', quantity: 2 }],
    });
  });

  test('an order asking for its total stays an order', () => {
    expect(understand('pesen beras 5kg sama gula 2kg, totalnya berapa?', catalog).intent).toBe('order');
  });

  test('status and cancel carry no items', () => {
    expect(understand('status pesanan beras kemarin gmn kak', catalog).items).toEqual([]);
    expect(understand('mau batalin pesanan beras td', catalog).items).toEqual([]);
  });
});

describe('cart edits', () => {
  test.each([
    ['tambah telur 5 butir', 'add', [{ productId: 'TELUR', unit: 'butir', quantity: 5 }]],
    ['tambahin gula 1kg lagi', 'add', [{ productId: 'GULA', unit: 'kg', quantity: 1 }]],
    ['kurangi gula 1kg', 'reduce', [{ productId: 'GULA', unit: 'kg', quantity: 1 }]],
    ['hapus gula', 'remove', [{ productId: 'GULA', unit: 'kg', quantity: 1 }]],
    ['buang gula', 'remove', [{ productId: 'GULA', unit: 'kg', quantity: 1 }]],
    ['ganti minyak 1 liter aja', 'replace', [{ productId: 'MINYAKITA', unit: 'liter', quantity: 1 }]],
  ])('%j is %s', (text, edit, items) => {
    const r = understand(text, catalog);
    expect(r.intent).toBe('order');
    expect(r.edit).toBe(edit);
    expect(r.items.map((item) => ('quantity' in item ? { productId: item.productId, unit: item.unit, quantity: item.quantity } : item))).toEqual(items);
    // The edit word is each item's too: an item after it is edited by it.
    expect(r.items.every((item) => item.edit === edit)).toBe(true);
  });

  test('a plain order has no edit', () => {
    expect(understand('beras 5kg', catalog).edit).toBeUndefined();
  });
});

describe('replies to the bot', () => {
  test.each([
    ['ya', { yes: true }],
    ['iya', { yes: true }],
    ['iyaa kak', { yes: true }],
    ['ok', { yes: true }],
    ['oke deh', { yes: true }],
    ['betul', { yes: true }],
    ['bener kak', { yes: true }],
    ['sip', { yes: true }],
    ['boleh', { yes: true }],
    ['lanjut', { yes: true }],
    ['yes correct', { yes: true }],
    ['ok confirm', { yes: true }],
    ["yes that's right, go ahead", { yes: true }],
    ['ya proses', { yes: true }],
    ['tidak', { no: true }],
    ['gak', { no: true }],
    ['nggak', { no: true }],
    ['enggak kak', { no: true }],
    ['jangan', { no: true }],
    ['gak usah', { no: true }],
    ['g', { no: true }],
    ['y', { yes: true }],
    ['2', { choice: 2 }],
    ['dua', { choice: 2 }],
    ['yang kedua', { choice: 2 }],
    ['no 2', { choice: 2 }],
    ['nomor 3', { choice: 3 }],
    ['pilih 1', { choice: 1 }],
    ['yg pertama', { choice: 1 }],
    ['3 aja kak', { choice: 3 }],
    ['2 ya kak', { choice: 2 }],
    ['ok ya', { yes: true }],
  ])('%j -> %j', (text, reply) => {
    expect(understand(text, catalog).reply).toEqual(reply);
  });

  test.each(['beras 5kg', 'halo kak', '123456', 'Jl. Mawar No. 5', 'ya ampun mahal banget harganya', 'tidak ada uang kak, nanti saja ya beli berasnya'])(
    '%j is not a reply',
    (text) => {
      expect(understand(text, catalog).reply).toBeUndefined();
    },
  );
});

describe('language switch', () => {
  test.each([
    ['english', 'en'],
    ['in english please', 'en'],
    ['bahasa inggris', 'en'],
    ['bahasa indonesia', 'id'],
    ['indo', 'id'],
  ])('%j -> %s', (text, language) => {
    expect(understand(text, catalog).language).toBe(language);
  });

  test('no language field for an ordinary message', () => {
    expect(understand('beras 5kg', catalog).language).toBeUndefined();
  });
});

describe('robustness', () => {
  test('always returns a normalised text and never throws on odd input', () => {
    for (const text of ['', '   ', '\n\n', '🙏🙏🙏', '....', '1/0 kg', 'x'.repeat(5000), '9'.repeat(400), 'é'.repeat(50), '\u0000\u0001']) {
      const r = understand(text, catalog);
      expect(typeof r.normalized).toBe('string');
      expect(Array.isArray(r.items)).toBe(true);
    }
  });

  test('normalized shows the canonical words', () => {
    expect(understand('sy mau pesennn berasss 5kg', catalog).normalized).toBe('saya mau pesan beras 5 kg');
  });
});
