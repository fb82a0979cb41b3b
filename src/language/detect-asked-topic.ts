import type { AskedTopic } from './types.js';

/**
 * What a question is about when it is about the shop rather than a product: the delivery fee
 * ("ongkirnya berapa?"), the opening hours ("buka sampai jam berapa?"), or how to pay ("bisa
 * qris?", "rekeningnya apa?"). Checkout goes on after the answer.
 */
const FEE_WORDS = new Set(['ongkir', 'ongkos', 'biaya', 'fee']);
const HOURS_WORDS = new Set(['buka', 'tutup', 'open', 'close']);
const ACCOUNT_WORDS = new Set(['rekening', 'rekeningnya', 'rek', 'norek', 'account']);
const PAYMENT_WORDS = new Set(['qris', 'qr', 'transfer', 'tf', 'cod', 'bayar', 'pembayaran', 'payment', 'pay']);

export function detectAskedTopic(words: readonly (string | undefined)[], question: boolean, namesProducts: boolean): AskedTopic | undefined {
  if (!question || namesProducts) return undefined;
  const present = new Set(words.filter((word): word is string => word !== undefined && word !== ''));
  const has = (set: ReadonlySet<string>) => [...present].some((word) => set.has(word));
  if (has(FEE_WORDS)) return 'delivery_fee';
  if (present.has('total') || present.has('totalnya')) return 'total';
  // "buka sampai jam berapa?"; "jam brp sampe?" asks when goods arrive, not when the shop opens.
  if (has(HOURS_WORDS)) return 'opening_hours';
  // "rekening bri nya brp?", "norek nya apa?": the account itself, not the list of methods.
  if (has(ACCOUNT_WORDS)) return 'bank_account';
  if (has(PAYMENT_WORDS)) return 'payment_options';
  return undefined;
}

const CHANGE_TOPICS = new Map<string, 'address' | 'payment' | 'fulfilment'>([
  ['alamat', 'address'], ['address', 'address'],
  ['pembayaran', 'payment'], ['bayar', 'payment'], ['payment', 'payment'],
  ['pengambilan', 'fulfilment'], ['pengiriman', 'fulfilment'],
]);

/** "ganti alamat", "ubah pembayaran": a checkout answer to be asked again (the new one not given yet). */
export function detectChangeRequest(words: readonly (string | undefined)[]): 'address' | 'payment' | 'fulfilment' | undefined {
  const present = words.filter((word): word is string => word !== undefined && word !== '');
  if (!present.some((word) => word === 'ganti' || word === 'ubah' || word === 'salah')) return undefined;
  const topics = new Set(present.flatMap((word) => CHANGE_TOPICS.get(word) ?? []));
  return topics.size === 1 ? [...topics][0] : undefined;
}
