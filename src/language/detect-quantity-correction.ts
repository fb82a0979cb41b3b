import type { MessageAnalysis } from './analyze-message.js';
import { DELIVERY_ADDRESS_WORDS } from './lexicon.js';
import { readQuantityAt, type Quantity } from './parse-quantity.js';

/** A bare number above this, with no unit, is a house number or a price, not a corrected amount. */
const MAX_BARE_AMOUNT = 100;

/** Words that change an amount already given: "jadi 3 aja", "eh salah, maksudnya 2 kg", "ralat 4". */
export const CORRECTION_CUES = new Set(['jadi', 'jadiin', 'jadikan', 'maksudnya', 'maksud', 'salah', 'ralat', 'koreksi', 'ganti', 'ubah', 'eh', 'ehh', 'harusnya', 'bukan', 'gajadi', 'dobel', 'double', 'kepencet', 'kekirim']);

/**
 * A message that names no product but corrects an amount: one correction cue and exactly one
 * quantity (not money). What it corrects is the conversation's to decide (the one cart line).
 */
export function detectQuantityCorrection(a: MessageAnalysis, address?: { start: number; end: number }): Quantity | undefined {
  // The address the message also gives ("2 kilo aja, antar ke jl. asoka no 10") is not read.
  const outside = (i: number) => address === undefined || i < address.start || i >= address.end;
  if (!a.words.some((word, i) => word !== undefined && outside(i) && (CORRECTION_CUES.has(word) || CORRECTION_CUES.has(a.tokens[i].text)))) return undefined;
  // "eh alamatnya salah, jl. melati no 17" corrects an address, not an amount.
  if (a.words.some((word, i) => word !== undefined && outside(i) && DELIVERY_ADDRESS_WORDS.has(word))) return undefined;
  let found: Quantity | undefined;
  for (let i = 0; i < a.tokens.length; i++) {
    if (!outside(i)) continue;
    if (a.tokens[i].kind === 'num' && a.tokens[i].negative) continue;
    const reading = readQuantityAt(a.tokens, a.words, i);
    // "bukan 3, 2 aja": the amount refused is not the one meant.
    if (reading !== undefined && a.words[i - 1] === 'bukan') {
      i = reading.end - 1;
      continue;
    }
    // A unit word alone ("kilo") reads as one of it: that is not an amount given.
    if (reading === undefined || reading.quantity.implicit || reading.quantity.amountRp !== undefined || reading.quantity.value <= 0) continue;
    if (reading.quantity.unit === undefined && reading.quantity.value > MAX_BARE_AMOUNT) return undefined;
    // "ganti jadi 20 bungkus aja, 1 dus kebanyakan": the amount after the cue, said to be the one
    // ("aja"), is meant; what a later clause says about the old one is a reason.
    if (found === undefined && CORRECTION_CUES.has(a.words[i - 1] ?? '') && a.words[reading.end] === 'aja' && a.tokens[reading.end + 1]?.kind === 'sep') return reading.quantity;
    // "tambah 5 lagi jadi 10": the amount after "jadi" is the total the line ends at.
    if (found !== undefined && a.words[i - 1] === 'jadi' && a.words.some((word) => word === 'tambah' || word === 'kurangi')) {
      return reading.quantity.unit === undefined && found.unit !== undefined ? { ...reading.quantity, unit: found.unit } : reading.quantity;
    }
    if (found !== undefined) return undefined;
    found = reading.quantity;
    i = reading.end - 1;
  }
  return found;
}
