import type { MessageAnalysis } from './analyze-message.js';
import { DELIVERY_ADDRESS_WORDS, PARTICLE_WORDS, POLITE_WORDS, STRICT_ADDRESS_WORDS, STREET_WORDS as STREET_NAME_WORDS, YES_WORDS } from './lexicon.js';
import { questionedTokens } from './detect-question.js';
import { alignText } from './tokenize.js';
import type { CheckoutAnswers, FulfilmentAnswer, PaymentAnswer } from './types.js';

/**
 * Checkout answers given anywhere in a message, asked or not: pickup or delivery, the
 * delivery address (cut out as typed), and the payment method. "minyak 2 liter, dianter ke
 * Jl. Kenanga No. 7 ya, bayar tf" gives delivery, "Jl. Kenanga No. 7" and transfer. Words
 * under a negation ("gak usah dianter", "ga bisa tf") or inside a question ("bisa qris?")
 * answer nothing; when two answers of a kind are given, the last one counts.
 */

const PICKUP_WORDS = new Set(['ambil', 'pickup', 'jemput', 'takeaway']);
const DELIVERY_WORDS = new Set(['kirim', 'dikirim', 'delivery', 'antar']);
const PAYMENT_WORDS = new Map<string, PaymentAnswer>([
  ['cod', 'cod'], ['tunai', 'cod'], ['cash', 'cod'], ['kontan', 'cod'], ['ditempat', 'cod'],
  ['transfer', 'transfer'], ['tf', 'transfer'], ['trf', 'transfer'], ['tranfer', 'transfer'], ['trasfer', 'transfer'], ['mbanking', 'transfer'], ['banking', 'transfer'], ['brimo', 'transfer'],
  ['qris', 'qris'], ['qr', 'qris'],
  ['sukarela', 'simpanan'],
]);
/** Savings are a payment only when spent ("potong simpanan", "bayar pake saldo"), never when asked about. */
const SPEND_WORDS = new Set(['potong', 'pakai', 'pake', 'dari', 'via', 'lewat', 'bayar', 'dengan', 'deduct', 'use', 'using', 'from']);
/** Words that pay, as against words that look ("cek simpanan"). */
const PAYING_WORDS = new Set(['potong', 'pakai', 'pake', 'bayar', 'deduct', 'use', 'using']);

/** "oke pake simpanan", "potong saldo aja": savings spent, not asked about. */
export function spendsSavings(a: MessageAnalysis): boolean {
  return a.words.some((word) => word !== undefined && PAYING_WORDS.has(word)) && a.words.some((word) => word !== undefined && SAVINGS_WORDS.has(word));
}

/** Between the spending word and the savings: "potong dari simpanan saya", "deduct it from my savings". */
const SAVINGS_OWNER_WORDS = new Set(['my', 'it', 'saya', 'aku', 'sy', 'the']);
const SAVINGS_WORDS = new Set(['simpanan', 'saldo', 'tabungan']);
/** "bayar pas nyampe", "bayar nanti aja": cash when the goods arrive. */
const PAY_ON_ARRIVAL_WORDS = new Set(['pas', 'nanti', 'waktu', 'saat', 'kalau', 'sampai', 'datang', 'ditempat']);
/** "bayar di tempat", "bayar di rumah aja", "bayar di gerai": cash where the goods change hands. */
const PAY_PLACES = new Set(['tempat', 'rumah', 'gerai', 'toko', 'warung', 'koperasi', 'kasir', 'lokasi', 'sini', 'sana']);
/** English: "pay at the store", "pay on pickup", "pay in cash". */
const PAY_AT_WORDS = new Set(['at', 'on', 'upon', 'in']);
const PAY_PLACE_WORDS = new Set(['store', 'shop', 'counter', 'pickup', 'delivery', 'arrival', 'arrives', 'arrive', 'door', 'person', 'cash']);
const NEGATIONS = new Set(['tidak', 'jangan', 'gajadi', 'gausah', 'bukan', 'belum']);
/** Words that end an address: what follows is another answer or small talk. */
const ADDRESS_STOP_WORDS = new Set(['eh', 'ehh', 'oh', 'oiya', 'btw', 'bayar', 'ya', 'ok', 'makasih', 'tolong', 'saya', 'tunggu', 'ditunggu', 'sekalian', 'terus', 'lalu', 'nanti', 'jam', 'besok', 'sekarang', 'kalau', 'biar', 'soalnya', 'karena']);
/** Words that lead into an address: "alamat(nya)", "dianter ke …". */
const ADDRESS_LEADS = new Set(['alamat', 'address']);
/** Street words a product name may follow without being ordered ("Jl. Gula Batu"). */
const STREET_WORDS = new Set([...STREET_NAME_WORDS, 'perum', 'perumahan']);
/** Words about an address, not of it: "alamatnya salah, …", "alamat baru: …". */
const ABOUT_THE_ADDRESS = new Set(['', 'salah', 'benar', 'betul', 'baru', 'lengkap', 'lengkapnya', 'lama', 'ganti', 'ubah', 'jadi', 'nya', 'ku', 'adalah', 'yaitu']);
/** Words joining items of a list: before goods they end an address ("jl. melati 3 sama gula 2 kg"). */
const LIST_JOINERS = new Set(['dan', 'sama', 'plus', 'serta']);
const MAX_ADDRESS_LENGTH = 300;
const CLOSERS = new Set(['"', "'", ')', ']', '\u201d', '\u2019', '\u00bb']);

