import { z } from 'zod';
import type { CartLine } from '../domain/cart/cart-line.js';
import { editCart, type CartEdit } from '../domain/cart/edit-cart.js';
import { lineFromAmount } from '../domain/cart/price-line.js';
import type { Facts } from '../engine/facts.js';
import type { ReplyMessage } from '../engine/reply-message.js';
import type { PureAction } from '../engine/registry.js';
import type { FlowContext } from '../engine/transition-types.js';
import { resolveAmount } from '../language/detect-amount.js';
import type { Clarification, ItemRequest, Understanding } from '../language/types.js';
import { findProduct, toPricedProduct } from './catalog-lookup.js';
import type { pendingChoiceSchema } from './session-vars.js';
import { unitPrices } from './unit-prices.js';

/** An ambiguous product waiting for the resident's answer, kept in session vars. */
export type PendingChoice = z.infer<typeof pendingChoiceSchema>;

const noParams = z.strictObject({});

export function readPending(context: FlowContext): PendingChoice[] {
  return (context.conversation.vars.pending as PendingChoice[] | undefined) ?? [];
}

/** Applies one item request to the cart; returns notes for the resident. */
export function applyItem(context: FlowContext, edit: CartEdit, item: ItemRequest): ReplyMessage[] {
  const { conversation, facts } = context;
  const product = findProduct(facts, item.productId);
  if (!product) return [{ key: 'order:unknown_product', params: { text: item.productId } }];
  if ((edit === 'remove' || edit === 'reduce') && !conversation.cart.some((line) => line.productId === product.id)) {
    return [{ key: 'order:not_in_cart', params: { name: product.name } }];
  }
  let line: CartLine;
  const notes: ReplyMessage[] = [];
  if ('amountRp' in item) {
    const result = lineFromAmount(toPricedProduct(product), item.amountRp);
    if (!result.ok) return [{ key: 'order:amount_too_small', params: { name: product.name, amount: { money: item.amountRp }, unit: result.unit, price: { money: result.unitPriceRp } } }];
    line = result.line;
    if (result.roundedDown) {
      notes.push({ key: 'order:rounded_down', params: { name: product.name, amount: { money: item.amountRp }, qty: { qty: line.quantity }, unit: line.unit } });
    }
  } else {
    // "beras 0 kg" is no line at all; "ganti beras 0 kg" takes it out.
    if (!(item.quantity > 0)) {
      if (edit === 'replace' || edit === 'remove') {
        conversation.cart = editCart(conversation.cart, 'remove', { productId: product.id, unit: item.unit, quantity: 0 });
        return [];
      }
      return [{ key: 'order:zero_quantity', params: { name: product.name, unit: item.unit } }];
    }
    line = { productId: product.id, unit: item.unit, quantity: item.quantity };
  }
  conversation.cart = editCart(conversation.cart, edit, line);
  return notes;
}

/** Notes for clarifications that need no answer; ambiguous ones are queued as questions. */
function queueClarifications(context: FlowContext, clarifications: Clarification[], edit: CartEdit): ReplyMessage[] {
  const notes: ReplyMessage[] = [];
  const pending = readPending(context);
  for (const clarification of clarifications) {
    if (clarification.kind === 'unknown_product') {
      notes.push({ key: 'order:unknown_product', params: { text: clarification.text } });
    } else if (clarification.kind === 'unit_not_sold') {
      const product = findProduct(context.facts, clarification.productId);
      notes.push({
        key: 'order:unit_not_sold',
        params: {
          name: product?.name ?? clarification.productId,
          unit: clarification.unit,
          units: unitPrices(product?.units ?? []),
        },
      });
    } else if (clarification.kind === 'unclear_quantity') {
      const product = findProduct(context.facts, clarification.productId);
      notes.push({ key: 'order:unclear_quantity', params: { name: product?.name ?? clarification.productId, text: clarification.text, unit: product?.units[0]?.code ?? '' } });
    } else if ((edit === 'remove' || edit === 'reduce') && clarification.candidates.some((id) => context.conversation.cart.some((line) => line.productId === id))) {
      // "hapus bawang" with only Bawang Merah in the cart needs no question.
      const inCart = clarification.candidates.filter((id) => context.conversation.cart.some((line) => line.productId === id));
      if (inCart.length === 1) {
        const product = findProduct(context.facts, inCart[0])!;
        notes.push(...applyItem(context, edit, { productId: product.id, unit: clarification.unit ?? product.units[0].code, quantity: clarification.quantity ?? 1 }));
      } else {
        pending.push({ text: clarification.text, candidates: inCart, edit, ...(clarification.quantity !== undefined ? { quantity: clarification.quantity } : {}), ...(clarification.unit !== undefined ? { unit: clarification.unit } : {}) });
      }
    } else {
      pending.push({
        text: clarification.text,
        candidates: clarification.candidates,
        edit,
        ...(clarification.quantity !== undefined ? { quantity: clarification.quantity } : {}),
        ...(clarification.unit !== undefined ? { unit: clarification.unit } : {}),
        ...(clarification.amountRp !== undefined ? { amountRp: clarification.amountRp } : {}),
      });
    }
  }
  context.conversation.vars.pending = pending;
  return notes;
}

