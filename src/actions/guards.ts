import { lastPlacedOrder } from './session-vars.js';
import { readPin } from '../engine/match-input.js';
import type { Guard } from '../engine/registry.js';
import { resolveAmount } from '../language/detect-amount.js';
import { findProduct, listCategories, productsInCategory } from './catalog-lookup.js';
import { answersPriceQuestion, productAskedAbout, editsAmountOfOneLine, editsAmountOfUnclearLine, givesAmountForImpliedLine, pickCandidate, readPending } from './cart-actions.js';
import { givesCheckoutAnswers, givesOnlyDeliveryDetails, missingCheckoutAnswer, repeatsCheckoutAnswers } from './checkout-answers.js';
import { answerPicks, fulfilmentOptions, paymentOptions, savingsCoverTotal, showsSavingsFigures } from './order-options.js';

const choiceOf = (context: Parameters<Guard>[0]) => (context.input.kind === 'message' ? context.input.understanding.reply?.choice : undefined);
const asksBalance = ({ input }: Parameters<Guard>[0]) => input.kind === 'message' && input.understanding.asksBalance === true;
/** How long after an order a checkout answer alone is taken to be about that order. */
const PLACED_ORDER_TALK_MS = 6 * 60 * 60 * 1000;
const inRange = (choice: number | undefined, length: number) => choice !== undefined && choice >= 1 && choice <= length;

