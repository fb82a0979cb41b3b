import type { FlowRegistry } from '../engine/registry.js';
import { addBrowsedQuantity, applyUnderstanding, clearCart, resolveClarification, skipClarification } from './cart-actions.js';
import { copyEventVars, pickCategory, pickProduct, setAddress, setLanguage, setVars, toggleLanguage, unsetVars, useLastAddress } from './conversation-actions.js';
import { guards } from './guards.js';
import { checkPin, loadBalance, saveLanguage } from './member-effects.js';
import { cancelOrderEffect, findCancellableOrder, loadRecentOrders, placeOrderEffect } from './order-effects.js';
import { views } from './views.js';

/** Everything the flow files may name. */
export function createFlowRegistry(): FlowRegistry {
  return {
    actions: {
      'cart.apply': applyUnderstanding,
      'cart.clear': clearCart,
      'clarify.resolve': resolveClarification,
      'clarify.skip': skipClarification,
      'browse.pickCategory': pickCategory,
      'browse.pickProduct': pickProduct,
      'browse.addQuantity': addBrowsedQuantity,
      'vars.set': setVars,
      'vars.unset': unsetVars,
      'vars.fromEvent': copyEventVars,
      'order.setAddress': setAddress,
      'order.useLastAddress': useLastAddress,
      'language.set': setLanguage,
      'language.toggle': toggleLanguage,
      'order.place': placeOrderEffect,
      'orders.loadRecent': loadRecentOrders,
      'order.findCancellable': findCancellableOrder,
      'order.cancel': cancelOrderEffect,
      'member.checkPin': checkPin,
      'savings.load': loadBalance,
      'contact.saveLanguage': saveLanguage,
    },
    guards,
    views,
    codeLocaleKeys: [
      'common:numbered',
      'common:error',
      'order:cart_line',
      'order:unit_price',
      'order:product_option',
      'order:price_line',
      'order:unknown_product',
      'order:clarify_skipped',
      'order:not_in_cart',
      'order:amount_too_small',
      'order:rounded_down',
      'order:unit_not_sold',
      'order:payment_method.cod',
      'order:payment_method.transfer',
      'order:payment_method.qris',
      'order:payment_method.simpanan',
      'order:fulfilment_method.pickup',
      'order:fulfilment_method.delivery',
      'order:rejected.empty_cart',
      'order:rejected.product_unavailable',
      'order:rejected.unit_unavailable',
      'order:rejected.out_of_stock',
      'order:rejected.limit_per_order',
      'order:rejected.limit_per_day',
      'order:rejected.insufficient_sukarela',
      'order:rejected.simpanan_members_only',
      'order:rejected.prices_changed',
      'status:order_line',
      'status:state.new',
      'status:state.confirmed',
      'status:state.ready',
      'status:state.completed',
      'status:state.cancelled',
      'status:refused.order_not_found',
      'status:refused.not_cancellable',
      'balance:entry',
      'balance:type.pokok',
      'balance:type.wajib',
      'balance:type.sukarela',
    ],
  };
}
