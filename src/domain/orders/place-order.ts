import type { ClientSession, Types } from 'mongoose';
import type { ChannelName } from '../../channels/types.js';
import type { Models } from '../../db/models/index.js';
import type { CoopDoc } from '../../db/models/coop.js';
import type { FulfilmentMethod, OrderDoc, PaymentMethod } from '../../db/models/order.js';
import type { ProductDoc } from '../../db/models/product.js';
import type { CartLine } from '../cart/cart-line.js';
import { priceLine, sumLines, type PricedLine } from '../cart/price-line.js';
import { nextSequence } from '../counters/next-sequence.js';
import { DomainRuleError } from '../errors.js';
import { postSavingsEntry } from '../savings/post-savings-entry.js';
import { createBatcher, type BatchOutcome, type Batcher } from '../../shared/batcher.js';
import { zonedDayStart } from '../time/zoned-day-start.js';
import { ORDER_COUNTER, ORDER_NUMBER_BASE } from './order-number.js';
import { placeOrderBatch } from './place-order-batch.js';
import { stockUsed } from './stock-used.js';

export interface PlaceOrderInput {
  coopId: string;
  phone: string;
  channel: ChannelName;
  contactId: Types.ObjectId;
  memberId?: Types.ObjectId;
  lines: CartLine[];
  fulfilment: { method: FulfilmentMethod; address?: string };
  payment: PaymentMethod;
  now: Date;
  /** The total the resident confirmed; if today's prices give another, nothing is placed. */
  expectedTotalRp?: number;
}

/**
 * Places an order in one transaction: prices at today's prices, checks per-household
 * limits, decrements stock, takes the next order number and, for `simpanan`, debits the
 * member's sukarela savings. Any refusal (DomainRuleError) rolls everything back.
 */
export async function placeOrder(models: Models, input: PlaceOrderInput): Promise<OrderDoc> {
  if (input.lines.length === 0) throw new DomainRuleError('empty_cart');
  // Every order of a coop bumps the same counter (and often the same stock), so concurrent
  // transactions here would mostly conflict and retry; queue them per coop instead, and let
  // the orders that queue up while one transaction runs share the next (see
  // place-order-batch.ts). Other processes are still kept correct by the transaction itself.
  return orderBatcher(models, input.coopId).run(input);
}

const orderBatchers = new WeakMap<Models['connection'], Map<string, Batcher<PlaceOrderInput, OrderDoc>>>();

function orderBatcher(models: Models, coopId: string): Batcher<PlaceOrderInput, OrderDoc> {
  let perCoop = orderBatchers.get(models.connection);
  if (!perCoop) orderBatchers.set(models.connection, (perCoop = new Map()));
  let batcher = perCoop.get(coopId);
  if (!batcher) perCoop.set(coopId, (batcher = createBatcher((inputs) => placeQueuedOrders(models, inputs))));
  return batcher;
}

/** Queued orders in arrival order: runs of cash/transfer/QRIS orders share a transaction; a simpanan order goes alone. */
async function placeQueuedOrders(models: Models, inputs: PlaceOrderInput[]): Promise<BatchOutcome<OrderDoc>[]> {
  const outcomes: BatchOutcome<OrderDoc>[] = [];
  for (let start = 0; start < inputs.length; ) {
    if (inputs[start].payment === 'simpanan') {
      outcomes.push(await settle(placeOrderNow(models, inputs[start])));
      start += 1;
      continue;
    }
    let end = start;
    while (end < inputs.length && inputs[end].payment !== 'simpanan') end++;
    outcomes.push(...(await placeTogether(models, inputs.slice(start, end))));
    start = end;
  }
  return outcomes;
}

async function placeTogether(models: Models, inputs: PlaceOrderInput[]): Promise<BatchOutcome<OrderDoc>[]> {
  if (inputs.length === 1) return [await settle(placeOrderNow(models, inputs[0]))];
  try {
    return await models.connection.transaction((session) => placeOrderBatch(models, inputs, session));
  } catch (error) {
    // A commit whose result is unknown may have landed: placing again could double the orders.
    if ((error as { hasErrorLabel?: (label: string) => boolean }).hasErrorLabel?.('UnknownTransactionCommitResult')) {
      return inputs.map(() => ({ ok: false, error }));
    }
    // Something other than a business rule failed the shared transaction (nothing of it was
    // committed): place the orders one by one, so the failure reaches only its own order.
    const outcomes: BatchOutcome<OrderDoc>[] = [];
    for (const input of inputs) outcomes.push(await settle(placeOrderNow(models, input)));
    return outcomes;
  }
}

async function settle<T>(promise: Promise<T>): Promise<BatchOutcome<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}

