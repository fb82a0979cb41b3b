import { mkdtemp, rm } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';
import { adminApi } from '../helpers/admin-api.js';

const ADMIN_TOKEN = serviceEnv('').ADMIN_TOKEN!;
const BUDI = '+6281200000002';
const RINA = '+6281200000900';
const OTHER_COOP = {
  slug: 'kedaton',
  name: 'KDMP Kelurahan Kedaton',
  kelurahan: 'Kedaton',
  kota: 'Bandar Lampung',
  pickupAddress: 'Jl. Teuku Umar No. 1',
  whatsapp: ['+6281311110000'],
  staff: [{ name: 'Sari', phone: '+6281311110001' }],
};

interface OrderView {
  id: string;
  coopId: string;
  number: number;
  status: string;
  nextSteps: string[];
}

describe('admin API: who may see and change what', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;
  let managerA: string;
  let staffA: string;
  let managerB: string;
  let orderA: OrderView;
  let orderB: OrderView;

  const api = adminApi(() => base);

  const say = async (from: string, text: string, coop?: string) => {
    const response = await fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from, text, ...(coop ? { coop } : {}) }) });
    expect(response.status).toBe(200);
    return ((await response.json()) as { replies: string[] }).replies.join('\n');
  };

  const placeOrder = async (from: string, coop?: string) => {
    await say(from, 'pesan gula 1 kg', coop);
    await say(from, '1', coop);
    await say(from, '1', coop);
    return Number(/#(\d+)/.exec(await say(from, 'ya', coop))?.[1]);
  };

  const outboxTo = async (phone: string) => ((await api(`/outbox?to=${encodeURIComponent(phone)}`, ADMIN_TOKEN)).body.items as Array<{ text: string }>).map((item) => item.text);

  /** Notices are sent by the relay; waits until one for this phone contains the text. */
  const waitForOutbox = async (phone: string, fragment: string) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await outboxTo(phone)).some((text) => text.includes(fragment))) return;
      await service.notices.drain();
    }
    throw new Error(`no outbox item to ${phone} containing "${fragment}": ${JSON.stringify(await outboxTo(phone))}`);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-authz-'));
    service = await start(serviceEnv(dataDir));
    base = `http://127.0.0.1:${service.port}`;
    // Numbers as people type them are read in international form.
    const created = await api('/coops', ADMIN_TOKEN, { method: 'POST', body: { ...OTHER_COOP, whatsapp: ['0813-1111-0000'] } });
    expect(created.status).toBe(201);
    managerB = (created.body.managerToken as { token: string }).token;
    managerA = ((await api('/tokens', ADMIN_TOKEN, { method: 'POST', body: { coop: 'way-halim-permai', role: 'manager', label: 'Bu Rina' } })).body as { token: string }).token;
    const staffToken = await api('/tokens', managerA, { method: 'POST', body: { role: 'staff', label: 'Kasir pagi' } });
    expect(staffToken.status).toBe(201);
    staffA = (staffToken.body as { token: string }).token;

    // The second coop sells what the demo coop sells (products have no admin route yet).
    const products = await service.models.Product.find({ coopId: 'kdmp-way-halim-permai' }, { _id: 0, createdAt: 0, updatedAt: 0 }).lean();
    await service.models.Product.insertMany(products.map((product) => ({ ...product, coopId: 'kedaton' })));
    await placeOrder(BUDI);
    await placeOrder(BUDI, 'kedaton');
    const all = (await api('/orders', ADMIN_TOKEN)).body.orders as OrderView[];
    orderA = all.find((order) => order.coopId === 'kdmp-way-halim-permai')!;
    orderB = all.find((order) => order.coopId === 'kedaton')!;
    expect(orderA).toBeDefined();
    expect(orderB).toBeDefined();
  });

  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('without a token, or with a wrong one, every route answers 401', async () => {
    for (const path of ['/me', '/orders', `/orders/${orderA.id}`, '/outbox', '/tokens', '/coops']) {
      expect((await api(path)).status).toBe(401);
      expect((await api(path, 'kdmp_not-a-real-token')).status).toBe(401);
    }
    expect((await api(`/orders/${orderA.id}`, undefined, { method: 'PATCH', body: { status: 'confirmed' } })).status).toBe(401);
  });

  test('wrong tokens on /metrics count toward the lockout (it opens with the admin token)', async () => {
    const failures = async () => ((await service.database.connection.db!.collection('admin_sign_in_limits').find().toArray()) as Array<{ points?: number }>).reduce((sum, doc) => sum + (doc.points ?? 0), 0);
    const before = await failures();
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer kdmp_metrics-guess' } })).status).toBe(401);
    expect(await failures()).toBe(before + 1);
  });

  test('a token says who it is', async () => {
    expect((await api('/me', ADMIN_TOKEN)).body).toEqual({ kind: 'superadmin' });
    expect((await api('/me', staffA)).body).toEqual({ kind: 'staff', coopId: 'kdmp-way-halim-permai', coop: 'way-halim-permai', role: 'staff', label: 'Kasir pagi' });
  });

  test('staff see only their own cooperative; another one is 403', async () => {
    const own = (await api('/orders', staffA)).body.orders as OrderView[];
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own.map((order) => order.coopId))).toEqual(new Set(['kdmp-way-halim-permai']));
    expect((await api('/orders?coop=kedaton', staffA)).status).toBe(403);
    expect((await api(`/orders/${orderB.id}`, staffA)).status).toBe(403);
    expect((await api(`/orders/${orderA.id}`, managerB)).status).toBe(403);
    expect((await api(`/orders/${orderA.id}`, managerB, { method: 'PATCH', body: { status: 'confirmed' } })).status).toBe(403);
    expect((await api('/outbox?coop=way-halim-permai', managerB)).status).toBe(403);
    const theirOutbox = (await api('/outbox', managerB)).body.items as Array<{ coopId: string }>;
    expect(theirOutbox.every((item) => item.coopId === 'kedaton')).toBe(true);
    expect(((await api('/coops', managerB)).body.coops as Array<{ slug: string }>).map((coop) => coop.slug)).toEqual(['kedaton']);
    // The superadmin sees both.
    expect(((await api('/orders?coop=kedaton', ADMIN_TOKEN)).body.orders as OrderView[]).map((order) => order.id)).toEqual([orderB.id]);
  });

  test('roles: staff work orders but manage no tokens and open no cooperatives', async () => {
    expect((await api('/tokens', staffA)).status).toBe(403);
    expect((await api('/tokens', staffA, { method: 'POST', body: { role: 'manager', label: 'me' } })).status).toBe(403);
    expect((await api('/coops', managerA, { method: 'POST', body: { ...OTHER_COOP, slug: 'rajabasa', whatsapp: [] } })).status).toBe(403);
    expect((await api('/tokens', managerA, { method: 'POST', body: { coop: 'kedaton', role: 'staff', label: 'x' } })).status).toBe(403);
    const tokens = (await api('/tokens', managerA)).body.tokens as Array<{ label: string; coopId: string }>;
    expect(tokens.map((token) => token.label).sort()).toEqual(['Bu Rina', 'Kasir pagi']);
    expect(JSON.stringify(tokens)).not.toContain('tokenHash');
    // WhatsApp is the manager's; here it is switched off, which the manager is told.
    expect((await api('/whatsapp', staffA)).status).toBe(403);
    expect((await api('/whatsapp', managerA)).body).toMatchObject({ error: { code: 'whatsapp_disabled' } });
    expect((await api('/whatsapp/kedaton/pair', managerA, { method: 'POST', body: {} })).status).toBe(403);
  });

  test('an operator, an unknown parameter or a bad value in a query is 400', async () => {
    for (const query of ['status[$ne]=x', 'foo=1', 'status=bogus', 'limit=0', 'from=kemarin', 'phone=abc', 'before=123', 'coop[$gt]=']) {
      const response = await api(`/orders?${query}`, staffA);
      expect([query, response.status]).toEqual([query, 400]);
      expect(response.body).toMatchObject({ error: { code: 'invalid_query' } });
    }
    expect((await api('/orders/not-an-id', staffA)).status).toBe(400);
    expect((await api(`/orders/${orderA.id}`, staffA, { method: 'PATCH', body: { status: 'confirmed', $set: { totalRp: 0 } } })).status).toBe(400);
    expect((await api(`/orders/${orderA.id}`, staffA, { method: 'PATCH', body: { status: 'shipped' } })).status).toBe(400);
  });

  test('orders filter by status, phone, number and day, and page by `before`', async () => {
    const byNumber = (await api(`/orders?number=${orderA.number}`, staffA)).body.orders as OrderView[];
    expect(byNumber.map((order) => order.id)).toEqual([orderA.id]);
    expect(((await api(`/orders?phone=0812-0000-0002`, staffA)).body.orders as OrderView[]).length).toBeGreaterThan(0);
    expect(((await api('/orders?status=completed', staffA)).body.orders as OrderView[]).length).toBe(0);
    expect(((await api('/orders?from=2000-01-01&to=2000-01-02', staffA)).body.orders as OrderView[]).length).toBe(0);
    await placeOrder(BUDI);
    const first = await api('/orders?limit=1', staffA);
    const second = await api(`/orders?limit=1&before=${String(first.body.next)}`, staffA);
    expect((second.body.orders as OrderView[])[0].id).not.toBe((first.body.orders as OrderView[])[0].id);
  });

  test('a new order reaches staff; each step reaches the resident through the outbox', async () => {
    await waitForOutbox(RINA, `Pesanan baru #${orderA.number}`);
    await waitForOutbox('+6281311110001', `Pesanan baru #${orderB.number}`);

    const skipped = await api(`/orders/${orderA.id}`, staffA, { method: 'PATCH', body: { status: 'ready' } });
    expect(skipped.status).toBe(409);
    expect(skipped.body).toMatchObject({ error: { code: 'status_change_not_allowed' } });

    const confirmed = await api(`/orders/${orderA.id}`, staffA, { method: 'PATCH', body: { status: 'confirmed' } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.order).toMatchObject({ status: 'confirmed', nextSteps: ['ready'] });
    const ready = await api(`/orders/${orderA.id}`, staffA, { method: 'PATCH', body: { status: 'ready' } });
    expect(ready.body.order).toMatchObject({ status: 'ready' });
    await waitForOutbox(BUDI, `Pesanan *#${orderA.number}* sudah siap diambil`);

    const refused = await api(`/orders/${orderB.id}`, managerB, { method: 'PATCH', body: { status: 'cancelled', reason: 'Stok gula habis' } });
    expect(refused.body.order).toMatchObject({ status: 'cancelled' });
    await waitForOutbox(BUDI, 'dibatalkan oleh koperasi: Stok gula habis');
    const paidAfterCancel = await api(`/orders/${orderB.id}`, managerB, { method: 'PATCH', body: { payment: 'paid' } });
    expect(paidAfterCancel.status).toBe(409);

    // Paid in cash, then refused: the money is due back until staff record handing it back.
    expect((await api(`/orders/${orderA.id}`, staffA, { method: 'PATCH', body: { payment: 'paid' } })).body.order).toMatchObject({ payment: { status: 'paid' } });
    const refusedPaid = await api(`/orders/${orderA.id}`, staffA, { method: 'PATCH', body: { status: 'cancelled', reason: 'Gula rusak' } });
    expect(refusedPaid.body.order).toMatchObject({ status: 'cancelled', payment: { status: 'refund_due' } });
    await waitForOutbox(BUDI, 'Uang Anda Rp17.500 akan dikembalikan petugas gerai');
    expect((await api(`/orders/${orderA.id}`, staffA, { method: 'PATCH', body: { payment: 'refunded' } })).body.order).toMatchObject({ payment: { status: 'refunded' } });
    expect((await api(`/orders/${orderA.id}`, staffA, { method: 'PATCH', body: { payment: 'refunded' } })).status).toBe(200);
    expect((await api(`/orders/${orderB.id}`, managerB, { method: 'PATCH', body: { payment: 'refunded' } })).body).toMatchObject({ error: { code: 'no_refund_due' } });
  });

  test("a manager changes their coop's staff contacts and settings; the chat knows the new staff at once", async () => {
    const change = { staff: [{ name: 'Sari', phone: '+6281311110001' }, { name: 'Dodi', phone: '0813-1111-0002', channel: 'sms' }], bankAccount: { bank: 'BNI', accountNumber: '0123456789', accountName: 'KDMP Kedaton' }, delivery: null };
    expect((await api('/coops/kedaton', staffA, { method: 'PATCH', body: change })).status).toBe(403);
    expect((await api('/coops/kedaton', managerA, { method: 'PATCH', body: change })).status).toBe(403);
    expect((await api('/coops/kedaton', managerB, { method: 'PATCH', body: { numbers: { sms: ['+628'] } } })).status).toBe(400);
    const changed = await api('/coops/kedaton', managerB, { method: 'PATCH', body: change });
    expect(changed.status).toBe(200);
    expect(changed.body.coop).toMatchObject({ staff: [{ name: 'Sari' }, { name: 'Dodi', phone: '+6281311110002', channel: 'sms' }], settings: { bankAccount: { bank: 'BNI' }, delivery: { enabled: false } } });
    expect(await say('+6281311110002', 'PESANAN', 'kedaton')).toMatch(/pesanan yang masih buka/i);
  });

  test('a revoked token opens nothing', async () => {
    const issued = await api('/tokens', managerA, { method: 'POST', body: { role: 'staff', label: 'Sementara' } });
    const { id, token } = issued.body as { id: string; token: string };
    expect((await api('/me', token)).status).toBe(200);
    expect((await api(`/tokens/${id}`, managerB, { method: 'DELETE' })).status).toBe(403);
    expect((await api(`/tokens/${id}`, managerA, { method: 'DELETE' })).status).toBe(204);
    expect((await api('/me', token)).status).toBe(401);
    expect((await api(`/tokens/${id}`, managerA, { method: 'DELETE' })).status).toBe(404);
  });

  test('the simulator answers a caller behind a local proxy only with the admin token', async () => {
    const viaProxy = (headers: Record<string, string>) =>
      fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7', ...headers }, body: JSON.stringify({ from: BUDI, text: 'saldo' }) });
    expect((await viaProxy({})).status).toBe(403);
    expect((await viaProxy({ authorization: `Bearer ${staffA}` })).status).toBe(403);
    expect((await viaProxy({ authorization: `Bearer ${ADMIN_TOKEN}` })).status).toBe(200);
  });

  test('the simulator refuses a request from another machine without the admin token', async () => {
    // This machine's own non-loopback address stands in for another machine.
    const address = Object.values(networkInterfaces())
      .flat()
      .find((candidate) => candidate && candidate.family === 'IPv4' && !candidate.internal)?.address;
    if (!address) {
      console.warn('skipped: this machine has no non-loopback IPv4 address');
      return;
    }
    const response = await fetch(`http://${address}:${service.port}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: BUDI, text: 'saldo' }) });
    expect(response.status).toBe(403);
  });

  test('wrong tokens lock an address out, even from the right token (last: it locks this test run out)', async () => {
    let last = await api('/me', 'kdmp_guess');
    for (let attempt = 0; attempt < 12 && last.status !== 429; attempt++) last = await api('/me', `kdmp_guess-${attempt}`);
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api('/me', ADMIN_TOKEN)).status).toBe(429);
    // Held in MongoDB: the count survives in the collection the limiter shares across instances.
    expect(await service.database.connection.db!.collection('admin_sign_in_limits').countDocuments()).toBeGreaterThan(0);
  });
});

describe('in production', () => {
  test('an empty database stays empty: no demo cooperative, the simulator refuses strangers', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-prod-'));
    const service = await start(serviceEnv(dataDir, { NODE_ENV: 'production' }));
    try {
      expect(await service.models.Coop.countDocuments()).toBe(0);
      expect(await service.models.Member.countDocuments()).toBe(0);
      const base = `http://127.0.0.1:${service.port}`;
      const stranger = await fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.4' }, body: JSON.stringify({ from: BUDI, text: 'saldo' }) });
      expect(stranger.status).toBe(403);
      const created = await fetch(`${base}/admin/api/coops`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify(OTHER_COOP) });
      expect(created.status).toBe(201);
      const { managerToken } = (await created.json()) as { managerToken: { token: string } };
      const me = await fetch(`${base}/admin/api/me`, { headers: { authorization: `Bearer ${managerToken.token}` } });
      expect(await me.json()).toMatchObject({ kind: 'staff', coop: 'kedaton', role: 'manager' });
    } finally {
      await service.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
