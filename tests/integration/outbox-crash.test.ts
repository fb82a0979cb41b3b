import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from '@jest/globals';
import { MongoClient, type ObjectId } from 'mongodb';
import { demoCoop } from '../../src/demo/coop.js';
import { waitFor } from '../helpers/database.js';
import { startFakeSmsGateway, type FakeSmsGateway } from '../helpers/fake-sms-gateway.js';
import { startService, stopService, type ReadyService } from '../helpers/run-service.js';
import { serviceEnv } from '../helpers/service-env.js';
import { postSmsReceived } from '../helpers/sms-gateway-webhook.js';

const BUDI = '+6281200000002';
const SIGNING_KEY = 'signing-key-for-tests-0001';
const LOGIN = 'gateway-user';
const PASSWORD = 'gateway-password';

interface StoredItem {
  _id: ObjectId;
  to: string;
  text: string;
  status: string;
  sentBy?: string;
  provider: string;
  providerMessageId?: string;
  attempts: number;
}

/** Everything one test started, torn down whatever happened. */
const started: { children: ReadyService[]; gateways: FakeSmsGateway[]; clients: MongoClient[]; dirs: string[] } = { children: [], gateways: [], clients: [], dirs: [] };

afterEach(async () => {
  for (const client of started.clients.splice(0)) await client.close().catch(() => undefined);
  for (const child of started.children.splice(0)) {
    child.kill('SIGKILL');
    await child.exited;
  }
  for (const gateway of started.gateways.splice(0)) await gateway.close();
});

afterAll(async () => {
  for (const dir of started.dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kdmp-outbox-crash-'));
  started.dirs.push(dir);
  return dir;
}

async function launch(dataDir: string, gateway: FakeSmsGateway): Promise<ReadyService> {
  const child = await startService(
    serviceEnv(dataDir, { SMS_GATEWAY_URL: gateway.baseUrl, SMS_GATEWAY_LOGIN: LOGIN, SMS_GATEWAY_PASSWORD: PASSWORD, SMS_GATEWAY_SIGNING_KEY: SIGNING_KEY }),
  );
  started.children.push(child);
  return child;
}

async function connect(child: ReadyService): Promise<MongoClient> {
  if (!child.mongoPort) throw new Error('the service did not report its embedded database port');
  const client = await MongoClient.connect(`mongodb://127.0.0.1:${child.mongoPort}/kdmp?directConnection=true`);
  started.clients.push(client);
  return client;
}

async function smsFromBudi(child: ReadyService, eventId: string, text: string): Promise<void> {
  const answer = await postSmsReceived(child.base, demoCoop.slug, SIGNING_KEY, { eventId, from: BUDI, text });
  expect(answer).toEqual({ status: 200, body: { ok: true, outcome: 'processed' } });
}

async function killHard(child: ReadyService): Promise<void> {
  child.kill('SIGKILL');
  const exit = await child.exited;
  expect(exit.signal).toBe('SIGKILL');
}

async function repliesToBudi(client: MongoClient): Promise<StoredItem[]> {
  return (await client.db('kdmp').collection('outbox').find({ to: BUDI }).sort({ _id: 1 }).toArray()) as unknown as StoredItem[];
}

describe('a service killed with SIGKILL right after saving a conversation', () => {
  test('sends that reply after restart, exactly once', async () => {
    // The phone is offline: replies stay in the outbox, retrying.
    const gateway = await startFakeSmsGateway('unavailable');
    started.gateways.push(gateway);
    const dataDir = await newDataDir();
    const first = await launch(dataDir, gateway);

    await smsFromBudi(first, 'event-crash-1', 'halo');
    await smsFromBudi(first, 'event-crash-2', 'pesan gula 1 kg');
    await waitFor(async () => gateway.requests.some((request) => request.answer === 503), { timeoutMs: 10_000 });
    await killHard(first);
    const attemptsBeforeCrash = gateway.requests.length;
    expect(gateway.accepted.size).toBe(0);

    gateway.setMode('accept');
    const second = await launch(dataDir, gateway);
    const client = await connect(second);
    await waitFor(async () => {
      const items = await repliesToBudi(client);
      return items.length > 0 && items.every((item) => item.status === 'sent');
    }, { timeoutMs: 20_000, intervalMs: 100 });
    const items = await repliesToBudi(client);
    const inbound = await client.db('kdmp').collection('inbound_messages').find({ from: BUDI }).toArray();
    // Stopping drains the workers: after this nothing more can be sent.
    expect((await stopService(second))?.code).toBe(0);

    // One reply per message, stored once: the restart processed nothing again.
    expect(items).toHaveLength(2);
    expect(inbound.map((doc) => doc.status).sort()).toEqual(['processed', 'processed']);
    const ids = items.map((item) => String(item._id));
    for (const item of items) {
      expect(item).toMatchObject({ status: 'sent', sentBy: 'worker', provider: 'sms-gateway', providerMessageId: String(item._id) });
    }
    // The phone took each reply exactly once, under its outbox id, in the order written.
    const successes = gateway.requests.filter((request) => request.answer === 202);
    expect(successes.map((request) => request.id)).toEqual(ids);
    expect(successes.map((request) => request.message)).toEqual(items.map((item) => item.text));
    for (const request of successes) {
      expect(request.phoneNumbers).toEqual([BUDI]);
      expect(request.authorization).toBe(`Basic ${Buffer.from(`${LOGIN}:${PASSWORD}`).toString('base64')}`);
    }
    expect(gateway.requests.filter((request) => request.answer === 409)).toEqual([]);
    // Every request after the restart was a first success (no retry of something already taken).
    expect(gateway.requests.slice(attemptsBeforeCrash).every((request) => request.answer === 202)).toBe(true);
  });

  test('killed while the gateway holds the send open: after restart the same id is sent again and accepted once', async () => {
    const gateway = await startFakeSmsGateway('hold');
    started.gateways.push(gateway);
    const dataDir = await newDataDir();
    const first = await launch(dataDir, gateway);

    await smsFromBudi(first, 'event-held-1', 'halo');
    // The phone took the SMS; its answer never comes back before the crash.
    await waitFor(async () => gateway.requests.some((request) => request.answer === 'held'), { timeoutMs: 10_000 });
    await killHard(first);
    const [heldRequest] = gateway.requests;
    expect(gateway.requests).toHaveLength(1);

    gateway.setMode('accept');
    const second = await launch(dataDir, gateway);
    const client = await connect(second);
    await waitFor(async () => (await repliesToBudi(client)).some((item) => item.status === 'sent'), { timeoutMs: 20_000, intervalMs: 100 });
    const items = await repliesToBudi(client);
    expect((await stopService(second))?.code).toBe(0);

    expect(items).toHaveLength(1);
    const [item] = items;
    const id = String(item._id);
    expect(item).toMatchObject({ status: 'sent', sentBy: 'worker', providerMessageId: id });
    expect(heldRequest.id).toBe(id);
    // Sent again with the same id; the phone refused the duplicate (409) and the sender took that as sent.
    expect(gateway.requestsFor(id).map((request) => request.answer)).toEqual(['held', 409]);
    expect([...gateway.accepted.keys()]).toEqual([id]);
  });
});
