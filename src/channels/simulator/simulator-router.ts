import { randomUUID } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { HttpError } from '../../http/errors.js';
import { parseInput } from '../../http/parse-input.js';
import { normalizePhone } from '../phone.js';
import { CHANNEL_NAMES, type MessageHandler } from '../types.js';

export interface SimulatorDependencies {
  handle: MessageHandler;
  /** The cooperative a simulator message goes to: by slug, or the default one. */
  resolveCoopId(slug: string | undefined): Promise<string | undefined>;
  /** Who may use it (it answers balances as the service would): checked before anything else. */
  access: RequestHandler;
  clock?: () => Date;
}

const messageBody = z.strictObject({
  from: z.string().min(1),
  text: z.string().max(4096),
  coop: z.string().max(100).optional(),
  /** How the replies are rendered: WhatsApp (default) or SMS (GSM-7, PIN for balances). */
  channel: z.enum(CHANNEL_NAMES as ['whatsapp', 'sms']).default('whatsapp'),
  /** Lets a caller replay a delivery to see deduplication; generated when absent. */
  id: z.string().min(1).max(200).optional(),
});

/**
 * POST /api/simulator/messages {from, text, channel?} -> {replies}: the chat engine without
 * a phone, for development, demos and a coop's own tests (in production with the admin token).
 */
export function createSimulatorRouter(deps: SimulatorDependencies): Router {
  const router = Router();
  router.post('/api/simulator/messages', deps.access, async (req, res) => {
    if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'Send the message as JSON (content-type: application/json)');
    const body = parseInput(messageBody, req.body, 'invalid_body');
    const from = normalizePhone(body.from);
    if (!from) throw new HttpError(400, 'invalid_phone', 'from must be a phone number such as +6281200000002');
    const coopId = await deps.resolveCoopId(body.coop);
    if (!coopId) throw new HttpError(404, 'unknown_coop', 'No such cooperative');
    const handled = await deps.handle({
      channel: body.channel,
      provider: 'simulator',
      coopId,
      from,
      providerMessageId: body.id ?? randomUUID(),
      text: body.text,
      receivedAt: (deps.clock ?? (() => new Date()))(),
    });
    res.json({ replies: handled.replies.map((reply) => reply.text), duplicate: !handled.processed });
  });
  return router;
}
