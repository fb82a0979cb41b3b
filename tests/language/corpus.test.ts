/**
 * Independent accuracy check of the Indonesian chat parser against a hand-written corpus of
 * WhatsApp-style messages (tests/fixtures/nlu-corpus.jsonl). The corpus is written against the
 * CLI contract and the demo catalogue, not against the parser's internals.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { parseToContract } from '../../src/language/contract.js';

interface ContractItem {
  product: string;
  unit?: string;
  quantity?: number;
  amountRp?: number;
}

interface ContractResult {
  intent: string;
  items: ContractItem[];
}

interface CorpusLine {
  text: string;
  expected: ContractResult;
}

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

const corpusPath = new URL('../fixtures/nlu-corpus.jsonl', import.meta.url);
const corpus: CorpusLine[] = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line, i) => {
    try {
      return JSON.parse(line) as CorpusLine;
    } catch (err) {
      throw new Error(`nlu-corpus.jsonl line ${i + 1} is not valid JSON: ${(err as Error).message}`);
    }
  });

function sameQuantity(expected: number | undefined, got: number | undefined): boolean {
  if (expected === undefined || got === undefined) return expected === got;
  return typeof got === 'number' && Math.abs(got - expected) <= 1e-9;
}

function sameItem(expected: ContractItem, got: ContractItem | undefined): boolean {
  if (!got) return false;
  return (
    got.product === expected.product &&
    got.unit === expected.unit &&
    sameQuantity(expected.quantity, got.quantity) &&
    got.amountRp === expected.amountRp
  );
}

function matches(expected: ContractResult, got: ContractResult): boolean {
  if (got.intent !== expected.intent) return false;
  const gotItems = Array.isArray(got.items) ? got.items : [];
  if (gotItems.length !== expected.items.length) return false;
  return expected.items.every((item, i) => sameItem(item, gotItems[i]));
}

test('the corpus is large enough and only uses catalogue products, units and known intents', () => {
  expect(corpus.length).toBeGreaterThanOrEqual(150);
  const problems: string[] = [];
  for (const { text, expected } of corpus) {
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

test(`the parser reaches at least ${MIN_ACCURACY * 100}% accuracy on the corpus`, () => {
  const failures: Array<{ text: string; expected: ContractResult; got: unknown }> = [];
  for (const { text, expected } of corpus) {
    let got: ContractResult;
    try {
      got = parseToContract(text);
    } catch (err) {
      failures.push({ text, expected, got: `threw: ${(err as Error).message}` });
      continue;
    }
    if (!matches(expected, got)) failures.push({ text, expected, got });
  }
  const accuracy = (corpus.length - failures.length) / corpus.length;
  if (failures.length > 0) {
    const lines = failures.map(
      (f) =>
        `text:     ${JSON.stringify(f.text)}\n` +
        `expected: ${JSON.stringify(f.expected)}\n` +
        `got:      ${JSON.stringify(f.got)}`,
    );
    console.log(
      `NLU corpus: ${corpus.length - failures.length}/${corpus.length} correct ` +
        `(${(accuracy * 100).toFixed(1)}%), ${failures.length} failing:\n\n${lines.join('\n\n')}`,
    );
  }
  expect(accuracy).toBeGreaterThanOrEqual(MIN_ACCURACY);
});
