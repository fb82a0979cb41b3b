import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';
import { adminApi } from '../helpers/admin-api.js';

const ADMIN_TOKEN = serviceEnv('').ADMIN_TOKEN!;
const BUDI = '+6281200000002';

interface MemberView {
  id: string;
  memberNumber: string;
  status: string;
  balances: { pokokRp: number; wajibRp: number; sukarelaRp: number };
}

describe('admin API: members, savings, products, stock and stats', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;
  let manager: string;
  let staff: string;
  let otherManager: string;
  let siti: MemberView;

  const api = adminApi(() => base);
  const say = async (text: string) => {
    const response = await fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: BUDI, text }) });
    return ((await response.json()) as { replies: string[] }).replies.join('\n');
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-admin-mp-'));
    service = await start(serviceEnv(dataDir));
    base = `http://127.0.0.1:${service.port}`;
    const token = async (role: string) => ((await api('/tokens', ADMIN_TOKEN, { method: 'POST', body: { coop: 'way-halim-permai', role, label: role } })).body as { token: string }).token;
    manager = await token('manager');
    staff = await token('staff');
    const other = await api('/coops', ADMIN_TOKEN, { method: 'POST', body: { slug: 'kedaton', name: 'KDMP Kedaton', kelurahan: 'Kedaton', kota: 'Bandar Lampung', pickupAddress: 'Jl. Teuku Umar 1' } });
    otherManager = (other.body.managerToken as { token: string }).token;
    siti = ((await api('/members?q=siti', staff)).body.members as MemberView[])[0];
    expect(siti.memberNumber).toBe('KDMP-0001');
  });

  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('a manager registers a member with the next number; a taken phone is 409; staff may not', async () => {
    const created = await api('/members', manager, { method: 'POST', body: { name: 'Dewi Lestari', phone: '0812-3333-4444', pin: '2468' } });
    expect(created.status).toBe(201);
    expect(created.body.member).toMatchObject({ name: 'Dewi Lestari', phone: '+6281233334444', hasPin: true, status: 'active', balances: { pokokRp: 0, wajibRp: 0, sukarelaRp: 0 } });
    expect((created.body.member as MemberView).memberNumber).toMatch(/^KDMP-\d{4}$/);
    expect((await api('/members', manager, { method: 'POST', body: { name: 'Lain', phone: '+6281233334444' } })).status).toBe(409);
    expect((await api('/members', staff, { method: 'POST', body: { name: 'X', phone: '+6281233335555' } })).status).toBe(403);
    expect((await api('/members', manager, { method: 'POST', body: { name: 'X', phone: 'abc' } })).status).toBe(400);
    expect((await api(`/members/${siti.id}`, otherManager)).status).toBe(403);
  });

  test('a deposit is one ledger entry, once per Idempotency-Key', async () => {
    const deposit = () => api(`/members/${siti.id}/savings`, staff, { method: 'POST', body: { type: 'sukarela', kind: 'deposit', amountRp: 50_000, note: 'setoran tunai' }, headers: { 'idempotency-key': 'setoran-siti-0001' } });
    const first = await deposit();
    expect(first.status).toBe(201);
    expect((first.body.member as MemberView).balances.sukarelaRp).toBe(siti.balances.sukarelaRp + 50_000);
    const again = await deposit();
    expect((again.body.member as MemberView).balances.sukarelaRp).toBe(siti.balances.sukarelaRp + 50_000);
    const detail = await api(`/members/${siti.id}`, staff);
    expect((detail.body.ledger as Array<{ note: string }>).filter((entry) => entry.note === 'setoran tunai')).toHaveLength(1);
    expect((await api(`/members/${siti.id}/savings`, staff, { method: 'POST', body: { type: 'sukarela', kind: 'deposit', amountRp: 10.5 } })).status).toBe(400);
    const reused = await api(`/members/${siti.id}/savings`, staff, { method: 'POST', body: { type: 'sukarela', kind: 'deposit', amountRp: 999_999 }, headers: { 'idempotency-key': 'setoran-siti-0001' } });
    expect(reused).toMatchObject({ status: 422, body: { error: { code: 'request_key_reused' } } });
  });

  test('withdrawals: the manager only, sukarela never below zero, pokok and wajib only after the member leaves', async () => {
    const withdraw = (type: string, amountRp: number, token = manager) => api(`/members/${siti.id}/savings`, token, { method: 'POST', body: { type, kind: 'withdrawal', amountRp } });
    expect((await withdraw('sukarela', 1000, staff)).status).toBe(403);
    const current = ((await api(`/members/${siti.id}`, manager)).body.member as MemberView).balances;
    const tooMuch = await withdraw('sukarela', current.sukarelaRp + 1);
    expect(tooMuch).toMatchObject({ status: 409, body: { error: { code: 'insufficient_balance' } } });
    expect((await withdraw('wajib', 1000)).body).toMatchObject({ error: { code: 'not_withdrawable' } });
    expect((await api(`/members/${siti.id}`, manager, { method: 'PATCH', body: { status: 'inactive' } })).body.member).toMatchObject({ status: 'inactive' });
    const out = await withdraw('wajib', current.wajibRp);
    expect(out.status).toBe(201);
    expect((out.body.member as MemberView).balances.wajibRp).toBe(0);
  });

  test('a product added by the manager can be ordered at once; its price change reaches the chat', async () => {
    expect((await api('/products', staff, { method: 'POST', body: { productId: 'KERUPUK', name: 'Kerupuk Udang', category: 'camilan', units: [{ code: 'bungkus', priceRp: 8000 }], stockUnit: 'bungkus', stock: 20 } })).status).toBe(403);
    const created = await api('/products', manager, {
      method: 'POST',
      body: { productId: 'KERUPUK', name: 'Kerupuk Udang', aliases: ['kerupuk'], category: 'camilan', units: [{ code: 'bungkus', priceRp: 8000 }], stockUnit: 'bungkus', stock: 20 },
    });
    expect(created.status).toBe(201);
    expect(await say('pesan kerupuk 2 bungkus')).toContain('Rp16.000');
    await say('batal');
    expect((await api('/products/KERUPUK', manager, { method: 'PATCH', body: { units: [{ code: 'bungkus', priceRp: 9000 }] } })).status).toBe(200);
    expect(await say('pesan kerupuk 2 bungkus')).toContain('Rp18.000');
    await say('batal');
    expect((await api('/products/KERUPUK', manager, { method: 'PATCH', body: { units: [{ code: 'pak', priceRp: 9000 }] } })).status).toBe(400);
    expect((await api('/products?active=true', staff)).body.products as Array<{ productId: string }>).toContainEqual(expect.objectContaining({ productId: 'KERUPUK' }));
    expect(((await api('/products', otherManager)).body.products as unknown[]).length).toBe(0);
  });

  test('stock adjustments with a reason; never below zero', async () => {
    const adjust = (body: unknown) => api('/products/GULA/stock', staff, { method: 'POST', body });
    expect((await adjust({ mode: 'set', quantity: 40, reason: 'stok opname' })).body.product).toMatchObject({ stock: 40, stockLog: [expect.objectContaining({ mode: 'set', quantity: 40, reason: 'stok opname' })] });
    expect((await adjust({ mode: 'subtract', quantity: 41, reason: 'rusak' })).body).toMatchObject({ error: { code: 'stock_too_low' } });
    expect((await adjust({ mode: 'add', quantity: 10 })).status).toBe(400);
    expect((await api('/products/NOPE/stock', staff, { method: 'POST', body: { mode: 'add', quantity: 1, reason: 'x' } })).status).toBe(404);
  });

  test('stats count today, this month, the best sellers and 14 days', async () => {
    await say('pesan gula 2 kg');
    await say('1');
    await say('1');
    expect(await say('ya')).toContain('#');
    const stats = await api('/stats', staff);
    expect(stats.status).toBe(200);
    expect(stats.body.today).toMatchObject({ orders: 1, revenueRp: 35_000 });
    expect(stats.body.month).toMatchObject({ orders: 1, revenueRp: 35_000 });
    expect(stats.body.topProducts).toEqual([{ productId: 'GULA', name: 'Gula Pasir', quantity: 2, unit: 'kg', revenueRp: 35_000 }]);
    const days = stats.body.ordersPerDay as Array<{ day: string; orders: number }>;
    expect(days).toHaveLength(14);
    expect(days.at(-1)!.orders).toBe(1);
    expect(stats.body.outbox).toEqual({ pending: expect.any(Number), failed: expect.any(Number) });
    expect((await api('/stats?coop=kedaton', staff)).status).toBe(403);
  });
});
