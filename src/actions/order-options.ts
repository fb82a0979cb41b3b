import type { FlowContext } from '../engine/transition-types.js';
import type { Facts } from '../engine/facts.js';
import type { CartLine } from '../domain/cart/cart-line.js';
import { priceCart } from './catalog-lookup.js';

export type PaymentMethod = 'cod' | 'transfer' | 'qris' | 'simpanan';
export type FulfilmentMethod = 'pickup' | 'delivery';

/**
 * The payment methods this coop and this resident can use, in menu order. The menu, the
 * digit answers and the reminder all read this one list, so numbers never have gaps.
 */
export function paymentOptions(facts: Facts): PaymentMethod[] {
  return [
    'cod',
    // A coop that has not given its bank account cannot take transfers.
    ...(facts.coop.settings.bankAccount?.accountNumber ? (['transfer'] as const) : []),
    ...(facts.coop.settings.qris.enabled ? (['qris'] as const) : []),
    // Paying from savings moves the member's money: not offered where the coop asks for a PIN
    // (SMS can be spoofed), since the order flow does not ask for one.
    ...(facts.member && showsSavingsFigures(facts) ? (['simpanan'] as const) : []),
  ];
}

/**
 * False on a channel where the coop asks for a PIN before it shows savings (SMS by default):
 * a reply there must not carry a savings figure nor move savings, because the order flow
 * never asks for the PIN. The `pinRequired` guard of the balance flow is this rule too.
 */
export function showsSavingsFigures(facts: Facts): boolean {
  return !facts.coop.settings.pinRequiredOn.includes(facts.channel);
}

/** Pickup and delivery as the coop offers them; a coop that switched both off still hands over at the shop. */
export function fulfilmentOptions(facts: Facts): FulfilmentMethod[] {
  const { pickup, delivery } = facts.coop.settings;
  const offered: FulfilmentMethod[] = [...(pickup.enabled ? (['pickup'] as const) : []), ...(delivery.enabled ? (['delivery'] as const) : [])];
  return offered.length > 0 ? offered : ['pickup'];
}

/**
 * True when the answer picks `option` from `offered`: a digit by its position in the list,
 * otherwise (the flow matched the option's words) only when the option is offered at all.
 */
export function answerPicks<T extends string>(context: FlowContext, offered: readonly T[], option: T): boolean {
  const choice = context.input.kind === 'message' ? context.input.understanding.reply?.choice : undefined;
  if (choice !== undefined) return offered[choice - 1] === option;
  return offered.includes(option);
}

/** True when the member's sukarela savings cover the cart's total for this fulfilment. */
export function savingsCoverTotal(facts: Facts, cart: CartLine[], fulfilment: unknown): boolean {
  return facts.member !== undefined && facts.member.sukarelaRp >= priceCart(cart, facts, fulfilment).totalRp;
}
