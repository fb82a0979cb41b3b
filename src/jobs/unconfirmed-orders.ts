import type { CoopDoc } from '../db/models/coop.js';
import type { OrderDoc } from '../db/models/order.js';
import { draftNoticeItem, staffRecipients } from '../outbox/notice-item.js';
import { queueAndWake, type Job } from './job.js';

/** An order still `new` this long after it was placed gets staff a reminder (once). */
export const UNCONFIRMED_AFTER_MS = 30 * 60_000;

/** Every minute: orders nobody confirmed within 30 minutes remind the coop's staff, once per order. */
export function createUnconfirmedOrdersJob(): Job {
  return {
    name: 'unconfirmed-orders',
    schedule: '* * * * *',
    async run(context) {
      const { models, now } = context;
      const waiting = await models.Order.find({ status: 'new', placedAt: { $lte: new Date(now.getTime() - UNCONFIRMED_AFTER_MS) }, staffRemindedAt: { $exists: false } })
        .sort({ placedAt: 1 })
        .limit(100)
        .lean<OrderDoc[]>();
      let queued = 0;
      const coops = new Map<string, CoopDoc | null>();
      for (const order of waiting) {
        if (!coops.has(order.coopId)) coops.set(order.coopId, await models.Coop.findById(order.coopId).lean<CoopDoc>());
        const coop = coops.get(order.coopId);
        const minutes = Math.floor((now.getTime() - order.placedAt.getTime()) / 60_000);
        const message = { key: 'staff:unconfirmed', params: { number: order.number, minutes, total: { money: order.totalRp } } };
        const runKey = `unconfirmed-orders:${String(order._id)}`;
        const items = await Promise.all(staffRecipients(coop?.staff ?? []).map((recipient) => draftNoticeItem(context.drafting, order.coopId, recipient, [message], now, runKey)));
        queued += await queueAndWake(context, { runKey, items });
        // Marked after queuing: a crash in between only makes the next minute find the run done.
        await models.Order.updateOne({ _id: order._id }, { $set: { staffRemindedAt: now } });
      }
      return queued;
    },
  };
}
