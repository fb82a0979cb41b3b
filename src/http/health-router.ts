import { Router } from 'express';
import type { DatabaseLane } from '../db/connect.js';

/** GET /healthz: liveness plus which database lane the service runs on. */
export function createHealthRouter(lane: DatabaseLane): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', db: lane });
  });
  return router;
}
