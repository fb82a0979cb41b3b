import { describe, expect, test } from '@jest/globals';
import { normalizeText } from '../../src/language/normalize-text.js';
import { collapseLongRuns, tokenize } from '../../src/language/tokenize.js';

describe('normalizeText', () => {
  test.each([
    ['Kak mau PESENNN berasss', 'kak mau pesan beras'],
    ['sy mau pesen brp', 'saya mau pesan berapa'],
    ['gk jadi, tlg batalin', 'tidak jadi , tolong batal'],
    ['beras5kg', 'beras 5 kg'],
    ['Rp10.000', 'rp 10000'],
    ['gula 1,5 kg', 'gula 1.5 kg'],
    ['gula 1.5 kg', 'gula 1.5 kg'],
    ['minyak 1/2 liter', 'minyak 0.5 liter'],
    ['½ kg gula', '0.5 kg gula'],
    ["assalamu'alaikum", 'assalamualaikum'],
    ['Café', 'cafe'],
    ['1. beras 5kg\n2. gula 1kg', 'beras 5 kg , gula 1 kg'],
    ['beras 2kg,gula', 'beras 2 kg , gula'],
    ['telor sepapan brp?', 'telor sepapan berapa ?'],
    ['', ''],
    ['🙏🙏', ''],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });
});

describe('collapseLongRuns', () => {
  test.each([
    ['berasss', 'beras'],
    ['pesennn', 'pesen'],
    ['saat', 'saat'],
    ['iyaa', 'iyaa'],
    ['haaaaloooo', 'halo'],
  ])('%s -> %s', (input, expected) => {
    expect(collapseLongRuns(input)).toBe(expected);
  });
});

describe('tokenize', () => {
  test('splits numbers from glued units and keeps thousand groups whole', () => {
    const tokens = tokenize('telur 15rb, gula 1.500 gram');
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['word', 'telur'], ['num', '15'], ['word', 'rb'], ['sep', ','], ['word', 'gula'], ['num', '1.500'], ['word', 'gram'],
    ]);
    expect(tokens[5].value).toBe(1500);
  });

  test('reads a numbered-list marker as a separator, not a quantity', () => {
    const tokens = tokenize('1) gula 2kg\n2) tepung');
    expect(tokens.filter((t) => t.kind === 'num').map((t) => t.value)).toEqual([2]);
  });

  test('keeps a question mark as its own token and drops trailing separators', () => {
    expect(tokenize('brp?.').map((t) => t.kind)).toEqual(['word', 'q']);
  });
});
