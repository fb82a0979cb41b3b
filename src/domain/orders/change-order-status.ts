import type { Models } from '../../db/models/index.js';
import type { OrderDoc, OrderStatus } from '../../db/models/order.js';
import { DomainRuleError } from '../errors.js';

/** Forward moves staff may make; cancelling goes through cancelOrder (it restores stock and refunds). */
const NEXT: Record<OrderStatus, OrderStatus[]> = {
  new: ['confirmed'],
  confirmed: ['ready'],
  ready: ['completed'],
  completed: [],
  cancelled: [],
};

export interface ChangeOrderStatusInput {
  coopId: string;
  number: number;
  status: Exclude<OrderStatus, 'cancelled' | 'new'>;
  by: string;
  now: Date;
  note?: string;
}

/** Moves an order one step along new -> confirmed -> ready -> completed, recording who and when. */
export async function changeOrderStatus(models: Models, input: ChangeOrderStatusInput): Promise<OrderDoc> {
  const order = await models.Order.findOne({ coopId: input.coopId, number: input.number }).lean();
  if (!order) throw new DomainRuleError('order_not_found', { number: input.number });
  if (!NEXT[order.status].includes(input.status)) throw new DomainRuleError('status_change_not_allowed', { from: order.status, to: input.status });
  const updated = await models.Order.findOneAndUpdate(
    // Filtering on the status read makes a concurrent change lose cleanly instead of skipping a step.
    { _id: order._id, status: order.status },
    { $set: { status: input.status }, $push: { history: { status: input.status, at: input.now, by: input.by, ...(input.note ? { note: input.note } : {}) } } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainRuleError('status_change_not_allowed', { from: 'changed', to: input.status });
  return updated;
}
