/**
 * Scores whole conversations against what must be stored at their end: each conversation's
 * messages go through the dispatcher (the simulator provider, a fresh conversation per
 * case), then the orders its phone got are compared with the expected ones (items as a set,
 * fulfilment, address fragment, payment, status). A held-out set is scored once, before
 * anyone tunes the code to it; that first score is the one to report.
 *
 *   npx tsx scripts/score-conversations.ts tests/holdout/conversations [--verbose]
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { OrderDoc } from '../src/db/models/order.js';
import { demoCoop } from '../src/demo/coop.js';
import { start } from '../src/main.js';

const expectedOrder = z.object({
  items: z.array(z.object({ productId: z.string(), unit: z.string(), quantity: z.number() })),
  fulfilment: z.enum(['pickup', 'delivery']),
  addressContains: z.string().optional(),
  payment: z.enum(['cod', 'transfer', 'qris', 'simpanan']),
  status: z.string().default('new'),
});
const conversation = z.object({
  id: z.string(),
  from: z.string(),
  channel: z.enum(['whatsapp', 'sms']).default('whatsapp'),
  why: z.string(),
  messages: z.array(z.string()),
  expect: z.object({ orders: z.array(expectedOrder) }),
});
type Conversation = z.infer<typeof conversation>;

const folder = process.argv[2];
const verbose = process.argv.includes('--verbose');
if (!folder) throw new Error('usage: npx tsx scripts/score-conversations.ts <folder of *.json> [--verbose]');
const cases: Conversation[] = [];
for (const file of (await readdir(folder)).filter((name) => name.endsWith('.json')).sort()) {
  cases.push(...z.array(conversation).parse(JSON.parse(await readFile(join(folder, file), 'utf8'))));
}

const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-score-'));
const service = await start({ NODE_ENV: 'test', PORT: '0', EMBEDDED_MONGO_PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', ADMIN_TOKEN: randomUUID() + randomUUID() }, { schedule: false });
const coopId = demoCoop._id;

function describeOrder(order: Pick<OrderDoc, 'items' | 'fulfilment' | 'payment' | 'status'>): string {
  const items = order.items.map((item) => `${item.productId} ${item.quantity} ${item.unit}`).sort().join(' + ');
  return `[${items}] ${order.fulfilment.method}${order.fulfilment.address ? ` (${order.fulfilment.address})` : ''} ${order.payment.method} ${order.status}`;
}

function matches(expected: z.infer<typeof expectedOrder>, actual: OrderDoc): boolean {
  const key = (items: Array<{ productId: string; unit: string; quantity: number }>) => items.map((item) => `${item.productId}|${item.unit}|${item.quantity}`).sort().join(',');
  return (
    key(expected.items) === key(actual.items) &&
    expected.fulfilment === actual.fulfilment.method &&
    (!expected.addressContains || (actual.fulfilment.address ?? '').toLowerCase().includes(expected.addressContains.toLowerCase())) &&
    expected.payment === actual.payment.method &&
    expected.status === actual.status
  );
}

let passed = 0;
const failures: string[] = [];
const byCategory = new Map<string, { passed: number; total: number }>();
try {
  for (const test of cases) {
    const before = new Set((await service.models.Order.find({ coopId, phone: test.from }, { _id: 1 }).lean()).map((order) => String(order._id)));
    // Each case starts a fresh conversation (Siti's cases share her phone).
    await service.models.Session.deleteMany({ coopId, phone: test.from });
    const transcript: string[] = [];
    for (const text of test.messages) {
      const handled = await service.chat.handle({ channel: test.channel, provider: 'simulator', coopId, from: test.from, providerMessageId: randomUUID(), text, receivedAt: new Date() });
      transcript.push(`  > ${text}`, ...handled.replies.map((reply) => `  < ${reply.text.replace(/\n/g, '\n    ')}`));
    }
    const orders = (await service.models.Order.find({ coopId, phone: test.from }).sort({ _id: 1 }).lean<OrderDoc[]>()).filter((order) => !before.has(String(order._id)));
    const unmatched = [...orders];
    const ok = test.expect.orders.every((expected) => {
      const index = unmatched.findIndex((actual) => matches(expected, actual));
      if (index < 0) return false;
      unmatched.splice(index, 1);
      return true;
    }) && unmatched.length === 0;
    const category = test.why.split(':')[0].trim();
    const tally = byCategory.get(category) ?? { passed: 0, total: 0 };
    tally.total++;
    if (ok) {
      passed++;
      tally.passed++;
    } else {
      const expected = test.expect.orders.map((order) => `[${order.items.map((item) => `${item.productId} ${item.quantity} ${item.unit}`).sort().join(' + ')}] ${order.fulfilment} ${order.payment} ${order.status}`);
      failures.push(`${test.id} (${test.why})\n  expected: ${expected.join('; ') || 'no order'}\n  stored:   ${orders.map(describeOrder).join('; ') || 'no order'}${verbose ? `\n${transcript.join('\n')}` : ''}`);
    }
    byCategory.set(category, tally);
  }
} finally {
  await service.stop();
  await rm(dataDir, { recursive: true, force: true });
}

if (failures.length > 0) console.log(`${failures.join('\n\n')}\n`);
for (const [category, tally] of [...byCategory].sort()) console.log(`${category.padEnd(40)} ${tally.passed}/${tally.total}`);
console.log(`\nconversations: ${passed}/${cases.length} stored exactly what the resident meant (${((100 * passed) / cases.length).toFixed(1)}%)`);
