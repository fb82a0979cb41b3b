import { describe, expect, test } from '@jest/globals';
import { parseStaffCommand, type StaffCommand } from '../../src/language/staff-command.js';

const step = (to: 'confirmed' | 'ready' | 'delivering' | 'completed', ...numbers: number[]): StaffCommand => ({ kind: 'order-step', to, numbers });
const usage = (command: Extract<StaffCommand, { kind: 'usage' }>['command']): StaffCommand => ({ kind: 'usage', command });

describe('parseStaffCommand: order steps', () => {
  test.each<[string, StaffCommand]>([
    ['OK 1024', step('confirmed', 1024)],
    ['ok #1024', step('confirmed', 1024)],
    ['Oke 1024', step('confirmed', 1024)],
    ['TERIMA 1024', step('confirmed', 1024)],
    ['konfirmasi 7', step('confirmed', 7)],
    ['Konfirm #12', step('confirmed', 12)],
    ['SIAP 1024', step('ready', 1024)],
    ['siap 1024, 1025 dan 1026', step('ready', 1024, 1025, 1026)],
    ['SIAP #1024 #1025 & #1026', step('ready', 1024, 1025, 1026)],
    ['siap 1024,1025;1026', step('ready', 1024, 1025, 1026)],
    ['SIAP 1024 1024 1025', step('ready', 1024, 1025)],
    ['SIAP 1025 1024', step('ready', 1025, 1024)],
    ['SIAP pesanan 1024', step('ready', 1024)],
    ['SIAP no 1024', step('ready', 1024)],
    ['siap no. 1024', step('ready', 1024)],
    ['SIAP nomor 1024 dan nomor 1025', step('ready', 1024, 1025)],
    ['siap: 1024', step('ready', 1024)],
    ['  SiApP   1024  ', step('ready', 1024)],
    ['*SIAP* 1024', step('ready', 1024)],
    ['SIAP 1024 ya kak', step('ready', 1024)],
    ['siap 1024, makasih!', step('ready', 1024)],
    ['SIAP 1024 terima kasih banyak 🙏🏻', step('ready', 1024)],
    ['SIAP 1024 ok min.', step('ready', 1024)],
    ['siap 1 2', step('ready', 1, 2)],
    ['siap#1024', step('ready', 1024)],
    ['ok 1024 & 1025 ya', step('confirmed', 1024, 1025)],
    ['SELESAI 1024 sama 1025', step('completed', 1024, 1025)],
    ['ANTAR 1024', step('delivering', 1024)],
    ['kirim #1024!', step('delivering', 1024)],
    ['Diantar 1024 pak', step('delivering', 1024)],
    ['SELESAI 1024', step('completed', 1024)],
    ['beres 1024, 1025', step('completed', 1024, 1025)],
    ['DONE #1024 thx', step('completed', 1024)],
    ['selesai 123456789', step('completed', 123456789)],
  ])('%j', (input, expected) => {
    expect(parseStaffCommand(input)).toEqual(expected);
  });
});

