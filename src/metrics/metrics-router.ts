import { Router } from 'express';
import { HttpError } from '../http/errors.js';
import { tokensMatch } from '../shared/tokens-match.js';
import type { ServiceMetrics } from './service-metrics.js';

/** GET /metrics in Prometheus' text format, for the admin token or METRICS_TOKEN (a scraper need not hold the admin one). */
export function createMetricsRouter(metrics: ServiceMetrics, tokens: string[]): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!token || !tokens.some((expected) => tokensMatch(token, expected))) throw new HttpError(401, 'unauthorized', 'The admin token or METRICS_TOKEN is required');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
