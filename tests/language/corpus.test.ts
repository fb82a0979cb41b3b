/**
 * Independent accuracy checks of the Indonesian chat parser against hand-written sets of
 * WhatsApp-style messages: the corpus (tests/fixtures/nlu-corpus.jsonl) and a second, separately
 * written held-out set (tests/fixtures/nlu-holdout.jsonl). Both are written against the CLI
 * contract and the demo catalogue, not against the parser's internals, and are scored by the same
 * code as scripts/score-nlu.ts (nlu-scoring.ts).
 */
import { describe, expect, test } from '@jest/globals';
import { parseToContract } from '../../src/demo/parse-to-contract.js';
import { formatScore, readLabelledFile, scoreParser } from './nlu-scoring.js';

/** The demo catalogue: product id -> units it is sold in (first unit is the default). This is the spec. */
const CATALOGUE: Record<string, string[]> = {
  'BERAS-MED': ['kg', 'liter'],
  'BERAS-PREMIUM': ['kg'],
  'BERAS-SPHP': ['karung'],
  MINYAKITA: ['liter'],
  GULA: ['kg'],
  TELUR: ['kg', 'butir', 'papan'],
  TERIGU: ['kg'],
  GARAM: ['bungkus'],
  'LPG-3KG': ['tabung'],
  'MIE-INSTAN': ['bungkus', 'dus'],
  'BAWANG-MERAH': ['kg', 'ons'],
  'BAWANG-PUTIH': ['kg', 'ons'],
  'CABAI-RAWIT': ['kg', 'ons'],
  AYAM: ['kg'],
  KECAP: ['botol'],
  SKM: ['kaleng'],
  'AIR-GALON': ['galon'],
  'TEH-CELUP': ['kotak'],
  'KOPI-SACHET': ['sachet', 'renceng'],
};
const PRODUCT_IDS = Object.keys(CATALOGUE);
const INTENTS = ['order', 'price', 'balance', 'status', 'cancel', 'help', 'greeting', 'unknown'];
const MIN_ACCURACY = 0.95;

const SETS = [
  { name: 'NLU corpus', file: 'nlu-corpus.jsonl' },
  { name: 'NLU held-out set', file: 'nlu-holdout.jsonl' },
];

describe.each(SETS)('$name ($file)', ({ name, file }) => {
  const cases = readLabelledFile(new URL(`../fixtures/${file}`, import.meta.url));

  test('is large enough and only uses catalogue products, units and known intents', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const problems: string[] = [];
    for (const { text, expected } of cases) {
      if (typeof text !== 'string' || text.trim() === '') problems.push(`empty text: ${JSON.stringify(text)}`);
      if (!INTENTS.includes(expected.intent)) problems.push(`${text}: unknown intent ${expected.intent}`);
      for (const item of expected.items) {
        if (!PRODUCT_IDS.includes(item.product)) {
          problems.push(`${text}: product ${item.product} is not in the catalogue`);
          continue;
        }
        const byMoney = item.amountRp !== undefined;
        const byUnit = item.unit !== undefined && item.quantity !== undefined;
        if (byMoney === byUnit) problems.push(`${text}: item must have either unit+quantity or amountRp`);
        if (item.unit !== undefined && !CATALOGUE[item.product].includes(item.unit)) {
          problems.push(`${text}: ${item.product} is not sold by ${item.unit}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test(`the parser reaches at least ${MIN_ACCURACY * 100}% accuracy`, () => {
    const score = scoreParser(name, cases, parseToContract);
    if (score.failures.length > 0) console.log(formatScore(score));
    expect(score.accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
  });
});