/** Named conditions flows may use (`guard: isMember`, `guard: "!isMember"`). All pure. */
export const guards: Record<string, Guard> = {
  isMember: ({ facts }) => facts.member !== undefined,
  hasBankAccount: ({ facts }) => Boolean(facts.coop.settings.bankAccount?.accountNumber),
  namesProducts: ({ input }) => input.kind === 'message' && (input.understanding.items.length > 0 || input.understanding.clarifications.some((c) => c.kind !== 'unknown_product')),
  hasCart: ({ conversation }) => conversation.cart.length > 0,
  firstFulfilmentAsk: ({ conversation }) => (conversation.vars.fulfilmentAsks ?? 1) === 1,
  /** The message names goods, none of which the coop sells ("ada rokok?"). */
  onlyUnsoldProducts: ({ input }) =>
    input.kind === 'message' &&
    input.understanding.items.length === 0 &&
    input.understanding.clarifications.length > 0 &&
    input.understanding.clarifications.every((c) => c.kind === 'unknown_product' && input.understanding.unsoldGoods?.includes(c.text) === true),
  /** A correction without a product name can only mean the one line there is. */
  cartHasOneLine: ({ conversation }) => conversation.cart.length === 1,
  hasPendingClarification: (context) => readPending(context).length > 0,
  hasLastAddress: ({ facts }) => Boolean(facts.contact.lastAddress),
  answersPriceQuestion,
  givesAmountForImpliedLine,
  editsAmountOfOneLine,
  editsAmountOfUnclearLine,
  asksPriceOfKnownProduct: (context) => productAskedAbout(context) !== undefined,
  isCancelRequest: ({ input }) => input.kind === 'message' && input.understanding.intent === 'cancel',
  /** "yg kopi barusan batalin" with nothing in the cart: the goods of an order already placed. */
  removesGoodsOfPlacedOrder: ({ input, conversation }) =>
    input.kind === 'message' && conversation.cart.length === 0 && input.understanding.items.length > 0 && input.understanding.items.every((item) => item.edit === 'remove'),
  /** The order to cancel holds more than the goods the resident named. */
  cancelsWholeOrder: ({ input }) => input.kind === 'event' && input.event.data?.wholeOrder === 1,
  // "batalkan pesanan yang tadi", "batal 1001" are about an order already placed, not the cart being built.
  cancelsCartInProgress: (context) =>
    (context.conversation.cart.length > 0 || readPending(context).length > 0) && !(context.input.kind === 'message' && context.input.understanding.refersToPlacedOrder),
  looksLikeAddress: ({ input }) => input.kind === 'message' && input.understanding.readsAsAddress === true,
  // "bisa dianter sekarang gak?" at the address question: said the address is still needed; a
  // question the shop answers ("buka sampai jam berapa?") goes to its answer instead.
  neitherAddressNorShopQuestion: ({ input }) => input.kind === 'message' && input.understanding.readsAsAddress !== true && input.understanding.asks === undefined,
  /** The message answers checkout questions, asked or not ("dianter ke jl. melati 3, cod"). */
  givesCheckoutAnswers,
  givesOnlyDeliveryDetails,
  repeatsCheckoutAnswers,
  /** "ambil sendiri aja", "kirim jam 10 ya" within hours of placing an order, nothing in the cart: about that order. */
  changesPlacedOrder: (context) => {
    const placed = lastPlacedOrder(context.conversation.vars);
    return placed !== undefined && context.facts.now.getTime() - placed.at < PLACED_ORDER_TALK_MS && context.conversation.cart.length === 0 && givesCheckoutAnswers(context);
  },
  givesAddressBeforeGoods: (context) => context.conversation.cart.length === 0 && context.input.kind === 'message' && context.input.understanding.address !== undefined && givesCheckoutAnswers(context),
  needsFulfilment: (context) => missingCheckoutAnswer(context) === 'fulfilment',
  needsAddress: (context) => missingCheckoutAnswer(context) === 'address',
  needsPayment: (context) => missingCheckoutAnswer(context) === 'payment',
  checkoutComplete: (context) => missingCheckoutAnswer(context) === undefined,
  pinRequired: ({ facts }) => !showsSavingsFigures(facts),
  /** "pesan beras 5 kg, saldo saya cukup kan?": a member where savings show, a member behind a PIN, or no member. */
  asksBalanceShown: (context) => asksBalance(context) && context.facts.member !== undefined && showsSavingsFigures(context.facts),
  asksBalanceBehindPin: (context) => asksBalance(context) && context.facts.member !== undefined && !showsSavingsFigures(context.facts),
  asksBalanceNotMember: (context) => asksBalance(context) && context.facts.member === undefined,
  /** "SALDO 1234" by SMS: the PIN the channel asks for, given with the request. */
  givesRequiredPin: ({ facts, input }) => !showsSavingsFigures(facts) && input.kind === 'message' && readPin(input.text) !== undefined,
  pinLocked: ({ facts }) => Boolean(facts.member?.pinLockedUntil && facts.member.pinLockedUntil > facts.now),
  isSms: ({ facts }) => facts.channel === 'sms',
  isDelivery: ({ conversation }) => conversation.vars.fulfilment === 'delivery',
  paidByTransfer: ({ conversation }) => conversation.vars.payment === 'transfer',
  /** QRIS with the coop's payload stored, on WhatsApp: the service sends the code for the exact total itself. */
  paidByQrisCode: ({ conversation, facts }) => conversation.vars.payment === 'qris' && Boolean(facts.coop.settings.qris.payload) && facts.channel !== 'sms',
  /** QRIS with a payload, by SMS: no image can go, so the steps to pay at the shop's QRIS are sent. */
  paidByQrisOnSms: ({ conversation, facts }) => conversation.vars.payment === 'qris' && Boolean(facts.coop.settings.qris.payload) && facts.channel === 'sms',
  /** QRIS without a stored payload: staff send the code by hand. */
  paidByQrisByStaff: ({ conversation, facts }) => conversation.vars.payment === 'qris' && !facts.coop.settings.qris.payload,
  paidBySimpanan: ({ conversation }) => conversation.vars.payment === 'simpanan',
  wasRefunded: ({ input }) => input.kind === 'event' && input.event.data?.refunded === 1,
  /** Paid in cash, transfer or QRIS: staff hand the money back. */
  refundDue: ({ input }) => input.kind === 'event' && input.event.data?.refundDue === 1,
  canPayFromSavings: ({ facts, conversation }) => savingsCoverTotal(facts, conversation.cart, conversation.vars.fulfilment),
  // Pickup or delivery is only asked when the coop offers both; otherwise the one offered is used.
  offersBothFulfilments: ({ facts }) => fulfilmentOptions(facts).length > 1,
  onlyPickup: ({ facts }) => fulfilmentOptions(facts).join() === 'pickup',
  onlyDelivery: ({ facts }) => fulfilmentOptions(facts).join() === 'delivery',
  pickupEnabled: ({ facts }) => fulfilmentOptions(facts).includes('pickup'),
  choosesPickup: (context) => answerPicks(context, fulfilmentOptions(context.facts), 'pickup'),
  choosesDelivery: (context) => answerPicks(context, fulfilmentOptions(context.facts), 'delivery'),
  // Payment answers: a digit by position in the offered list, a word only for an offered method.
  choosesCod: (context) => answerPicks(context, paymentOptions(context.facts), 'cod'),
  choosesTransfer: (context) => answerPicks(context, paymentOptions(context.facts), 'transfer'),
  choosesQris: (context) => answerPicks(context, paymentOptions(context.facts), 'qris'),
  choosesSimpanan: (context) => answerPicks(context, paymentOptions(context.facts), 'simpanan'),
  // At the summary, a payment word naming another offered method changes it ("transfer aja deh").
  switchesToCod: (context) => context.conversation.vars.payment !== 'cod' && answerPicks(context, paymentOptions(context.facts), 'cod'),
  switchesToTransfer: (context) => context.conversation.vars.payment !== 'transfer' && answerPicks(context, paymentOptions(context.facts), 'transfer'),
  switchesToQris: (context) => context.conversation.vars.payment !== 'qris' && answerPicks(context, paymentOptions(context.facts), 'qris'),
  switchesToCoveredSimpanan: (context) =>
    context.conversation.vars.payment !== 'simpanan' && answerPicks(context, paymentOptions(context.facts), 'simpanan') && guards.canPayFromSavings(context),
  choosesCoveredSimpanan: (context) => answerPicks(context, paymentOptions(context.facts), 'simpanan') && guards.canPayFromSavings(context),
  resolvesClarification: (context) => {
    const [first] = readPending(context);
    return first !== undefined && pickCandidate(context, first, context.facts) !== undefined;
  },
  validCategoryChoice: (context) => inRange(choiceOf(context), listCategories(context.facts).length),
  validProductChoice: (context) => {
    const category = context.conversation.vars.browseCategory as string | undefined;
    return category !== undefined && inRange(choiceOf(context), productsInCategory(context.facts, category).length);
  },
  answersQuantity: (context) => {
    if (context.input.kind !== 'message') return false;
    const product = findProduct(context.facts, String(context.conversation.vars.browseProduct ?? ''));
    if (!product) return false;
    const { understanding } = context.input;
    // "hmm" or "berapa harganya?" carries no amount: not an answer.
    return understanding.reply?.choice !== undefined || (understanding.amount !== undefined && 'item' in resolveAmount(understanding.amount, product.id, context.facts.catalog.index));
  },
};