interface Span {
  start: number;
  end: number;
}

/** An item found in the message; `quantity` set when an amount was written with it. */
interface ItemSpan extends Span {
  quantity?: unknown;
}

export interface CheckoutAnswersFound extends CheckoutAnswers {
  /** Token span of the address, so items are not read from it. */
  addressSpan?: Span;
}

export function detectCheckoutAnswers(a: MessageAnalysis, text: string, items: readonly ItemSpan[], question: boolean): CheckoutAnswersFound {
  const { tokens, words } = a;
  const asked = questionedTokens(a, question);
  const itemAt = (i: number) => items.find((span) => i >= span.start && i < span.end);
  const usable = (i: number) => !asked[i] && !negated(a, i) && itemAt(i) === undefined;
  const next = (i: number) => nextContent(a, i);
  const found: CheckoutAnswersFound = {};

  let fulfilment: FulfilmentAnswer | undefined;
  let payment: PaymentAnswer | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const word = words[i];
    if (word === undefined || !usable(i)) continue;
    const following = next(i);
    if (PICKUP_WORDS.has(word) || (word === 'pick' && following !== undefined && (words[following] === 'up' || words[following + 1] === 'up'))) {
      // "ambil 2 kg beras", "mau ambil yang premium" order; "ambil sendiri", "nanti saya ambil" collects.
      if (!ordersAfter(a, i, items)) fulfilment = 'pickup';
    } else if (DELIVERY_WORDS.has(word)) fulfilment = 'delivery';
    const method = PAYMENT_WORDS.get(word) ?? paymentPhrase(a, i);
    if (method !== undefined) payment = method;
  }
  if (fulfilment !== undefined) found.fulfilment = fulfilment;
  if (payment !== undefined) found.payment = payment;

  const span = findAddress(a, items, asked);
  if (span !== undefined && found.fulfilment !== 'pickup') {
    const aligned = alignText(text);
    const source = aligned.length === text.length ? aligned : text.toLowerCase();
    let to = tokens[span.end - 1].end;
    // A closing quote or bracket belongs to the last word ('masjid "Al-Ikhlas"').
    while (to < source.length && CLOSERS.has(source[to])) to++;
    found.address = source.slice(tokens[span.start].start, to).trim().slice(0, MAX_ADDRESS_LENGTH);
    found.addressSpan = span;
  }
  return found;
}

/** "ambil" as a verb of ordering: an amount, "yang …" or goods follow it in its clause. */
function ordersAfter(a: MessageAnalysis, i: number, items: readonly Span[]): boolean {
  const following = nextContent(a, i);
  if (following !== undefined && (a.tokens[following].kind === 'num' || a.words[following] === 'yang')) return true;
  let end = i + 1;
  while (end < a.tokens.length && a.tokens[end].kind === 'word') end++;
  return items.some((span) => span.start > i && span.start < end);
}

/** "bayar di tempat", "bayar pas nyampe", "potong simpanan", "pake saldo". */
function paymentPhrase(a: MessageAnalysis, i: number): PaymentAnswer | undefined {
  const word = a.words[i]!;
  const previous = previousContent(a, i);
  if (SAVINGS_WORDS.has(word)) {
    let spender = previous;
    while (spender !== undefined && SAVINGS_OWNER_WORDS.has(a.words[spender] ?? '')) spender = previousContent(a, spender);
    const spent = spender !== undefined && SPEND_WORDS.has(a.words[spender] ?? '');
    const alone = a.words.filter((w) => w !== undefined && w !== '' && !PARTICLE_WORDS.has(w) && !POLITE_WORDS.has(w)).length <= 2;
    return spent || (alone && word === 'simpanan') ? 'simpanan' : undefined;
  }
  if (word !== 'bayar') return undefined;
  const following = nextContent(a, i);
  const then = following === undefined ? undefined : a.words[following];
  if (then === 'di' || then === 'ditempat') {
    const place = nextContent(a, following!);
    if (then === 'ditempat' || (place !== undefined && PAY_PLACES.has(a.words[place] ?? ''))) return 'cod';
  }
  if (then !== undefined && PAY_ON_ARRIVAL_WORDS.has(then)) return 'cod';
  // "pay at the store", "pay on delivery".
  if (then !== undefined && PAY_AT_WORDS.has(then)) {
    for (let k = following! + 1; k < Math.min(a.words.length, following! + 4); k++) if (PAY_PLACE_WORDS.has(a.words[k] ?? '')) return 'cod';
  }
  return undefined;
}

