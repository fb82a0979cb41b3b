import type { AnyBulkWriteOperation, ClientSession } from 'mongoose';
import type { ContactDoc } from '../../db/models/contact.js';
import type { Models } from '../../db/models/index.js';
import type { OrderDoc } from '../../db/models/order.js';
import type { ProductDoc } from '../../db/models/product.js';
import type { BatchOutcome } from '../../shared/batcher.js';
import { nextSequence } from '../counters/next-sequence.js';
import { DomainRuleError } from '../errors.js';
import { postSavingsEntry } from '../savings/post-savings-entry.js';
import { decideOrder, type AcceptedOrder, type OrderBook } from './decide-order.js';
import { loadOrderBook } from './load-order-book.js';
import { ORDER_COUNTER, ORDER_NUMBER_BASE } from './order-number.js';
import type { PlaceOrderInput } from './place-order-input.js';

/**
 * Places one or more orders of one coop inside the caller's transaction: load what they
 * are judged against, decide each in memory in arrival order (a refused order refuses
 * only itself), then write the accepted ones. The outcome is the one placing them one
 * after another would have, but the reads, writes and commit are paid once per batch.
 * A failure that is not a business rule throws, failing the whole transaction.
 */
export async function placeOrderBatch(models: Models, inputs: PlaceOrderInput[], session: ClientSession): Promise<BatchOutcome<OrderDoc>[]> {
  const coopId = inputs[0].coopId;
  if (inputs.some((input) => input.coopId !== coopId)) throw new Error('placeOrderBatch takes orders of one coop');
  const replayed = await findReplayedOrders(models, coopId, inputs, session);
  const book = await loadOrderBook(models, coopId, inputs, session);

  const decisions = inputs.map((input): AcceptedOrder | BatchOutcome<OrderDoc> => {
    const earlier = input.sourceMessageKey ? replayed.get(input.sourceMessageKey) : undefined;
    if (earlier) return { ok: true, value: earlier };
    try {
      return decideOrder(book, input);
    } catch (error) {
      if (!(error instanceof DomainRuleError)) throw error;
      return { ok: false, error };
    }
  });
  const accepted = decisions.filter((decision): decision is AcceptedOrder => 'input' in decision);
  if (accepted.length === 0) return decisions as BatchOutcome<OrderDoc>[];

  const orders = await writeAccepted(models, coopId, book, accepted, session);
  let next = 0;
  return decisions.map((decision) => ('input' in decision ? { ok: true as const, value: orders[next++] } : decision));
}

/** Orders already placed by the same messages (a redelivery after a crash): answered, not placed again. */
async function findReplayedOrders(models: Models, coopId: string, inputs: PlaceOrderInput[], session: ClientSession): Promise<Map<string, OrderDoc>> {
  const keys = inputs.flatMap((input) => (input.sourceMessageKey ? [input.sourceMessageKey] : []));
  if (keys.length === 0) return new Map();
  const found = (await models.Order.collection.find({ coopId, sourceMessageKey: { $in: keys } }, { session }).toArray()) as OrderDoc[];
  return new Map(found.map((order) => [order.sourceMessageKey!, order]));
}

/** Stock, order numbers, simpanan debits, the orders, and the remembered delivery addresses. */
async function writeAccepted(models: Models, coopId: string, book: OrderBook, accepted: AcceptedOrder[], session: ClientSession): Promise<OrderDoc[]> {
  await writeStock(models, coopId, book, session);
  // Numbers are taken for accepted orders only, so refusals leave no gaps.
  const last = await nextSequence(models, coopId, ORDER_COUNTER, session, accepted.length);
  const firstNumber = ORDER_NUMBER_BASE + last - accepted.length + 1;
  const numbered = accepted.map((order, index) => ({ ...order, number: firstNumber + index }));

  for (const order of numbered) if (order.input.payment === 'simpanan') await debitSimpanan(models, order, session);

  const created = await models.Order.insertMany(
    numbered.map(({ input, items, subtotalRp, deliveryFeeRp, totalRp, number }) => ({
      coopId,
      number,
      contactId: input.contactId,
      phone: input.phone,
      ...(input.memberId ? { memberId: input.memberId } : {}),
      items,
      subtotalRp,
      deliveryFeeRp,
      totalRp,
      fulfilment: input.fulfilment,
      payment: { method: input.payment, status: input.payment === 'simpanan' ? ('paid' as const) : ('pending' as const) },
      status: 'new' as const,
      history: [{ status: 'new' as const, at: input.now, by: 'resident' }],
      channel: input.channel,
      ...(input.sourceMessageKey ? { sourceMessageKey: input.sourceMessageKey } : {}),
      placedAt: input.now,
      // Staff hear of every new order; the notice is stored with the order so a crash cannot lose it.
      notices: [
        { audience: 'staff' as const, event: 'placed' as const, at: input.now },
        // A QRIS order gets its QR (the exact total) as a message of its own.
        ...(input.payment === 'qris' && book.coop.settings.qris.payload ? [{ audience: 'resident' as const, event: 'placed' as const, at: input.now }] : []),
      ],
      noticesDue: true,
    })),
    { session },
  );

  const addresses: AnyBulkWriteOperation<ContactDoc>[] = accepted
    .filter(({ input }) => input.fulfilment.method === 'delivery' && input.fulfilment.address)
    .map(({ input }) => ({ updateOne: { filter: { _id: input.contactId }, update: { $set: { lastAddress: input.fulfilment.address } } } }));
  if (addresses.length > 0) await models.Contact.bulkWrite(addresses, { session, ordered: true });

  return created.map((order) => order.toObject() as OrderDoc);
}

/** Writes each touched product's new stock, guarded on the value read in this transaction (kept in book.products). */
async function writeStock(models: Models, coopId: string, book: OrderBook, session: ClientSession): Promise<void> {
  const updates: AnyBulkWriteOperation<ProductDoc>[] = [...book.products.values()]
    .filter((product) => book.stockLeft.get(product.productId) !== product.stock)
    .map((product) => ({
      updateOne: { filter: { coopId, productId: product.productId, active: true, stock: product.stock }, update: { $set: { stock: book.stockLeft.get(product.productId)! } } },
    }));
  if (updates.length === 0) return;
  const result = await models.Product.bulkWrite(updates, { session, ordered: true });
  if (result.matchedCount !== updates.length) throw new Error('Stock changed inside the order transaction');
}

/** The ledger entry and the cached balance move together, through the one function that owns that rule. */
async function debitSimpanan(models: Models, order: AcceptedOrder & { number: number }, session: ClientSession): Promise<void> {
  const { input, totalRp, number } = order;
  try {
    await postSavingsEntry(
      models,
      { coopId: input.coopId, memberId: input.memberId!, type: 'sukarela', amountRp: -totalRp, note: `Pesanan #${number}`, at: input.now, by: { kind: 'member', ref: input.phone }, orderNumber: number, sourceKey: `order:${number}:debit` },
      session,
    );
  } catch (error) {
    // The balance was checked in memory; this guard only trips if it moved since the read.
    if (error instanceof DomainRuleError && error.code === 'insufficient_balance') throw new DomainRuleError('insufficient_sukarela', { totalRp }, { cause: error });
    throw error;
  }
}
