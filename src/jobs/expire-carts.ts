import type { ChatService } from '../engine/chat-service.js';
import type { Job } from './job.js';

/** Every five minutes: a cart lapses two hours after its last message, give or take five minutes. */
export const EXPIRE_CARTS_SCHEDULE = '*/5 * * * *';

/** Deletes expired conversations (and their carts). Nobody is told yet; the next message starts fresh. */
export function createExpireCartsJob(chat: Pick<ChatService, 'sweepExpiredSessions'>): Job {
  return {
    name: 'expire-carts',
    schedule: EXPIRE_CARTS_SCHEDULE,
    async run(context) {
      const removed = await chat.sweepExpiredSessions(context.now);
      if (removed > 0) context.logger.info({ removed }, 'expired conversations swept');
      return removed;
    },
  };
}
