import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/server.js';
import { createHealthRouter } from '../../src/http/health-router.js';
import { silentLogger } from '../../src/logger.js';
import { waitFor } from '../helpers/database.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A disk that can be filled and freed: every journal write (and the recovery probe) fails while full. */
function fillableDisk() {
  const disk = { full: false };
  const beforeWrite = () => {
    if (disk.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  };
  return { disk, hooks: { beforeWrite } };
}

async function startOn(dataDir: string, hooks = fillableDisk().hooks): Promise<{ server: EmbeddedMongo; client: MongoClient }> {
  const server = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger, journalTestHooks: hooks });
  const client = await new MongoClient(server.uri('faults'), { serverSelectionTimeoutMS: 5_000 }).connect();
  return { server, client };
}

describe('a journal write that fails (disk full)', () => {
  it('refuses reads and writes, reports 503 with the cause, never serves the unjournaled write, and serves again once the disk takes writes', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-journal-failure-'));
    dirs.push(dataDir);
    const { disk, hooks } = fillableDisk();
    const { server, client } = await startOn(dataDir, hooks);
    const orders = client.db().collection<{ n: number }>('orders');
    await orders.insertMany([{ n: 1 }, { n: 2 }]);

    const app = express().use(createHealthRouter('embedded', () => server.health()));
    const http = app.listen(0);
    const healthz = async () => {
      const response = await fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/healthz`);
      return { status: response.status, body: (await response.json()) as Record<string, string> };
    };
    expect((await healthz()).status).toBe(200);

    disk.full = true;
    await expect(orders.insertOne({ n: 3 })).rejects.toThrow(/journal write failed/);
    const unhealthy = await healthz();
    expect(unhealthy.status).toBe(503);
    expect(unhealthy.body).toMatchObject({ status: 'unavailable', db: 'embedded' });
    expect(unhealthy.body.cause).toContain('ENOSPC');
    // The write that never reached the journal sits in memory, but nothing reads it.
    await expect(orders.find().toArray()).rejects.toThrow(/unavailable: journal write failed: ENOSPC/);
    await expect(orders.insertOne({ n: 4 })).rejects.toThrow(/unavailable/);

    disk.full = false;
    await waitFor(async () => server.health().ok);
    expect((await healthz()).status).toBe(200);
    expect((await orders.find({}, { projection: { _id: 0 } }).sort({ n: 1 }).toArray()).map((doc) => doc.n)).toEqual([1, 2]);
    await orders.insertOne({ n: 5 });

    await client.close();
    await server.close();
    await new Promise((resolve) => http.close(resolve));

    // What was acknowledged survives a restart; what was refused never appears.
    const again = await startOn(dataDir);
    expect((await again.client.db().collection('orders').find().sort({ n: 1 }).toArray()).map((doc) => doc.n)).toEqual([1, 2, 5]);
    await again.client.close();
    await again.server.close();
  });

  it('keeps refusing while the disk stays full, and closes cleanly in that state', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-journal-failure-'));
    dirs.push(dataDir);
    const { disk, hooks } = fillableDisk();
    const { server, client } = await startOn(dataDir, hooks);
    const orders = client.db().collection('orders');
    await orders.insertOne({ n: 1 });
    disk.full = true;
    await expect(orders.insertOne({ n: 2 })).rejects.toThrow(/journal write failed/);
    // Longer than the first recovery tries (0.5 s, then 1 s).
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    expect(server.health()).toMatchObject({ ok: false });
    await expect(orders.countDocuments()).rejects.toThrow(/unavailable/);
    await client.close();
    await server.close();

    const again = await startOn(dataDir);
    expect(await again.client.db().collection('orders').countDocuments()).toBe(1);
    await again.client.close();
    await again.server.close();
  });
});
