import { findMistypedUnit } from './classify-word.js';
import { MONEY_WORDS, NUMBER_WORDS, readNumberWords } from './number-words.js';
import { tokenize, type Token } from './tokenize.js';
import { lookupSeUnit, lookupUnit } from './units.js';

/** A quantity as written: a count with an optional unit, or an amount of money. */
export interface Quantity {
  value: number;
  /** Unit code (kg, liter, gram, lusin, pcs…) when one was written. */
  unit?: string;
  /** Set when the resident buys by money ("10 ribu", "ceban"). */
  amountRp?: number;
  /** True when only a unit was written ("per butir", "tabung gas"): the count 1 is assumed. */
  implicit?: true;
}

export interface QuantityReading {
  quantity: Quantity;
  /** Index just after the last token read. */
  end: number;
}

const MONEY_SUFFIX = new Set(['rupiah', 'perak', 'rp']);
const THOUSAND_SUFFIX = new Set(['k', 'rb', 'ribu', 'rebu', 'rbu', 'ribuan']);
const MILLION_SUFFIX = new Set(['juta', 'jt']);

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Reads the unit word at tokens[i] that follows a number, if any (its canonical word when mistyped: "papn", "rencneg"). */
function readUnit(tokens: readonly Token[], words: readonly (string | undefined)[], i: number): string | undefined {
  const t = tokens[i];
  if (t === undefined || t.kind !== 'word') return undefined;
  // A word the lexicon knows as something else is not a unit ("2 pick" is not "2 pack").
  return lookupUnit(t.text, true) ?? (words[i] === t.text ? findMistypedUnit(t.text) : undefined);
}

/**
 * Reads one quantity starting at tokens[start]: "2", "2 kg", "1,5 liter", "setengah kilo",
 * "2 setengah", "sekilo", "selusin", "500 gram", "dua puluh", "10 ribu", "15rb", "Rp10.000", "ceban".
 * `words` holds each token's canonical word (undefined for non-words); a bare unit word ("papan") reads as 1.
 */
export function readQuantityAt(tokens: readonly Token[], words: readonly (string | undefined)[], start: number): QuantityReading | undefined {
  const t = tokens[start];
  if (t === undefined) return undefined;
  let i = start;
  let money = false;
  if (t.kind === 'word') {
    const w = words[start] ?? t.text;
    const slang = MONEY_WORDS.get(w);
    if (slang !== undefined) return { quantity: { value: slang, amountRp: slang }, end: start + 1 };
    if (w === 'rp' || w === 'idr') {
      const next = tokens[start + 1];
      if (next === undefined || !(next.kind === 'num' || NUMBER_WORDS.has(words[start + 1] ?? next.text))) return undefined;
      money = true;
      i = start + 1;
    } else {
      const seUnit = lookupSeUnit(w);
      if (seUnit !== undefined && !NUMBER_WORDS.has(w)) {
        let value = 1;
        let end = start + 1;
        const next = tokens[end];
        const fw = next !== undefined && next.kind === 'word' ? NUMBER_WORDS.get(words[end] ?? next.text) : undefined;
        if (fw !== undefined && fw.kind === 'fraction') { value += fw.value; end++; }
        return { quantity: { value, unit: seUnit }, end };
      }
      if (!NUMBER_WORDS.has(w)) {
        // A bare unit word ("telor papan", "per kg") reads as one of that unit.
        const unit = lookupUnit(w, false);
        if (unit !== undefined) return { quantity: { value: 1, unit, implicit: true }, end: start + 1 };
        return undefined;
      }
    }
  } else if (t.kind !== 'num') {
    return undefined;
  }

  const first = tokens[i];
  let value: number;
  let big = false;
  if (first.kind === 'num') {
    value = first.value;
    i++;
    const next = tokens[i];
    // "1 1/2" adds the fraction.
    if (next !== undefined && next.kind === 'num' && next.fraction && next.value < 1 && Number.isInteger(value)) { value += next.value; i++; }
    const reading = readNumberWords(words, i, value);
    if (reading !== undefined) { value = reading.value; big = reading.big; i = reading.end; }
  } else {
    const reading = readNumberWords(words, i);
    if (reading === undefined) return undefined;
    value = reading.value;
    big = reading.big;
    i = reading.end;
  }

  const next = tokens[i];
  if (next !== undefined && next.kind === 'word') {
    if (THOUSAND_SUFFIX.has(next.text)) { value *= 1000; money = true; i++; }
    else if (MILLION_SUFFIX.has(next.text)) { value *= 1_000_000; money = true; i++; }
    else if (MONEY_SUFFIX.has(next.text)) { money = true; i++; }
  }
  if (!money) {
    const unit = readUnit(tokens, words, i);
    if (unit !== undefined) {
      i++;
      const after = tokens[i];
      // "sekilo setengah" style trailing half: "2 kilo setengah".
      const fw = after !== undefined && after.kind === 'word' ? NUMBER_WORDS.get(words[i] ?? after.text) : undefined;
      if (fw !== undefined && fw.kind === 'fraction') { value += fw.value; i++; }
      return { quantity: { value: round(value), unit }, end: i };
    }
    // Big round numbers without a unit are money: "gula 10000", "lima ribu".
    if (big || value >= 1000) money = true;
  } else {
    const after = tokens[i];
    if (after !== undefined && after.kind === 'word' && MONEY_SUFFIX.has(after.text)) i++;
  }
  if (money) {
    const amountRp = Math.round(value);
    // Digits past safe integers are noise, not money.
    if (!Number.isSafeInteger(amountRp)) return undefined;
    return { quantity: { value: amountRp, amountRp }, end: i };
  }
  return { quantity: { value: round(value) }, end: i };
}

/** Parses a short quantity text on its own: "2 setengah kilo" -> { value: 2.5, unit: 'kg' }. */
export function parseQuantity(text: string): Quantity | undefined {
  const tokens = tokenize(text).filter((t) => t.kind !== 'sep');
  const words = tokens.map((t) => (t.kind === 'word' ? t.text : undefined));
  for (let i = 0; i < tokens.length; i++) {
    const reading = readQuantityAt(tokens, words, i);
    if (reading !== undefined) return reading.quantity;
  }
  return undefined;
}
