import type { AnyBulkWriteOperation, ClientSession } from 'mongoose';
import type { ContactDoc } from '../../db/models/contact.js';
import type { CoopDoc } from '../../db/models/coop.js';
import type { Models } from '../../db/models/index.js';
import type { OrderDoc, OrderItem } from '../../db/models/order.js';
import type { ProductDoc } from '../../db/models/product.js';
import type { BatchOutcome } from '../../shared/batcher.js';
import { priceLine, sumLines, type PricedLine } from '../cart/price-line.js';
import { nextSequence } from '../counters/next-sequence.js';
import { DomainRuleError } from '../errors.js';
import { zonedDayStart } from '../time/zoned-day-start.js';
import { ORDER_COUNTER, ORDER_NUMBER_BASE } from './order-number.js';
import type { PlaceOrderInput } from './place-order.js';
import { stockUsed } from './stock-used.js';

interface Accepted {
  input: PlaceOrderInput;
  items: PricedLine[];
  subtotalRp: number;
  deliveryFeeRp: number;
  totalRp: number;
}

/** An order already counted toward the daily household limits (stored, or accepted earlier in this batch). */
interface CountedOrder {
  phone: string;
  placedAt: Date;
  items: Pick<OrderItem, 'productId' | 'unit' | 'quantity'>[];
}

/**
 * Places several orders of one coop in one transaction, with exactly the outcome placing
 * them one after another would have: each is checked (products, household limits, stock,
 * total) against what the orders before it left, in arrival order, and a refused order
 * refuses only itself. The reads and writes are shared, so the round trips and the commit
 * (an fsync) are paid once per batch instead of once per order. Cash/transfer/QRIS only:
 * a simpanan order debits savings, which can refuse after stock is taken, so it goes alone.
 */
export async function placeOrderBatch(models: Models, inputs: PlaceOrderInput[], session: ClientSession): Promise<BatchOutcome<OrderDoc>[]> {
  const coopId = inputs[0].coopId;
  if (inputs.some((input) => input.coopId !== coopId || input.payment === 'simpanan')) throw new Error('placeOrderBatch takes non-simpanan orders of one coop');
  const ids = [...new Set(inputs.flatMap((input) => input.lines.map((line) => line.productId)))];
  // Orders never write the coop, so its settings are read beside the transaction, at the same time.
  const [coop, found] = await Promise.all([
    models.Coop.collection.findOne({ _id: coopId } as object) as Promise<CoopDoc | null>,
    models.Product.collection.find({ coopId, productId: { $in: ids }, active: true }, { session }).toArray() as Promise<ProductDoc[]>,
  ]);
  if (!coop) throw new Error(`Coop ${coopId} not found`);
  const products = new Map(found.map((product) => [product.productId, product]));
  const stockLeft = new Map(found.map((product) => [product.productId, product.stock]));
  const counted = await loadCountedOrders(models, coop, inputs, products, session);

  const outcomes: (BatchOutcome<OrderDoc> | Accepted)[] = [];
  for (const input of inputs) {
    try {
      const accepted = checkOrder(coop, input, products, stockLeft, counted);
      counted.push({ phone: input.phone, placedAt: input.now, items: accepted.items });
      outcomes.push(accepted);
    } catch (error) {
      if (!(error instanceof DomainRuleError)) throw error;
      outcomes.push({ ok: false, error });
    }
  }
  const accepted = outcomes.filter((outcome): outcome is Accepted => 'input' in outcome);
  if (accepted.length === 0) return outcomes as BatchOutcome<OrderDoc>[];

  await writeStock(models, coopId, found, stockLeft, session);
  const last = await nextSequence(models, coopId, ORDER_COUNTER, session, accepted.length);
  const firstNumber = ORDER_NUMBER_BASE + last - accepted.length + 1;
  const created = await models.Order.insertMany(
    accepted.map(({ input, items, subtotalRp, deliveryFeeRp, totalRp }, index) => ({
      coopId,
      number: firstNumber + index,
      contactId: input.contactId,
      phone: input.phone,
      ...(input.memberId ? { memberId: input.memberId } : {}),
      items,
      subtotalRp,
      deliveryFeeRp,
      totalRp,
      fulfilment: input.fulfilment,
      payment: { method: input.payment, status: 'pending' as const },
      status: 'new' as const,
      history: [{ status: 'new' as const, at: input.now, by: 'resident' }],
      channel: input.channel,
      placedAt: input.now,
    })),
    { session },
  );
  const addresses: AnyBulkWriteOperation<ContactDoc>[] = accepted
    .filter(({ input }) => input.fulfilment.method === 'delivery' && input.fulfilment.address)
    .map(({ input }) => ({ updateOne: { filter: { _id: input.contactId }, update: { $set: { lastAddress: input.fulfilment.address } } } }));
  if (addresses.length > 0) await models.Contact.bulkWrite(addresses, { session, ordered: true });

  const orders = created.map((order) => order.toObject() as OrderDoc);
  let next = 0;
  return outcomes.map((outcome) => ('input' in outcome ? { ok: true as const, value: orders[next++] } : outcome));
}

