import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

const KB = 1024;
const MIB = 1024 * KB;

describe('replies near and over the 16 MiB limit', () => {
  let db: TestDatabase;
  let client: MongoClient;
  let database: Db;

  beforeAll(async () => {
    db = await openTestDatabase('large-replies');
    // A lost reply must fail this test, not hang it.
    client = await new MongoClient(db.uri, { socketTimeoutMS: 20_000 }).connect();
    database = client.db();
    await database.collection('twelve').insertMany(Array.from({ length: 2_000 }, (_, n) => ({ n, body: 'a'.repeat(12 * KB) })));
    for (let start = 0; start < 100; start += 20) {
      await database.collection('big').insertMany(Array.from({ length: 20 }, (_, i) => ({ n: start + i, body: 'b'.repeat(180 * KB) })));
    }
  }, 60_000);

  afterAll(async () => {
    await client.close();
    await db.cleanup();
  });

  it('iterates a cursor over 2,000 documents of 12 kB to the end, in batches under 16 MiB', async () => {
    const seen: number[] = [];
    for await (const doc of database.collection('twelve').find({}, { sort: { n: 1 } })) seen.push(doc.n as number);
    expect(seen).toEqual(Array.from({ length: 2_000 }, (_, n) => n));
  });

  it('iterates a cursor over 100 documents of 180 kB (a first batch of 101 would be 18 MB)', async () => {
    const docs = await database.collection('big').find().toArray();
    expect(docs).toHaveLength(100);
    expect(docs.every((doc) => (doc.body as string).length === 180 * KB)).toBe(true);
    // The same through aggregate's cursor.
    expect(await database.collection('big').aggregate([{ $match: {} }]).toArray()).toHaveLength(100);
  });

  it('answers an aggregate that builds a result document over 16 MiB with BSONObjectTooLarge (10334)', async () => {
    const oversized = database.collection('twelve').aggregate([{ $group: { _id: null, all: { $push: '$body' } } }]).toArray();
    await expect(oversized).rejects.toMatchObject({ code: 10334 });
  });

  it('answers a reply that cannot be encoded with an error instead of silence', async () => {
    // 2,000 distinct 12 kB values make a 24 MiB distinct reply.
    await expect(database.collection('twelve').distinct('body')).resolves.toHaveLength(1);
    await database.collection('distinct').insertMany(Array.from({ length: 2_000 }, (_, n) => ({ body: `${n}`.padEnd(12 * KB, 'c') })));
    const failure = await database.collection('distinct').distinct('body').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MongoServerError);
    expect((failure as MongoServerError).code).toBe(10334);
    // The connection still answers afterwards.
    expect(await database.collection('distinct').countDocuments()).toBe(2_000);
  });

  it('refuses to store a document over 16 MiB: an insert with 10334, an update that outgrows it with 17419', async () => {
    // Just over the limit: the driver itself cannot serialize a command much past 17 MiB.
    const insert = database.command({ insert: 'huge', documents: [{ _id: 1, body: 'h'.repeat(16 * MIB + 200 * KB) }] });
    // As MongoDB reports it: the command succeeds, the statement fails.
    expect((await insert).writeErrors).toEqual([expect.objectContaining({ index: 0, code: 10334 })]);
    expect(await database.collection('huge').countDocuments()).toBe(0);

    const growing = database.collection<{ _id: number; parts: string[] }>('growing');
    await growing.insertOne({ _id: 1, parts: [] });
    await growing.updateOne({ _id: 1 }, { $push: { parts: 'g'.repeat(9 * MIB) } });
    await expect(growing.updateOne({ _id: 1 }, { $push: { parts: 'g'.repeat(9 * MIB) } })).rejects.toMatchObject({ code: 17419 });
    expect((await growing.findOne({ _id: 1 }))?.parts).toHaveLength(1);
  }, 30_000);
});
