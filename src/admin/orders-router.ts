import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { normalizePhone } from '../channels/phone.js';
import type { Models, OrderDoc } from '../db/models/index.js';
import { ORDER_STATUSES, type OrderStatus } from '../db/models/order.js';
import { DomainRuleError } from '../domain/errors.js';
import { cancelOrder } from '../domain/orders/cancel-order.js';
import { changeOrderStatus, nextOrderSteps, type OrderStep } from '../domain/orders/change-order-status.js';
import { markOrderPaid, markOrderRefunded } from '../domain/orders/mark-order-paid.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse-input.js';
import { principalOf, requireCoopAccess, requirePermission, scopeCoop } from './admin-principal.js';
import { describePrincipal } from './tokens-router.js';
import { nextCursor } from './next-cursor.js';

/** Staff may refuse an order until it is done. */
const REFUSABLE: OrderStatus[] = ['new', 'confirmed', 'ready', 'delivering'];
const day = z.iso.date({ message: 'must be a date such as 2026-12-01' });

const listQuery = z.strictObject({
  coop: z.string().max(100).optional(),
  status: z.enum(ORDER_STATUSES as [string, ...string[]]).optional(),
  /** Placed on or after this day / on or before this day (the coop's days, Asia/Jakarta). */
  from: day.optional(),
  to: day.optional(),
  phone: z.string().max(40).optional(),
  number: z.coerce.number().int().min(1).max(999_999_999).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `next` of the previous page. */
  before: z.string().refine((value) => Types.ObjectId.isValid(value), 'must be an order id').optional(),
});

const patchBody = z
  .strictObject({
    status: z.enum(['confirmed', 'ready', 'delivering', 'completed', 'cancelled']).optional(),
    /** Shown to the resident when staff cancel (refuse) an order. */
    reason: z.string().trim().min(1).max(300).optional(),
    /** `refunded`: the money of a cancelled order was handed back (payment `refund_due`). */
    payment: z.enum(['paid', 'refunded']).optional(),
  })
  .refine((body) => body.status !== undefined || body.payment !== undefined, 'give a status, or payment: "paid" or "refunded"')
  .refine((body) => body.reason === undefined || body.status === 'cancelled', 'reason: only with status "cancelled"');

/**
 * GET /admin/api/orders (filters, newest first, paged by `before`), GET /admin/api/orders/:id,
 * PATCH /admin/api/orders/:id {status, reason?} | {payment: "paid"}: along the allowed steps;
 * the resident is told through the outbox.
 */
export function createOrdersRouter(models: Models, onNoticesStored: () => void, clock: () => Date): Router {
  const router = Router();
  router.get('/orders', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'orders:read');
    const query = parseInput(listQuery, req.query, 'invalid_query');
    const filter: Record<string, unknown> = {};
    const coopId = await scopeCoop(models, principal, query.coop);
    if (coopId) filter.coopId = coopId;
    if (query.status) filter.status = query.status;
    if (query.number) filter.number = query.number;
    if (query.phone) {
      const phone = normalizePhone(query.phone);
      if (!phone) throw new HttpError(400, 'invalid_query', 'phone: must be a phone number such as +6281200000002');
      filter.phone = phone;
    }
    const placedAt: Record<string, Date> = {};
    if (query.from) placedAt.$gte = jakartaDayStart(query.from, 0);
    if (query.to) placedAt.$lt = jakartaDayStart(query.to, 1);
    if (Object.keys(placedAt).length > 0) filter.placedAt = placedAt;
    if (query.before) filter._id = { $lt: new Types.ObjectId(query.before) };
    const orders = await models.Order.find(filter).sort({ _id: -1 }).limit(query.limit).lean<OrderDoc[]>();
    res.json({ orders: orders.map(presentOrder), next: nextCursor(orders, query.limit) });
  });

  router.get('/orders/:id', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'orders:read');
    const order = await findOrder(String(req.params.id));
    requireCoopAccess(principal, order.coopId);
    res.json({ order: presentOrder(order) });
  });

  router.patch('/orders/:id', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'orders:update');
    const body = parseInput(patchBody, req.body ?? {}, 'invalid_body');
    const found = await findOrder(String(req.params.id));
    requireCoopAccess(principal, found.coopId);
    const input = { coopId: found.coopId, number: found.number, by: describePrincipal(principal), now: clock() };
    let order = found;
    try {
      if (body.status === 'cancelled') {
        order = await cancelOrder(models, { ...input, notify: 'resident', cancellableFrom: REFUSABLE, ...(body.reason ? { note: body.reason } : {}) });
      } else if (body.status) {
        order = (await changeOrderStatus(models, { ...input, status: body.status as OrderStep })).order;
      }
      if (body.payment === 'paid') order = (await markOrderPaid(models, input)).order;
      if (body.payment === 'refunded') order = (await markOrderRefunded(models, input)).order;
    } catch (error) {
      if (error instanceof DomainRuleError) {
        const current = (await models.Order.findById(found._id).lean<OrderDoc>()) ?? found;
        throw new HttpError(409, error.code, `Order #${found.number} is ${current.status} (payment ${current.payment.status}); next steps: ${nextOrderSteps(current).join(', ') || 'none'}`);
      }
      throw error;
    }
    onNoticesStored();
    res.json({ order: presentOrder(order) });
  });

  async function findOrder(id: string): Promise<OrderDoc> {
    if (!Types.ObjectId.isValid(id)) throw new HttpError(400, 'invalid_id', 'id: must be an order id');
    const order = await models.Order.findById(id).lean<OrderDoc>();
    if (!order) throw new HttpError(404, 'not_found', 'No such order');
    return order;
  }
  return router;
}

/** Midnight in Jakarta (UTC+7, no daylight saving) of the given day, plus `addDays`. */
function jakartaDayStart(isoDay: string, addDays: number): Date {
  const start = new Date(`${isoDay}T00:00:00+07:00`);
  return new Date(start.getTime() + addDays * 86_400_000);
}

function presentOrder(order: OrderDoc) {
  return {
    id: String(order._id),
    coopId: order.coopId,
    number: order.number,
    status: order.status,
    nextSteps: nextOrderSteps(order),
    phone: order.phone,
    channel: order.channel,
    items: order.items.map(({ productId, name, unit, quantity, unitPriceRp, lineTotalRp }) => ({ productId, name, unit, quantity, unitPriceRp, lineTotalRp })),
    subtotalRp: order.subtotalRp,
    deliveryFeeRp: order.deliveryFeeRp,
    totalRp: order.totalRp,
    fulfilment: order.fulfilment,
    payment: order.payment,
    history: order.history.map(({ status, at, by, note }) => ({ status, at, by, ...(note ? { note } : {}) })),
    placedAt: order.placedAt,
  };
}
