import type { MessageAnalysis } from './analyze-message.js';
import type { Catalog } from './catalog.js';
import { PARTICLE_WORDS, POLITE_WORDS, YES_WORDS } from './lexicon.js';
import { readQuantityAt, type Quantity } from './parse-quantity.js';
import type { Clarification, ItemRequest } from './types.js';
import { resolveUnit } from './units.js';

/** Words that may surround an amount given on its own ("mau 2 papan ya kak", "yaudah 1 aja"). */
const AMOUNT_FILLERS = new Set(['mau', 'pesan', 'beli', 'ambil', 'order', 'minta', 'jadi', 'tolong', 'saya', 'itu', 'ini', 'yang', 'tambah', 'kurangi', 'lagi', 'aja', 'dulu', 'cukup', 'untuk', 'buat', 'tadi', '']);

/**
 * An amount given without a product ("2 kg", "setengah kilo", "mau 2 papan", "ceban"): the
 * answer to "how many?" for a product the conversation already knows. Only when the message
 * is nothing but the amount and small words, so an address or a sentence never reads as one.
 */
export function detectAmount(a: MessageAnalysis): Quantity | undefined {
  let found: Quantity | undefined;
  for (let i = 0; i < a.tokens.length; i++) {
    const token = a.tokens[i];
    if (token.kind === 'sep' || token.kind === 'q') continue;
    const word = a.words[i];
    if (word !== undefined && (AMOUNT_FILLERS.has(word) || POLITE_WORDS.has(word) || PARTICLE_WORDS.has(word) || YES_WORDS.has(word))) continue;
    const reading = found === undefined ? readQuantityAt(a.tokens, a.words, i) : undefined;
    if (reading === undefined) return undefined;
    found = reading.quantity;
    i = reading.end - 1;
  }
  return found;
}

/** The one amount with a unit a question names ("berapa harga kalo 5 kilo kak?"), if only one. */
export function detectAskedAmount(a: MessageAnalysis): Quantity | undefined {
  let found: Quantity | undefined;
  for (let i = 0; i < a.tokens.length; i++) {
    const reading = readQuantityAt(a.tokens, a.words, i);
    if (reading === undefined) continue;
    if (reading.quantity.unit === undefined || reading.quantity.amountRp !== undefined || found !== undefined) return undefined;
    found = reading.quantity;
    i = reading.end - 1;
  }
  return found;
}

/** The amount as an item of a known product, or why it cannot be one ("2 karung" of eggs). */
export function resolveAmount(amount: Quantity, productId: string, catalog: Catalog): { item: ItemRequest } | { clarification: Clarification } {
  if (amount.amountRp !== undefined) return { item: { productId, amountRp: amount.amountRp } };
  const resolved = resolveUnit(catalog.unitCodes.get(productId) ?? [], amount.unit, amount.value);
  if (resolved.ok) return { item: { productId, unit: resolved.unit, quantity: resolved.quantity } };
  return { clarification: { kind: 'unit_not_sold', productId, unit: resolved.unit, quantity: resolved.quantity } };
}
