import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('cursors and bulk writes', () => {
  let db: TestDatabase;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    db = await openTestDatabase('cursors');
    conn = await mongoose.createConnection(db.uri).asPromise();
  });

  afterAll(async () => {
    await conn.close();
    await db.cleanup();
  });

  it('returns all 250 documents through getMore batches', async () => {
    const items = conn.collection('items');
    await items.insertMany(Array.from({ length: 250 }, (_, i) => ({ seq: i })));
    const seen: number[] = [];
    for await (const doc of items.find({}, { batchSize: 40 }).sort({ seq: 1 })) seen.push(doc.seq as number);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => i));
    // Default batch size: the first batch holds 101, the rest arrive through getMore.
    expect(await items.find({ seq: { $gte: 0 } }).toArray()).toHaveLength(250);
  });

  it('kills an open cursor so getMore on it fails', async () => {
    const first = await conn.db!.command({ find: 'items', filter: {}, batchSize: 10 });
    const cursorId = first.cursor.id;
    expect(Number(cursorId)).not.toBe(0);
    const killed = await conn.db!.command({ killCursors: 'items', cursors: [cursorId] });
    expect(killed.cursorsKilled.map(Number)).toEqual([Number(cursorId)]);
    const error = (await conn.db!.command({ getMore: cursorId, collection: 'items' }).catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(43);
  });

  it('runs bulkWrite with upserts, updates and deletes', async () => {
    const stock = conn.model('Stock', new mongoose.Schema({ sku: { type: String, unique: true }, qty: Number }));
    await stock.init();
    await stock.create({ sku: 'beras-5kg', qty: 10 });
    const result = await stock.bulkWrite([
      { updateOne: { filter: { sku: 'beras-5kg' }, update: { $inc: { qty: -2 } } } },
      { updateOne: { filter: { sku: 'telur-1kg' }, update: { $set: { qty: 30 } }, upsert: true } },
      { insertOne: { document: { sku: 'gula-1kg', qty: 5 } } },
      { deleteOne: { filter: { sku: 'gula-1kg' } } },
    ]);
    expect(result.modifiedCount).toBe(1);
    expect(result.upsertedCount).toBe(1);
    expect(result.insertedCount).toBe(1);
    expect(result.deletedCount).toBe(1);
    const rows = await stock.find({}).sort({ sku: 1 }).select({ sku: 1, qty: 1, _id: 0 }).lean();
    expect(rows).toEqual([
      { sku: 'beras-5kg', qty: 8 },
      { sku: 'telur-1kg', qty: 30 },
    ]);
  });

  it('reports an ordered bulk insert failure at the duplicate and keeps earlier documents', async () => {
    const codes = conn.collection('codes');
    await codes.createIndex({ code: 1 }, { unique: true });
    const error = (await codes.insertMany([{ code: 'A' }, { code: 'B' }, { code: 'A' }, { code: 'C' }]).catch((e: unknown) => e)) as {
      code?: number;
      writeErrors?: Array<{ index: number; code: number }>;
    };
    expect(error.code).toBe(11000);
    expect(await codes.countDocuments()).toBe(2);
  });
});
