import mongoose from 'mongoose';
import type { ChannelName } from '../../src/channels/types.js';
import type { OrderDoc } from '../../src/db/models/order.js';
import type { CartLine } from '../../src/domain/cart/cart-line.js';
import { seedDemoData } from '../../src/demo/seed.js';
import { createInstanceRegistry, type InstanceRegistry } from '../../src/db/instance-registry.js';
import { ensureIndexes, getModels, type Models } from '../../src/db/models/index.js';
import { createChatService, type ChatService } from '../../src/engine/chat-service.js';
import type { JobContext } from '../../src/jobs/job.js';
import { silentLogger } from '../../src/logger.js';
import { createOrderNoticeRelay, type OrderNoticeRelay } from '../../src/outbox/order-notice-relay.js';
import { createStaffChat } from '../../src/staff/staff-chat.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

export const SITI = '+6281200000001';
export const BUDI = '+6281200000002';
export const STRANGER = '+6281299999999';
/** The demo coop's staff contact (Rina). */
export const RINA = '+6281200000900';

/** A fake clock tests move by hand. */
export interface FakeClock {
  now(): Date;
  advance(ms: number): void;
  set(at: Date): void;
}

export function createFakeClock(start = new Date('2026-11-29T03:00:00.000Z')): FakeClock {
  let current = start.getTime();
  return { now: () => new Date(current), advance: (ms) => (current += ms), set: (at) => (current = at.getTime()) };
}

export interface ChatHarness {
  database: TestDatabase;
  connection: mongoose.Connection;
  models: Models;
  service: ChatService;
  instances: InstanceRegistry;
  clock: FakeClock;
  coopId: string;
  /** Drains the notices stored on orders into the outbox (every phone is reached through the simulator). */
  notices: OrderNoticeRelay;
  /** Texts stored in the outbox for a phone, oldest first. */
  outboxTo(phone: string): Promise<string[]>;
  /** The latest text stored in the outbox for a phone ('' when none). */
  lastTo(phone: string): Promise<string>;
  /** Orders the items for pickup, paid in cash, and confirms; resolves the order number. */
  placePickupOrder(phone: string, items: string): Promise<number>;
  /** What a scheduled job gets, at the fake clock's time (every phone reached through the simulator). */
  jobContext(): JobContext;
  /** Sends one message (WhatsApp unless told) through the simulator provider and returns the reply texts; each call gets a fresh provider id unless given. */
  send(from: string, text: string, options?: { channel?: ChannelName; id?: string }): Promise<string[]>;
  /** The demo coop's stock of a product, in its stock unit. */
  stockOf(productId: string): Promise<number>;
  /** The phone's most recent order (highest number), if any. */
  latestOrder(phone: string): Promise<OrderDoc | null>;
  /** The cart of the phone's WhatsApp conversation ([] when none). */
  cartOf(phone: string): Promise<CartLine[]>;
  close(): Promise<void>;
}

let counter = 0;

/** A seeded database and a ChatService on it, with a fake clock. */
export async function openChatHarness(): Promise<ChatHarness> {
  const database = await openTestDatabase('kdmp_chat');
  const connection = await mongoose.createConnection(database.uri).asPromise();
  const models = getModels(connection);
  await ensureIndexes(models);
  const { coopId } = await seedDemoData(models);
  const clock = createFakeClock();
  const instances = createInstanceRegistry(models, silentLogger, clock.now);
  await instances.start();
  const staffChat = createStaffChat({ models, onNoticesStored: () => undefined });
  const service = await createChatService({ models, logger: silentLogger, instances, clock: clock.now, staffChat });
  const notices = createOrderNoticeRelay({ models, renderNotice: service.renderNotice, routeFor: async () => 'simulator', wake: () => undefined, logger: silentLogger, clock: clock.now });
  const harness: ChatHarness = {
    database,
    connection,
    models,
    service,
    instances,
    clock,
    coopId,
    notices,
    jobContext: () => ({ models, now: clock.now(), logger: silentLogger, drafting: { renderNotice: service.renderNotice, routeFor: async () => 'simulator', logger: silentLogger }, wake: () => undefined }),
    async outboxTo(phone) {
      const items = await models.OutboxItem.find({ coopId, to: phone }).sort({ createdAt: 1, _id: 1 }).lean();
      return items.map((item) => item.text);
    },
    async lastTo(phone) {
      return (await harness.outboxTo(phone)).at(-1) ?? '';
    },
    async placePickupOrder(phone, items) {
      await harness.send(phone, `pesan ${items}`);
      await harness.send(phone, '1'); // pickup
      await harness.send(phone, '1'); // cash
      const placed = (await harness.send(phone, 'ya')).join('\n');
      const number = /#(\d+)/.exec(placed)?.[1];
      if (!number) throw new Error(`no order placed: ${placed}`);
      return Number(number);
    },
    async send(from, text, options = {}) {
      counter += 1;
      const handled = await service.handle({
        channel: options.channel ?? 'whatsapp',
        provider: 'simulator',
        coopId,
        from,
        providerMessageId: options.id ?? `test-${process.pid}-${counter}`,
        text,
        receivedAt: clock.now(),
      });
      return handled.replies.map((reply) => reply.text);
    },
    async stockOf(productId) {
      return (await models.Product.findOne({ coopId, productId }).lean())!.stock;
    },
    latestOrder: (phone) => models.Order.findOne({ coopId, phone }).sort({ number: -1 }).lean<OrderDoc>(),
    async cartOf(phone) {
      return (await models.Session.findOne({ coopId, phone, channel: 'whatsapp' }).lean())?.cart ?? [];
    },
    async close() {
      await instances.stop();
      await connection.close();
      await database.cleanup();
    },
  };
  return harness;
}
