import { Router } from 'express';
import { z } from 'zod';
import type { Models, OrderDoc } from '../db/models/index.js';
import { parseInput } from '../http/parse-input.js';
import { findCoopId } from './find-coop-id.js';
import { ORDER_STATUSES } from '../db/models/order.js';

const listQuery = z.object({
  coop: z.string().max(100).optional(),
  status: z.enum(ORDER_STATUSES as [string, ...string[]]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** GET /admin/api/orders: orders newest first, for the staff dashboard and tools. */
export function createOrdersRouter(models: Models): Router {
  const router = Router();
  router.get('/orders', async (req, res) => {
    const { coop, status, limit } = parseInput(listQuery, req.query, 'invalid_query');
    const filter: Record<string, unknown> = {};
    if (coop) filter.coopId = await findCoopId(models, coop);
    if (status) filter.status = status;
    const orders = await models.Order.find(filter).sort({ placedAt: -1, _id: -1 }).limit(limit).lean<OrderDoc[]>();
    res.json({ orders: orders.map(presentOrder) });
  });
  return router;
}

function presentOrder(order: OrderDoc) {
  return {
    id: String(order._id),
    coopId: order.coopId,
    number: order.number,
    status: order.status,
    phone: order.phone,
    channel: order.channel,
    items: order.items.map(({ productId, name, unit, quantity, unitPriceRp, lineTotalRp }) => ({ productId, name, unit, quantity, unitPriceRp, lineTotalRp })),
    subtotalRp: order.subtotalRp,
    deliveryFeeRp: order.deliveryFeeRp,
    totalRp: order.totalRp,
    fulfilment: order.fulfilment,
    payment: order.payment,
    history: order.history,
    placedAt: order.placedAt,
  };
}