async function placeOrderNow(models: Models, input: PlaceOrderInput): Promise<OrderDoc> {
  return models.connection.transaction(async (session) => {
    const coop = await models.Coop.findById(input.coopId).session(session).lean();
    if (!coop) throw new Error(`Coop ${input.coopId} not found`);
    const products = await loadProducts(models, input, session);
    const items = input.lines.map((line) => priceLine(line, products.get(line.productId)!));
    await checkHouseholdLimits(models, coop, input, items, products, session);
    for (const item of items) await takeStock(models, input.coopId, item, products.get(item.productId)!, session);

    const subtotalRp = sumLines(items);
    const deliveryFeeRp = input.fulfilment.method === 'delivery' ? coop.settings.delivery.feeRp : 0;
    const totalRp = subtotalRp + deliveryFeeRp;
    if (input.expectedTotalRp !== undefined && input.expectedTotalRp !== totalRp) throw new DomainRuleError('prices_changed', { totalRp });
    const number = ORDER_NUMBER_BASE + (await nextSequence(models, input.coopId, ORDER_COUNTER, session));

    if (input.payment === 'simpanan') {
      if (!input.memberId) throw new DomainRuleError('simpanan_members_only');
      try {
        await postSavingsEntry(
          models,
          { coopId: input.coopId, memberId: input.memberId, type: 'sukarela', amountRp: -totalRp, note: `Pesanan #${number}`, at: input.now, by: { kind: 'member', ref: input.phone }, orderNumber: number },
          session,
        );
      } catch (error) {
        if (error instanceof DomainRuleError && error.code === 'insufficient_balance') throw new DomainRuleError('insufficient_sukarela', { totalRp });
        throw error;
      }
    }

    const [order] = await models.Order.create(
      [
        {
          coopId: input.coopId,
          number,
          contactId: input.contactId,
          phone: input.phone,
          ...(input.memberId ? { memberId: input.memberId } : {}),
          items,
          subtotalRp,
          deliveryFeeRp,
          totalRp,
          fulfilment: input.fulfilment,
          payment: { method: input.payment, status: input.payment === 'simpanan' ? 'paid' : 'pending' },
          status: 'new',
          history: [{ status: 'new', at: input.now, by: 'resident' }],
          channel: input.channel,
          placedAt: input.now,
        },
      ],
      { session },
    );
    if (input.fulfilment.method === 'delivery' && input.fulfilment.address) {
      await models.Contact.updateOne({ _id: input.contactId }, { $set: { lastAddress: input.fulfilment.address } }, { session });
    }
    return order.toObject();
  });
}

async function loadProducts(models: Models, input: PlaceOrderInput, session: ClientSession): Promise<Map<string, ProductDoc>> {
  const ids = [...new Set(input.lines.map((line) => line.productId))];
  const found = await models.Product.find({ coopId: input.coopId, productId: { $in: ids }, active: true }).session(session).lean();
  const products = new Map(found.map((product) => [product.productId, product]));
  for (const line of input.lines) {
    const product = products.get(line.productId);
    if (!product) throw new DomainRuleError('product_unavailable', { productId: line.productId });
    if (!product.units.some((unit) => unit.code === line.unit)) throw new DomainRuleError('unit_unavailable', { name: product.name, unit: line.unit });
  }
  return products;
}

async function takeStock(models: Models, coopId: string, item: PricedLine, product: ProductDoc, session: ClientSession): Promise<void> {
  const need = stockUsed(item, product);
  const taken = await models.Product.updateOne(
    { coopId, productId: item.productId, active: true, stock: { $gte: need } },
    { $inc: { stock: -need } },
    { session },
  );
  if (taken.matchedCount === 0) {
    const current = await models.Product.findOne({ coopId, productId: item.productId }, { stock: 1 }).session(session).lean();
    throw new DomainRuleError('out_of_stock', { name: item.name, available: current?.stock ?? 0, unit: product.stockUnit });
  }
}

async function checkHouseholdLimits(
  models: Models,
  coop: CoopDoc,
  input: PlaceOrderInput,
  items: PricedLine[],
  products: Map<string, ProductDoc>,
  session: ClientSession,
): Promise<void> {
  for (const limit of coop.settings.householdLimits) {
    const product = products.get(limit.productId);
    if (!product) continue;
    const inOrder = items.filter((item) => item.productId === limit.productId).reduce((sum, item) => sum + stockUsed(item, product), 0);
    if (inOrder === 0) continue;
    if (inOrder > limit.maxPerOrder) throw new DomainRuleError('limit_per_order', { name: product.name, max: limit.maxPerOrder, unit: product.stockUnit });
    const since = zonedDayStart(input.now, coop.timezone);
    const earlier = await models.Order.find(
      { coopId: input.coopId, phone: input.phone, status: { $ne: 'cancelled' }, placedAt: { $gte: since }, 'items.productId': limit.productId },
      { items: 1 },
    )
      .session(session)
      .lean();
    const already = earlier
      .flatMap((order) => order.items)
      .filter((item) => item.productId === limit.productId)
      .reduce((sum, item) => sum + stockUsed(item, product), 0);
    if (already + inOrder > limit.maxPerDay) throw new DomainRuleError('limit_per_day', { name: product.name, max: limit.maxPerDay, unit: product.stockUnit });
  }
}
