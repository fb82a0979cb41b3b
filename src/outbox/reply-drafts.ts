import type { InboundMessage } from '../channels/types.js';
import type { OutboxDraft } from '../db/turn-writer.js';

/**
 * How long a Twilio reply waits for the webhook to answer it inline (TwiML) before the
 * worker sends it by REST. Longer than the webhook's own wait, so both never send it.
 */
export const INLINE_REPLY_HOLD_MS = 15_000;

/**
 * The outbox items for a turn's replies: back to the sender, through the provider the message
 * came in on. The simulator answers in its HTTP response, so its items are sent when written.
 */
export function replyDrafts(message: InboundMessage, texts: string[], now: Date, sourceMessageKey: string): OutboxDraft[] {
  return texts.map((text) => {
    const base = { coopId: message.coopId, channel: message.channel, provider: message.provider, to: message.from, text, sourceMessageKey };
    if (message.provider === 'simulator') return { ...base, status: 'sent', sentBy: 'inline', sentAt: now, nextAttemptAt: now };
    const hold = message.provider === 'twilio' ? INLINE_REPLY_HOLD_MS : 0;
    return { ...base, status: 'pending', nextAttemptAt: new Date(now.getTime() + hold) };
  });
}
