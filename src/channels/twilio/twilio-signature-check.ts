import type { RequestHandler } from 'express';
import twilio from 'twilio';
import type { Logger } from '../../logger.js';

interface TwilioSignatureCheckOptions {
  authToken: string;
  /** The public origin Twilio posts to (e.g. https://chat.example.id), without a trailing slash. */
  publicBaseUrl: string;
  logger: Logger;
}

/**
 * Refuses (403, empty body) any request whose X-Twilio-Signature does not match the
 * form parameters. Twilio signs the public URL it was configured with, which behind a
 * proxy differs from what this process sees, so the URL is rebuilt from publicBaseUrl.
 * Must run after the urlencoded parser and before anything reads the body.
 */
export function createTwilioSignatureCheck(options: TwilioSignatureCheckOptions): RequestHandler {
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  return (req, res, next) => {
    const signature = req.header(twilio.SIGNATURE_HEADER);
    const body: unknown = req.body;
    const params = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const url = base + req.originalUrl;
    if (!signature || !twilio.validateRequest(options.authToken, signature, url, params)) {
      options.logger.warn({ path: req.path, ip: req.ip, signed: Boolean(signature) }, 'twilio webhook refused: signature missing or invalid');
      res.status(403).end();
      return;
    }
    next();
  };
}