/** cart.apply: the message's items and edits go into the cart; questions are queued. */
export const applyUnderstanding: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    if (context.input.kind !== 'message') return;
    const { understanding } = context.input;
    if (isDoubleSend(context, understanding)) return [{ key: 'order:double_send' }];
    if (understanding.items.length > 0) context.conversation.vars.lastItemsMessage = { text: understanding.normalized, at: context.facts.now.getTime() };
    const notes: ReplyMessage[] = [...applyLooseAmount(context, understanding)];
    // "tambah telur ke pesanan tadi": a placed order is not changed by chat; say the items start a new one.
    if (understanding.refersToPlacedOrder && understanding.items.length > 0 && context.conversation.cart.length === 0) notes.push({ key: 'order:new_order_for_additions' });
    // Items named outright end any follow-up to an earlier price question.
    delete context.conversation.vars.pricedProduct;
    delete context.conversation.vars.pricedAmount;
    understanding.items.forEach((item, index) => notes.push(...applyNamedItem(context, understanding, item, index)));
    rememberImpliedLine(context, understanding);
    notes.push(...queueClarifications(context, understanding.clarifications, understanding.edit ?? 'add'));
    notes.push(...capToOrderLimits(context));
    return notes;
  },
};

/** The same goods message twice within this long is a double send (a slip of the thumb), not twice the goods. */
const DOUBLE_SEND_MS = 2 * 60_000;

/** True for goods sent again word for word at once, while the goods of the first are still in the cart (after "batal", the same text is a new start). */
function isDoubleSend(context: FlowContext, understanding: Understanding): boolean {
  const last = context.conversation.vars.lastItemsMessage as { text: string; at: number } | undefined;
  return understanding.items.length > 0 && understanding.edit === undefined && context.conversation.cart.length > 0 &&
    last?.text === understanding.normalized && context.facts.now.getTime() - last.at <= DOUBLE_SEND_MS;
}

/**
 * "oke mau 2 liter ya, sama gula 1 kg" right after asking the oil's price: 2 liters of oil too.
 * An amount no product took otherwise is said, never dropped ("beras 5 kg 2 karung").
 */
function applyLooseAmount(context: FlowContext, understanding: Understanding): ReplyMessage[] {
  const loose = understanding.looseAmount;
  if (!loose) return [];
  const asked = pricedProduct(context);
  const resolved = asked && !understanding.items.some((item) => item.productId === asked) ? resolveAmount(loose, asked, context.facts.catalog.index) : undefined;
  if (resolved && 'item' in resolved) return applyItem(context, 'add', resolved.item);
  return [{ key: 'order:loose_amount', params: { qty: { qty: loose.amountRp ?? loose.value }, unit: loose.amountRp !== undefined ? 'rupiah' : (loose.unit ?? '') } }];
}

