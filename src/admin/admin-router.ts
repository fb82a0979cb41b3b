import { Router } from 'express';
import type { Models } from '../db/models/index.js';
import type { OutboxStore } from '../db/outbox-store.js';
import { createOrdersRouter } from './orders-router.js';
import { createOutboxRouter } from './outbox-router.js';
import { createWhatsAppRouter } from './whatsapp-router.js';
import type { WhatsAppNumbers } from '../channels/whatsapp-numbers.js';
import { requireAdminToken } from './require-admin-token.js';

/** Everything under /admin/api, behind the admin token. */
export function createAdminRouter(deps: { models: Models; outbox: OutboxStore; adminToken: string; whatsapp?: WhatsAppNumbers }): Router {
  const router = Router();
  router.use(
    '/admin/api',
    requireAdminToken(deps.adminToken),
    createOrdersRouter(deps.models),
    createOutboxRouter(deps.models, deps.outbox),
    createWhatsAppRouter(deps.models, deps.whatsapp),
  );
  return router;
}
