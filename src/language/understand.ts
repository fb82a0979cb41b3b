import { analyzeMessage, type MessageAnalysis } from './analyze-message.js';
import type { Catalog } from './catalog.js';
import { detectIntent } from './detect-intent.js';
import { detectLanguage } from './detect-language.js';
import { detectReply, endsWithYes } from './detect-reply.js';
import { CORRECTION_CUES, detectQuantityCorrection } from './detect-quantity-correction.js';
import { detectAmount, detectAskedAmount } from './detect-amount.js';
import { detectAskedTopic, detectChangeRequest } from './detect-asked-topic.js';
import { detectCheckoutAnswers, spendsSavings } from './detect-checkout-answers.js';
import { detectConfirmation } from './detect-confirmation.js';
import { detectDeliveryDetails, withoutTokens } from './detect-delivery-details.js';
import { detectItemEdits } from './detect-item-edits.js';
import { detectQuestion, questionedTokens } from './detect-question.js';
import { detectSubscription } from './detect-subscription.js';
import { extractItems, resolveFrames, type ItemFrame } from './extract-items.js';
import type { Quantity } from './parse-quantity.js';
import { DELIVERY_ADDRESS_WORDS, EDIT_WORDS, isOtherGoodsWord, PARTICLE_WORDS, PLACED_ORDER_WORDS, POLITE_WORDS, PRICE_WORDS, STRICT_ADDRESS_WORDS, STRONG_ORDER_WORDS, WEAK_ORDER_WORDS } from './lexicon.js';
import { renderNormalized } from './normalize-text.js';
import type { ItemRequest, Understanding } from './types.js';

const MAX_TEXT_LENGTH = 2000;
/** In a question about cancelling, words that ask whether or how (not a request to cancel). */
const CANCEL_QUESTION_WORDS = new Set(['bisa', 'boleh', 'kalau', 'gimana', 'cara', 'caranya', 'apakah', 'can', 'how']);
/** Words pointing back at what was just talked about. */
const REFERENCE_WORDS = new Set(['itu', 'tadi', 'that', 'it', 'those']);

/** Words that may sit between "pesan"/"harga" and the thing asked for. */
const FILLER_WORDS = new Set(['saya', 'mau', 'dong', 'kak', 'tolong', 'yang', 'ada', 'untuk', 'minta', 'aja', 'ya', 'tanya']);

/** In a question, words that ask whether goods are sold: "ada rokok?", "jual sabun ga?". */
const AVAILABILITY_WORDS = new Set(['ada', 'jual', 'sedia', 'tersedia', 'ready', 'sell', 'have']);

/**
 * True when the word before index `start` (past fillers) asks for goods: "pesan sabun", "harga
 * rokok", and with `asksForGoods` (a question about goods a shop could sell) "ada rokok?" too;
 * "ada lowongan kerja gak" is not about goods.
 */
function followsRequestWord(a: MessageAnalysis, start: number, asksForGoods: boolean): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const w = a.words[i];
    if (w === undefined) return false;
    if (STRONG_ORDER_WORDS.has(w) || WEAK_ORDER_WORDS.has(w) || PRICE_WORDS.has(w) || (asksForGoods && AVAILABILITY_WORDS.has(w))) return true;
    if (!FILLER_WORDS.has(w) && !POLITE_WORDS.has(w)) return false;
  }
  return false;
}