/** One item of the message into the cart, as the words around it say: a swap, a restatement, an exact amount, or an edit. */
function applyNamedItem(context: FlowContext, understanding: Understanding, asked: ItemRequest, index: number): ReplyMessage[] {
  const item = inLineUnit(context, asked);
  // An edit word after the items ("yg mie 1 bungkus sama telur 1 kg hapus") is the message's; when
  // items carry their own ("sy cuma pesen gula. hapus telurnya"), the others are not edited by it.
  // An amount meant exactly ("ayamnya kurang, harusnya 1,5 kg") is not edited by the message's word either.
  const ownEdits = understanding.items.some((other) => other.edit !== undefined);
  const edit: CartEdit = item.edit ?? (ownEdits || item.exact ? undefined : understanding.edit) ?? 'add';
  const inCart = context.conversation.cart.some((line) => line.productId === item.productId);
  const implied = 'quantityImplied' in item && item.quantityImplied === true;
  // "ganti yang premium aja", "ganti beras medium aja 5kg": the line of its kind is replaced;
  // so is the line of its family by a variety named as the one meant ("berasnya yg premium aja",
  // "berasnya yg premium aja, 10 kg", "eh salah, bawang putih maksudnya").
  const swapped = item.replaces ??
    (edit === 'replace' && !inCart ? siblingInCart(context, item.productId) : undefined) ??
    (((item.exact && (implied || !item.generic)) || (item.corrects && !item.generic)) && !inCart && item.edit === undefined ? familyLineInCart(context, item.productId) : undefined);
  if (swapped !== undefined) return replaceLine(context, swapped, item);
  // Naming a product already there (or already named) without an amount or an edit word
  // restates it ("oke tetep premium", "galon 2, air isi ulang"): nothing changes.
  const named = inCart || understanding.items.slice(0, index).some((other) => other.productId === item.productId);
  if (implied && named && item.edit === undefined && (ownEdits || understanding.edit === undefined)) return [];
  // "berasnya 5 kg aja" with Beras Premium in the cart: that rice, at the amount meant.
  const family = item.generic && item.exact && !inCart && item.edit === undefined ? siblingInCart(context, item.productId) : undefined;
  if (family !== undefined && 'quantity' in item && findProduct(context.facts, family)?.units.some((unit) => unit.code === item.unit)) {
    const problems = applyItem(context, 'replace', { productId: family, unit: item.unit, quantity: item.quantity });
    return problems.length > 0 ? problems : [changeNote(context, 'replace', family)];
  }
  // "tambah 2 kg lg berasnya" with Beras Premium in the cart: more of that rice.
  const moreOf = item.generic && !inCart && edit === 'add' && (item.edit === 'add' || understanding.edit === 'add') ? siblingInCart(context, item.productId) : undefined;
  if (moreOf !== undefined && 'quantity' in item && findProduct(context.facts, moreOf)?.units.some((unit) => unit.code === item.unit)) {
    const problems = applyItem(context, 'add', { productId: moreOf, unit: item.unit, quantity: item.quantity });
    return problems.length > 0 ? problems : [changeNote(context, 'replace', moreOf)];
  }
  // "gulanya jadi 2 kg", "galonnya 2 aja": the amount meant, not one more ("tambah gula 1 kg aja" still adds).
  const applied = item.exact && inCart && item.edit === undefined && edit === 'add' ? 'replace' : edit;
  const problems = applyItem(context, applied, item);
  // What changed in a line already there, said in one line before the cart ("gula 2" on 1 kg: "Gula Pasir jadi 3 kg").
  if (inCart && problems.length === 0) return [changeNote(context, applied === 'remove' ? 'remove' : 'replace', item.productId)];
  return problems;
}

/** "kopinya jadi 2" with a renceng of coffee in the cart: a bare number counts in the line's unit, not the first one sold. */
function inLineUnit(context: FlowContext, item: ItemRequest): ItemRequest {
  if (!('unitAssumed' in item) || !item.unitAssumed) return item;
  const line = context.conversation.cart.find((candidate) => candidate.productId === item.productId);
  return line && line.unit !== item.unit ? { ...item, unit: line.unit } : item;
}

/**
 * A per-order limit ("LPG paling banyak 1 tabung per pesanan") is applied as the item enters
 * the cart, and said, rather than refused after the resident has answered everything. Only
 * products sold in one unit, where the limit's unit is that unit; the rest is checked when
 * the order is placed (as are the per-day limits).
 */
