import type { Types } from 'mongoose';
import type { ChannelName } from '../../channels/types.js';
import type { OrderFulfilment, PaymentMethod } from '../../db/models/order.js';
import type { CartLine } from '../cart/cart-line.js';

export interface PlaceOrderInput {
  coopId: string;
  phone: string;
  channel: ChannelName;
  contactId: Types.ObjectId;
  memberId?: Types.ObjectId;
  lines: CartLine[];
  fulfilment: OrderFulfilment;
  payment: PaymentMethod;
  now: Date;
  /** The total the resident confirmed; if today's prices give another, nothing is placed. */
  expectedTotalRp?: number;
  /** The message that asked for it: placing again for the same message returns the first order. */
  sourceMessageKey?: string;
}
