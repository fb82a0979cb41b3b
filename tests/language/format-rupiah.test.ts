import { expect, test } from '@jest/globals';
import { formatRupiah } from '../../src/language/format-rupiah.js';

test.each([
  [98900, 'Rp98.900'],
  [0, 'Rp0'],
  [500, 'Rp500'],
  [1000, 'Rp1.000'],
  [1234567, 'Rp1.234.567'],
  [-5000, '-Rp5.000'],
])('formatRupiah(%d) = %s', (amount, text) => {
  expect(formatRupiah(amount)).toBe(text);
});
