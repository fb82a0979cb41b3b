import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far the phone's clock may be from ours, either way, before a request counts as a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export interface SignedRequest {
  /** The body exactly as received, before any JSON parsing. */
  rawBody: Buffer;
  /** X-Timestamp: unix seconds, as sent. */
  timestamp: string | undefined;
  /** X-Signature: hex HMAC-SHA256. */
  signature: string | undefined;
}

export type SignatureVerdict =
  | { valid: true }
  | { valid: false; reason: 'missing_signature' | 'invalid_timestamp' | 'stale_timestamp' | 'invalid_signature'; skewSeconds?: number };

/**
 * Checks a webhook the way SMS Gateway for Android signs it: hex HMAC-SHA256, keyed with the
 * app's signing key, over the raw body bytes followed by the X-Timestamp text. Rejects
 * timestamps more than five minutes from `now` in either direction, and compares in
 * constant time.
 */
export function verifyWebhookSignature(request: SignedRequest, signingKey: string, now: Date): SignatureVerdict {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return { valid: false, reason: 'missing_signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { valid: false, reason: 'invalid_timestamp' };
  const skewSeconds = Math.floor(now.getTime() / 1000) - Number(timestamp);
  if (Math.abs(skewSeconds) > SIGNATURE_TOLERANCE_SECONDS) return { valid: false, reason: 'stale_timestamp', skewSeconds };
  const expected = createHmac('sha256', signingKey).update(request.rawBody).update(timestamp, 'utf8').digest();
  // Decoding a malformed hex string would silently truncate it, so check the shape first.
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return { valid: false, reason: 'invalid_signature' };
  const given = Buffer.from(signature, 'hex');
  return timingSafeEqual(expected, given) ? { valid: true } : { valid: false, reason: 'invalid_signature' };
}
