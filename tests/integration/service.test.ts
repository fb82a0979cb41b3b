import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { MongoClient } from 'mongodb';
import { start, type RunningService } from '../../src/main.js';
import { serviceEnv } from '../helpers/service-env.js';


describe('the service on the embedded database', () => {
  let dataDir: string;
  let service: RunningService;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kdmp-service-'));
    service = await start(serviceEnv(dataDir));
    base = `http://127.0.0.1:${service.port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('GET /healthz reports the embedded lane', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: 'embedded' });
  });

  test('unknown paths answer JSON 404', async () => {
    const response = await fetch(`${base}/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
  });

  test('a malformed JSON body gets a 400 without a stack trace', async () => {
    const response = await fetch(`${base}/api/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"from": ' });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toEqual({ error: { code: 'invalid_json', message: 'Request body is not valid JSON' } });
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  test('an oversized body is refused with 413', async () => {
    const response = await fetch(`${base}/api/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(100_000) }) });
    expect(response.status).toBe(413);
  });

  test('security headers are set', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  test('a document written with the driver survives a restart of the service', async () => {
    const uri = service.database.embedded!.uri('kdmp');
    const client = await MongoClient.connect(uri);
    await client.db('kdmp').collection('notes').insertOne({ _id: 'restart-check' as never, text: 'masih ada' });
    await client.close();

    await service.stop();
    service = await start(serviceEnv(dataDir));
    base = `http://127.0.0.1:${service.port}`;

    const again = await MongoClient.connect(service.database.embedded!.uri('kdmp'));
    const found = await again.db('kdmp').collection('notes').findOne({ _id: 'restart-check' as never });
    await again.close();
    expect(found).toEqual({ _id: 'restart-check', text: 'masih ada' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