/** The address: after "alamat", at a street word, or after "dianter ke" before a place word; the first that reads as one. */
function findAddress(a: MessageAnalysis, items: readonly ItemSpan[], asked: readonly boolean[]): Span | undefined {
  let found: Span | undefined;
  for (let i = 0; i < a.tokens.length; i++) {
    const start = addressStartAt(a, i, items, asked);
    if (start === undefined) continue;
    const span = addressSpan(a, start, items);
    if (!isPlausibleAddress(a, span)) continue;
    // "antar ke rumah mertua ya: perum way halim blok h1 no 6": the street and number after a
    // place said first are the address to deliver to; the place alone is kept only without them.
    if (found === undefined) found = span;
    else if (!hasNumber(a, found) && hasNumber(a, span)) return { start: found.start, end: span.end };
    if (hasNumber(a, found)) return found;
    i = span.end - 1;
  }
  return found;
}

function hasNumber(a: MessageAnalysis, span: Span): boolean {
  for (let i = span.start; i < span.end; i++) if (a.tokens[i].kind === 'num') return true;
  return false;
}

function addressStartAt(a: MessageAnalysis, i: number, items: readonly ItemSpan[], asked: readonly boolean[]): number | undefined {
  const { tokens, words } = a;
  const word = words[i];
  if (word === undefined || asked[i]) return undefined;
  if (ADDRESS_LEADS.has(word)) {
    // "alamatnya salah, jl. sultan haji no 7": past the words about the address, to where it begins.
    let j = i + 1;
    while (j < tokens.length && (tokens[j].kind === 'sep' || ABOUT_THE_ADDRESS.has(words[j] ?? '-') || (tokens[j].kind === 'word' && a.infos[j]?.kind === 'known' && !DELIVERY_ADDRESS_WORDS.has(words[j] ?? '')))) j++;
    return j < tokens.length && tokens[j].kind !== 'q' ? j : undefined;
  }
  if (isStrictAddressWord(a, i)) return extendBack(a, i, items);
  if (word === 'ke' && i + 1 < tokens.length && DELIVERY_ADDRESS_WORDS.has(words[i + 1] ?? '') && followsDelivery(a, i)) return i + 1;
  return undefined;
}

/** From `start` to the first word that begins another answer or small talk, without trailing particles. */
function addressSpan(a: MessageAnalysis, start: number, items: readonly ItemSpan[]): Span {
  const { tokens, words } = a;
  let end = start;
  for (; end < tokens.length; end++) {
    const word = words[end];
    if (tokens[end].kind === 'q') break;
    if (end > start && word !== undefined && (ADDRESS_STOP_WORDS.has(word) || ADDRESS_LEADS.has(word) || YES_WORDS.has(word) || PICKUP_WORDS.has(word) || DELIVERY_WORDS.has(word) || PAYMENT_WORDS.has(word) || paymentPhrase(a, end) !== undefined)) break;
    // "… no 3, gula 2 kg": goods with an amount start the next item. Goods words without one are
    // place names ("Jl. Pagar Alam", "Teluk Betung", "Jl. Pulau Telur", "Jl. Gula Batu 3").
    const item = items.find((span) => span.start === end);
    if (item !== undefined && item.quantity !== undefined && !streetNamed(a, end) && !beforeHouseWord(a, item)) break;
    if (word !== undefined && LIST_JOINERS.has(word) && items.some((span) => span.start === end + 1)) break;
  }
  // Trailing commas, particles and forms of address ("… no 3 ya kak") are not the address.
  while (end > start && (tokens[end - 1].kind === 'sep' || words[end - 1] === '' || PARTICLE_WORDS.has(words[end - 1] ?? '') || POLITE_WORDS.has(words[end - 1] ?? ''))) end--;
  return { start, end };
}

/** True when the word at i follows a street word ("Jl. Gula Batu"): the product names the street. */
function streetNamed(a: MessageAnalysis, i: number): boolean {
  const before = previousContent(a, i);
  return before !== undefined && STREET_WORDS.has(a.words[before] ?? '');
}