function capToOrderLimits(context: FlowContext): ReplyMessage[] {
  const notes: ReplyMessage[] = [];
  for (const limit of context.facts.coop.settings.householdLimits) {
    const product = findProduct(context.facts, limit.productId);
    const line = context.conversation.cart.find((candidate) => candidate.productId === limit.productId);
    if (!product || product.units.length !== 1 || !line || line.quantity <= limit.maxPerOrder) continue;
    context.conversation.cart = editCart(context.conversation.cart, 'replace', { productId: line.productId, unit: line.unit, quantity: limit.maxPerOrder });
    notes.push({ key: 'order:limit_capped', params: { name: product.name, max: limit.maxPerOrder, unit: line.unit } });
  }
  return notes;
}

/** "Gula Pasir jadi 2 kg.", "Minyak Goreng MinyaKita dihapus.": a line already in the cart, changed. */
function changeNote(context: FlowContext, edit: 'replace' | 'remove', productId: string): ReplyMessage {
  const name = findProduct(context.facts, productId)?.name ?? productId;
  const line = context.conversation.cart.find((candidate) => candidate.productId === productId);
  if (edit === 'remove' || !line) return { key: 'order:line_removed', params: { name } };
  return { key: 'order:line_changed', params: { name, qty: { qty: line.quantity }, unit: line.unit } };
}

/** The one cart line of the same category ("ganti yang premium aja" with Beras Medium in the cart). */
function siblingInCart(context: FlowContext, productId: string): string | undefined {
  const category = (id: string) => findProduct(context.facts, id)?.category;
  return onlyLineLike(context, productId, category);
}

/** The one cart line of another variety of the product (Beras Medium for Beras Premium: same first name word). */
function familyLineInCart(context: FlowContext, productId: string): string | undefined {
  const family = (id: string) => findProduct(context.facts, id)?.name.split(' ')[0].toLowerCase();
  return onlyLineLike(context, productId, family, true);
}

/** The product of the only cart line sharing `trait` with `productId` (other than its own line when `othersOnly`). */
function onlyLineLike(context: FlowContext, productId: string, trait: (id: string) => string | undefined, othersOnly = false): string | undefined {
  const own = trait(productId);
  const lines = context.conversation.cart.filter((line) => !(othersOnly && line.productId === productId) && trait(line.productId) === own);
  return lines.length === 1 ? lines[0].productId : undefined;
}

/** The line of `replacedId` becomes `item`; an item without an amount keeps the line's amount. */
function replaceLine(context: FlowContext, replacedId: string, item: ItemRequest): ReplyMessage[] {
  const line = context.conversation.cart.find((candidate) => candidate.productId === replacedId);
  const product = findProduct(context.facts, item.productId);
  if (!line || !product) return applyItem(context, 'add', item);
  const implied = 'quantityImplied' in item && item.quantityImplied === true;
  // "no gas, just the water" with the water already there: the gas goes, the water stays as it is.
  if (implied && context.conversation.cart.some((candidate) => candidate.productId === product.id)) {
    context.conversation.cart = editCart(context.conversation.cart, 'remove', { ...line, quantity: 0 });
    return [changeNote(context, 'remove', replacedId)];
  }
  const replacement: ItemRequest = implied
    ? { productId: product.id, unit: product.units.some((unit) => unit.code === line.unit) ? line.unit : product.units[0].code, quantity: line.quantity }
    : item;
  const position = context.conversation.cart.indexOf(line);
  context.conversation.cart = editCart(context.conversation.cart, 'remove', { ...line, quantity: 0 });
  const problems = applyItem(context, 'replace', replacement);
  if (problems.length > 0) return problems;
  // The new line takes the old one's place in the list, as a shopkeeper would cross it out and write over it.
  const cart = [...context.conversation.cart];
  const added = cart.findIndex((candidate) => candidate.productId === product.id);
  if (added > position) cart.splice(position, 0, ...cart.splice(added, 1));
  context.conversation.cart = cart;
  const replaced = findProduct(context.facts, replacedId)?.name ?? replacedId;
  return [{ key: 'order:line_swapped', params: { old: replaced, name: product.name, qty: { qty: 'quantity' in replacement ? replacement.quantity : 1 }, unit: 'unit' in replacement ? replacement.unit : '' } }];
}