/** Turns one chat message into an intent, catalogue items and the questions the bot must ask. */
export function understand(text: string, catalog: Catalog): Understanding {
  // Pasted essays are cut: nobody orders groceries past 2,000 characters.
  const input = typeof text === 'string' ? (text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text) : '';
  const whole = analyzeMessage(input, catalog);
  // A time or a phone number is kept as written and read no further: "jam 10" is no amount.
  const details = detectDeliveryDetails(whole, input, detectQuestion(whole.words, whole.tokens.some((token) => token.kind === 'q')));
  const a = withoutTokens(whole, details.tokens);
  const extracted = extractItems(a, catalog);
  const words: string[] = [];
  let hasQuestionMark = false;
  let meaningful = 0;
  let numbers = 0;
  for (let i = 0; i < a.tokens.length; i++) {
    const t = a.tokens[i];
    if (t.kind === 'num') numbers++;
    if (t.kind === 'q') hasQuestionMark = true;
    else if (t.kind !== 'sep') meaningful++;
    const w = a.words[i];
    if (w) words.push(w);
  }
  const question = detectQuestion(a.words, hasQuestionMark);
  const checkout = detectCheckoutAnswers(a, input, extracted.frames, question);
  // Words of the address ("Jl. Gula Batu 3", "Melati 3") are not goods.
  const outsideAddress = (frame: ItemFrame) => !checkout.addressSpan || frame.start < checkout.addressSpan.start || frame.start >= checkout.addressSpan.end;
  const frames = extracted.frames.filter(outsideAddress);
  const unknowns = extracted.unknowns.filter(outsideAddress);
  // Unknown words become "not in our catalogue" questions only when they look like an item:
  // they carry a quantity, or they are the only thing an order or price question names.
  // An address line ("Jl. Melati 3") names streets, not goods.
  const looksLikeAddress = frames.length === 0 && words.some((w) => STRICT_ADDRESS_WORDS.has(w));
  // "terigu 1 kg, gula 1 kg, mentega ada gk?", "garam ada kak? kalo ada garam 2 bungkus juga":
  // goods with amounts outside the clause that asks are ordered; it asks whether the shop sells
  // them, or other goods (said not to be sold).
  const asked = questionedTokens(a, hasQuestionMark);
  // A frame ends where its amount was read ("garam ada kak? kalo ada garam 2 bungkus" is one frame).
  const askedFrame = (f: ItemFrame) => asked[f.end - 1];
  const ordered = new Set(frames.filter((f) => f.quantity !== undefined && !askedFrame(f)).flatMap((f) => f.productIds));
  const asksAvailabilityBesideOrder = hasQuestionMark && ordered.size > 0 &&
    frames.every((f) => !askedFrame(f) || (f.quantity === undefined && f.productIds.length === 1 && ordered.has(f.productIds[0]))) &&
    a.words.some((word, i) => asked[i] && word !== undefined && AVAILABILITY_WORDS.has(word));
  const asksForOtherGoods = (u: ItemFrame) => isOtherGoodsWord(u.text.toLowerCase());
  const unknownItems: ItemFrame[] = looksLikeAddress
    ? []
    : unknowns.filter((u) => u.quantity !== undefined || (asksAvailabilityBesideOrder && asked[u.start] && asksForOtherGoods(u)) || (frames.length === 0 && followsRequestWord(a, u.start, question && asksForOtherGoods(u))));
  const allFrames = [...frames, ...unknownItems].sort((x, y) => x.start - y.start);
  const resolved = resolveFrames(allFrames, catalog, detectItemEdits(a, allFrames));
  const { clarifications } = resolved;
  // "yang habis itu beras sama telur, jadi saya pesan beras 10 kilo sama telur sekilo": goods
  // named first without an amount and then with one are one item, at that amount.
  const items = resolved.items.filter((item, index) =>
    !(isImplied(item) && item.edit === undefined && item.replaces === undefined &&
      resolved.items.some((other, j) => j !== index && other.productId === item.productId && !isImplied(other))));
  const quantifiedCount = allFrames.filter((f) => f.quantity !== undefined).length;
  const detected = detectIntent({
    words,
    itemCount: frames.length + unknownItems.length,
    quantifiedCount,
    hasQuestionMark,
    onlyQuestionMark: hasQuestionMark && meaningful === 0,
    hasQuantity: numbers > 0 || allFrames.some((fr) => fr.quantity !== undefined) || unknowns.some((u) => u.quantity !== undefined),
    onlyWords: numbers === 0,
  });
  // "tulisan saya kurang jelas", "kaki saya kurang sehat": "kurang" before a quality is not an edit.
  const edit = detected.edit === 'reduce' && !a.words.some((word, i) => word === 'kurangi' && reducesAt(a, i)) ? undefined : detected.edit;
  // "minyaknya ga jadi" takes one line out of the cart, "ga jadi premium, yang biasa aja" swaps
  // one; neither cancels the order.
  // "gula 1 kg, potong simpanan" spends savings on goods; it does not ask for the balance.
  // "kalo udh pesen bisa dibatalin ga nanti?" asks how cancelling works; it cancels nothing. "bisa
  // dianter besok pagi kan?" asks about a time, it does not greet.
  const asksAboutCancelling = detected.intent === 'cancel' && question && words.some((word) => CANCEL_QUESTION_WORDS.has(word));
  // "ada rokok?": whether goods are sold is a question about goods, answered like a price question.
  const asksAvailability = question && frames.length === 0 && unknownItems.length > 0 && words.some((word) => AVAILABILITY_WORDS.has(word));
  const intent =
    ((detected.intent === 'cancel' || detected.intent === 'price') && items.some((item) => item.edit === 'remove' || item.replaces !== undefined)) || (detected.intent === 'balance' && checkout.payment === 'simpanan' && (items.length > 0 || (!question && spendsSavings(a))))
      ? 'order'
      : asksAvailability
        ? 'price'
        : asksAvailabilityBesideOrder && detected.intent === 'price'
          ? 'order'
        : detected.intent === 'greeting' && question
          ? 'unknown'
        : asksAboutCancelling
          ? 'unknown'
          : detected.intent;
  const result: Understanding = { intent, items, clarifications, normalized: renderNormalized(a) };
  // Items only make sense for intents that act on products.
  if (intent !== 'order' && intent !== 'price') {
    // "yang pesanan beras tadi batalin": the goods say which order is meant.
    const named = namedGoods(frames, catalog);
    if ((intent === 'cancel' || intent === 'status') && named.length > 0) result.orderGoods = named;
    result.items = [];
    result.clarifications = [];
  }
  if (edit !== undefined) result.edit = edit;
  if (detected.asksBalance && intent === 'order' && checkout.payment !== 'simpanan') result.asksBalance = true;
  const reply = detectReply(a.tokens, a.words, frames.length > 0);
  if (reply !== undefined) result.reply = reply;
  const language = detectLanguage(words);
  if (language !== undefined) result.language = language;
  if (question) result.question = true;
  const asks = asksAboutCancelling ? 'cancellation' : detectAskedTopic(a.words, question, result.items.length > 0 || result.clarifications.length > 0);
  if (asks !== undefined) result.asks = asks;
  if (checkout.fulfilment !== undefined) result.fulfilment = checkout.fulfilment;
  // "no 2" answering a menu is a choice, never an address.
  if (checkout.address !== undefined && reply?.choice === undefined) result.address = checkout.address;
  if (checkout.payment !== undefined) result.payment = checkout.payment;
  if (details.when !== undefined) result.when = details.when;
  if (details.contactPhone !== undefined) result.contactPhone = details.contactPhone;
  // "No. 7" in an address is a house number, not a refusal.
  const confirmation = detectConfirmation(a.words.map((word, i) => (checkout.addressSpan && i >= checkout.addressSpan.start && i < checkout.addressSpan.end ? undefined : word)));
  if (confirmation !== undefined) result.confirmation = confirmation;
  const correction = result.items.length === 0 ? detectQuantityCorrection(a, checkout.addressSpan) : undefined;
  if (correction !== undefined) {
    result.quantityCorrection = { value: correction.value, ...(correction.unit !== undefined ? { unit: correction.unit } : {}) };
    // "ga jadi, 2 kilo aja" takes back a change of amount, not the order.
    if (result.intent === 'cancel') result.intent = 'order';
    // "maksudnya" is the correction's word, not a product the shop lacks.
    result.clarifications = result.clarifications.filter((c) => !(c.kind === 'unknown_product' && CORRECTION_CUES.has(c.text.toLowerCase())));
  }
  const plainAmount = (q: Quantity) => ({ value: q.value, ...(q.unit !== undefined ? { unit: q.unit } : {}), ...(q.amountRp !== undefined ? { amountRp: q.amountRp } : {}) });
  if (result.items.length === 0 && result.clarifications.length === 0) {
    // "berapa harga kalo 5 kilo kak?": the amount a price question asks about, for the goods in the cart.
    const amount = detectAmount(a) ?? (intent === 'price' ? detectAskedAmount(a) : undefined);
    if (amount !== undefined) result.amount = plainAmount(amount);
  } else if (result.items.length > 0 && extracted.looseAmounts.length > 0) result.looseAmount = plainAmount(extracted.looseAmounts[0]);
  if (result.items.length === 0 && words.some((word) => REFERENCE_WORDS.has(word))) result.reference = true;
  // Only when the new answer is not in the message too ("alamatnya salah, jl. melati 7" gives it).
  const changeRequest = checkout.address === undefined && checkout.payment === undefined && checkout.fulfilment === undefined && result.items.length === 0 ? detectChangeRequest(a.words) : undefined;
  if (changeRequest !== undefined) result.changeRequest = changeRequest;
  const unsoldGoods = result.clarifications.flatMap((c) => (c.kind === 'unknown_product' && c.text.split(' ').some((word) => isOtherGoodsWord(word.toLowerCase())) ? [c.text] : []));
  if (unsoldGoods.length > 0) result.unsoldGoods = unsoldGoods;
  // A bare "no" is an answer, not a house number.
  // "no" counts only before a house number: "wait, no gas" is not an address.
  const addressWord = (word: string | undefined, i: number) => word !== undefined && DELIVERY_ADDRESS_WORDS.has(word) && (word !== 'no' || a.tokens[i + 1]?.kind === 'num');
  // A question reads as an address only with a street or house-number word ("Jl. Melati 3, dekat masjid ya?"):
  // "bisa dianter ke way halim permai kan?" asks.
  const streetWord = (word: string | undefined, i: number) => addressWord(word, i) && STRICT_ADDRESS_WORDS.has(word!);
  if (reply === undefined && (checkout.address !== undefined || a.words.some(question ? streetWord : addressWord))) result.readsAsAddress = true;
  if (a.tokens.some((token, i) => (token.kind === 'word' && PLACED_ORDER_WORDS.has(a.words[i] ?? '')) || (token.kind === 'num' && token.text.length >= 4 && /^\d+$/.test(token.text)))) result.refersToPlacedOrder = true;
  const numbered = a.tokens.find((token) => token.kind === 'num' && /^\d{4,6}$/.test(token.text));
  if (numbered !== undefined && (intent === 'cancel' || intent === 'status')) result.orderNumber = numbered.value;
  const subscription = detectSubscription(input);
  if (subscription !== undefined) result.subscription = subscription;
  // "sudah kak, suami setuju. jadi pesan ya": small talk that asks, changes and orders nothing, then a yes.
  if (result.reply === undefined && saysNothingElse(result) && endsWithYes(a.tokens, a.words)) result.reply = { yes: true };
  return result;
}

