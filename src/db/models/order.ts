import { Schema, type Types } from 'mongoose';
import { CHANNEL_NAMES, type ChannelName } from '../../channels/types.js';
import { rupiahField } from './money-field.js';

export type OrderStatus = 'new' | 'confirmed' | 'ready' | 'delivering' | 'completed' | 'cancelled';
export const ORDER_STATUSES: readonly OrderStatus[] = ['new', 'confirmed', 'ready', 'delivering', 'completed', 'cancelled'];
export type FulfilmentMethod = 'pickup' | 'delivery';
export type PaymentMethod = 'cod' | 'transfer' | 'qris' | 'simpanan';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['cod', 'transfer', 'qris', 'simpanan'];

export interface OrderItem {
  productId: string;
  name: string;
  unit: string;
  quantity: number;
  unitPriceRp: number;
  lineTotalRp: number;
}

export interface OrderStatusChange {
  status: OrderStatus;
  at: Date;
  by: string;
  note?: string;
  /** The message that made the change, so a redelivery recognises it as done. */
  sourceMessageKey?: string;
}

/** Something about an order that someone must be told; drained into the outbox by src/outbox/order-notice-relay.ts. */
export interface OrderNotice {
  _id: Types.ObjectId;
  audience: 'resident' | 'staff';
  event: 'placed' | 'confirmed' | 'ready' | 'delivering' | 'completed' | 'cancelled' | 'paid';
  at: Date;
  /** Staff's reason when refusing an order. */
  note?: string;
}
export const ORDER_NOTICE_EVENTS: readonly OrderNotice['event'][] = ['placed', 'confirmed', 'ready', 'delivering', 'completed', 'cancelled', 'paid'];

export interface OrderFulfilment {
  method: FulfilmentMethod;
  address?: string;
  /** When the resident wants the goods, as written ("besok jam 10 pagi"). */
  when?: string;
  /** Another number to reach the resident on, in local form. */
  contactPhone?: string;
}

export interface OrderDoc {
  _id: Types.ObjectId;
  coopId: string;
  /** Per-coop sequence, shown as #1001. */
  number: number;
  contactId: Types.ObjectId;
  phone: string;
  memberId?: Types.ObjectId;
  items: OrderItem[];
  subtotalRp: number;
  deliveryFeeRp: number;
  totalRp: number;
  fulfilment: OrderFulfilment;
  /** `refund_due`: a cancelled order the resident had paid in cash, transfer or QRIS; staff hand the money back and mark it refunded. */
  payment: { method: PaymentMethod; status: 'pending' | 'paid' | 'refund_due' | 'refunded'; paidAt?: Date; confirmedBy?: string; refundedAt?: Date };
  status: OrderStatus;
  history: OrderStatusChange[];
  channel: ChannelName;
  /** The message that placed it (see inbound-log.ts messageKey): a redelivery finds this order instead of placing another. */
  sourceMessageKey?: string;
  placedAt: Date;
  /**
   * Notices written in the same update as the change they announce, so a crash cannot lose
   * one; `noticesDue` marks orders the relay still has to drain.
   */
  notices?: OrderNotice[];
  noticesDue?: boolean;
  /** When staff were reminded that this order still waits for confirmation. */
  staffRemindedAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

export const orderSchema = new Schema<OrderDoc>(
  {
    coopId: { type: String, required: true },
    number: { type: Number, required: true },
    contactId: { type: Schema.Types.ObjectId, required: true },
    phone: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId },
    items: {
      type: [
        {
          _id: false,
          productId: { type: String, required: true },
          name: { type: String, required: true },
          unit: { type: String, required: true },
          quantity: { type: Number, required: true, min: 0 },
          unitPriceRp: rupiahField({ min: 0 }),
          lineTotalRp: rupiahField({ min: 0 }),
        },
      ],
      validate: { validator: (items: unknown[]) => items.length > 0, message: 'an order needs at least one item' },
    },
    subtotalRp: rupiahField({ min: 0 }),
    deliveryFeeRp: rupiahField({ min: 0 }),
    totalRp: rupiahField({ min: 0 }),
    fulfilment: {
      method: { type: String, enum: ['pickup', 'delivery'], required: true },
      address: String,
      when: { type: String, maxlength: 100 },
      contactPhone: { type: String, match: /^0\d{9,12}$/ },
    },
    payment: {
      method: { type: String, enum: PAYMENT_METHODS, required: true },
      status: { type: String, enum: ['pending', 'paid', 'refund_due', 'refunded'], default: 'pending' },
      paidAt: Date,
      refundedAt: Date,
      confirmedBy: String,
    },
    status: { type: String, enum: ORDER_STATUSES, default: 'new' },
    history: {
      type: [{ _id: false, status: { type: String, enum: ORDER_STATUSES }, at: Date, by: String, note: String, sourceMessageKey: String }],
      default: [],
    },
    channel: { type: String, enum: CHANNEL_NAMES, required: true },
    sourceMessageKey: String,
    placedAt: { type: Date, required: true },
    notices: {
      type: [{ audience: { type: String, enum: ['resident', 'staff'], required: true }, event: { type: String, enum: ORDER_NOTICE_EVENTS, required: true }, at: { type: Date, required: true }, note: String }],
      default: undefined,
    },
    noticesDue: Boolean,
    staffRemindedAt: Date,
  },
  { timestamps: true, collection: 'orders' },
);
orderSchema.index({ coopId: 1, number: 1 }, { unique: true });
orderSchema.index({ coopId: 1, phone: 1, placedAt: -1 });
orderSchema.index({ coopId: 1, status: 1, placedAt: -1 });
orderSchema.index({ coopId: 1, sourceMessageKey: 1 }, { unique: true, partialFilterExpression: { sourceMessageKey: { $type: 'string' } } });
orderSchema.index({ noticesDue: 1 });