/** cart.correctQuantity: "jadi 3 aja", "maksudnya 2 kg": the one cart line takes the new amount (in its unit unless another sold one is named). */
export const correctQuantity: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    if (context.input.kind !== 'message' || context.conversation.cart.length !== 1) return;
    const correction = context.input.understanding.quantityCorrection;
    if (!correction) return;
    const line = context.conversation.cart[0];
    const problems = applyItem(context, 'replace', { productId: line.productId, unit: correction.unit ?? line.unit, quantity: correction.value });
    return problems.length > 0 ? problems : [changeNote(context, 'replace', line.productId)];
  },
};

/** cart.clear: empties the cart and forgets the checkout answers (not which order was placed last). */
export const clearCart: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    const { lastPlaced } = context.conversation.vars;
    context.conversation.cart = [];
    context.conversation.vars = lastPlaced ? { lastPlaced } : {};
  },
};

/** Which candidate the answer picks: a number, an item naming a candidate, or a candidate's name in the text. */
export function pickCandidate(context: FlowContext, pending: PendingChoice, facts: Facts): string | undefined {
  if (context.input.kind !== 'message') return undefined;
  const { understanding } = context.input;
  const choice = understanding.reply?.choice;
  if (choice !== undefined) return pending.candidates[choice - 1];
  const named = understanding.items.find((item) => pending.candidates.includes(item.productId));
  if (named) return named.productId;
  // A word that tells the candidates apart ("merah" for Bawang Merah vs Bawang Putih) is enough.
  const words = new Set(understanding.normalized.toLowerCase().split(/\s+/));
  const names = pending.candidates.map((id) => (findProduct(facts, id)?.name ?? id).toLowerCase().split(/\s+/));
  const shared = names.reduce((common, name) => common.filter((word) => name.includes(word)));
  const hits = pending.candidates.filter((_, index) => names[index].some((word) => !shared.includes(word) && words.has(word)));
  return hits.length === 1 ? hits[0] : undefined;
}

/** clarify.skip: drops the question the resident did not answer, so the conversation can move on. */
export const skipClarification: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    const [first, ...rest] = readPending(context);
    context.conversation.vars.pending = rest;
    return first ? [{ key: 'order:clarify_skipped', params: { text: first.text } }] : [];
  },
};

/** clarify.resolve: answers the first queued question and applies the item it was about. */
export const resolveClarification: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    const [first, ...rest] = readPending(context);
    if (!first) return;
    const productId = pickCandidate(context, first, context.facts);
    if (!productId) return;
    context.conversation.vars.pending = rest;
    const product = findProduct(context.facts, productId)!;
    const item: ItemRequest =
      first.amountRp !== undefined
        ? { productId, amountRp: first.amountRp }
        : { productId, unit: first.unit && product.units.some((unit) => unit.code === first.unit) ? first.unit : product.units[0].code, quantity: first.quantity ?? 1 };
    return applyItem(context, first.edit, item);
  },
};

/** browse.addQuantity: "2 kg" (or "2") for the product picked from the list. */
export const addBrowsedQuantity: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    if (context.input.kind !== 'message') return;
    const productId = context.conversation.vars.browseProduct as string | undefined;
    const product = productId ? findProduct(context.facts, productId) : undefined;
    if (!product) return;
    const amount = context.input.understanding.amount;
    const resolved = amount ? resolveAmount(amount, product.id, context.facts.catalog.index) : undefined;
    delete context.conversation.vars.browseProduct;
    if (resolved && 'item' in resolved) return applyItem(context, 'add', resolved.item);
    const choice = context.input.understanding.reply?.choice;
    return applyItem(context, 'add', { productId: product.id, unit: product.units[0].code, quantity: choice ?? 1 });
  },
};

/**
 * "beras" alone adds one kilo and remembers it, so that "5 kg" sent next on its own (residents
 * often split the name and the amount over two messages) is that line's amount.
 */
function rememberImpliedLine(context: FlowContext, understanding: Understanding): void {
  const [item] = understanding.items;
  const added = understanding.items.length === 1 && 'quantityImplied' in item && item.quantityImplied === true && (item.edit ?? 'add') === 'add';
  if (added && impliedLineOf(context, item.productId)) context.conversation.vars.impliedLine = item.productId;
  else delete context.conversation.vars.impliedLine;
}

