import type { Models } from '../../db/models/index.js';
import type { OrderDoc } from '../../db/models/order.js';
import { zoneOffsetMinutes, zonedDayStart } from '../time/zoned-day-start.js';

const CHART_DAYS = 14;
const TOP_PRODUCTS = 5;
const DAY_MS = 86_400_000;

export interface OrderStats {
  today: { orders: number; revenueRp: number };
  month: { orders: number; revenueRp: number };
  /** This month's best sellers by revenue. */
  topProducts: { productId: string; name: string; quantity: number; unit: string; revenueRp: number }[];
  /** The last 14 days, oldest first, days in the coop's zone. */
  ordersPerDay: { day: string; orders: number; revenueRp: number }[];
}

/** Orders and revenue (cancelled orders excluded) for a coop, or all coops, seen from `now` in `timeZone`. */
export async function orderStats(models: Models, coopId: string | undefined, now: Date, timeZone: string): Promise<OrderStats> {
  const todayStart = zonedDayStart(now, timeZone);
  const monthStart = zonedMonthStart(now, timeZone);
  const chartStart = new Date(todayStart.getTime() - (CHART_DAYS - 1) * DAY_MS);
  const since = monthStart < chartStart ? monthStart : chartStart;
  const orders = await models.Order.find(
    { ...(coopId ? { coopId } : {}), placedAt: { $gte: since }, status: { $ne: 'cancelled' } },
    { placedAt: 1, totalRp: 1, items: 1 },
  ).lean<Pick<OrderDoc, 'placedAt' | 'totalRp' | 'items'>[]>();

  const dayOf = (at: Date) => new Date(at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000).toISOString().slice(0, 10);
  const perDay = new Map<string, { orders: number; revenueRp: number }>();
  for (let i = 0; i < CHART_DAYS; i++) perDay.set(dayOf(new Date(chartStart.getTime() + i * DAY_MS + DAY_MS / 2)), { orders: 0, revenueRp: 0 });
  const today = { orders: 0, revenueRp: 0 };
  const month = { orders: 0, revenueRp: 0 };
  const products = new Map<string, OrderStats['topProducts'][number]>();
  for (const order of orders) {
    const bucket = perDay.get(dayOf(order.placedAt));
    if (bucket) {
      bucket.orders++;
      bucket.revenueRp += order.totalRp;
    }
    if (order.placedAt >= todayStart) {
      today.orders++;
      today.revenueRp += order.totalRp;
    }
    if (order.placedAt < monthStart) continue;
    month.orders++;
    month.revenueRp += order.totalRp;
    for (const item of order.items) {
      const key = `${item.productId}|${item.unit}`;
      const line = products.get(key) ?? { productId: item.productId, name: item.name, quantity: 0, unit: item.unit, revenueRp: 0 };
      line.quantity += item.quantity;
      line.revenueRp += item.lineTotalRp;
      products.set(key, line);
    }
  }
  return {
    today,
    month,
    topProducts: [...products.values()].sort((a, b) => b.revenueRp - a.revenueRp).slice(0, TOP_PRODUCTS),
    ordersPerDay: [...perDay].map(([day, counts]) => ({ day, ...counts })),
  };
}

function zonedMonthStart(now: Date, timeZone: string): Date {
  const offset = zoneOffsetMinutes(now, timeZone);
  const local = new Date(now.getTime() + offset * 60_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - offset * 60_000);
}
