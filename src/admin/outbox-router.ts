import { Router } from 'express';
import { Types } from 'mongoose';
import { z } from 'zod';
import { normalizePhone } from '../channels/phone.js';
import type { Models } from '../db/models/index.js';
import { OUTBOX_STATUSES, type OutboxItemDoc } from '../db/models/outbox-item.js';
import type { OutboxStore } from '../db/outbox-store.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse-input.js';
import { principalOf, requirePermission, scopeCoop } from './admin-principal.js';
import { nextCursor } from './next-cursor.js';

const listQuery = z.strictObject({
  coop: z.string().max(100).optional(),
  to: z.string().max(40).optional(),
  status: z.enum(OUTBOX_STATUSES as [string, ...string[]]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().refine((value) => Types.ObjectId.isValid(value), 'must be an item id').optional(),
});

/** GET /admin/api/outbox: messages sent and waiting, newest first (what did the resident get, and did it arrive?). */
export function createOutboxRouter(models: Models, outbox: OutboxStore): Router {
  const router = Router();
  router.get('/outbox', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'outbox:read');
    const query = parseInput(listQuery, req.query, 'invalid_query');
    let to: string | undefined;
    if (query.to) {
      to = normalizePhone(query.to);
      if (!to) throw new HttpError(400, 'invalid_query', 'to: must be a phone number such as +6281200000002');
    }
    const coopId = await scopeCoop(models, principal, query.coop);
    const items = await outbox.list({
      limit: query.limit,
      ...(coopId ? { coopId } : {}),
      ...(to ? { to } : {}),
      ...(query.status ? { status: query.status as OutboxItemDoc['status'] } : {}),
      ...(query.before ? { before: new Types.ObjectId(query.before) } : {}),
    });
    res.json({ items: items.map(presentItem), next: nextCursor(items, query.limit) });
  });
  return router;
}

function presentItem(item: OutboxItemDoc) {
  return {
    id: String(item._id),
    coopId: item.coopId,
    channel: item.channel,
    provider: item.provider,
    to: item.to,
    text: item.text,
    status: item.status,
    attempts: item.attempts,
    providerMessageId: item.providerMessageId ?? null,
    lastError: item.lastError ?? null,
    sentBy: item.sentBy ?? null,
    createdAt: item.createdAt,
    sentAt: item.sentAt ?? null,
    deliveredAt: item.deliveredAt ?? null,
    failedAt: item.failedAt ?? null,
    nextAttemptAt: item.status === 'pending' ? item.nextAttemptAt : null,
  };
}
