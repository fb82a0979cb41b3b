import { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { OrderDoc, OrderStatus } from '../../db/models/order.js';
import type { ProductDoc } from '../../db/models/product.js';
import { DomainRuleError } from '../errors.js';
import { postSavingsEntry } from '../savings/post-savings-entry.js';
import { stockUsed } from './stock-used.js';

export interface CancelOrderInput {
  coopId: string;
  number: number;
  /** Residents may cancel only their own orders. */
  phone?: string;
  now: Date;
  by: string;
  note?: string;
  /** The message that asked for it: a redelivery finds the cancellation done and returns the order. */
  sourceMessageKey?: string;
  /** Residents cancel only what the coop has not confirmed; staff may still refuse an order later. */
  cancellableFrom?: readonly OrderStatus[];
  /** Who must hear of it: staff when a resident cancels, the resident when staff refuse. */
  notify: 'resident' | 'staff';
}

/**
 * Cancels an order (by default only one the coop has not confirmed yet): restores stock and
 * refunds a simpanan payment with a ledger credit, all in one transaction.
 */
export async function cancelOrder(models: Models, input: CancelOrderInput): Promise<OrderDoc> {
  return models.connection.transaction(async (session) => {
    const filter = { coopId: input.coopId, number: input.number, ...(input.phone ? { phone: input.phone } : {}) };
    const order = await models.Order.findOne(filter).session(session).lean();
    if (!order) throw new DomainRuleError('order_not_found', { number: input.number });
    if (input.sourceMessageKey && order.history.some((change) => change.status === 'cancelled' && change.sourceMessageKey === input.sourceMessageKey)) return order;
    const cancellableFrom = input.cancellableFrom ?? ['new'];
    if (!cancellableFrom.includes(order.status)) throw new DomainRuleError('not_cancellable', { number: order.number, status: order.status });
    const refund = order.payment.method === 'simpanan' && order.payment.status === 'paid';
    // Money paid outside the ledger (cash, transfer, QRIS) must go back by hand: the order says so until staff record it.
    const refundDue = order.payment.method !== 'simpanan' && order.payment.status === 'paid';
    const changed = await models.Order.updateOne(
      { _id: order._id, status: order.status },
      {
        $set: { status: 'cancelled', noticesDue: true, ...(refund ? { 'payment.status': 'refunded' } : refundDue ? { 'payment.status': 'refund_due' } : {}) },
        $push: {
          notices: { _id: new Types.ObjectId(), audience: input.notify, event: 'cancelled', at: input.now, ...(input.note ? { note: input.note } : {}) },
          history: { status: 'cancelled', at: input.now, by: input.by, ...(input.note ? { note: input.note } : {}), ...(input.sourceMessageKey ? { sourceMessageKey: input.sourceMessageKey } : {}) },
        },
      },
      { session },
    );
    if (changed.matchedCount === 0) throw new DomainRuleError('not_cancellable', { number: order.number, status: 'changed' });
    const ids = [...new Set(order.items.map((item) => item.productId))];
    const products = new Map<string, ProductDoc>(
      (await models.Product.find({ coopId: input.coopId, productId: { $in: ids } }).session(session).lean()).map((product) => [product.productId, product]),
    );
    for (const item of order.items) {
      const product = products.get(item.productId);
      if (!product) continue;
      await models.Product.updateOne({ _id: product._id }, { $inc: { stock: stockUsed(item, product) } }, { session });
    }
    if (refund && order.memberId) {
      await postSavingsEntry(
        models,
        { coopId: input.coopId, memberId: order.memberId, type: 'sukarela', amountRp: order.totalRp, note: `Pengembalian pesanan #${order.number}`, at: input.now, by: { kind: 'system', ref: input.by }, orderNumber: order.number, sourceKey: `order:${order.number}:refund` },
        session,
      );
    }
    const updated = await models.Order.findById(order._id).session(session).lean();
    return updated!;
  });
}
