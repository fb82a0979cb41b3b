import type { CoopDoc } from '../db/models/coop.js';
import type { OrderDoc, OrderNotice } from '../db/models/order.js';
import { fulfilmentDetails } from '../domain/orders/fulfilment-details.js';
import type { ReplyMessage } from '../engine/reply-message.js';

/** What the resident reads about a change to their order. */
export function residentNoticeMessages(order: OrderDoc, notice: OrderNotice, coop: Pick<CoopDoc, 'name' | 'settings'>): ReplyMessage[] {
  const number = order.number;
  switch (notice.event) {
    case 'ready':
      return order.fulfilment.method === 'delivery'
        ? [{ key: 'status:notice.ready_delivery', params: { number } }]
        : [{ key: 'status:notice.ready_pickup', params: { number, pickupAddress: coop.settings.pickup.address } }];
    case 'completed':
      return [{ key: 'status:notice.completed', params: { number, coop: coop.name } }];
    case 'cancelled': {
      const refused: ReplyMessage = notice.note
        ? { key: 'status:notice.cancelled_reason', params: { number, reason: notice.note } }
        : { key: 'status:notice.cancelled', params: { number } };
      if (order.payment.status === 'refunded') return [refused, { key: 'status:refunded', params: { total: { money: order.totalRp } }, join: true }];
      if (order.payment.status === 'refund_due') return [refused, { key: 'status:notice.refund_due', params: { total: { money: order.totalRp } }, join: true }];
      return [refused];
    }
    case 'paid':
      return [{ key: 'status:notice.paid', params: { number, total: { money: order.totalRp } } }];
    case 'confirmed':
    case 'delivering':
      return [{ key: `status:notice.${notice.event}`, params: { number } }];
    case 'placed':
      // A resident learns of their own order in the conversation that placed it; a QRIS
      // order then gets the code to pay it (the image comes with it on WhatsApp).
      return order.payment.method === 'qris' && coop.settings.qris.payload
        ? [{ key: order.channel === 'whatsapp' ? 'status:notice.qris' : 'status:notice.qris_sms', params: { number, total: { money: order.totalRp }, merchant: coop.settings.qris.merchantName } }]
        : [];
  }
}

/** What every staff contact reads about an order: a new one in full, a resident's cancellation in a line. */
export function staffNoticeMessages(order: OrderDoc, notice: OrderNotice, customerName: string | undefined): ReplyMessage[] {
  if (notice.event === 'cancelled') {
    return order.payment.status === 'refund_due'
      ? [{ key: 'staff:resident_cancelled_refund', params: { number: order.number, total: { money: order.totalRp } } }]
      : [{ key: 'staff:resident_cancelled', params: { number: order.number } }];
  }
  if (notice.event !== 'placed') return [];
  return [
    {
      key: 'staff:new_order',
      params: {
        number: order.number,
        customer: customerName ? { t: 'staff:customer', params: { name: customerName, phone: order.phone } } : { t: 'staff:customer_phone', params: { phone: order.phone } },
        lines: {
          list: order.items.map((item) => ({ key: 'order:cart_line', params: { name: item.name, qty: { qty: item.quantity }, unit: item.unit, total: { money: item.lineTotalRp } } })),
        },
        total: { money: order.totalRp },
        fulfilment:
          order.fulfilment.method === 'delivery' ? { t: 'staff:fulfilment_delivery', params: { address: order.fulfilment.address ?? '' } } : { t: 'staff:fulfilment_pickup' },
        details: fulfilmentDetails(order.fulfilment),
        payment: { t: `order:payment_method.${order.payment.method}` },
      },
    },
  ];
}
