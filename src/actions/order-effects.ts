import { z } from 'zod';
import type { FulfilmentMethod, OrderDoc, PaymentMethod } from '../db/models/order.js';
import { DomainRuleError } from '../domain/errors.js';
import { cancelOrder } from '../domain/orders/cancel-order.js';
import type { Effect } from './effect-context.js';
import type { ParamValue } from '../engine/reply-message.js';
import type { EngineEvent } from '../engine/transition-types.js';
import { priceCart } from './catalog-lookup.js';

const noParams = z.strictObject({});

function rejection(error: DomainRuleError): EngineEvent {
  const params: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(error.params)) params[name] = name.endsWith('Rp') ? { money: Number(value) } : value;
  return { name: 'order.rejected', data: { reason: { t: `order:rejected.${error.code}`, params } } };
}

function orderLine(order: OrderDoc) {
  return {
    key: 'status:order_line',
    params: {
      number: order.number,
      status: { t: `status:resident_state.${order.status}` },
      total: { money: order.totalRp },
      placed: { time: order.placedAt },
      items: orderGoods(order),
    },
  };
}

/** "Telur Ayam Ras 1 papan, Gula Pasir 2 kg": what an order holds, on one line. */
function orderGoods(order: Pick<OrderDoc, 'items'>) {
  return { list: order.items.map((item) => ({ key: 'order:cart_item_short', params: { name: item.name, qty: { qty: item.quantity }, unit: item.unit } })), inline: true };
}

/** order.place: places the cart as an order (stock, limits and simpanan inside one transaction). */
export const placeOrderEffect: Effect<Record<string, never>> = {
  kind: 'effect',
  emits: ['order.placed', 'order.rejected'],
  params: noParams,
  async run(context) {
    const { vars, cart } = context.conversation;
    const payment = vars.payment as PaymentMethod;
    try {
      const order = await context.orders.place({
        coopId: context.coop._id,
        phone: context.phone,
        channel: context.channel,
        contactId: context.contact._id,
        ...(context.member ? { memberId: context.member._id } : {}),
        lines: cart,
        fulfilment: {
          method: vars.fulfilment as FulfilmentMethod,
          ...(vars.address ? { address: String(vars.address) } : {}),
          ...(vars.when ? { when: String(vars.when) } : {}),
          ...(vars.contactPhone ? { contactPhone: String(vars.contactPhone) } : {}),
        },
        payment,
        now: context.now,
        // The total the resident agreed to (the summary's); older conversations fall back to today's prices.
        expectedTotalRp: typeof vars.quotedTotalRp === 'number' ? vars.quotedTotalRp : priceCart(cart, context.facts, vars.fulfilment).totalRp,
        sourceMessageKey: context.messageKey,
      });
      context.logger.info({ orderNumber: order.number, totalRp: order.totalRp }, 'order placed');
      return {
        name: 'order.placed',
        data: { number: order.number, total: { money: order.totalRp }, payment: { t: `order:payment_method.${payment}` } },
      };
    } catch (error) {
      if (error instanceof DomainRuleError) {
        if (error.code === 'prices_changed') context.refreshCatalog();
        return rejection(error);
      }
      throw error;
    }
  },
};

/** orders.loadRecent: the resident's last three orders. */
export const loadRecentOrders: Effect<Record<string, never>> = {
  kind: 'effect',
  emits: ['orders.none', 'orders.loaded'],
  params: noParams,
  async run(context) {
    const orders = await context.models.Order.find({ coopId: context.coop._id, phone: context.phone }).sort({ placedAt: -1, number: -1 }).limit(3).lean();
    if (orders.length === 0) return { name: 'orders.none' };
    return { name: 'orders.loaded', data: { orders: { list: orders.map(orderLine) } } };
  },
};

/** order.findCancellable: the latest order, if the coop has not confirmed it yet. */
export const findCancellableOrder: Effect<Record<string, never>> = {
  kind: 'effect',
  emits: ['cancel.none', 'cancel.not_found', 'cancel.too_late', 'cancel.candidate'],
  params: noParams,
  async run(context) {
    // "batal 1001" means that order, never the latest one in its place.
    const asked = context.conversation.vars.askedOrderNumber as number | undefined;
    // "yg kopi barusan batalin": the latest order holding the coffee ("beras": any rice).
    const goods = context.conversation.vars.askedOrderGoods as string[] | undefined;
    const filter = {
      coopId: context.coop._id,
      phone: context.phone,
      status: { $ne: 'cancelled' as const },
      ...(asked !== undefined ? { number: asked } : goods !== undefined ? { 'items.productId': { $in: goods } } : {}),
    };
    const latest = await context.models.Order.findOne(filter).sort({ placedAt: -1, number: -1 }).lean();
    if (!latest && asked !== undefined) return { name: 'cancel.not_found', data: { number: asked } };
    if (!latest) return { name: 'cancel.none' };
    if (latest.status !== 'new') return { name: 'cancel.too_late', data: { number: latest.number, status: { t: `status:state.${latest.status}` } } };
    // "minyaknya ga jadi" about an order that holds more: a placed order is cancelled whole, so say so.
    const wholeOrder = goods !== undefined && latest.items.some((item) => !goods.includes(item.productId)) ? 1 : 0;
    return { name: 'cancel.candidate', data: { number: latest.number, total: { money: latest.totalRp }, goods: orderGoods(latest), cancelNumber: latest.number, wholeOrder } };
  },
};

/** order.cancel: cancels the order chosen earlier (vars.cancelNumber). */
export const cancelOrderEffect: Effect<Record<string, never>> = {
  kind: 'effect',
  emits: ['order.cancelled', 'order.cancel_refused'],
  params: noParams,
  async run(context) {
    const number = Number(context.conversation.vars.cancelNumber);
    try {
      const order = await cancelOrder(context.models, { coopId: context.coop._id, number, phone: context.phone, now: context.now, by: 'resident', notify: 'staff', sourceMessageKey: context.messageKey });
      return {
        name: 'order.cancelled',
        data: { number: order.number, refunded: order.payment.status === 'refunded' ? 1 : 0, refundDue: order.payment.status === 'refund_due' ? 1 : 0, total: { money: order.totalRp } },
      };
    } catch (error) {
      if (error instanceof DomainRuleError) return { name: 'order.cancel_refused', data: { number, reason: { t: `status:refused.${error.code}` } } };
      throw error;
    }
  },
};
