import type { ProviderName } from '../channels/types.js';
import type { Job } from './job.js';

/** An item due this long without being sent means its worker is stuck or its provider is down. */
const OVERDUE_MS = 5 * 60_000;

/**
 * Every minute: wakes the worker of every provider with items due (a retry whose backoff
 * ended, a lease that lapsed), in case a worker missed them, and warns when items have
 * waited past five minutes. Workers also poll on their own; this is the safety net.
 */
export function createOutboxSweepJob(): Job {
  return {
    name: 'outbox-sweep',
    schedule: '* * * * *',
    async run(context) {
      const { models, now } = context;
      const due = (await models.OutboxItem.aggregate([
        { $match: { $or: [{ status: 'pending', nextAttemptAt: { $lte: now } }, { status: 'sending', 'lease.until': { $lte: now } }] } },
        { $group: { _id: '$provider', count: { $sum: 1 }, oldest: { $min: '$nextAttemptAt' } } },
      ])) as Array<{ _id: ProviderName; count: number; oldest: Date }>;
      let total = 0;
      for (const { _id: provider, count, oldest } of due) {
        total += count;
        context.wake(provider);
        if (now.getTime() - new Date(oldest).getTime() > OVERDUE_MS) {
          context.logger.warn({ provider, count, oldestDueAt: oldest }, 'outbox items overdue: is the provider reachable?');
        }
      }
      return total;
    },
  };
}
