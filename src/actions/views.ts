import { lastPlacedOrder } from './session-vars.js';
import type { ReplyMessage, ReplyParams } from '../engine/reply-message.js';
import type { View } from '../engine/registry.js';
import type { PricedLine } from '../domain/cart/price-line.js';
import { findProduct, listCategories, priceCart, productsInCategory } from './catalog-lookup.js';
import { detailItems, fulfilmentDetails } from '../domain/orders/fulfilment-details.js';
import { unitPrices } from './unit-prices.js';
import { productAskedAbout, readPending } from './cart-actions.js';
import { fulfilmentOptions, paymentOptions, showsSavingsFigures, type PaymentMethod } from './order-options.js';

const numbered = (items: string[]): ReplyMessage[] => items.map((label, index) => ({ key: 'common:numbered', params: { n: index + 1, label } }));

function cartLines(lines: PricedLine[]): ReplyMessage[] {
  return lines.map((line) => ({
    key: 'order:cart_line',
    params: { name: line.name, qty: { qty: line.quantity }, unit: line.unit, price: { money: line.unitPriceRp }, total: { money: line.lineTotalRp } },
  }));
}

/** Named parameter builders for replies (`view: cart`). All pure. */
export const views: Record<string, View> = {
  coop: ({ facts }) => ({ coop: facts.coop.name, open: facts.coop.settings.openingHours.open ?? '', close: facts.coop.settings.openingHours.close ?? '', days: facts.coop.settings.openingHours.days ?? '' }),
  cart: ({ conversation, facts }) => {
    const totals = priceCart(conversation.cart, facts);
    return { lines: { list: cartLines(totals.lines) }, subtotal: { money: totals.subtotalRp } };
  },
  fulfilment: ({ facts }) => {
    const fee = { money: facts.coop.settings.delivery.feeRp };
    return {
      fee,
      pickupAddress: facts.coop.settings.pickup.address,
      area: facts.coop.settings.delivery.area ?? '',
      lastAddress: facts.contact.lastAddress ?? '',
      options: { list: fulfilmentOptions(facts).map((method, index) => ({ key: `order:fulfilment_option.${method}`, params: { n: index + 1, fee } })) },
    };
  },
  // The menu (`options`, one line each) and the reminder (`choices`, inline) number the same offered list.
  // Where the coop wants a PIN before savings are shown, the figure is not even a parameter.
  payment: ({ conversation, facts }) => {
    const showBalance = showsSavingsFigures(facts);
    const balance: ReplyParams = showBalance ? { sukarela: { money: facts.member?.sukarelaRp ?? 0 } } : {};
    const offered = paymentOptions(facts);
    const totalRp = priceCart(conversation.cart, facts, conversation.vars.fulfilment).totalRp;
    // Savings that do not cover the total are said to, before the member picks them.
    const option = (method: PaymentMethod) => (method === 'simpanan' && (facts.member?.sukarelaRp ?? 0) < totalRp ? 'simpanan_short' : method);
    return {
      total: { money: totalRp },
      ...balance,
      options: { list: offered.map((method, index) => ({ key: `order:payment_option.${option(method)}`, params: { n: index + 1, ...balance } })) },
      choices: { list: offered.map((method, index) => ({ key: `order:payment_choice.${method}`, params: { n: index + 1 } })), inline: true },
    };
  },
  summary: ({ conversation, facts }) => {
    const totals = priceCart(conversation.cart, facts, conversation.vars.fulfilment);
    const money = { subtotal: { money: totals.subtotalRp }, fee: { money: totals.deliveryFeeRp }, total: { money: totals.totalRp } };
    const params: ReplyParams = {
      lines: { list: cartLines(totals.lines) },
      ...money,
      // A pickup has no fee: the total alone, not "Ongkir: Rp0".
      totals: { t: conversation.vars.fulfilment === 'delivery' ? 'order:summary_totals_delivery' : 'order:summary_totals_pickup', params: money },
      fulfilment: { t: `order:fulfilment_method.${String(conversation.vars.fulfilment)}` },
      address: String(conversation.vars.address ?? facts.coop.settings.pickup.address),
      details: fulfilmentDetails(conversation.vars),
      payment: { t: `order:payment_method.${String(conversation.vars.payment)}` },
    };
    return params;
  },
  placedOrder: ({ conversation }) => ({ number: lastPlacedOrder(conversation.vars)?.number ?? '' }),
  /** What "jam 4 sore ya" said, to say back. */
  noted: ({ input }) => ({ items: (input.kind === 'message' ? detailItems(input.understanding) : undefined) ?? '' }),
  bank: ({ facts }) => ({ ...facts.coop.settings.bankAccount }),
  qris: ({ facts }) => ({ merchant: facts.coop.settings.qris.merchantName }),
  categories: ({ facts }) => ({ list: { list: numbered(listCategories(facts)) } }),
  categoryProducts: ({ conversation, facts }) => {
    const category = String(conversation.vars.browseCategory ?? '');
    const products = productsInCategory(facts, category);
    return {
      category,
      list: { list: products.map((product, index) => ({ key: 'order:product_option', params: { n: index + 1, name: product.name, units: unitPrices(product.units) } })) },
    };
  },
  browseProduct: ({ conversation, facts }) => {
    const product = findProduct(facts, String(conversation.vars.browseProduct ?? ''));
    return { name: product?.name ?? '', unit: product?.units[0].code ?? '', units: unitPrices(product?.units ?? []) };
  },
  clarification: (context): ReplyParams => {
    const [first] = readPending(context);
    if (!first) return { text: '', options: { list: [] } };
    const names = first.candidates.map((id) => findProduct(context.facts, id)?.name ?? id);
    return { text: first.text, options: { list: numbered(names) }, first: names[0] ?? '', second: names[1] ?? '' };
  },
  prices: ({ input, facts }) => {
    if (input.kind !== 'message') return { list: { list: [] } };
    const ids = [...input.understanding.items.map((item) => item.productId), ...input.understanding.clarifications.flatMap((c) => (c.kind === 'ambiguous_product' ? c.candidates : c.kind === 'unit_not_sold' ? [c.productId] : []))];
    const products = [...new Set(ids)].flatMap((id) => findProduct(facts, id) ?? []);
    // "gula 2 kg berapa?": the price for the amount asked, not only per kg.
    const asked = new Map(input.understanding.items.flatMap((item) => ('quantity' in item && !item.quantityImplied ? [[item.productId, item] as const] : [])));
    return {
      list: {
        list: products.map((product): ReplyMessage => {
          const item = asked.get(product.id);
          if (!item) return { key: 'order:price_line', params: { name: product.name, units: unitPrices(product.units) } };
          const [line] = priceCart([{ productId: item.productId, unit: item.unit, quantity: item.quantity }], facts).lines;
          return { key: 'order:price_line_total', params: { name: product.name, units: unitPrices(product.units), qty: { qty: line.quantity }, unit: line.unit, total: { money: line.lineTotalRp } } };
        }),
      },
    };
  },
  /** "berapa harga kalo 5 kilo kak?" about the sugar in the cart: that amount of it, priced. */
  askedProductPrice: (context) => {
    const asked = productAskedAbout(context);
    const product = asked ? findProduct(context.facts, asked.productId) : undefined;
    if (!asked || !product) return { list: { list: [] } };
    const item = asked.item && 'quantity' in asked.item ? asked.item : undefined;
    if (!item) return { list: { list: [{ key: 'order:price_line', params: { name: product.name, units: unitPrices(product.units) } }] } };
    const [line] = priceCart([{ productId: item.productId, unit: item.unit, quantity: item.quantity }], context.facts).lines;
    return { list: { list: [{ key: 'order:price_line_total', params: { name: product.name, units: unitPrices(product.units), qty: { qty: line.quantity }, unit: line.unit, total: { money: line.lineTotalRp } } }] } };
  },
  unsold: ({ input, facts }) => ({
    names: input.kind === 'message' ? input.understanding.clarifications.flatMap((c) => (c.kind === 'unknown_product' ? [c.text] : [])).join(', ') : '',
    categories: listCategories(facts).join(', '),
  }),
  pinLock: ({ facts }) => ({ until: { time: facts.member?.pinLockedUntil ?? facts.now } }),
  event: ({ input }) => (input.kind === 'event' ? ((input.event.data ?? {}) as ReplyParams) : {}),
};
