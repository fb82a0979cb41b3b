import type { MessageAnalysis } from './analyze-message.js';
import { readQuantityAt, type Quantity } from './parse-quantity.js';

/** Words that change an amount already given: "jadi 3 aja", "eh salah, maksudnya 2 kg", "ralat 4". */
export const CORRECTION_CUES = new Set(['jadi', 'jadiin', 'jadikan', 'maksudnya', 'maksud', 'salah', 'ralat', 'koreksi', 'ganti', 'ubah', 'eh', 'ehh']);

/**
 * A message that names no product but corrects an amount: one correction cue and exactly one
 * quantity (not money). What it corrects is the conversation's to decide (the one cart line).
 */
export function detectQuantityCorrection(a: MessageAnalysis): Quantity | undefined {
  if (!a.words.some((word, i) => word !== undefined && (CORRECTION_CUES.has(word) || CORRECTION_CUES.has(a.tokens[i].text)))) return undefined;
  let found: Quantity | undefined;
  for (let i = 0; i < a.tokens.length; i++) {
    if (a.tokens[i].kind !== 'num' || a.tokens[i].negative) continue;
    const reading = readQuantityAt(a.tokens, a.words, i);
    if (reading === undefined || reading.quantity.amountRp !== undefined || reading.quantity.value <= 0) continue;
    if (found !== undefined) return undefined;
    found = reading.quantity;
    i = reading.end - 1;
  }
  return found;
}
