import { Router } from 'express';
import { normalizePhone } from '../channels/phone.js';
import { z } from 'zod';
import type { CoopDoc } from '../db/models/coop.js';
import type { Models } from '../db/models/index.js';
import { coopChangesSchema, createCoop, newCoopSchema, updateCoop } from '../domain/coops/create-coop.js';
import { DomainRuleError } from '../domain/errors.js';
import { issueStaffToken } from '../domain/staff/staff-tokens.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse-input.js';
import { principalOf, requireOneCoop, requirePermission } from './admin-principal.js';

const createBody = newCoopSchema.extend({ managerLabel: z.string().trim().min(1).max(100).default('pengurus') });

/**
 * GET /admin/api/coops: the cooperatives the token sees (staff: their own).
 * POST /admin/api/coops (superadmin): opens a cooperative and answers, once, its first manager token.
 * PATCH /admin/api/coops/:coop (manager, superadmin): name, staff contacts, pickup, delivery,
 * opening hours, bank account, QRIS; the chat uses them from its next message.
 */
export function createCoopsRouter(models: Models, onCoopChanged: (coopId: string) => void, clock: () => Date): Router {
  const router = Router();
  router.get('/coops', async (_req, res) => {
    const principal = principalOf(res);
    const coops = await models.Coop.find(principal.kind === 'staff' ? { _id: principal.coopId } : {}).sort({ _id: 1 }).lean<CoopDoc[]>();
    res.json({ coops: coops.map(presentCoop) });
  });
  router.post('/coops', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'coops:create');
    const { managerLabel, ...input } = parseInput(createBody, withPhonesNormalised(req.body ?? {}), 'invalid_body');
    let coop: CoopDoc;
    try {
      coop = await createCoop(models, input);
    } catch (error) {
      if (error instanceof DomainRuleError) throw new HttpError(409, error.code, error.code === 'coop_exists' ? 'A cooperative with this slug exists' : `A number already belongs to ${String(error.params.slug)}`);
      throw error;
    }
    const { token, record } = await issueStaffToken(models, { coopId: coop._id, role: 'manager', label: managerLabel, createdBy: 'admin', now: clock() });
    res.status(201).json({ coop: presentCoop(coop), managerToken: { id: String(record._id), token } });
  });
  router.patch('/coops/:coop', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'coop:settings');
    const coopId = await requireOneCoop(models, principal, String(req.params.coop));
    const changes = parseInput(coopChangesSchema, withPhonesNormalised(req.body ?? {}), 'invalid_body');
    const coop = await updateCoop(models, coopId, changes);
    onCoopChanged(coopId);
    res.json({ coop: presentCoop(coop) });
  });
  return router;
}

/** Numbers as people type them (0812…, 62812…) in international form; what cannot be read is left for validation to name. */
function withPhonesNormalised(body: Record<string, unknown>): Record<string, unknown> {
  const phone = (value: unknown) => (typeof value === 'string' ? (normalizePhone(value) ?? value) : value);
  const list = (value: unknown) => (Array.isArray(value) ? value.map(phone) : value);
  const staff = Array.isArray(body.staff) ? body.staff.map((member: unknown) => (member && typeof member === 'object' ? { ...member, phone: phone((member as { phone?: unknown }).phone) } : member)) : body.staff;
  return { ...body, ...('whatsapp' in body ? { whatsapp: list(body.whatsapp) } : {}), ...('sms' in body ? { sms: list(body.sms) } : {}), ...('staff' in body ? { staff } : {}) };
}

function presentCoop(coop: CoopDoc) {
  return { id: coop._id, slug: coop.slug, name: coop.name, kelurahan: coop.kelurahan, kota: coop.kota, timezone: coop.timezone, numbers: coop.numbers, staff: coop.staff, settings: coop.settings };
}