function isImplied(item: ItemRequest): boolean {
  return 'quantityImplied' in item && item.quantityImplied === true;
}

/** An edit word is one when an amount, goods or nothing follow it ("kurangi 1", "kurangi gulanya", "gulanya kurangi"). */
function reducesAt(a: MessageAnalysis, i: number): boolean {
  let next = i + 1;
  while (next < a.tokens.length && a.words[next] === '') next++;
  const token = a.tokens[next];
  return token === undefined || token.kind !== 'word' || a.infos[next]?.kind === 'product' || a.infos[next]?.kind === 'number' || a.infos[next]?.kind === 'unit' || EDIT_WORDS.has(a.words[next] ?? '') || PARTICLE_WORDS.has(a.words[next] ?? '') || POLITE_WORDS.has(a.words[next] ?? '') || a.words[next] === 'lagi';
}

/** True when the message carries nothing a flow acts on besides a yes or no. */
function saysNothingElse(result: Understanding): boolean {
  return (result.intent === 'unknown' || result.intent === 'order' || result.intent === 'greeting') && result.items.length === 0 && result.clarifications.length === 0 &&
    result.question !== true && result.edit === undefined && result.fulfilment === undefined && result.address === undefined && result.payment === undefined && result.when === undefined && result.contactPhone === undefined &&
    result.changeRequest === undefined && result.quantityCorrection === undefined && result.amount === undefined && result.asks === undefined && result.readsAsAddress !== true;
}

/** The products frames name; a generic word ("beras") names every product it heads. */
function namedGoods(frames: readonly ItemFrame[], catalog: Catalog): string[] {
  const ids = new Set<string>();
  for (const frame of frames) {
    const heads = frame.end - frame.start === 1 ? catalog.wordProducts.get(frame.headKey ?? '')?.heads : undefined;
    for (const id of heads !== undefined && heads.length > 1 ? heads : frame.productIds) ids.add(id);
  }
  return [...ids];
}
