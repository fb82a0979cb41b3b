import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import type { Models } from '../db/models/index.js';
import { STAFF_ROLES, type StaffTokenDoc } from '../db/models/staff-token.js';
import { issueStaffToken, revokeStaffToken } from '../domain/staff/staff-tokens.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse-input.js';
import { principalOf, requireCoopAccess, requireOneCoop, requirePermission, scopeCoop, type AdminPrincipal } from './admin-principal.js';

const listQuery = z.strictObject({ coop: z.string().max(100).optional() });
const createBody = z.strictObject({
  coop: z.string().max(100).optional(),
  role: z.enum(STAFF_ROLES as [string, ...string[]]),
  label: z.string().trim().min(1).max(100),
});

/**
 * GET /admin/api/me: who the token belongs to (the dashboard's sign-in check).
 * GET/POST /admin/api/tokens, DELETE /admin/api/tokens/:id: a cooperative's staff tokens.
 * A new token is answered once, in full; only its hash is kept.
 */
export function createTokensRouter(models: Models, clock: () => Date): Router {
  const router = Router();
  router.get('/me', (_req, res) => {
    const principal = principalOf(res);
    res.json(principal.kind === 'superadmin' ? { kind: 'superadmin' } : { kind: 'staff', coopId: principal.coopId, coop: principal.coopSlug, role: principal.role, label: principal.label });
  });
  router.get('/tokens', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'tokens:manage');
    const { coop } = parseInput(listQuery, req.query, 'invalid_query');
    const coopId = await scopeCoop(models, principal, coop);
    const tokens = await models.StaffToken.find(coopId ? { coopId } : {}).sort({ createdAt: -1 }).limit(500).lean<StaffTokenDoc[]>();
    res.json({ tokens: tokens.map(presentToken) });
  });
  router.post('/tokens', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'tokens:manage');
    const body = parseInput(createBody, req.body ?? {}, 'invalid_body');
    const coopId = await requireOneCoop(models, principal, body.coop);
    const { token, record } = await issueStaffToken(models, { coopId, role: body.role as StaffTokenDoc['role'], label: body.label, createdBy: describePrincipal(principal), now: clock() });
    res.status(201).json({ ...presentToken(record), token });
  });
  router.delete('/tokens/:id', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'tokens:manage');
    const id = String(req.params.id);
    if (!Types.ObjectId.isValid(id)) throw new HttpError(400, 'invalid_id', 'id: must be a token id');
    const record = await models.StaffToken.findById(id, { coopId: 1 }).lean();
    if (!record) throw new HttpError(404, 'not_found', 'No such token');
    requireCoopAccess(principal, record.coopId);
    if (!(await revokeStaffToken(models, record.coopId, new Types.ObjectId(id), clock()))) throw new HttpError(404, 'not_found', 'No such live token');
    res.status(204).end();
  });
  return router;
}

/** Who did something, as recorded on what they did. */
export function describePrincipal(principal: AdminPrincipal): string {
  return principal.kind === 'superadmin' ? 'admin' : `staff-token:${principal.label}`;
}

function presentToken(token: StaffTokenDoc) {
  return {
    id: String(token._id),
    coopId: token.coopId,
    role: token.role,
    label: token.label,
    prefix: token.prefix,
    createdBy: token.createdBy,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt ?? null,
    revokedAt: token.revokedAt ?? null,
  };
}
