import {
  BALANCE_WORDS, FINANCE_WORDS, LIST_WORDS, CANCEL_WORDS, EDIT_WORDS, GREETING_WORDS, HELP_WORDS, PARTICLE_WORDS, POLITE_WORDS, PRICE_WORDS,
  PAST_REFERENCE_WORDS, STATUS_DELIVERY_WORDS, STATUS_QUESTION_WORDS, STATUS_STRONG_WORDS, STATUS_SUBJECT_WORDS, STRONG_ORDER_WORDS, WEAK_ORDER_WORDS, YES_WORDS,
} from './lexicon.js';
import type { CartEdit, Intent } from './types.js';

/** What the intent rules look at, gathered once per message. */
export interface IntentFeatures {
  /** Canonical words of the message, in order. */
  words: readonly string[];
  /** Products found (resolved, ambiguous or in an unsold unit), plus unknown products with a quantity. */
  itemCount: number;
  /** Items written with an explicit quantity. */
  quantifiedCount: number;
  hasQuestionMark: boolean;
  /** True when the message is nothing but a question mark. */
  onlyQuestionMark: boolean;
  /** True when a quantity was written, with or without a product ("tambah 1 lagi"). */
  hasQuantity: boolean;
  /** True when every token is a word (no numbers). */
  onlyWords: boolean;
}

export interface IntentResult {
  intent: Intent;
  edit?: CartEdit;
  /** An order that also asks about the savings ("pesan beras 5 kg. saldo saya cukup kan?"). */
  asksBalance?: true;
}

function hasAny(words: ReadonlySet<string>, set: ReadonlySet<string>): boolean {
  for (const w of words) if (set.has(w)) return true;
  return false;
}

function isStatusQuestion(w: ReadonlySet<string>): boolean {
  if (hasAny(w, STATUS_STRONG_WORDS)) return true;
  if (w.has('kapan') && hasAny(w, STATUS_DELIVERY_WORDS)) return true;
  if (hasAny(w, STATUS_SUBJECT_WORDS) && hasAny(w, STATUS_QUESTION_WORDS)) return true;
  if (w.has('sampai') && (w.has('mana') || w.has('dimana'))) return true;
  // "belum nyampe nih", "udah dikirim?" — but "bukti transfer sudah dikirim" is about payment.
  if (w.has('transfer') || w.has('bukti') || w.has('bayar')) return false;
  return (w.has('dikirim') || w.has('sampai') || w.has('datang')) && (w.has('sudah') || w.has('belum'));
}

/**
 * Decides the intent by precedence: cancel, balance, (loans: unknown), how-to help, status, help,
 * cart edits, price, order, greeting, unknown.
 */
export function detectIntent(f: IntentFeatures): IntentResult {
  const w = new Set(f.words);
  const hasItems = f.itemCount > 0;
  const orderVerb = hasAny(w, STRONG_ORDER_WORDS);
  let edit: CartEdit | undefined;
  for (const word of f.words) {
    const e = EDIT_WORDS.get(word);
    if (e !== undefined) { edit = e; break; }
  }
  // "jangan dibatalin ya": a cancel word refused is no cancel.
  const refusedCancel = (i: number) => ['jangan', 'gausah'].includes(f.words[i - 1] ?? '') || (f.words[i - 1] === '' && f.words[i - 2] === 'tidak');
  if (f.words.some((word, i) => CANCEL_WORDS.has(word) && !refusedCancel(i))) return { intent: 'cancel' };
  // "hapus semua", "hapus aja kak, mulai dari awal": nothing named to remove, so everything.
  const startsOver = w.has('awal') && (w.has('mulai') || w.has('ulang'));
  if (!hasItems && !f.hasQuantity && (startsOver || edit === 'remove')) return { intent: 'cancel' };
  // "pake simpanan bisa? mau beras 5 kg": goods asked for with an amount make it an order that asks.
  if (hasAny(w, BALANCE_WORDS)) return (orderVerb || hasAny(w, WEAK_ORDER_WORDS)) && f.quantifiedCount > 0 ? { intent: 'order', asksBalance: true } : { intent: 'balance' };
  // "pinjaman sy brp", "koperasi buka jam brp": not about goods.
  if (!hasItems && (hasAny(w, FINANCE_WORDS) || w.has('jam'))) return { intent: 'unknown' };
  // "gmn cara order di sini" asks how to use the service, whatever else it mentions.
  if (w.has('cara')) return { intent: 'help' };
  // "kapan dikirim beras yg sy pesen td" asks about a past order, not a new one.
  if (isStatusQuestion(w) && !(hasItems && orderVerb && !hasAny(w, PAST_REFERENCE_WORDS))) return { intent: 'status' };
  // "info harga" asks for prices, "info" alone for help.
  if (f.onlyQuestionMark || (hasAny(w, HELP_WORDS) && !hasItems && !(w.has('info') && hasAny(w, PRICE_WORDS)))) return { intent: 'help' };
  // "bisa pesan apa aja?", "apa aja yang dijual": asking what there is.
  if (!hasItems && ((w.has('apa') && w.has('aja')) || (hasAny(w, LIST_WORDS) && !hasAny(w, PRICE_WORDS)))) return { intent: 'help' };
  if (edit !== undefined && (hasItems || f.hasQuantity)) return { intent: 'order', edit };
  if (w.has('lagi') && hasItems && !hasAny(w, PRICE_WORDS)) return { intent: 'order', edit: 'add' };
  const priceWord = hasAny(w, PRICE_WORDS);
  // "beras ada?", "mau tanya gula": asking about a product without ordering it.
  // "masih ada gula, kopi 1 renceng" tells what is at home; "telur masih ada ga?" asks.
  const saysStillHas = f.words.some((word, i) => word === 'ada' && f.words[i - 1] === 'masih') && !f.hasQuestionMark && !w.has('tidak') && !w.has('apa');
  const impliedPrice = hasItems && !orderVerb && (w.has('tanya') || ((f.hasQuestionMark || (w.has('ada') && !saysStillHas)) && !w.has('mau') && !w.has('dikirim')));
  if (priceWord || impliedPrice) {
    // "pesan beras 5kg sama gula 2kg, totalnya berapa?" is an order asking for its total.
    if (orderVerb && hasItems && (w.has('total') || w.has('semua') || f.quantifiedCount >= 2)) return { intent: 'order' };
    return { intent: 'price' };
  }
  if (hasItems || orderVerb) return { intent: 'order' };
  if (hasAny(w, GREETING_WORDS)) return { intent: 'greeting' };
  // "kak" or "mas" alone is someone calling for attention.
  if (f.onlyWords && f.words.length > 0 && f.words.every((x) => POLITE_WORDS.has(x) || PARTICLE_WORDS.has(x)) && !f.words.every((x) => YES_WORDS.has(x))) {
    return { intent: 'greeting' };
  }
  return { intent: 'unknown' };
}
