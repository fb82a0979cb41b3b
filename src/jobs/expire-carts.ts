import { schedule, validate, type ScheduledTask } from 'node-cron';
import type { JobLeases } from '../db/job-leases.js';
import type { ChatService } from '../engine/chat-service.js';
import type { Logger } from '../logger.js';
import { runExclusively } from './run-exclusively.js';

/** Every five minutes: a cart lapses two hours after its last message, give or take five minutes. */
export const EXPIRE_CARTS_SCHEDULE = '*/5 * * * *';

type Sweeper = Pick<ChatService, 'sweepExpiredSessions'>;

/** Deletes expired conversations (and their carts) once. Nobody is told; the next message starts fresh. */
export async function runExpireCarts(chat: Sweeper, logger: Logger, now?: Date): Promise<number> {
  const removed = await chat.sweepExpiredSessions(now);
  if (removed > 0) logger.info({ removed }, 'expired conversations swept');
  return removed;
}

/** Schedules the sweep with node-cron (one instance runs it); call `stop()` on the task at shutdown. */
export function scheduleExpireCarts(chat: Sweeper, leases: JobLeases, logger: Logger, expression = EXPIRE_CARTS_SCHEDULE): ScheduledTask {
  if (!validate(expression)) throw new Error(`Invalid cron expression for expire-carts: ${expression}`);
  return schedule(
    expression,
    async () => {
      try {
        await runExclusively(leases, 'expire-carts', logger, async () => void (await runExpireCarts(chat, logger)));
      } catch (error) {
        logger.error({ err: error }, 'expire-carts sweep failed');
      }
    },
    { name: 'expire-carts', noOverlap: true, timezone: 'Asia/Jakarta' },
  );
}
