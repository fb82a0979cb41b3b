import { Router } from 'express';
import { HttpError } from '../http/errors.js';
import { tokensMatch } from '../shared/tokens-match.js';
import { tooManyAttempts, type SignInLimiter } from '../admin/sign-in-limiter.js';
import type { ServiceMetrics } from './service-metrics.js';

/** GET /metrics in Prometheus' text format, for the admin token or METRICS_TOKEN (a scraper need not hold the admin one). */
export function createMetricsRouter(metrics: ServiceMetrics, tokens: string[], limiter: SignInLimiter): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    // The admin token opens this route too: wrong guesses here count toward the same lockout.
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const locked = await limiter.lockedFor(address);
    if (locked > 0) throw tooManyAttempts(res, locked);
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!token || !tokens.some((expected) => tokensMatch(token, expected))) {
      const lockout = token ? await limiter.recordFailure(address) : 0;
      if (lockout > 0) throw tooManyAttempts(res, lockout);
      throw new HttpError(401, 'unauthorized', 'The admin token or METRICS_TOKEN is required');
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
