import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { Types } from 'mongoose';
import type { ProviderName } from '../channels/types.js';
import type { CoopDoc } from '../db/models/coop.js';
import type { Models } from '../db/models/index.js';
import type { OrderDoc, OrderNotice } from '../db/models/order.js';
import type { OutboxItemDoc } from '../db/models/outbox-item.js';
import type { ChatService } from '../engine/chat-service.js';
import type { Logger } from '../logger.js';
import { dynamicQris } from '../domain/payments/qris.js';
import { draftNoticeItem, staffRecipients, type NoticeRecipient, type RouteFinder } from './notice-item.js';
import { residentNoticeMessages, staffNoticeMessages } from './order-notice-messages.js';

/** Orders drained per pass; the rest wait for the next pass (a second later at most). */
const BATCH = 50;
const POLL_MS = 1_000;

export interface OrderNoticeRelayDeps {
  models: Models;
  renderNotice: ChatService['renderNotice'];
  routeFor: RouteFinder;
  /** New items for a provider's worker. */
  wake(provider: ProviderName): void;
  logger: Logger;
  clock?: () => Date;
}

export interface OrderNoticeRelay {
  /** Something was written: drain now instead of at the next poll. */
  wake(): void;
  /** Drains what is due once; resolves how many notices became outbox items. */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Turns the notices stored on orders (a new order for staff, each status change for the
 * resident) into outbox items, and removes them from the order in the same transaction:
 * a crash before that sends them later, and a notice drained once is never queued twice,
 * even with several instances draining at once.
 */
export function createOrderNoticeRelay(deps: OrderNoticeRelayDeps): OrderNoticeRelay {
  const { models, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;
  let stopped = true;

  async function drain(): Promise<number> {
    const due = (await models.Order.find({ noticesDue: true }, { _id: 1 }).limit(BATCH).lean()).map(({ _id }) => _id);
    if (due.length === 0) return 0;
    try {
      // One transaction for the orders due (a busy hour places many at once).
      return await drainOrders(due);
    } catch (error) {
      if (due.length === 1) {
        // Left due: the next pass tries again (a write conflict means another instance took it).
        logger.warn({ err: error, orderId: String(due[0]) }, 'order notices not drained this pass');
        return 0;
      }
      // One order's conflict failed the batch: each on its own, so the others still go.
      let queued = 0;
      for (const id of due) {
        try {
          queued += await drainOrders([id]);
        } catch (single) {
          logger.warn({ err: single, orderId: String(id) }, 'order notices not drained this pass');
        }
      }
      return queued;
    }
  }

  async function drainOrders(orderIds: Types.ObjectId[]): Promise<number> {
    const woken = new Set<ProviderName>();
    const coops = new Map<string, CoopDoc | null>();
    const count = await models.connection.transaction(async (session) => {
      woken.clear();
      // Read inside the transaction: only notices still on the orders are queued.
      const orders = await models.Order.find({ _id: { $in: orderIds }, noticesDue: true }).session(session).lean<OrderDoc[]>();
      if (orders.length === 0) return 0;
      const now = clock();
      const items: OutboxItemDoc[] = [];
      for (const order of orders) {
        if (!coops.has(order.coopId)) coops.set(order.coopId, await models.Coop.findById(order.coopId).lean<CoopDoc>());
        const coop = coops.get(order.coopId);
        if (!coop) {
          logger.error({ coopId: order.coopId, number: order.number }, 'order notices dropped: the cooperative no longer exists');
          continue;
        }
        const resident = await residentOf(order);
        for (const notice of order.notices ?? []) {
          for (const { recipient, messages } of await audienceOf(order, notice, coop, resident)) {
            if (messages.length === 0) continue;
            const qrCode = notice.audience === 'resident' && notice.event === 'placed' ? paymentQr(order, coop) : undefined;
            const item = await draftNoticeItem(deps, order.coopId, recipient, messages, now, `notice:${String(notice._id)}`, qrCode);
            items.push(item);
            if (item.status === 'pending') woken.add(item.provider);
          }
        }
      }
      if (items.length > 0) await models.OutboxItem.collection.insertMany(items, { session });
      await models.Order.collection.bulkWrite(
        orders.flatMap((order): AnyBulkWriteOperation<Document>[] => [
          { updateOne: { filter: { _id: order._id }, update: { $pull: { notices: { _id: { $in: (order.notices ?? []).map((notice) => notice._id) } } } as Document } } },
          { updateOne: { filter: { _id: order._id, notices: { $size: 0 } }, update: { $unset: { noticesDue: '' } } } },
        ]),
        { session, ordered: true },
      );
      return items.length;
    });
    for (const provider of woken) deps.wake(provider);
    return count;
  }

  /** The coop's QRIS for this order's exact total; a broken stored payload sends the text alone (and is logged). */
  function paymentQr(order: OrderDoc, coop: CoopDoc): string | undefined {
    const payload = coop.settings.qris.payload;
    if (order.payment.method !== 'qris' || !payload) return undefined;
    try {
      return dynamicQris(payload, order.totalRp);
    } catch (error) {
      logger.error({ err: error, coopId: coop._id, number: order.number }, "the cooperative's QRIS payload is invalid: order sent without its QR");
      return undefined;
    }
  }

  async function residentOf(order: OrderDoc): Promise<NoticeRecipient & { name?: string }> {
    const contact = await models.Contact.findById(order.contactId, { language: 1, name: 1 }).lean();
    return { to: order.phone, channel: order.channel, language: contact?.language ?? 'id', ...(contact?.name ? { name: contact.name } : {}) };
  }

  async function audienceOf(order: OrderDoc, notice: OrderNotice, coop: CoopDoc, resident: NoticeRecipient & { name?: string }) {
    if (notice.audience === 'resident') return [{ recipient: resident, messages: residentNoticeMessages(order, notice, coop) }];
    const messages = staffNoticeMessages(order, notice, resident.name);
    if (coop.staff.length === 0) logger.warn({ coopId: coop._id, number: order.number }, 'order notice for staff, but the cooperative has no staff contacts');
    return staffRecipients(coop.staff).map((recipient) => ({ recipient, messages }));
  }

  function schedule(delay: number): void {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(pass, delay);
  }

  function pass(): void {
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => logger.error({ err: error }, 'order notice relay pass failed'))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          schedule(0);
        } else schedule(POLL_MS);
      });
  }

  return {
    wake: () => schedule(0),
    drain,
    start() {
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