/** The checks placing this order alone would make, in the same order; takes its stock from stockLeft when it passes. */
function checkOrder(coop: CoopDoc, input: PlaceOrderInput, products: Map<string, ProductDoc>, stockLeft: Map<string, number>, counted: CountedOrder[]): Accepted {
  for (const line of input.lines) {
    const product = products.get(line.productId);
    if (!product) throw new DomainRuleError('product_unavailable', { productId: line.productId });
    if (!product.units.some((unit) => unit.code === line.unit)) throw new DomainRuleError('unit_unavailable', { name: product.name, unit: line.unit });
  }
  const items = input.lines.map((line) => priceLine(line, products.get(line.productId)!));
  checkHouseholdLimits(coop, input, items, products, counted);
  const taken = new Map<string, number>();
  for (const item of items) {
    const product = products.get(item.productId)!;
    const need = stockUsed(item, product);
    const available = taken.get(item.productId) ?? stockLeft.get(item.productId)!;
    if (!(available >= need)) throw new DomainRuleError('out_of_stock', { name: item.name, available, unit: product.stockUnit });
    // Same arithmetic as `$inc: { stock: -need }`, one line at a time.
    taken.set(item.productId, available + -need);
  }
  const subtotalRp = sumLines(items);
  const deliveryFeeRp = input.fulfilment.method === 'delivery' ? coop.settings.delivery.feeRp : 0;
  const totalRp = subtotalRp + deliveryFeeRp;
  if (input.expectedTotalRp !== undefined && input.expectedTotalRp !== totalRp) throw new DomainRuleError('prices_changed', { totalRp });
  for (const [productId, left] of taken) stockLeft.set(productId, left);
  return { input, items, subtotalRp, deliveryFeeRp, totalRp };
}

function checkHouseholdLimits(coop: CoopDoc, input: PlaceOrderInput, items: PricedLine[], products: Map<string, ProductDoc>, counted: CountedOrder[]): void {
  for (const limit of coop.settings.householdLimits) {
    const product = products.get(limit.productId);
    if (!product) continue;
    const inOrder = items.filter((item) => item.productId === limit.productId).reduce((sum, item) => sum + stockUsed(item, product), 0);
    if (inOrder === 0) continue;
    if (inOrder > limit.maxPerOrder) throw new DomainRuleError('limit_per_order', { name: product.name, max: limit.maxPerOrder, unit: product.stockUnit });
    const since = zonedDayStart(input.now, coop.timezone);
    const already = counted
      .filter((order) => order.phone === input.phone && order.placedAt >= since)
      .flatMap((order) => order.items)
      .filter((item) => item.productId === limit.productId)
      .reduce((sum, item) => sum + stockUsed(item, product), 0);
    if (already + inOrder > limit.maxPerDay) throw new DomainRuleError('limit_per_day', { name: product.name, max: limit.maxPerDay, unit: product.stockUnit });
  }
}

/** Today's stored orders of the batch's phones that hold a limited product the batch orders (one read per such product). */
async function loadCountedOrders(models: Models, coop: CoopDoc, inputs: PlaceOrderInput[], products: Map<string, ProductDoc>, session: ClientSession): Promise<CountedOrder[]> {
  const counted: CountedOrder[] = [];
  for (const limit of coop.settings.householdLimits) {
    const ordering = inputs.filter((input) => products.has(limit.productId) && input.lines.some((line) => line.productId === limit.productId));
    if (ordering.length === 0) continue;
    const since = new Date(Math.min(...ordering.map((input) => zonedDayStart(input.now, coop.timezone).getTime())));
    const earlier = await models.Order.find(
      { coopId: coop._id, phone: { $in: [...new Set(ordering.map((input) => input.phone))] }, status: { $ne: 'cancelled' }, placedAt: { $gte: since }, 'items.productId': limit.productId },
      { phone: 1, placedAt: 1, items: 1 },
    )
      .session(session)
      .lean();
    // Keep only this product's lines, so an order is not counted twice under two limits.
    for (const order of earlier) counted.push({ phone: order.phone, placedAt: order.placedAt, items: order.items.filter((item) => item.productId === limit.productId) });
  }
  return counted;
}

/** Writes each touched product's new stock, guarded on the value read in this transaction. */
async function writeStock(models: Models, coopId: string, found: ProductDoc[], stockLeft: Map<string, number>, session: ClientSession): Promise<void> {
  const updates: AnyBulkWriteOperation<ProductDoc>[] = found
    .filter((product) => stockLeft.get(product.productId) !== product.stock)
    .map((product) => ({
      updateOne: { filter: { coopId, productId: product.productId, active: true, stock: product.stock }, update: { $set: { stock: stockLeft.get(product.productId)! } } },
    }));
  if (updates.length === 0) return;
  const result = await models.Product.bulkWrite(updates, { session, ordered: true });
  if (result.matchedCount !== updates.length) throw new Error('Stock changed inside the order transaction');
}
