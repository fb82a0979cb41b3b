import type { CoopDoc } from '../db/models/coop.js';
import type { OrderDoc } from '../db/models/order.js';
import type { ProductDoc } from '../db/models/product.js';
import type { ReplyMessage } from '../engine/reply-message.js';
import { stockUsed } from '../domain/orders/stock-used.js';
import { zoneOffsetMinutes } from '../domain/time/zoned-day-start.js';
import { draftNoticeItem, staffRecipients } from '../outbox/notice-item.js';
import { forEachCoopWithStaff, queueAndWake, type Job, type JobContext } from './job.js';

const DEMAND_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * 16:00: products at or below their alert level, and a restock list per distributor sized
 * by last week's demand, so the coop can order straight from its supplier before closing.
 */
export function createLowStockJob(): Job {
  return {
    name: 'low-stock',
    schedule: '0 16 * * *',
    run: (context) => forEachCoopWithStaff(context, alertCoop),
  };
}

async function alertCoop(context: JobContext, coop: CoopDoc): Promise<number> {
  const { models, now } = context;
  const products = await models.Product.find({ coopId: coop._id, active: true, lowStockAt: { $exists: true } }).lean<ProductDoc[]>();
  const low = products.filter((product) => product.stock <= (product.lowStockAt ?? -1));
  if (low.length === 0) return 0;
  const demand = await weekDemand(context, coop._id, low);
  const byDistributor = new Map<string, ReplyMessage[]>();
  for (const product of low) {
    const weekly = demand.get(product.productId) ?? 0;
    // Enough for another week at last week's pace, and at least back to twice the alert level.
    const restock = Math.max(0, Math.ceil(Math.max(weekly, (product.lowStockAt ?? 0) * 2) - product.stock));
    const lines = byDistributor.get(product.distributor ?? '') ?? [];
    lines.push({ key: 'staff:low_stock_line', params: { name: product.name, stock: { qty: product.stock }, unit: product.stockUnit, week: { qty: weekly }, restock: { qty: restock } } });
    byDistributor.set(product.distributor ?? '', lines);
  }
  const groups: ReplyMessage[] = [...byDistributor].map(([distributor, lines]) => ({
    key: 'staff:low_stock_group',
    params: { distributor: distributor || { t: 'staff:low_stock_no_distributor' }, lines: { list: lines } },
  }));
  const day = new Date(now.getTime() + zoneOffsetMinutes(now, coop.timezone) * 60_000).toISOString().slice(0, 10);
  const runKey = `low-stock:${coop._id}:${day}`;
  const message: ReplyMessage = { key: 'staff:low_stock', params: { count: low.length, groups: { list: groups } } };
  const items = await Promise.all(staffRecipients(coop.staff).map((recipient) => draftNoticeItem(context.drafting, coop._id, recipient, [message], now, runKey)));
  return queueAndWake(context, { runKey, items });
}

/** Stock units each product sold in the last week (cancelled orders excluded). */
async function weekDemand(context: JobContext, coopId: string, products: ProductDoc[]): Promise<Map<string, number>> {
  const wanted = new Map(products.map((product) => [product.productId, product]));
  const orders = await context.models.Order.find(
    { coopId, placedAt: { $gte: new Date(context.now.getTime() - DEMAND_DAYS * DAY_MS) }, status: { $ne: 'cancelled' }, 'items.productId': { $in: [...wanted.keys()] } },
    { items: 1 },
  ).lean<Pick<OrderDoc, 'items'>[]>();
  const demand = new Map<string, number>();
  for (const item of orders.flatMap((order) => order.items)) {
    const product = wanted.get(item.productId);
    if (product) demand.set(item.productId, (demand.get(item.productId) ?? 0) + stockUsed(item, product));
  }
  return demand;
}
