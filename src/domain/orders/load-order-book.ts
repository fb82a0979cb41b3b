import type { ClientSession, Types } from 'mongoose';
import type { CoopDoc } from '../../db/models/coop.js';
import type { Models } from '../../db/models/index.js';
import type { ProductDoc } from '../../db/models/product.js';
import { zonedDayStart } from '../time/zoned-day-start.js';
import type { CountedOrder, OrderBook } from './decide-order.js';
import type { PlaceOrderInput } from './place-order-input.js';

/**
 * Reads, inside the batch's transaction, everything its orders are judged against: the
 * products they name, today's orders that count toward household limits, and the cached
 * sukarela balances of the members paying by simpanan. One read of each kind per batch.
 */
export async function loadOrderBook(models: Models, coopId: string, inputs: PlaceOrderInput[], session: ClientSession): Promise<OrderBook> {
  const ids = [...new Set(inputs.flatMap((input) => input.lines.map((line) => line.productId)))];
  // Orders never write the coop, so its settings are read beside the transaction, at the same time.
  const [coop, found] = await Promise.all([
    models.Coop.collection.findOne({ _id: coopId } as object) as Promise<CoopDoc | null>,
    models.Product.collection.find({ coopId, productId: { $in: ids }, active: true }, { session }).toArray() as Promise<ProductDoc[]>,
  ]);
  if (!coop) throw new Error(`Coop ${coopId} not found`);
  const products = new Map(found.map((product) => [product.productId, product]));
  return {
    coop,
    products,
    stockLeft: new Map(found.map((product) => [product.productId, product.stock])),
    counted: await loadCountedOrders(models, coop, inputs, products, session),
    sukarelaLeft: await loadSukarelaBalances(models, coopId, inputs, session),
  };
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

/** Cached sukarela balance per member id (hex) of the batch's simpanan payers; none read for a cash-only batch. */
async function loadSukarelaBalances(models: Models, coopId: string, inputs: PlaceOrderInput[], session: ClientSession): Promise<Map<string, number>> {
  const memberIds = new Map<string, Types.ObjectId>();
  for (const input of inputs) if (input.payment === 'simpanan' && input.memberId) memberIds.set(String(input.memberId), input.memberId);
  if (memberIds.size === 0) return new Map();
  const members = await models.Member.find({ _id: { $in: [...memberIds.values()] }, coopId }, { balances: 1 }).session(session).lean();
  return new Map(members.map((member) => [String(member._id), member.balances.sukarelaRp]));
}
