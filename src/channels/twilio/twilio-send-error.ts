import twilio from 'twilio';
import { maskPhone } from '../../logger.js';
import { SendError } from '../types.js';

/** Twilio's messages quote the number ("The 'To' number +62... is not valid"); keep it out of logs. */
function maskNumbersIn(text: string): string {
  return text.replace(/\+?\d{8,15}/g, (number) => maskPhone(number));
}

/** What Twilio's REST errors carry (RestException, and TwilioServiceException for RFC 9457 bodies). */
interface TwilioApiError {
  status: number;
  code?: number;
  message?: string;
}

function isTwilioApiError(error: unknown): error is TwilioApiError {
  if (error instanceof twilio.RestException) return true;
  // TwilioServiceException is not exported by the SDK; it has the same two fields.
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number' && typeof (error as { code?: unknown }).code === 'number';
}

/**
 * Translates a failure of messages.create for the outbox. Twilio's 4xx answers are about
 * this message (21211 invalid To, 21610 the resident sent STOP, 21408 region not enabled,
 * 63016 WhatsApp outside the 24-hour window, so the outbox may fall back to SMS) and
 * retrying cannot fix them. 429, 5xx, a 401 (credentials being rotated or misconfigured:
 * fixable without losing the reply) and anything that never got an answer are retried.
 */
export function toTwilioSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  if (isTwilioApiError(error)) {
    const code = typeof error.code === 'number' ? String(error.code) : undefined;
    // A JSON error body without a message leaves RestException.message undefined.
    const detail = typeof error.message === 'string' ? maskNumbersIn(error.message) : 'no detail';
    const retryable = error.status === 429 || error.status === 401 || error.status >= 500 || error.status < 400;
    return new SendError(`twilio refused the message (HTTP ${error.status}${code ? `, code ${code}` : ''}): ${detail}`, {
      permanent: !retryable,
      code,
      cause: error,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new SendError(`twilio send failed without an answer from Twilio: ${reason}`, { permanent: false, cause: error });
}
