import type { ProviderName } from '../channels/types.js';
import type { OutboxItemDoc } from '../db/models/outbox-item.js';
import type { OutboxStore } from '../db/outbox-store.js';
import { formatForChannel } from '../engine/render/render-replies.js';
import { maskPhone, type Logger } from '../logger.js';

/** Twilio's code for a WhatsApp message outside the 24-hour customer-service window. */
export const WHATSAPP_WINDOW_CLOSED = '63016';

export interface SmsFallbackDeps {
  store: OutboxStore;
  /** The SMS provider a coop sends through, when it allows SMS in place of a refused WhatsApp message. */
  smsRouteFor(coopId: string): Promise<ProviderName | undefined>;
  logger: Logger;
  clock?: () => Date;
  /** New items were written for this provider. */
  wake(provider: ProviderName): void;
}

/**
 * A WhatsApp message refused because the resident has not written in 24 hours goes out again
 * as SMS, where the cooperative allows it: same words, SMS rules (plain GSM-7).
 */
export function createSmsFallback(deps: SmsFallbackDeps): (item: OutboxItemDoc, error: { code?: string }) => Promise<void> {
  const clock = deps.clock ?? (() => new Date());
  return async (item, error) => {
    if (item.channel !== 'whatsapp' || error.code !== WHATSAPP_WINDOW_CLOSED) return;
    const provider = await deps.smsRouteFor(item.coopId);
    if (!provider) {
      deps.logger.warn({ outboxId: String(item._id), to: maskPhone(item.to) }, 'WhatsApp window closed and no SMS fallback for this coop');
      return;
    }
    const now = clock();
    const added = await deps.store.add(
      {
        coopId: item.coopId,
        channel: 'sms',
        provider,
        to: item.to,
        text: formatForChannel(item.text, 'sms'),
        status: 'pending',
        nextAttemptAt: now,
        fallbackOf: item._id,
        ...(item.sourceMessageKey ? { sourceMessageKey: item.sourceMessageKey } : {}),
      },
      now,
    );
    deps.logger.info({ outboxId: String(item._id), fallbackId: String(added._id), provider }, 'WhatsApp window closed: sending by SMS');
    deps.wake(provider);
  };
}
