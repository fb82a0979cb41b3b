import { describe, expect, test } from '@jest/globals';
import { readNumberWords } from '../../src/language/number-words.js';
import { parseQuantity } from '../../src/language/parse-quantity.js';

describe('parseQuantity: numbers and number words', () => {
  test.each([
    ['2', { value: 2 }],
    ['satu', { value: 1 }],
    ['sembilan', { value: 9 }],
    ['sepuluh', { value: 10 }],
    ['sebelas', { value: 11 }],
    ['dua belas', { value: 12 }],
    ['lima belas', { value: 15 }],
    ['dua puluh', { value: 20 }],
    ['dua puluh lima', { value: 25 }],
    ['seratus', { value: 100 }],
    ['dua ratus gram', { value: 200, unit: 'gram' }],
    ['seratus dua puluh', { value: 120 }],
  ])('%s', (text, expected) => {
    expect(parseQuantity(text)).toEqual(expected);
  });
});

describe('parseQuantity: fractions', () => {
  test.each([
    ['setengah', 0.5],
    ['seperempat', 0.25],
    ['1/2', 0.5],
    ['3/4', 0.75],
    ['2 setengah', 2.5],
    ['dua setengah', 2.5],
    ['satu setengah', 1.5],
    ['1,5', 1.5],
    ['1.5', 1.5],
    ['0,25', 0.25],
    ['1 1/2', 1.5],
  ])('%s = %d', (text, value) => {
    expect(parseQuantity(text)?.value).toBeCloseTo(value, 9);
    expect(parseQuantity(text)?.amountRp).toBeUndefined();
  });
});

describe('parseQuantity: units and the se- prefix', () => {
  test.each([
    ['2kg', 2, 'kg'],
    ['2 kilo', 2, 'kg'],
    ['3 kilogram', 3, 'kg'],
    ['2 ltr', 2, 'liter'],
    ['2L', 2, 'liter'],
    ['500 gram', 500, 'gram'],
    ['250gr', 250, 'gram'],
    ['100g', 100, 'gram'],
    ['2 ons', 2, 'ons'],
    ['5 btr', 5, 'butir'],
    ['5 biji', 5, 'butir'],
    ['1 rak', 1, 'papan'],
    ['1 tray', 1, 'papan'],
    ['3 bks', 3, 'bungkus'],
    ['2 kardus', 2, 'dus'],
    ['2 karton', 2, 'dus'],
    ['3 renteng', 3, 'renceng'],
    ['10 saset', 10, 'sachet'],
    ['2 sak', 2, 'karung'],
    ['setengah kilo', 0.5, 'kg'],
    ['seperempat kilo', 0.25, 'kg'],
    ['2 setengah kilo', 2.5, 'kg'],
    ['2 kilo setengah', 2.5, 'kg'],
    ['sekilo', 1, 'kg'],
    ['seliter', 1, 'liter'],
    ['sebungkus', 1, 'bungkus'],
    ['sepapan', 1, 'papan'],
    ['sedus', 1, 'dus'],
    ['seons', 1, 'ons'],
    ['serenceng', 1, 'renceng'],
    ['setabung', 1, 'tabung'],
    ['segalon', 1, 'galon'],
    ['sekaleng', 1, 'kaleng'],
    ['sebotol', 1, 'botol'],
    ['sekotak', 1, 'kotak'],
    ['sekarung', 1, 'karung'],
    ['selusin', 1, 'lusin'],
    ['2 lusin', 2, 'lusin'],
    ['papan', 1, 'papan'],
  ])('%s = %d %s', (text, value, unit) => {
    const q = parseQuantity(text);
    expect(q?.value).toBeCloseTo(value, 9);
    expect(q?.unit).toBe(unit);
  });
});

describe('parseQuantity: money', () => {
  test.each([
    ['10 ribu', 10_000],
    ['15rb', 15_000],
    ['20k', 20_000],
    ['Rp10.000', 10_000],
    ['rp 31.400', 31_400],
    ['Rp 5rb', 5_000],
    ['sepuluh ribu', 10_000],
    ['lima ribu', 5_000],
    ['dua puluh lima ribu', 25_000],
    ['seratus ribu', 100_000],
    ['seribu', 1_000],
    ['1,5 juta', 1_500_000],
    ['ceban', 10_000],
    ['goceng', 5_000],
    ['15.000', 15_000],
    ['5000 rupiah', 5_000],
  ])('%s = Rp%d', (text, amountRp) => {
    expect(parseQuantity(text)).toEqual({ value: amountRp, amountRp });
  });

  test('a number followed by a unit is never money, however large', () => {
    expect(parseQuantity('1500 gram')).toEqual({ value: 1500, unit: 'gram' });
  });
});

describe('readNumberWords', () => {
  test('stops at a second bare digit: "dua tiga" is two numbers', () => {
    expect(readNumberWords(['dua', 'tiga'], 0)).toEqual({ value: 2, end: 1, big: false });
  });

  test('reports ribu as a big (money) number', () => {
    expect(readNumberWords(['lima', 'ribu'], 0)).toEqual({ value: 5000, end: 2, big: true });
  });

  test('returns undefined when the first word is not a number', () => {
    expect(readNumberWords(['gula'], 0)).toBeUndefined();
  });
});