describe('parseStaffCommand: reject, paid, list, stock, help', () => {
  test.each<[string, StaffCommand]>([
    ['TOLAK 1024 stok habis', { kind: 'reject', number: 1024, reason: 'stok habis' }],
    ['tolak #1024', { kind: 'reject', number: 1024 }],
    ['TOLAK 1024 kak', { kind: 'reject', number: 1024 }],
    ['Tolak 1024 Stok GULA habis, maaf ya kak!', { kind: 'reject', number: 1024, reason: 'Stok GULA habis, maaf' }],
    ['BATAL 1024: Alamat di luar area (Kec. Way Halim)', { kind: 'reject', number: 1024, reason: 'Alamat di luar area (Kec. Way Halim)' }],
    ['batalkan pesanan 1024 - pembeli minta batal', { kind: 'reject', number: 1024, reason: 'pembeli minta batal' }],
    ['TOLAK 1024 barang tidak ok', { kind: 'reject', number: 1024, reason: 'barang tidak ok' }],
    ['TOLAK 1024 stok habis, mau ganti merk lain?', { kind: 'reject', number: 1024, reason: 'stok habis, mau ganti merk lain?' }],
    ['TOLAK 1024 ok', { kind: 'reject', number: 1024 }],
    ['TOLAK 1024\nstok habis', { kind: 'reject', number: 1024, reason: 'stok habis' }],
    ['LUNAS 1024', { kind: 'mark-paid', numbers: [1024] }],
    ['bayar #1024 dan #1025', { kind: 'mark-paid', numbers: [1024, 1025] }],
    ['Paid 1024 thanks', { kind: 'mark-paid', numbers: [1024] }],
    ['PESANAN', { kind: 'list-open' }],
    ['pesanan?', { kind: 'list-open' }],
    ['Order kak', { kind: 'list-open' }],
    ['orders', { kind: 'list-open' }],
    ['daftar pesanan', { kind: 'list-open' }],
    ['order masuk min', { kind: 'list-open' }],
    ['STOK gula 25', { kind: 'stock', product: 'gula', quantity: 25, mode: 'set' }],
    ['stok Gula +10', { kind: 'stock', product: 'gula', quantity: 10, mode: 'add' }],
    ['STOK gula -3', { kind: 'stock', product: 'gula', quantity: 3, mode: 'subtract' }],
    ['STOK gula + 10', { kind: 'stock', product: 'gula', quantity: 10, mode: 'add' }],
    ['STOK beras 12,5', { kind: 'stock', product: 'beras', quantity: 12.5, mode: 'set' }],
    ['STOCK beras 12.5', { kind: 'stock', product: 'beras', quantity: 12.5, mode: 'set' }],
    ['STOK  Minyak   GORENG  8 ya', { kind: 'stock', product: 'minyak goreng', quantity: 8, mode: 'set' }],
    ['STOK telur 0', { kind: 'stock', product: 'telur', quantity: 0, mode: 'set' }],
    ['STOK gula 0,250', { kind: 'stock', product: 'gula', quantity: 0.25, mode: 'set' }],
    ['STOK gula = 25', { kind: 'stock', product: 'gula', quantity: 25, mode: 'set' }],
    ['STOK gula \u22123', { kind: 'stock', product: 'gula', quantity: 3, mode: 'subtract' }],
    ['STOK gula: 25', { kind: 'stock', product: 'gula', quantity: 25, mode: 'set' }],
    ['STOK gula tambah 10', { kind: 'stock', product: 'gula', quantity: 10, mode: 'add' }],
    ['STOK gula kurangi 2', { kind: 'stock', product: 'gula', quantity: 2, mode: 'subtract' }],
    ['STOK beras 5kg 12', { kind: 'stock', product: 'beras 5kg', quantity: 12, mode: 'set' }],
    ['BANTUAN', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['Menu kak', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['??', { kind: 'help' }],
  ])('%j', (input, expected) => {
    expect(parseStaffCommand(input)).toEqual(expected);
  });
});

describe('parseStaffCommand: keyword recognised, arguments unusable', () => {
  test.each<[string, StaffCommand]>([
    ['TERIMA', usage('OK')],
    ['konfirmasi pesanan', usage('OK')],
    ['OK 0', usage('OK')],
    ['ok kak 1024', usage('OK')],
    ['oke siap 1024', usage('OK')],
    ['SIAP 10x4', usage('SIAP')],
    ['SIAP 1024a', usage('SIAP')],
    ['SIAP seribu dua puluh empat', usage('SIAP')],
    ['SIAP pesanan', usage('SIAP')],
    ['SIAP 1.024', usage('SIAP')],
    ['SIAP 12,345', usage('SIAP')],
    ['SIAP 100,101', usage('SIAP')],
    ['SIAP 1234567890', usage('SIAP')],
    ['SIAP 1024-1026', usage('SIAP')],
    ['SIAP 1024 dan', usage('SIAP')],
    ['SIAP 1024?', usage('SIAP')],
    ['SIAP 1024 punya bu ani', usage('SIAP')],
    ['SIAP ' + Array.from({ length: 51 }, (_, i) => i + 1).join(' '), usage('SIAP')],
    ['ANTAR', usage('ANTAR')],
    ['kirim sekarang', usage('ANTAR')],
    ['SELESAI', usage('SELESAI')],
    ['done', usage('SELESAI')],
    ['TOLAK', usage('TOLAK')],
    ['TOLAK stok habis', usage('TOLAK')],
    ['TOLAK 1024 1025', usage('TOLAK')],
    ['TOLAK 1024, 1025 stok habis', usage('TOLAK')],
    ['tolak 1024 dan 1025', usage('TOLAK')],
    ['TOLAK 1024 3 item kosong', usage('TOLAK')],
    ['TOLAK 1024?', usage('TOLAK')],
    ['TOLAK 1024 ya?', usage('TOLAK')],
    ['TOLAK 1024.5', usage('TOLAK')],
    ['LUNAS', usage('LUNAS')],
    ['bayar pakai transfer', usage('LUNAS')],
    ['LUNAS 0', usage('LUNAS')],
    ['STOK', usage('STOK')],
    ['STOK gula', usage('STOK')],
    ['STOK 25', usage('STOK')],
    ['STOK gula 25 kg', usage('STOK')],
    ['STOK gula 25kg', usage('STOK')],
    ['STOK gula 1.500', usage('STOK')],
    ['STOK gula +0', usage('STOK')],
    ['STOK gula 25?', usage('STOK')],
    ['STOK gula 25 10', usage('STOK')],
    ['STOK gula tambah -3', usage('STOK')],
    ['STOK gula sepuluh', usage('STOK')],
  ])('%j', (input, expected) => {
    expect(parseStaffCommand(input)).toEqual(expected);
  });
});

describe('parseStaffCommand: not a staff command', () => {
  test.each([
    '', '   ', 'halo kak', 'ok', 'OK!', 'oke makasih', 'ok makasih kak 👍', 'oke nanti saya cek', 'okee siap',
    'siap', 'siap kak', 'Siap laksanakan 🙏', 'siap, terima kasih', 'terima kasih', 'Terima kasih 1024',
    'ok2', 'siap2 kak', 'SIAP1024', 'okay 1024', 'pesan gula 1 kg', '1024', '#1024', 'sudah siap 1024', 'mau order gula 2 kg',
    'pesanan 1024', 'daftar anggota', 'menu hari ini apa', 'help me', '?? 1024', '...', '!!!', '🙏🙏🙏',
  ])('%j', (input) => {
    expect(parseStaffCommand(input)).toBeUndefined();
  });
});

describe('parseStaffCommand: hostile input', () => {
  const long = 'a'.repeat(200_000);
  test.each([
    long,
    `SIAP ${long}`,
    `TOLAK 1024 ${long}`,
    `TOLAK 1024 ${'a '.repeat(100_000)}`,
    `STOK ${long} 5`,
    `SIAP 1024 ${'kak '.repeat(50_000)}`,
    `SIAP ${'1024 '.repeat(50_000)}`,
    `ok ${'1, '.repeat(50_000)}`,
    '💥'.repeat(10_000),
    '\ud800 SIAP \udfff',
    'SIAP \u0000 1024',
    '?!.,;:#&*_~`>',
  ])('does not throw on %#', (input) => {
    expect(() => parseStaffCommand(input)).not.toThrow();
  });

  test('keeps a long reason whole and ignores a long polite tail', () => {
    expect(parseStaffCommand(`TOLAK 1024 ${'x'.repeat(5000)}`)).toEqual({ kind: 'reject', number: 1024, reason: 'x'.repeat(5000) });
    expect(parseStaffCommand(`SIAP 1024 ${'kak '.repeat(50_000)}`)).toEqual(step('ready', 1024));
    expect(parseStaffCommand(`SIAP ${'1024 '.repeat(50_000)}`)).toEqual(step('ready', 1024));
  });
});
