import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { openTestDatabase, testLane, waitFor, type TestDatabase } from '../helpers/database.js';

// Raw wire access, embedded-only features and timing-dependent sweeps are checked on the embedded lane only.
const itEmbedded = testLane() === 'embedded' ? it : it.skip;

describe('indexes', () => {
  let db: TestDatabase;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    db = await openTestDatabase('indexes', { ttlSweepIntervalMs: 50 });
    conn = await mongoose.createConnection(db.uri).asPromise();
  });

  afterAll(async () => {
    await conn.close();
    await db.cleanup();
  });

  it('enforces a compound unique index and lists it', async () => {
    const messages = conn.collection('inbound');
    await messages.createIndex({ channel: 1, providerId: 1 }, { unique: true, name: 'dedupe' });
    await messages.insertOne({ channel: 'wa', providerId: 'X1' });
    await messages.insertOne({ channel: 'sms', providerId: 'X1' });
    const error = (await messages.insertOne({ channel: 'wa', providerId: 'X1' }).catch((e: unknown) => e)) as {
      code?: number;
      keyPattern?: unknown;
      keyValue?: unknown;
    };
    expect(error.code).toBe(11000);
    expect(error.keyPattern).toEqual({ channel: 1, providerId: 1 });
    expect(error.keyValue).toEqual({ channel: 'wa', providerId: 'X1' });
    const names = (await messages.listIndexes().toArray()).map((index) => index.name);
    expect(names).toEqual(['_id_', 'dedupe']);
    // Querying on the leading field only still finds both channels' documents correctly.
    expect(await messages.countDocuments({ channel: 'wa' })).toBe(1);
  });

  it('lets mongoose syncIndexes converge (a second sync drops nothing)', async () => {
    const schema = new mongoose.Schema({ coopId: String, phone: String, expiresAt: Date });
    schema.index({ coopId: 1, phone: 1 }, { unique: true });
    schema.index({ expiresAt: 1 }, { expireAfterSeconds: 3600 });
    const Contact = conn.model('SyncedContact', schema);
    await Contact.syncIndexes();
    await conn.collection(Contact.collection.collectionName).createIndex({ stray: 1 });
    expect(await Contact.syncIndexes()).toEqual(['stray_1']);
    expect(await Contact.syncIndexes()).toEqual([]);
    const ttl = (await Contact.listIndexes()).find((index) => index.name === 'expiresAt_1');
    expect(ttl?.expireAfterSeconds).toBe(3600);
  });

  it('only enforces a partial unique index where its filter matches', async () => {
    const carts = conn.collection('carts');
    await carts.createIndex({ phone: 1 }, { unique: true, partialFilterExpression: { status: 'open' } });
    await carts.insertMany([
      { phone: '+628111', status: 'closed' },
      { phone: '+628111', status: 'closed' },
      { phone: '+628111', status: 'open' },
    ]);
    const error = (await carts.insertOne({ phone: '+628111', status: 'open' }).catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(11000);
  });

  it('refuses a unique index over existing duplicates', async () => {
    const dupes = conn.collection('dupes');
    await dupes.insertMany([{ sku: 'a' }, { sku: 'a' }]);
    const error = (await dupes.createIndex({ sku: 1 }, { unique: true }).catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(11000);
  });

  it('drops indexes', async () => {
    const temp = conn.collection('temp');
    await temp.createIndex({ a: 1 });
    await temp.createIndex({ b: -1 }, { unique: true });
    await temp.dropIndex('b_-1');
    await temp.insertMany([{ b: 1 }, { b: 1 }]);
    expect((await temp.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_', 'a_1']);
  });

  it('finds documents through a multikey index on array elements', async () => {
    const products = conn.collection('products');
    await products.createIndex({ aliases: 1 });
    await products.insertMany([
      { name: 'Minyak goreng', aliases: ['migor', 'minyak'] },
      { name: 'Gula pasir', aliases: ['gula'] },
    ]);
    expect((await products.findOne({ aliases: 'migor' }))?.name).toBe('Minyak goreng');
    expect(await products.countDocuments({ aliases: { $in: ['gula', 'minyak'] } })).toBe(2);
  });

  // MongoDB's TTL monitor runs once a minute; the embedded sweeper runs every 50 ms here.
  itEmbedded('removes expired documents through a TTL index', async () => {
    const sessions = conn.collection('sessions');
    await sessions.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await sessions.insertMany([
      { phone: 'old', expiresAt: new Date(Date.now() - 1000) },
      { phone: 'new', expiresAt: new Date(Date.now() + 3_600_000) },
      { phone: 'none' },
    ]);
    await waitFor(async () => (await sessions.countDocuments({ phone: 'old' })) === 0);
    expect((await sessions.find({}).toArray()).map((doc) => doc.phone).sort()).toEqual(['new', 'none']);
  });
});
