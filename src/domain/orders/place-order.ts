import type { Models } from '../../db/models/index.js';
import type { OrderDoc } from '../../db/models/order.js';
import { DomainRuleError } from '../errors.js';
import { createBatcher, type BatchOutcome, type Batcher } from '../../shared/batcher.js';
import { placeOrderBatch } from './place-order-batch.js';
import type { PlaceOrderInput } from './place-order-input.js';

export interface OrderPlacer {
  /**
   * Places an order in one transaction: prices at today's prices, checks per-household
   * limits, decrements stock, takes the next order number and, for `simpanan`, debits the
   * member's sukarela savings. A refusal (DomainRuleError) leaves nothing behind. An input
   * whose sourceMessageKey already placed an order returns that order.
   */
  place(input: PlaceOrderInput): Promise<OrderDoc>;
}

/**
 * Every order of a coop bumps the same counter (and often the same stock), so concurrent
 * transactions would mostly conflict and retry; orders are queued per coop instead, and the
 * ones that queue up while a transaction runs share the next (see place-order-batch.ts).
 * Other processes are still kept correct by the transaction itself. Built once per process.
 */
export function createOrderPlacer(models: Models): OrderPlacer {
  const perCoop = new Map<string, Batcher<PlaceOrderInput, OrderDoc>>();
  return {
    async place(input) {
      if (input.lines.length === 0) throw new DomainRuleError('empty_cart');
      let batcher = perCoop.get(input.coopId);
      if (!batcher) perCoop.set(input.coopId, (batcher = createBatcher((inputs) => placeQueuedOrders(models, inputs))));
      return batcher.run(input);
    },
  };
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
