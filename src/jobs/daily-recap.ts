import type { CoopDoc } from '../db/models/coop.js';
import type { OrderDoc } from '../db/models/order.js';
import { zoneOffsetMinutes, zonedDayStart } from '../domain/time/zoned-day-start.js';
import { draftNoticeItem, staffRecipients } from '../outbox/notice-item.js';
import { forEachCoopWithStaff, queueAndWake, type Job, type JobContext } from './job.js';

const DAY_MS = 86_400_000;
const TOP_ITEMS = 3;
const OPEN: OrderDoc['status'][] = ['new', 'confirmed', 'ready', 'delivering'];

/** 07:00: yesterday's orders, revenue and best sellers, and what is still open, to every staff contact. */
export function createDailyRecapJob(): Job {
  return {
    name: 'daily-recap',
    schedule: '0 7 * * *',
    run: (context) => forEachCoopWithStaff(context, recapCoop),
  };
}

async function recapCoop(context: JobContext, coop: CoopDoc): Promise<number> {
  const { models, now } = context;
  const todayStart = zonedDayStart(now, coop.timezone);
  const yesterdayStart = new Date(todayStart.getTime() - DAY_MS);
  const day = new Date(yesterdayStart.getTime() + zoneOffsetMinutes(yesterdayStart, coop.timezone) * 60_000).toISOString().slice(0, 10);
  const orders = await models.Order.find({ coopId: coop._id, placedAt: { $gte: yesterdayStart, $lt: todayStart }, status: { $ne: 'cancelled' } }, { totalRp: 1, items: 1 }).lean<Pick<OrderDoc, 'totalRp' | 'items'>[]>();
  const open = await models.Order.countDocuments({ coopId: coop._id, status: { $in: OPEN } });
  const sold = new Map<string, { name: string; unit: string; quantity: number; revenueRp: number }>();
  for (const item of orders.flatMap((order) => order.items)) {
    const key = `${item.productId}|${item.unit}`;
    const line = sold.get(key) ?? { name: item.name, unit: item.unit, quantity: 0, revenueRp: 0 };
    line.quantity += item.quantity;
    line.revenueRp += item.lineTotalRp;
    sold.set(key, line);
  }
  const top = [...sold.values()].sort((a, b) => b.revenueRp - a.revenueRp).slice(0, TOP_ITEMS);
  const message = {
    key: 'staff:recap',
    params: {
      date: day,
      orders: orders.length,
      revenue: { money: orders.reduce((sum, order) => sum + order.totalRp, 0) },
      top: top.length > 0 ? { list: top.map((line) => ({ key: 'order:cart_line', params: { name: line.name, qty: { qty: line.quantity }, unit: line.unit, total: { money: line.revenueRp } } })) } : { t: 'staff:recap_no_sales' },
      open,
    },
  };
  const runKey = `daily-recap:${coop._id}:${day}`;
  const items = await Promise.all(staffRecipients(coop.staff).map((recipient) => draftNoticeItem(context.drafting, coop._id, recipient, [message], now, runKey)));
  return queueAndWake(context, { runKey, items });
}
