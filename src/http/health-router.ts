import { Router } from 'express';
import type { DatabaseHealth, DatabaseLane } from '../db/connect.js';

/**
 * GET /healthz: liveness plus which database lane the service runs on. 503 with the cause
 * while the embedded database refuses work (its journal could not be written), so a load
 * balancer or supervisor sees it.
 */
export function createHealthRouter(lane: DatabaseLane, databaseHealth: () => DatabaseHealth): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    const health = databaseHealth();
    if (health.ok) res.json({ status: 'ok', db: lane });
    else res.status(503).json({ status: 'unavailable', db: lane, cause: health.cause, since: health.since });
  });
  return router;
}