/** The cart line still at the one unit assumed for it. */
function impliedLineOf(context: FlowContext, productId: unknown): CartLine | undefined {
  const product = typeof productId === 'string' ? findProduct(context.facts, productId) : undefined;
  const line = context.conversation.cart.find((candidate) => candidate.productId === productId);
  return product && line && line.quantity === 1 && line.unit === product.units[0].code ? line : undefined;
}

/** "5 kg" alone, for the line added just before without an amount: that line and the amount as its item. */
function amountForImpliedLine(context: FlowContext): { line: CartLine; item: ItemRequest } | undefined {
  if (context.input.kind !== 'message') return undefined;
  const { understanding } = context.input;
  const { amount } = understanding;
  if (!amount || amount.amountRp !== undefined || understanding.items.length > 0 || understanding.clarifications.length > 0 || understanding.question) return undefined;
  // A bare digit answers the menu on screen.
  if (amount.unit === undefined) return undefined;
  const line = impliedLineOf(context, context.conversation.vars.impliedLine);
  const resolved = line ? resolveAmount(amount, line.productId, context.facts.catalog.index) : undefined;
  return line && resolved && 'item' in resolved ? { line, item: resolved.item } : undefined;
}

export function givesAmountForImpliedLine(context: FlowContext): boolean {
  return amountForImpliedLine(context) !== undefined;
}

/** cart.fillImpliedAmount: the amount sent on its own becomes the amount of the line added just before. */
export const fillImpliedAmount: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    const target = amountForImpliedLine(context);
    delete context.conversation.vars.impliedLine;
    if (!target) return;
    const problems = applyItem(context, 'replace', target.item);
    return problems.length > 0 ? problems : [changeNote(context, 'replace', target.line.productId)];
  },
};

/**
 * "tambah 5 bungkus lagi", "kurangi 1 kg" without naming the product: the one cart line the
 * amount fits (the only line, or the only one sold in that unit).
 */
function lineForEditedAmount(context: FlowContext): { line: CartLine; item: ItemRequest; edit: 'add' | 'reduce' } | undefined {
  if (context.input.kind !== 'message') return undefined;
  const { understanding } = context.input;
  const { amount, edit } = understanding;
  if (!amount || amount.amountRp !== undefined || (edit !== 'add' && edit !== 'reduce') || understanding.items.length > 0 || understanding.clarifications.length > 0) return undefined;
  const fits = linesFitting(context, amount);
  return fits.length === 1 ? { ...fits[0], edit } : undefined;
}

/** The cart lines an amount can be an amount of (a unitless one in each line's own unit), with it as their item. */
function linesFitting(context: FlowContext, amount: NonNullable<Understanding['amount']>): Array<{ line: CartLine; item: ItemRequest }> {
  return context.conversation.cart.flatMap((line) => {
    const resolved = resolveAmount(amount.unit === undefined ? { ...amount, unit: line.unit } : amount, line.productId, context.facts.catalog.index);
    return 'item' in resolved ? [{ line, item: resolved.item }] : [];
  });
}

export function editsAmountOfOneLine(context: FlowContext): boolean {
  return lineForEditedAmount(context) !== undefined;
}

/** "tambah 2 lagi" with several lines it could mean: asked, never guessed nor ignored. */
export function editsAmountOfUnclearLine(context: FlowContext): boolean {
  if (context.input.kind !== 'message' || context.conversation.cart.length === 0) return false;
  const { understanding } = context.input;
  const edits = understanding.edit === 'add' || understanding.edit === 'reduce';
  return edits && understanding.amount !== undefined && understanding.items.length === 0 && understanding.clarifications.length === 0 && lineForEditedAmount(context) === undefined;
}

/** cart.editAmount: "tambah 5 bungkus lagi" adds to the line it fits; "kurangi 1 kg" takes from it. */
export const editAmountOfOneLine: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    const target = lineForEditedAmount(context);
    if (!target) return;
    const problems = applyItem(context, target.edit, target.item);
    return problems.length > 0 ? problems : [changeNote(context, 'replace', target.line.productId)];
  },
};

/**
 * A price question naming no goods: "harganya berapa?" with one line in the cart, "berapa kalo
 * 5 kilo?" with the one line sold by the kilo, or "sepapan brp?" right after asking about eggs.
 * The product, the amount asked as an item of it, and whether it came from the cart.
 */
