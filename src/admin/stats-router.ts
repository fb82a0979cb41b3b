import { Router } from 'express';
import { z } from 'zod';
import type { Models } from '../db/models/index.js';
import { orderStats } from '../domain/orders/order-stats.js';
import { parseInput } from '../http/parse-input.js';
import { principalOf, requirePermission, scopeCoop } from './admin-principal.js';

const statsQuery = z.strictObject({ coop: z.string().max(100).optional() });

/** GET /admin/api/stats: today's and this month's orders and revenue, best sellers, 14 days of orders, and the outbox's backlog. */
export function createStatsRouter(models: Models, clock: () => Date, defaultTimeZone: string): Router {
  const router = Router();
  router.get('/stats', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'stats:read');
    const { coop } = parseInput(statsQuery, req.query, 'invalid_query');
    const coopId = await scopeCoop(models, principal, coop);
    const timeZone = (coopId ? (await models.Coop.findById(coopId, { timezone: 1 }).lean())?.timezone : undefined) ?? defaultTimeZone;
    const scope = coopId ? { coopId } : {};
    const [stats, pending, failed] = await Promise.all([
      orderStats(models, coopId, clock(), timeZone),
      models.OutboxItem.countDocuments({ ...scope, status: { $in: ['pending', 'sending'] } }),
      models.OutboxItem.countDocuments({ ...scope, status: 'failed' }),
    ]);
    res.json({ ...stats, timeZone, outbox: { pending, failed } });
  });
  return router;
}
