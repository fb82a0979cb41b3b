import { z } from 'zod';
import type { PureAction } from '../engine/registry.js';
import type { FlowContext } from '../engine/transition-types.js';
import { fulfilmentOptions, paymentOptions, savingsCoverTotal, type FulfilmentMethod, type PaymentMethod } from './order-options.js';

interface CheckoutChanges {
  fulfilment?: FulfilmentMethod;
  address?: string;
  payment?: PaymentMethod;
  when?: string;
  contactPhone?: string;
}

/**
 * The checkout answers this message gives (pickup or delivery, address, payment, when and a
 * number to call) that the coop offers and that change what the conversation holds. An answer the coop does not offer
 * (QRIS switched off, savings for a non-member or not enough of them) is left for its
 * question, which says why.
 */
export function checkoutChanges(context: FlowContext): CheckoutChanges {
  if (context.input.kind !== 'message') return {};
  const { understanding } = context.input;
  const { vars } = context.conversation;
  const changes: CheckoutChanges = {};
  const fulfilments = fulfilmentOptions(context.facts);
  if (understanding.fulfilment && fulfilments.includes(understanding.fulfilment) && understanding.fulfilment !== vars.fulfilment) changes.fulfilment = understanding.fulfilment;
  if (understanding.address && fulfilments.includes('delivery') && understanding.address !== vars.address) {
    changes.address = understanding.address;
    if (vars.fulfilment !== 'delivery') changes.fulfilment = 'delivery';
  }
  if (understanding.when && understanding.when !== vars.when) changes.when = understanding.when;
  if (understanding.contactPhone && understanding.contactPhone !== vars.contactPhone) changes.contactPhone = understanding.contactPhone;
  const payment = understanding.payment;
  if (payment && payment !== vars.payment && paymentOptions(context.facts).includes(payment)) {
    const fulfilment = changes.fulfilment ?? vars.fulfilment;
    const covered = payment !== 'simpanan' || savingsCoverTotal(context.facts, context.conversation.cart, fulfilment);
    if (covered) changes.payment = payment;
  }
  return changes;
}

/**
 * The message answers checkout questions and names no goods: a message with items goes to the
 * cart first (`cart.apply` then `checkout.take`), so an answer state never drops its items.
 */
export const givesCheckoutAnswers = (context: FlowContext): boolean =>
  context.input.kind === 'message' &&
  context.input.understanding.items.length === 0 &&
  context.input.understanding.clarifications.length === 0 &&
  Object.keys(checkoutChanges(context)).length > 0;

/**
 * "simpanan" at the summary when savings already pay, "ambil" when pickup is chosen: answers
 * the conversation holds already, said again. The pending question again, not the balance.
 */
export const repeatsCheckoutAnswers = (context: FlowContext): boolean => {
  if (context.input.kind !== 'message' || context.conversation.cart.length === 0) return false;
  const { understanding } = context.input;
  const { vars } = context.conversation;
  const given = [[understanding.fulfilment, vars.fulfilment], [understanding.address, vars.address], [understanding.payment, vars.payment]].filter(([said]) => said !== undefined);
  // Only answers already held: "qris" where QRIS is not offered is no repeat, and gets its reminder.
  return given.length > 0 && given.every(([said, held]) => said === held) && understanding.items.length === 0 && understanding.clarifications.length === 0;
};

/** The message only says when or a number to call ("jam 4 sore ya"): said back, then the question again. */
export const givesOnlyDeliveryDetails = ({ input }: FlowContext): boolean =>
  input.kind === 'message' &&
  (input.understanding.when !== undefined || input.understanding.contactPhone !== undefined) &&
  input.understanding.fulfilment === undefined && input.understanding.address === undefined && input.understanding.payment === undefined;

/** checkout.take: keeps the checkout answers the message gives; pickup forgets an address. */
export const takeCheckoutAnswers: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: z.strictObject({}),
  run(context) {
    const changes = checkoutChanges(context);
    Object.assign(context.conversation.vars, changes);
    if (changes.fulfilment === 'pickup') delete context.conversation.vars.address;
  },
};

/** checkout.defaults: a coop offering only pickup or only delivery does not ask which. */
export const applyCheckoutDefaults: PureAction<Record<string, never>> = {
  kind: 'pure',
  params: z.strictObject({}),
  run(context) {
    const offered = fulfilmentOptions(context.facts);
    const { vars } = context.conversation;
    if (offered.length === 1 && vars.fulfilment !== offered[0]) vars.fulfilment = offered[0];
    if (vars.fulfilment === 'pickup') delete vars.address;
  },
};

/** What the checkout still lacks, in the order it is asked. */
export function missingCheckoutAnswer(context: FlowContext): 'fulfilment' | 'address' | 'payment' | undefined {
  const { vars } = context.conversation;
  if (!fulfilmentOptions(context.facts).includes(vars.fulfilment as FulfilmentMethod)) return 'fulfilment';
  if (vars.fulfilment === 'delivery' && !vars.address) return 'address';
  if (!paymentOptions(context.facts).includes(vars.payment as PaymentMethod)) return 'payment';
  return undefined;
}
