import { Router } from 'express';
import QRCode from 'qrcode';
import type { Models } from '../db/models/index.js';
import { QR_CODE_ROUTE } from './qr-code-path.js';

/**
 * GET /media/qr/<token>.png: an outbox item's QR code as an image, for providers that fetch
 * media by URL (Twilio). Public by necessity; the token is 128 random bits and the code is a
 * payment request to the coop, which is no secret.
 */
export function createQrCodeRouter(models: Models): Router {
  const router = Router();
  router.get(QR_CODE_ROUTE, async (req, res) => {
    const token = String(req.params.token);
    const item = /^[0-9a-f]{32}$/.test(token) ? await models.OutboxItem.findOne({ 'qrCode.token': token }, { qrCode: 1 }).lean() : null;
    if (!item?.qrCode) {
      res.status(404).end();
      return;
    }
    res.type('image/png').set('cache-control', 'private, max-age=86400').send(await QRCode.toBuffer(item.qrCode.data, { margin: 2, width: 480 }));
  });
  return router;
}
