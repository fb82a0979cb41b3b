import { Router } from 'express';
import type { Models } from '../db/models/index.js';
import { createOrdersRouter } from './orders-router.js';
import { requireAdminToken } from './require-admin-token.js';

/** Everything under /admin/api, behind the admin token. */
export function createAdminRouter(deps: { models: Models; adminToken: string }): Router {
  const router = Router();
  router.use('/admin/api', requireAdminToken(deps.adminToken), createOrdersRouter(deps.models));
  return router;
}
