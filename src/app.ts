import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import type { DatabaseHealth, DatabaseLane } from './db/connect.js';
import { createErrorHandler, notFound } from './http/errors.js';
import { createHealthRouter } from './http/health-router.js';
import type { Logger } from './logger.js';

export interface AppDependencies {
  logger: Logger;
  databaseLane: DatabaseLane;
  databaseHealth: () => DatabaseHealth;
  /** Extra routers mounted at the root, in order (admin API, simulator). */
  routers: Router[];
  /** Provider webhooks: mounted before the JSON parser, since each reads (and signs over) its own raw body. */
  webhookRouters?: Router[];
}

/** Builds the express application. Importing this module has no side effects. */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // An API: no ETag hashing of every answer.
  app.set('etag', false);
  // Provider webhooks are called by servers, not browsers: they skip helmet's headers.
  for (const router of deps.webhookRouters ?? []) app.use(router);
  // No upgrade-insecure-requests: a coop may open the dashboard over plain HTTP on its own
  // network (http://192.168.x.x:3000/admin); the upgrade would break every asset there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(express.json({ limit: '64kb' }));
  app.use(createHealthRouter(deps.databaseLane, deps.databaseHealth));
  for (const router of deps.routers) app.use(router);
  app.use(notFound);
  app.use(createErrorHandler(deps.logger));
  return app;
}
