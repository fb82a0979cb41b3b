import type { Types } from 'mongoose';
import type { ChannelName } from '../../channels/types.js';
import type { Models } from '../../db/models/index.js';
import type { FulfilmentMethod, OrderDoc, PaymentMethod } from '../../db/models/order.js';
import type { CartLine } from '../cart/cart-line.js';
import { DomainRuleError } from '../errors.js';
import { createBatcher, type BatchOutcome, type Batcher } from '../../shared/batcher.js';
import { placeOrderBatch } from './place-order-batch.js';

export interface PlaceOrderInput {
  coopId: string;
  phone: string;
  channel: ChannelName;
  contactId: Types.ObjectId;
  memberId?: Types.ObjectId;
  lines: CartLine[];
  fulfilment: { method: FulfilmentMethod; address?: string };
  payment: PaymentMethod;
  now: Date;
  /** The total the resident confirmed; if today's prices give another, nothing is placed. */
  expectedTotalRp?: number;
}

/**
 * Places an order in one transaction: prices at today's prices, checks per-household
 * limits, decrements stock, takes the next order number and, for `simpanan`, debits the
 * member's sukarela savings. A refusal (DomainRuleError) leaves nothing behind.
 */
export async function placeOrder(models: Models, input: PlaceOrderInput): Promise<OrderDoc> {
  if (input.lines.length === 0) throw new DomainRuleError('empty_cart');
  // Every order of a coop bumps the same counter (and often the same stock), so concurrent
  // transactions here would mostly conflict and retry; queue them per coop instead, and let
  // the orders that queue up while one transaction runs share the next (see
  // place-order-batch.ts). Other processes are still kept correct by the transaction itself.
  return orderBatcher(models, input.coopId).run(input);
}

const orderBatchers = new WeakMap<Models['connection'], Map<string, Batcher<PlaceOrderInput, OrderDoc>>>();

function orderBatcher(models: Models, coopId: string): Batcher<PlaceOrderInput, OrderDoc> {
  let perCoop = orderBatchers.get(models.connection);
  if (!perCoop) orderBatchers.set(models.connection, (perCoop = new Map()));
  let batcher = perCoop.get(coopId);
  if (!batcher) perCoop.set(coopId, (batcher = createBatcher((inputs) => placeQueuedOrders(models, inputs))));
  return batcher;
}

/** Queued orders, in arrival order, in one shared transaction; each gets its own outcome. */
async function placeQueuedOrders(models: Models, inputs: PlaceOrderInput[]): Promise<BatchOutcome<OrderDoc>[]> {
  try {
    return await models.connection.transaction((session) => placeOrderBatch(models, inputs, session));
  } catch (error) {
    // Alone, the failure is the order's own. A commit whose result is unknown may have
    // landed: placing again could double the orders.
    if (inputs.length === 1 || hasErrorLabel(error, 'UnknownTransactionCommitResult')) return inputs.map(() => ({ ok: false, error }));
    // Something the in-memory decisions did not foresee failed the shared transaction (an
    // invalid document, a balance moved by another process; nothing of it was committed):
    // place the orders one by one, so the failure reaches only its own order.
    const outcomes: BatchOutcome<OrderDoc>[] = [];
    for (const input of inputs) outcomes.push(...(await placeQueuedOrders(models, [input])));
    return outcomes;
  }
}

function hasErrorLabel(error: unknown, label: string): boolean {
  return (error as { hasErrorLabel?: (label: string) => boolean } | null)?.hasErrorLabel?.(label) === true;
}
