import { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { OrderDoc } from '../../db/models/order.js';
import { DomainRuleError } from '../errors.js';

export interface MarkOrderPaidInput {
  coopId: string;
  number: number;
  by: string;
  now: Date;
}

/** Records that staff handed back the money of a cancelled order paid outside the ledger; repeating it changes nothing. */
export async function markOrderRefunded(models: Models, input: MarkOrderPaidInput): Promise<{ order: OrderDoc; changed: boolean }> {
  const order = await models.Order.findOne({ coopId: input.coopId, number: input.number }).lean();
  if (!order) throw new DomainRuleError('order_not_found', { number: input.number });
  if (order.payment.status === 'refunded') return { order, changed: false };
  const updated = await models.Order.findOneAndUpdate(
    { _id: order._id, 'payment.status': 'refund_due' },
    { $set: { 'payment.status': 'refunded', 'payment.refundedAt': input.now }, $push: { history: { status: order.status, at: input.now, by: input.by, note: 'refunded' } } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainRuleError('no_refund_due', { number: order.number });
  return { order: updated, changed: true };
}

/** Records that the coop received the money for an order (cash, transfer, QRIS); repeating it changes nothing. */
export async function markOrderPaid(models: Models, input: MarkOrderPaidInput): Promise<{ order: OrderDoc; changed: boolean }> {
  const order = await models.Order.findOne({ coopId: input.coopId, number: input.number }).lean();
  if (!order) throw new DomainRuleError('order_not_found', { number: input.number });
  if (order.payment.status === 'paid') return { order, changed: false };
  if (order.status === 'cancelled' || order.payment.status === 'refunded') throw new DomainRuleError('payment_not_open', { number: order.number });
  const updated = await models.Order.findOneAndUpdate(
    { _id: order._id, 'payment.status': 'pending', status: { $ne: 'cancelled' } },
    {
      $set: { 'payment.status': 'paid', 'payment.paidAt': input.now, 'payment.confirmedBy': input.by, noticesDue: true },
      $push: { notices: { _id: new Types.ObjectId(), audience: 'resident', event: 'paid', at: input.now } },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainRuleError('payment_not_open', { number: order.number });
  return { order: updated, changed: true };
}