/** "Perum Telaga Garam blok A2": goods followed at once by a block, house or RT word name the place (the "2" is the block's). */
function beforeHouseWord(a: MessageAnalysis, item: ItemSpan): boolean {
  const next = nextContent(a, item.end - 1);
  return next !== undefined && HOUSE_WORDS.has(a.words[next] ?? '');
}

const HOUSE_WORDS = new Set(['blok', 'no', 'nomor', 'rt', 'rw', 'gang', 'gg', 'kav', 'kavling', 'lorong']);

/** An address has at least two parts and a street, place or house number word, or a number. */
function isPlausibleAddress(a: MessageAnalysis, span: Span): boolean {
  let parts = 0;
  let anchored = false;
  for (let i = span.start; i < span.end; i++) {
    if (a.tokens[i].kind === 'sep') continue;
    parts++;
    if (a.tokens[i].kind === 'num' || DELIVERY_ADDRESS_WORDS.has(a.words[i] ?? '')) anchored = true;
  }
  return parts >= 2 && anchored;
}

/**
 * A word that starts an address: a street or area word followed by a name or a number ("Jl.
 * Melati", "blok C2", "RT 05"). "no 2" is a menu choice and "udah jalan belum" asks about a
 * delivery: "no" never starts an address, and a known word after "jalan" is not a street name.
 */
function isStrictAddressWord(a: MessageAnalysis, i: number): boolean {
  const word = a.words[i]!;
  if (word === 'no' || !(STRICT_ADDRESS_WORDS.has(word) || STREET_WORDS.has(word))) return false;
  let next = i + 1;
  while (next < a.tokens.length && a.tokens[next].kind === 'sep' && a.tokens[next].text === '.') next++;
  const token = a.tokens[next];
  if (token === undefined) return false;
  const kind = a.infos[next]?.kind;
  // "blok a no 17": a block may be a letter.
  const letter = token.kind === 'word' && token.text.length === 1 && word === 'blok';
  return token.kind === 'num' || letter || kind === 'unknown' || kind === 'product' || DELIVERY_ADDRESS_WORDS.has(a.words[next] ?? '');
}

/**
 * "rumah pak Budi, jl melati", "ke rajabasa, jl. pramuka": the area, place words and names just
 * before the street belong to it (across one comma), back to "ke" or anything else.
 */
function extendBack(a: MessageAnalysis, i: number, items: readonly ItemSpan[]): number {
  let start = i;
  let commas = 0;
  for (let j = i - 1; j >= 0 && i - j <= 6; j--) {
    const token = a.tokens[j];
    if (token.kind === 'sep') {
      if (token.text !== ',' || ++commas > 1) break;
      continue;
    }
    const word = a.words[j];
    if (word === undefined || items.some((span) => j >= span.start && j < span.end && span.quantity !== undefined)) break;
    const placeLike = DELIVERY_ADDRESS_WORDS.has(word) || POLITE_WORDS.has(word) || a.infos[j]?.kind === 'unknown' || a.infos[j]?.kind === 'product';
    if (!placeLike || ADDRESS_LEADS.has(word)) break;
    start = j;
  }
  return start;
}

/** "dianter ke", "kirim ya ke", "anter bu, ke": the "ke" belongs to a delivery word a few words back. */
function followsDelivery(a: MessageAnalysis, ke: number): boolean {
  for (let j = ke - 1, seen = 0; j >= 0 && seen < 3; j--) {
    const word = a.words[j];
    if (a.tokens[j].kind === 'sep') continue;
    if (word === undefined) return false;
    if (DELIVERY_WORDS.has(word)) return true;
    seen++;
  }
  return false;
}

/** A negation up to three words back in the same clause: "gak usah dianter", "ga bisa tf". */
function negated(a: MessageAnalysis, i: number): boolean {
  for (let j = i - 1; j >= 0 && i - j <= 3; j--) {
    if (a.tokens[j].kind !== 'word') return false;
    if (NEGATIONS.has(a.words[j] ?? '')) return true;
  }
  return false;
}

function nextContent(a: MessageAnalysis, i: number): number | undefined {
  for (let j = i + 1; j < a.tokens.length; j++) {
    if (a.tokens[j].kind === 'sep' || a.tokens[j].kind === 'q') return undefined;
    if (a.words[j] === '') continue;
    return j;
  }
  return undefined;
}

function previousContent(a: MessageAnalysis, i: number): number | undefined {
  for (let j = i - 1; j >= 0; j--) {
    if (a.tokens[j].kind !== 'word' || a.words[j] === '') continue;
    return j;
  }
  return undefined;
}
