import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MongoClient, type ObjectId } from 'mongodb';
import { demoCoop } from '../../src/demo/coop.js';
import { waitFor } from '../helpers/database.js';
import { startFakeSmsGateway, type FakeSmsGateway } from '../helpers/fake-sms-gateway.js';
import { startService, stopService, type ReadyService } from '../helpers/run-service.js';
import { serviceEnv } from '../helpers/service-env.js';
import { postSmsReceived } from '../helpers/sms-gateway-webhook.js';

const SIGNING_KEY = 'signing-key-for-tests-0002';
const RESIDENTS = Array.from({ length: 20 }, (_, index) => `+62812000010${String(index + 1).padStart(2, '0')}`);
/** A full order by SMS: gula 1 kg, pick up at the outlet, cash on delivery, confirm. */
const ORDER_STEPS = ['pesan gula 1 kg', '1', '1', 'ya'];

interface StoredItem {
  _id: ObjectId;
  createdAt: Date;
  to: string;
  text: string;
  status: string;
  sentBy?: string;
  providerMessageId?: string;
}

describe('two instances of the service sharing one database', () => {
  const dirs: string[] = [];
  let gateway: FakeSmsGateway;
  let first: ReadyService | undefined;
  let second: ReadyService | undefined;
  let client: MongoClient | undefined;

  beforeAll(async () => {
    gateway = await startFakeSmsGateway('accept');
    const gatewayEnv = { SMS_GATEWAY_URL: gateway.baseUrl, SMS_GATEWAY_LOGIN: 'gateway-user', SMS_GATEWAY_PASSWORD: 'gateway-password', SMS_GATEWAY_SIGNING_KEY: SIGNING_KEY };
    for (let index = 0; index < 2; index++) dirs.push(await mkdtemp(join(tmpdir(), 'kdmp-two-instances-')));
    first = await startService(serviceEnv(dirs[0], gatewayEnv));
    const uri = `mongodb://127.0.0.1:${first.mongoPort}/kdmp?directConnection=true`;
    second = await startService(serviceEnv(dirs[1], { ...gatewayEnv, MONGODB_URI: uri }));
    client = await MongoClient.connect(uri);
  });

  afterAll(async () => {
    await client?.close();
    // The second one lives on the first one's database: stop it first.
    for (const child of [second, first]) {
      if (child && (await stopService(child))?.code !== 0) child.kill('SIGKILL');
    }
    await gateway?.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('replies queued while the phone is offline go out to each resident in the order they were written, whichever instance wrote them', async () => {
    const instances = [first!, second!];
    const db = client!.db('kdmp');
    const residents = Array.from({ length: 10 }, (_, index) => `+62812000020${String(index + 1).padStart(2, '0')}`);
    gateway.setMode('unavailable');
    try {
      await Promise.all(
        residents.map(async (from, resident) => {
          for (const [step, text] of ORDER_STEPS.entries()) {
            // Strictly alternating: consecutive replies to one resident come from different processes.
            const answer = await postSmsReceived(instances[step % 2].base, demoCoop.slug, SIGNING_KEY, { eventId: `queued-${resident}-${step}`, from, text });
            expect(answer.status).toBe(200);
          }
        }),
      );
    } finally {
      gateway.setMode('accept');
    }
    const replies = db.collection('outbox');
    await waitFor(async () => (await replies.countDocuments({ to: { $in: residents }, status: { $ne: 'sent' } })) === 0, { timeoutMs: 30_000, intervalMs: 100 });
    const items = (await replies.find({ to: { $in: residents } }).sort({ createdAt: 1, _id: 1 }).toArray()) as unknown as StoredItem[];
    expect(items).toHaveLength(residents.length * ORDER_STEPS.length);

    const accepted = gateway.requests.filter((request) => request.answer === 202 && residents.includes(request.phoneNumbers?.[0] ?? ''));
    const outOfOrder = residents.flatMap((from) => {
      const written = items.filter((item) => item.to === from).map((item) => item.text.split('\n')[0]);
      const received = accepted.filter((request) => request.phoneNumbers?.[0] === from).map((request) => (request.message ?? '').split('\n')[0]);
      // Shown on failure: the order of the ids (ObjectIds of two processes do not sort by time within one second).
      const byId = items
        .filter((item) => item.to === from)
        .sort((a, b) => String(a._id).localeCompare(String(b._id)))
        .map((item) => `${item.text.split('\n')[0]} @${item.createdAt.toISOString()} ${String(item._id)}`);
      return written.join(' | ') === received.join(' | ') ? [] : [{ from, written, received, byId }];
    });
    expect(outOfOrder).toEqual([]);
  });

  test('take the same traffic, every webhook delivered to both: each message processed once, 20 orders, each reply sent once and in order', async () => {
    const instances = [first!, second!];
    const db = client!.db('kdmp');
    expect(await db.collection('instances').countDocuments({})).toBe(2);

    const outcomes: string[][] = [];
    const refused: unknown[] = [];
    await Promise.all(
      RESIDENTS.map(async (from, resident) => {
        for (const [step, text] of ORDER_STEPS.entries()) {
          // One resident's messages alternate between the instances, and each one is also
          // redelivered to the other instance at the same moment.
          const primary = instances[(resident + step) % 2];
          const other = instances[(resident + step + 1) % 2];
          const sms = { eventId: `two-${resident}-${step}`, from, text };
          const answers = await Promise.all([postSmsReceived(primary.base, demoCoop.slug, SIGNING_KEY, sms), postSmsReceived(other.base, demoCoop.slug, SIGNING_KEY, sms)]);
          for (const answer of answers) if (answer.status !== 200) refused.push({ from, text, answer });
          outcomes.push(answers.map((answer) => (answer.body as { outcome?: string }).outcome ?? String(answer.status)).sort());
        }
      }),
    );
    expect(refused).toEqual([]);
    // Of the two deliveries of a message, one was processed and the other recognised as a duplicate.
    expect(outcomes).toHaveLength(RESIDENTS.length * ORDER_STEPS.length);
    expect(outcomes.filter((pair) => pair.join() !== 'duplicate,processed')).toEqual([]);

    const replies = db.collection('outbox');
    await waitFor(async () => (await replies.countDocuments({ to: { $in: RESIDENTS }, status: { $ne: 'sent' } })) === 0, { timeoutMs: 30_000, intervalMs: 100 });
    // Written order: ObjectIds of two processes do not sort by time within a second, the turn's time does.
    const items = (await replies.find({ to: { $in: RESIDENTS } }).sort({ createdAt: 1, _id: 1 }).toArray()) as unknown as StoredItem[];
    const orders = await db.collection('orders').find({ phone: { $in: RESIDENTS } }).toArray();
    const inbound = await db.collection('inbound_messages').find({ from: { $in: RESIDENTS } }).toArray();

    // Stop both (second first: it uses the first one's database); their workers finish what is in flight.
    expect((await stopService(second))?.code).toBe(0);
    second = undefined;
    const afterStopItems = (await replies.find({ to: { $in: RESIDENTS } }).sort({ createdAt: 1, _id: 1 }).toArray()) as unknown as StoredItem[];
    await client!.close();
    client = undefined;
    expect((await stopService(first))?.code).toBe(0);
    first = undefined;

    // Exactly one order per resident, with distinct numbers.
    expect(orders).toHaveLength(RESIDENTS.length);
    expect(new Set(orders.map((order) => order.phone)).size).toBe(RESIDENTS.length);
    expect(new Set(orders.map((order) => order.number)).size).toBe(RESIDENTS.length);
    for (const order of orders) expect(order).toMatchObject({ totalRp: 17_500, items: [expect.objectContaining({ productId: 'GULA', quantity: 1 })] });

    // Every message claimed once, processed once; both instances did part of the work.
    expect(inbound).toHaveLength(RESIDENTS.length * ORDER_STEPS.length);
    expect(new Set(inbound.map((doc) => `${doc.coopId}|${doc.channel}|${doc.from}|${doc.providerMessageId}`)).size).toBe(inbound.length);
    expect(inbound.filter((doc) => doc.status !== 'processed')).toEqual([]);
    expect(new Set(inbound.map((doc) => doc.owner)).size).toBe(2);

    // One reply per message, each ending sent by a worker; the last one confirms the order.
    expect(items).toHaveLength(RESIDENTS.length * ORDER_STEPS.length);
    expect(afterStopItems.map((item) => String(item._id))).toEqual(items.map((item) => String(item._id)));
    for (const item of items) expect(item).toMatchObject({ status: 'sent', sentBy: 'worker', providerMessageId: String(item._id) });
    for (const from of RESIDENTS) {
      const own = items.filter((item) => item.to === from);
      expect(own).toHaveLength(ORDER_STEPS.length);
      expect(own[own.length - 1].text).toMatch(/Pesanan #\d+/);
    }

    // The phone got each outbox id once (never a repeat, so never a 409), and each resident's replies in order.
    const ids = items.map((item) => String(item._id));
    const requestsPerId = new Map<string, number>();
    const ownRequests = gateway.requests.filter((request) => RESIDENTS.includes(request.phoneNumbers?.[0] ?? ''));
    for (const request of ownRequests) requestsPerId.set(request.id ?? '(none)', (requestsPerId.get(request.id ?? '(none)') ?? 0) + 1);
    expect([...requestsPerId.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    expect([...requestsPerId.keys()].sort()).toEqual([...ids].sort());
    expect(ownRequests.every((request) => request.answer === 202)).toBe(true);
    for (const from of RESIDENTS) {
      const sentOrder = gateway.requests.filter((request) => request.phoneNumbers?.[0] === from).map((request) => request.id);
      expect(sentOrder).toEqual(items.filter((item) => item.to === from).map((item) => String(item._id)));
    }
  });
});
