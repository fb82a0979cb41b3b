import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type RunningService } from '../../src/main.js';
import { measureGsm7 } from '../../src/engine/render/gsm7.js';
import { serviceEnv } from '../helpers/service-env.js';

const SITI = '+6281200000001';
const BUDI = '+6281200000002';
const ADMIN_TOKEN = serviceEnv('').ADMIN_TOKEN!;

describe('simulator channels, the outbox API and refused request bodies', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;

  const simulate = (body: Record<string, unknown>) =>
    fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const outbox = (query: string, token = ADMIN_TOKEN) => fetch(`${base}/admin/api/outbox${query}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-outbox-api-'));
    service = await start(serviceEnv(dataDir));
    base = `http://127.0.0.1:${service.port}`;
  });
  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('channel "sms" asks for the PIN and answers in plain GSM-7; an unknown channel is refused', async () => {
    const response = await simulate({ from: SITI, text: 'cek saldo', channel: 'sms' });
    expect(response.status).toBe(200);
    const { replies } = (await response.json()) as { replies: string[] };
    expect(replies.join('\n')).toMatch(/PIN/);
    expect(replies.join('\n')).not.toMatch(/Rp\d/);
    for (const reply of replies) expect(measureGsm7(reply)).toBeDefined();
    const pinned = (await (await simulate({ from: SITI, text: '1234', channel: 'sms' })).json()) as { replies: string[] };
    expect(pinned.replies.join('\n')).toMatch(/Rp\d/);
    expect(pinned.replies.every((reply) => measureGsm7(reply) !== undefined && measureGsm7(reply)! <= 160)).toBe(true);

    const refused = await simulate({ from: SITI, text: 'halo', channel: 'fax' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_body');
  });

  test('a redelivered simulator id is answered once; every reply is in the outbox, newest first, marked sent inline', async () => {
    const first = (await (await simulate({ from: BUDI, text: 'gula 1 kg', id: 'sim-dup-1' })).json()) as { replies: string[]; duplicate: boolean };
    const again = (await (await simulate({ from: BUDI, text: 'gula 1 kg', id: 'sim-dup-1' })).json()) as { replies: string[]; duplicate: boolean };
    expect(first).toMatchObject({ duplicate: false });
    expect(first.replies.length).toBeGreaterThan(0);
    expect(again).toEqual({ replies: [], duplicate: true });

    const listed = (await (await outbox(`?to=${encodeURIComponent('0812-0000-0002')}&limit=5`)).json()) as { items: Array<{ to: string; text: string; status: string; sentBy: string; provider: string }> };
    expect(listed.items[0]).toMatchObject({ to: BUDI, text: first.replies.at(-1), status: 'sent', sentBy: 'inline', provider: 'simulator' });
    expect(listed.items.every((item) => item.to === BUDI)).toBe(true);
    const sent = (await (await outbox('?status=sent&limit=200')).json()) as { items: unknown[] };
    expect(sent.items.length).toBeGreaterThanOrEqual(first.replies.length);
  });

  test('the outbox API needs the admin token and refuses unknown or operator-shaped parameters', async () => {
    expect((await outbox('?to=%2B6281200000002', 'wrong-token')).status).toBe(401);
    expect((await outbox('?status=lost')).status).toBe(400);
    expect((await outbox('?to[$ne]=x')).status).toBe(400);
    expect((await outbox('?color=red')).status).toBe(400);
    expect((await outbox('?to=not-a-phone')).status).toBe(400);
  });

  test('the WhatsApp admin routes say plainly when WhatsApp is not enabled', async () => {
    const status = await fetch(`${base}/admin/api/whatsapp`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(status.status).toBe(409);
    expect(((await status.json()) as { error: { code: string } }).error.code).toBe('whatsapp_disabled');
    expect((await fetch(`${base}/admin/api/whatsapp`)).status).toBe(401);
  });

  test('a body in an unsupported charset or with a broken content-encoding is refused with 400/415, never a 500', async () => {
    const post = (path: string, headers: Record<string, string>, body: string | Buffer) => fetch(`${base}${path}`, { method: 'POST', headers, body });
    const cases: Array<[string, Record<string, string>, string | Buffer, number]> = [
      ['/api/simulator/messages', { 'content-type': 'application/json; charset=latin9' }, '{}', 415],
      ['/api/simulator/messages', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all', 400],
      ['/api/simulator/messages', { 'content-type': 'application/json', 'content-encoding': 'snappy' }, '{}', 415],
      ['/webhooks/sms-gateway/any-coop', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"a":1}').subarray(0, 8), 400],
    ];
    for (const [path, headers, body, status] of cases) {
      const response = await post(path, headers, body);
      expect({ path, headers, status: response.status }).toEqual({ path, headers, status });
      expect(await response.text()).not.toMatch(/at .*\.ts|Error:/);
    }
  });
});
