import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/parse-input.js';
import { normalizePhone } from '../phone.js';
import type { InboundMessage } from '../types.js';

export interface SimulatorDependencies {
  handle(message: InboundMessage): Promise<string[]>;
  /** The cooperative a simulator message goes to: by slug, or the default one. */
  resolveCoopId(slug: string | undefined): Promise<string | undefined>;
  clock?: () => Date;
}

const messageBody = z.object({
  from: z.string().min(1),
  text: z.string().max(4096),
  coop: z.string().max(100).optional(),
  /** Lets a caller replay a delivery to see deduplication; generated when absent. */
  id: z.string().min(1).max(200).optional(),
});

/**
 * POST /api/simulator/messages {from, text} -> {replies}: the chat engine without a
 * phone, for development and demos. Not mounted in production.
 */
export function createSimulatorRouter(deps: SimulatorDependencies): Router {
  const router = Router();
  router.post('/api/simulator/messages', async (req, res) => {
    const body = parseInput(messageBody, req.body, 'invalid_body');
    const from = normalizePhone(body.from);
    if (!from) throw new HttpError(400, 'invalid_phone', 'from must be a phone number such as +6281200000002');
    const coopId = await deps.resolveCoopId(body.coop);
    if (!coopId) throw new HttpError(404, 'unknown_coop', 'No such cooperative');
    const replies = await deps.handle({
      channel: 'simulator',
      coopId,
      from,
      providerMessageId: body.id ?? randomUUID(),
      text: body.text,
      receivedAt: (deps.clock ?? (() => new Date()))(),
    });
    res.json({ replies });
  });
  return router;
}
