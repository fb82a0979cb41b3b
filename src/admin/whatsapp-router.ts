import { Router } from 'express';
import { z } from 'zod';
import QRCode from 'qrcode';
import type { WhatsAppNumbers, WhatsAppStatus } from '../channels/whatsapp-numbers.js';
import { normalizePhone } from '../channels/phone.js';
import type { Models } from '../db/models/index.js';
import { HttpError } from '../http/errors.js';
import { parseInput } from '../http/parse-input.js';
import { principalOf, requireOneCoop, requirePermission } from './admin-principal.js';

const pairBody = z.strictObject({ phone: z.string().max(30).optional() });

/**
 * GET /admin/api/whatsapp: each coop's WhatsApp number (linked, pairing with its QR, logged out).
 * POST /admin/api/whatsapp/:coop/pair {phone?}: starts pairing in the service; answers the QR
 * text to show as a QR image (or, with a phone, the code to type in Linked devices).
 */
export function createWhatsAppRouter(models: Models, whatsapp: WhatsAppNumbers | undefined): Router {
  const router = Router();
  const enabled = () => {
    if (!whatsapp) throw new HttpError(409, 'whatsapp_disabled', 'WhatsApp is not enabled (WHATSAPP_ENABLED=false)');
    return whatsapp;
  };
  router.get('/whatsapp', async (_req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'whatsapp:manage');
    const numbers = await enabled().status();
    const visible = principal.kind === 'staff' ? numbers.filter((number) => number.coopId === principal.coopId) : numbers;
    res.json({ numbers: await Promise.all(visible.map(withQrImage)) });
  });
  router.post('/whatsapp/:coop/pair', async (req, res) => {
    const principal = principalOf(res);
    requirePermission(principal, 'whatsapp:manage');
    const coopId = await requireOneCoop(models, principal, String(req.params.coop));
    const numbers = enabled();
    const { phone } = parseInput(pairBody, req.body ?? {}, 'invalid_body');
    const e164 = phone === undefined ? undefined : normalizePhone(phone);
    if (phone !== undefined && !e164) throw new HttpError(400, 'invalid_body', 'phone: must be a phone number such as 6281234567890');
    res.json(await withQrImage(await numbers.pair(coopId, e164?.slice(1))));
  });
  return router;
}

/** The pairing QR also as an image the dashboard can show (a data URL, allowed by the page's CSP). */
async function withQrImage(status: WhatsAppStatus): Promise<WhatsAppStatus & { qrDataUrl?: string }> {
  return status.qr ? { ...status, qrDataUrl: await QRCode.toDataURL(status.qr, { margin: 1, width: 280 }) } : status;
}
