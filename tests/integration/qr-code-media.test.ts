import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';

describe('GET /media/qr/<token>.png', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-qr-'));
    service = await start(serviceEnv(dataDir), { schedule: false });
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("serves a QRIS order's code as a PNG (for providers that fetch media by URL), nothing else", async () => {
    for (const text of ['pesan gula 1 kg', '1', 'qris', 'ya']) {
      await fetch(`${base}/api/simulator/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: '+6281200000002', text }) });
    }
    await service.notices.drain();
    const item = await service.models.OutboxItem.findOne({ 'qrCode.token': { $exists: true } }).lean();
    expect(item).not.toBeNull();
    const image = await fetch(`${base}/media/qr/${item!.qrCode!.token}.png`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    expect((await fetch(`${base}/media/qr/${'0'.repeat(32)}.png`)).status).toBe(404);
    expect((await fetch(`${base}/media/qr/not-a-token.png`)).status).toBe(404);
  });
});
