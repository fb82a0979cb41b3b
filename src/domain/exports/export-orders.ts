import type { Models } from '../../db/models/index.js';
import type { OrderDoc } from '../../db/models/order.js';
import type { CsvTable } from './csv-table.js';
import { formatLocalDay, localPeriod } from './local-day.js';

export const ORDER_EXPORT_COLUMNS = [
  'number',
  'placedAt',
  'date',
  'status',
  'phone',
  'fulfilment',
  'address',
  'payment',
  'paymentStatus',
  'productId',
  'name',
  'quantity',
  'unit',
  'unitPriceRp',
  'lineTotalRp',
  'orderTotalRp',
] as const;

export interface OrderExportInput {
  coopId: string;
  /** Days (YYYY-MM-DD), both included, in the coop's zone. */
  from: string;
  to: string;
  timeZone: string;
}

/**
 * The coop's orders placed in a period, one row per order item (the order's own fields
 * repeat on each of its rows), oldest first. `placedAt` is the instant (ISO, UTC); `date`
 * the day it was in the coop's zone, which is what bookkeeping groups by.
 */
export async function exportOrders(models: Models, input: OrderExportInput): Promise<CsvTable> {
  const { start, end } = localPeriod(input.from, input.to, input.timeZone);
  const orders = await models.Order.find(
    { coopId: input.coopId, placedAt: { $gte: start, $lt: end } },
    { number: 1, placedAt: 1, status: 1, phone: 1, fulfilment: 1, payment: 1, items: 1, totalRp: 1 },
  )
    .sort({ placedAt: 1, number: 1 })
    .lean<OrderDoc[]>();
  const rows = orders.flatMap((order) =>
    order.items.map((item) => [
      order.number,
      order.placedAt.toISOString(),
      formatLocalDay(order.placedAt, input.timeZone),
      order.status,
      order.phone,
      order.fulfilment.method,
      order.fulfilment.address ?? '',
      order.payment.method,
      order.payment.status,
      item.productId,
      item.name,
      item.quantity,
      item.unit,
      item.unitPriceRp,
      item.lineTotalRp,
      order.totalRp,
    ]),
  );
  return { columns: ORDER_EXPORT_COLUMNS, rows };
}
