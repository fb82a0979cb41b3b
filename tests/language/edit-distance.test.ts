import { expect, test } from '@jest/globals';
import { allowedTypos, measureEditDistance } from '../../src/language/edit-distance.js';

test.each([
  ['gula', 'gula', 0],
  ['gual', 'gula', 1], // adjacent swap counts once
  ['mnyak', 'minyak', 1],
  ['telut', 'telur', 1],
  ['tepng', 'tepung', 1],
  ['bawng', 'bawang', 1],
  ['indomei', 'indomie', 1],
  ['beryodum', 'beryodium', 1],
  ['garem', 'garam', 1],
  ['kecap', 'kacang', 3],
])('distance(%s, %s) = %d', (a, b, d) => {
  expect(measureEditDistance(a, b, 3)).toBe(d);
});

test('gives up past the limit and reports limit + 1', () => {
  expect(measureEditDistance('motor', 'minyak', 1)).toBe(2);
});

test.each([
  [2, 0], [3, 0], [4, 1], [6, 1], [7, 2], [12, 2],
])('a %d-letter word may carry %d typos', (length, typos) => {
  expect(allowedTypos(length)).toBe(typos);
});
