import { Router } from 'express';
import type { WhatsAppNumbers } from '../channels/whatsapp-numbers.js';
import type { Models } from '../db/models/index.js';
import type { OutboxStore } from '../db/outbox-store.js';
import type { Logger } from '../logger.js';
import { authenticateAdmin } from './authenticate-admin.js';
import { createCoopsRouter } from './coops-router.js';
import { createCsvRouter } from './csv-router.js';
import { createMembersRouter } from './members-router.js';
import { createOrdersRouter } from './orders-router.js';
import { createProductsRouter } from './products-router.js';
import { createStatsRouter } from './stats-router.js';
import { createOutboxRouter } from './outbox-router.js';
import type { SignInLimiter } from './sign-in-limiter.js';
import { createTokensRouter } from './tokens-router.js';
import { createWhatsAppRouter } from './whatsapp-router.js';

export interface AdminRouterDeps {
  models: Models;
  outbox: OutboxStore;
  adminToken: string;
  limiter: SignInLimiter;
  logger: Logger;
  /** Order changes store notices for residents: this sends them without waiting for the relay's poll. */
  onNoticesStored: () => void;
  /** Products, prices or a coop's settings changed: the chat must not answer from its caches. */
  onCatalogChanged: (coopId: string) => void;
  /** Days in stats are counted in a coop's own zone; this one when no coop is named. */
  timeZone: string;
  whatsapp?: WhatsAppNumbers;
  clock?: () => Date;
}

/** Everything under /admin/api, behind the superadmin token or a cooperative's staff token. */
export function createAdminRouter(deps: AdminRouterDeps): Router {
  const clock = deps.clock ?? (() => new Date());
  const router = Router();
  router.use(
    '/admin/api',
    authenticateAdmin({ models: deps.models, adminToken: deps.adminToken, limiter: deps.limiter, logger: deps.logger, clock }),
    createTokensRouter(deps.models, clock),
    createCoopsRouter(deps.models, deps.onCatalogChanged, clock),
    createOrdersRouter(deps.models, deps.onNoticesStored, clock),
    createMembersRouter(deps.models, clock),
    createProductsRouter(deps.models, deps.onCatalogChanged, clock),
    createCsvRouter(deps.models, deps.onCatalogChanged, clock),
    createStatsRouter(deps.models, clock, deps.timeZone),
    createOutboxRouter(deps.models, deps.outbox),
    createWhatsAppRouter(deps.models, deps.whatsapp),
  );
  return router;
}
