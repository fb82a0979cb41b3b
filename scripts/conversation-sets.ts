/**
 * Whole conversations and what must be stored at their end, played through the dispatcher:
 * each case's messages go in as a fresh conversation (the simulator provider), then the
 * orders its phone got are compared with the expected ones (items as a set, fulfilment,
 * address fragment, payment, status). Used by `scripts/score-conversations.ts` and by the
 * jest test that holds the sets to their pass rate.
 */
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { OrderDoc } from '../src/db/models/order.js';
import { postSavingsEntry } from '../src/domain/savings/post-savings-entry.js';
import type { start } from '../src/main.js';

const expectedOrder = z.object({
  items: z.array(z.object({ productId: z.string(), unit: z.string(), quantity: z.number() })),
  fulfilment: z.enum(['pickup', 'delivery']),
  addressContains: z.string().optional(),
  payment: z.enum(['cod', 'transfer', 'qris', 'simpanan']),
  status: z.string().default('new'),
});
type ExpectedOrder = z.infer<typeof expectedOrder>;
const conversationCase = z.object({
  id: z.string(),
  from: z.string(),
  channel: z.enum(['whatsapp', 'sms']).default('whatsapp'),
  why: z.string(),
  messages: z.array(z.string()),
  expect: z.object({ orders: z.array(expectedOrder) }),
});
export type ConversationCase = z.infer<typeof conversationCase>;

export interface CaseResult {
  case: ConversationCase;
  passed: boolean;
  /** Stored something the resident did not ask for: an order (items, fulfilment, address, payment) no expected one has, or a cancellation. */
  silentlyWrong: boolean;
  stored: string[];
  expected: string[];
  transcript: string[];
}

type Service = Awaited<ReturnType<typeof start>>;

/** Every case in the folder's *.json files, in file order. */
export async function loadConversationSet(folder: string): Promise<ConversationCase[]> {
  const cases: ConversationCase[] = [];
  for (const file of (await readdir(folder)).filter((name) => name.endsWith('.json')).sort()) {
    cases.push(...z.array(conversationCase).parse(JSON.parse(await readFile(join(folder, file), 'utf8'))));
  }
  return cases;
}

/** Plays each case as a new conversation of its phone and compares what got stored. */
export async function playConversationSet(service: Service, coopId: string, cases: readonly ConversationCase[]): Promise<CaseResult[]> {
  const { models } = service;
  // Each case starts from the seeded savings, whatever a member's earlier cases spent.
  const seeded = new Map((await models.Member.find({ coopId }, { phone: 1, balances: 1 }).lean()).map((member) => [member.phone, member.balances.sukarelaRp]));
  const results: CaseResult[] = [];
  for (const test of cases) {
    const before = new Set((await models.Order.find({ coopId, phone: test.from }, { _id: 1 }).lean()).map((order) => String(order._id)));
    await models.Session.deleteMany({ coopId, phone: test.from });
    const member = await models.Member.findOne({ coopId, phone: test.from }, { balances: 1 }).lean();
    const sukarela = seeded.get(test.from);
    if (member && sukarela !== undefined && member.balances.sukarelaRp !== sukarela) {
      await postSavingsEntry(models, { coopId, memberId: member._id, type: 'sukarela', amountRp: sukarela - member.balances.sukarelaRp, note: 'conversation set: back to the seeded balance', at: new Date(), by: { kind: 'staff', ref: 'conversation-set' } });
    }
    const transcript: string[] = [];
    for (const text of test.messages) {
      const handled = await service.chat.handle({ channel: test.channel, provider: 'simulator', coopId, from: test.from, providerMessageId: randomUUID(), text, receivedAt: new Date() });
      transcript.push(`  > ${text}`, ...handled.replies.map((reply) => `  < ${reply.text.replace(/\n/g, '\n    ')}`));
    }
    const orders = (await models.Order.find({ coopId, phone: test.from }).sort({ _id: 1 }).lean<OrderDoc[]>()).filter((order) => !before.has(String(order._id)));
    results.push({
      case: test,
      passed: pairUp(test.expect.orders, orders, true),
      silentlyWrong: orders.some((order) => !test.expect.orders.some((expected) => matches(expected, order, false)) || (order.status === 'cancelled' && !test.expect.orders.some((expected) => expected.status === 'cancelled'))),
      stored: orders.map(describeOrder),
      expected: test.expect.orders.map(describeExpected),
      transcript,
    });
  }
  return results;
}

/** Every expected order matched by its own stored one, and nothing stored beyond them. */
function pairUp(expected: readonly ExpectedOrder[], stored: readonly OrderDoc[], withStatus: boolean): boolean {
  const unmatched = [...stored];
  const all = expected.every((order) => {
    const index = unmatched.findIndex((actual) => matches(order, actual, withStatus));
    if (index < 0) return false;
    unmatched.splice(index, 1);
    return true;
  });
  return all && unmatched.length === 0;
}

function matches(expected: ExpectedOrder, actual: OrderDoc, withStatus: boolean): boolean {
  const key = (items: Array<{ productId: string; unit: string; quantity: number }>) => items.map((item) => `${item.productId}|${item.unit}|${item.quantity}`).sort().join(',');
  return (
    key(expected.items) === key(actual.items) &&
    expected.fulfilment === actual.fulfilment.method &&
    (!expected.addressContains || (actual.fulfilment.address ?? '').toLowerCase().includes(expected.addressContains.toLowerCase())) &&
    expected.payment === actual.payment.method &&
    (!withStatus || expected.status === actual.status)
  );
}

function describeOrder(order: Pick<OrderDoc, 'items' | 'fulfilment' | 'payment' | 'status'>): string {
  const items = order.items.map((item) => `${item.productId} ${item.quantity} ${item.unit}`).sort().join(' + ');
  return `[${items}] ${order.fulfilment.method}${order.fulfilment.address ? ` (${order.fulfilment.address})` : ''} ${order.payment.method} ${order.status}`;
}

function describeExpected(order: ExpectedOrder): string {
  return `[${order.items.map((item) => `${item.productId} ${item.quantity} ${item.unit}`).sort().join(' + ')}] ${order.fulfilment} ${order.payment} ${order.status}`;
}
