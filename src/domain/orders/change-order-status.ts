import { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { OrderDoc, OrderStatus } from '../../db/models/order.js';
import { DomainRuleError } from '../errors.js';

/** The steps staff move an order along; cancelling goes through cancelOrder (it restores stock and refunds). */
export type OrderStep = 'confirmed' | 'ready' | 'delivering' | 'completed';

const NEXT: Record<OrderStatus, readonly OrderStep[]> = {
  new: ['confirmed'],
  confirmed: ['ready', 'delivering'],
  ready: ['delivering', 'completed'],
  delivering: ['completed'],
  completed: [],
  cancelled: [],
};

export interface ChangeOrderStatusInput {
  coopId: string;
  number: number;
  status: OrderStep;
  by: string;
  now: Date;
  note?: string;
}

export interface OrderStatusChangeResult {
  order: OrderDoc;
  /** False when the order already had that status (a repeated command): nothing was written. */
  changed: boolean;
}

/** The steps an order can take next, in the order staff usually take them. */
export function nextOrderSteps(order: Pick<OrderDoc, 'status' | 'fulfilment'>): OrderStep[] {
  return NEXT[order.status].filter((step) => step !== 'delivering' || order.fulfilment.method === 'delivery');
}

/**
 * Moves an order along new -> confirmed -> ready -> (delivering ->) completed, recording who
 * and when. Only delivery orders go out for delivery. Asking for the status it already has
 * changes nothing, so a repeated command is harmless.
 */
export async function changeOrderStatus(models: Models, input: ChangeOrderStatusInput): Promise<OrderStatusChangeResult> {
  const order = await models.Order.findOne({ coopId: input.coopId, number: input.number }).lean();
  if (!order) throw new DomainRuleError('order_not_found', { number: input.number });
  if (order.status === input.status) return { order, changed: false };
  if (!nextOrderSteps(order).includes(input.status)) throw new DomainRuleError('status_change_not_allowed', { number: order.number, from: order.status, to: input.status });
  const updated = await models.Order.findOneAndUpdate(
    // Filtering on the status read makes a concurrent change lose cleanly instead of skipping a step.
    { _id: order._id, status: order.status },
    {
      $set: { status: input.status, noticesDue: true },
      $push: {
        history: { status: input.status, at: input.now, by: input.by, ...(input.note ? { note: input.note } : {}) },
        // The resident hears of each step; stored with the change so a crash cannot lose it.
        notices: { _id: new Types.ObjectId(), audience: 'resident', event: input.status, at: input.now },
      },
    },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new DomainRuleError('status_change_not_allowed', { number: order.number, from: 'changed', to: input.status });
  return { order: updated, changed: true };
}
