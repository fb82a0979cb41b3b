import type { CoopDoc } from '../../db/models/coop.js';
import type { OrderItem } from '../../db/models/order.js';
import type { ProductDoc } from '../../db/models/product.js';
import { priceLine, sumLines, type PricedLine } from '../cart/price-line.js';
import { DomainRuleError } from '../errors.js';
import { zonedDayStart } from '../time/zoned-day-start.js';
import type { PlaceOrderInput } from './place-order-input.js';
import { stockUsed } from './stock-used.js';

/** An order already counted toward the daily household limits (stored, or accepted earlier in this batch). */
export interface CountedOrder {
  phone: string;
  placedAt: Date;
  items: Pick<OrderItem, 'productId' | 'unit' | 'quantity'>[];
}

/**
 * What a batch's orders are judged against, as read inside its transaction. Each accepted
 * order moves it on (stock, counted orders, balances), so the next order sees what the
 * orders before it left.
 */
export interface OrderBook {
  coop: CoopDoc;
  /** Active products of the coop that the batch orders, by productId, as read (stock included). */
  products: Map<string, ProductDoc>;
  /** Stock left per productId once the orders accepted so far are taken. */
  stockLeft: Map<string, number>;
  /** Today's orders of the batch's phones for limited products. */
  counted: CountedOrder[];
  /** Cached sukarela balance left per member id (hex), for the batch's simpanan orders. */
  sukarelaLeft: Map<string, number>;
}

export interface AcceptedOrder {
  input: PlaceOrderInput;
  items: PricedLine[];
  subtotalRp: number;
  deliveryFeeRp: number;
  totalRp: number;
}

/**
 * Judges one order against the book and, if it passes, takes its stock and savings from
 * the book. Throws DomainRuleError to refuse; the book is then left untouched, so a
 * refused order refuses only itself. The checks run in the order residents have always
 * seen: products and units, household limits, stock, total, then payment.
 */
export function decideOrder(book: OrderBook, input: PlaceOrderInput): AcceptedOrder {
  const { coop, products } = book;
  for (const line of input.lines) {
    const product = products.get(line.productId);
    if (!product) throw new DomainRuleError('product_unavailable', { productId: line.productId });
    if (!product.units.some((unit) => unit.code === line.unit)) throw new DomainRuleError('unit_unavailable', { name: product.name, unit: line.unit });
  }
  const items = input.lines.map((line) => priceLine(line, products.get(line.productId)!));
  checkHouseholdLimits(book, input, items);
  const stockAfter = takeStock(book, items);

  const subtotalRp = sumLines(items);
  const deliveryFeeRp = input.fulfilment.method === 'delivery' ? coop.settings.delivery.feeRp : 0;
  const totalRp = subtotalRp + deliveryFeeRp;
  if (input.expectedTotalRp !== undefined && input.expectedTotalRp !== totalRp) throw new DomainRuleError('prices_changed', { totalRp });
  const sukarelaAfter = input.payment === 'simpanan' ? debitSukarela(book, input, totalRp) : undefined;

  // Every check passed: only now does the order change what later orders see.
  for (const [productId, left] of stockAfter) book.stockLeft.set(productId, left);
  if (sukarelaAfter !== undefined) book.sukarelaLeft.set(String(input.memberId), sukarelaAfter);
  book.counted.push({ phone: input.phone, placedAt: input.now, items });
  return { input, items, subtotalRp, deliveryFeeRp, totalRp };
}

function checkHouseholdLimits(book: OrderBook, input: PlaceOrderInput, items: PricedLine[]): void {
  for (const limit of book.coop.settings.householdLimits) {
    const product = book.products.get(limit.productId);
    if (!product) continue;
    const inOrder = items.filter((item) => item.productId === limit.productId).reduce((sum, item) => sum + stockUsed(item, product), 0);
    if (inOrder === 0) continue;
    if (inOrder > limit.maxPerOrder) throw new DomainRuleError('limit_per_order', { name: product.name, max: limit.maxPerOrder, unit: product.stockUnit });
    const since = zonedDayStart(input.now, book.coop.timezone);
    const already = book.counted
      .filter((order) => order.phone === input.phone && order.placedAt >= since)
      .flatMap((order) => order.items)
      .filter((item) => item.productId === limit.productId)
      .reduce((sum, item) => sum + stockUsed(item, product), 0);
    if (already + inOrder > limit.maxPerDay) throw new DomainRuleError('limit_per_day', { name: product.name, max: limit.maxPerDay, unit: product.stockUnit });
  }
}

/** The stock each product would have left after this order, line by line; refuses if a line finds too little. */
function takeStock(book: OrderBook, items: PricedLine[]): Map<string, number> {
  const after = new Map<string, number>();
  for (const item of items) {
    const product = book.products.get(item.productId)!;
    const need = stockUsed(item, product);
    const available = after.get(item.productId) ?? book.stockLeft.get(item.productId)!;
    if (!(available >= need)) throw new DomainRuleError('out_of_stock', { name: item.name, available, unit: product.stockUnit });
    // Same arithmetic as `$inc: { stock: -need }`, one line at a time.
    after.set(item.productId, available + -need);
  }
  return after;
}

/** The member's sukarela balance after paying totalRp; refuses if it does not cover it. */
function debitSukarela(book: OrderBook, input: PlaceOrderInput, totalRp: number): number {
  if (!input.memberId) throw new DomainRuleError('simpanan_members_only');
  const balance = book.sukarelaLeft.get(String(input.memberId));
  // Not a rule: the member was not found in this coop (the loader read every simpanan payer).
  if (balance === undefined) throw new Error('Member not found for savings entry');
  if (!(balance >= totalRp)) throw new DomainRuleError('insufficient_sukarela', { totalRp });
  return balance - totalRp;
}