export function productAskedAbout(context: FlowContext): { productId: string; item?: ItemRequest; from: 'cart' | 'priced' } | undefined {
  if (context.input.kind !== 'message') return undefined;
  const { understanding } = context.input;
  if (understanding.intent !== 'price' || understanding.items.length > 0 || understanding.clarifications.length > 0) return undefined;
  const { amount } = understanding;
  const { cart } = context.conversation;
  if (!amount) return cart.length === 1 ? { productId: cart[0].productId, from: 'cart' } : undefined;
  const fits = linesFitting(context, amount);
  if (fits.length === 1) return { productId: fits[0].line.productId, item: fits[0].item, from: 'cart' };
  const priced = fits.length === 0 ? pricedProduct(context) : undefined;
  if (!priced) return undefined;
  const resolved = resolveAmount(amount, priced, context.facts.catalog.index);
  return 'item' in resolved ? { productId: priced, item: resolved.item, from: 'priced' } : undefined;
}

/** The one product a price question asked about, if only one ("telor sepapan brp?"). */
export function pricedProduct(context: FlowContext): string | undefined {
  const id = context.conversation.vars.pricedProduct;
  return typeof id === 'string' && findProduct(context.facts, id) ? id : undefined;
}

/**
 * True when the message orders the product just asked about without naming it: an amount
 * ("mau 2 papan"), a reference ("oke pesan itu"), or a bare order word ("pesan deh").
 */
export function answersPriceQuestion(context: FlowContext): boolean {
  if (context.input.kind !== 'message') return false;
  const productId = pricedProduct(context);
  const { understanding } = context.input;
  if (!productId || understanding.reply?.choice !== undefined || understanding.items.length > 0 || understanding.clarifications.length > 0 || understanding.question) return false;
  return understanding.amount !== undefined || understanding.reference === true || understanding.intent === 'order';
}

/** price.remember: keeps the product of a one-product price question for a follow-up quantity. */
export const rememberPricedProduct: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    if (context.input.kind !== 'message') return;
    const { understanding } = context.input;
    const ids = new Set([...understanding.items.map((item) => item.productId), ...understanding.clarifications.flatMap((c) => (c.kind === 'ambiguous_product' ? c.candidates : c.kind === 'unit_not_sold' ? [c.productId] : []))]);
    delete context.conversation.vars.pricedAmount;
    // "sepapan brp?" about the eggs just asked about: "oke itu" after it means a tray of them.
    const again = ids.size === 0 ? productAskedAbout(context) : undefined;
    if (again?.from === 'priced' && again.item && 'quantity' in again.item) {
      context.conversation.vars.pricedAmount = { unit: again.item.unit, quantity: again.item.quantity };
      return;
    }
    if (ids.size !== 1) {
      delete context.conversation.vars.pricedProduct;
      return;
    }
    context.conversation.vars.pricedProduct = [...ids][0];
    const [item] = understanding.items;
    if (item && 'quantity' in item && !item.quantityImplied) context.conversation.vars.pricedAmount = { unit: item.unit, quantity: item.quantity };
  },
};

/** price.addQuantity: "mau 2 papan" after "telor sepapan brp?" orders that product. */
export const addPricedQuantity: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: noParams,
  run(context) {
    if (context.input.kind !== 'message') return;
    const productId = pricedProduct(context);
    delete context.conversation.vars.pricedProduct;
    const product = productId ? findProduct(context.facts, productId) : undefined;
    if (!product) return;
    const { amount } = context.input.understanding;
    const asked = context.conversation.vars.pricedAmount as { unit: string; quantity: number } | undefined;
    delete context.conversation.vars.pricedAmount;
    // "oke pesan itu" after "gula 2 kg berapa?": the amount asked about (one of the first unit if none was).
    if (!amount) return applyItem(context, 'add', { productId: product.id, unit: asked?.unit ?? product.units[0].code, quantity: asked?.quantity ?? 1 });
    const resolved = resolveAmount(amount, product.id, context.facts.catalog.index);
    if ('item' in resolved) return applyItem(context, 'add', resolved.item);
    return queueClarifications(context, [resolved.clarification], 'add');
  },
};
