import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';

const BUDI = '+6281200000002';
const SITI = '+6281200000001';

const ADMIN_TOKEN = serviceEnv('').ADMIN_TOKEN!;

describe('simulator and admin API over HTTP', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;

  async function say(from: string, text: string): Promise<string[]> {
    const response = await fetch(`${base}/api/simulator/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, text }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { replies: string[] };
    expect(body.replies.length).toBeGreaterThan(0);
    return body.replies;
  }

  async function listOrders(token = ADMIN_TOKEN) {
    return fetch(`${base}/admin/api/orders`, { headers: { authorization: `Bearer ${token}` } });
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-sim-'));
    service = await start(serviceEnv(dataDir));
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('Budi orders beras and minyak; the order is listed for staff, also after a restart', async () => {
    const cart = (await say(BUDI, 'pesan beras 5 kg sama minyak 2 liter')).join('\n');
    expect(cart).toContain('Rp98.900');
    await say(BUDI, '1'); // pickup
    const summary = (await say(BUDI, '1')).join('\n'); // cash on pickup
    expect(summary).toContain('Rp98.900');
    const confirmation = (await say(BUDI, 'ya')).join('\n');
    expect(confirmation).toContain('#1001');

    const response = await listOrders();
    expect(response.status).toBe(200);
    const { orders } = (await response.json()) as { orders: Array<Record<string, unknown>> };
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      number: 1001,
      phone: BUDI,
      status: 'new',
      subtotalRp: 98_900,
      totalRp: 98_900,
      items: [
        { productId: 'BERAS-MED', unit: 'kg', quantity: 5, unitPriceRp: 13_500, lineTotalRp: 67_500 },
        { productId: 'MINYAKITA', unit: 'liter', quantity: 2, unitPriceRp: 15_700, lineTotalRp: 31_400 },
      ],
    });

    await service.stop();
    service = await start(serviceEnv(dataDir));
    base = `http://127.0.0.1:${service.port}`;
    const again = (await (await listOrders()).json()) as { orders: Array<{ number: number; subtotalRp: number }> };
    expect(again.orders.map((order) => [order.number, order.subtotalRp])).toEqual([[1001, 98_900]]);
  });

  test('the admin API refuses a missing or wrong token', async () => {
    expect((await fetch(`${base}/admin/api/orders`)).status).toBe(401);
    expect((await listOrders('wrong-token')).status).toBe(401);
  });

  test('Siti sees her simpanan; a stranger sees no balance', async () => {
    const balance = (await say(SITI, 'cek saldo simpanan')).join('\n');
    expect(balance).toContain('Rp100.000');
    expect(balance).toContain('Rp240.000');
    expect(balance).toContain('Rp250.000');

    const stranger = (await say('+6281299990000', 'cek saldo simpanan')).join('\n');
    expect(stranger).not.toMatch(/Rp\d/);
    expect(stranger).toMatch(/anggota/i);
  });

  test('the simulator refuses a bad phone number and an unknown cooperative', async () => {
    const badPhone = await fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: 'abc', text: 'halo' }) });
    expect(badPhone.status).toBe(400);
    const unknownCoop = await fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: BUDI, text: 'halo', coop: 'nope' }) });
    expect(unknownCoop.status).toBe(404);
  });
});
