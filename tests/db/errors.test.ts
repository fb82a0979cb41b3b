import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { openTestDatabase, testLane, type TestDatabase } from '../helpers/database.js';

type ServerError = { code?: number; codeName?: string; errmsg?: string; message?: string };

// Raw wire access, embedded-only features and timing-dependent sweeps are checked on the embedded lane only.
const itEmbedded = testLane() === 'embedded' ? it : it.skip;

describe('errors shaped like MongoDB', () => {
  let db: TestDatabase;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    db = await openTestDatabase('errors');
    conn = await mongoose.createConnection(db.uri).asPromise();
  });

  afterAll(async () => {
    await conn.close();
    await db.cleanup();
  });

  const failure = (promise: Promise<unknown>) => promise.then(() => ({}) as ServerError, (e: unknown) => e as ServerError);

  it('answers $inc on a string with TypeMismatch (14) and leaves the document alone', async () => {
    const items = conn.collection('typed');
    const { insertedId } = await items.insertOne({ name: 'beras', stock: 'banyak' });
    const error = await failure(items.updateOne({ _id: insertedId }, { $inc: { stock: 1 } }));
    expect(error.code).toBe(14);
    expect(await items.findOne({ _id: insertedId })).toMatchObject({ stock: 'banyak' });
  });

  it('answers an unknown command with CommandNotFound (59)', async () => {
    const error = await failure(conn.db!.command({ bukanPerintah: 1 }));
    expect(error.code).toBe(59);
    expect(error.codeName).toBe('CommandNotFound');
  });

  it('answers listIndexes on a missing collection with NamespaceNotFound (26)', async () => {
    const error = await failure(conn.db!.command({ listIndexes: 'tidak_ada' }));
    expect(error.code).toBe(26);
  });

  it('answers an unknown query operator with BadValue (2)', async () => {
    const error = await failure(conn.collection('typed').find({ name: { $mirip: 'beras' } }).toArray());
    expect(error.code).toBe(2);
  });

  it('refuses to create an existing collection (48)', async () => {
    await conn.db!.createCollection('once');
    const error = await failure(conn.db!.command({ create: 'once' }));
    expect(error.code).toBe(48);
  });

  it('refuses to change _id (66)', async () => {
    const items = conn.collection('immutable');
    const { insertedId } = await items.insertOne({ a: 1 });
    const error = await failure(items.updateOne({ _id: insertedId }, { $set: { _id: new mongoose.Types.ObjectId() } }));
    expect(error.code).toBe(66);
  });

  it('reports duplicate keys from findOneAndUpdate at top level with keyPattern and keyValue', async () => {
    const people = conn.collection('people');
    await people.createIndex({ phone: 1 }, { unique: true });
    await people.insertMany([{ phone: '+6281200000001' }, { phone: '+6281200000002' }]);
    const error = (await failure(people.findOneAndUpdate({ phone: '+6281200000002' }, { $set: { phone: '+6281200000001' } }))) as ServerError & {
      keyPattern?: unknown;
      keyValue?: unknown;
    };
    expect(error.code).toBe(11000);
    expect(error.keyPattern).toEqual({ phone: 1 });
    expect(error.keyValue).toEqual({ phone: '+6281200000001' });
  });

  // A real MongoDB implements these.
  itEmbedded('answers unsupported features with NotImplemented (238), never a silent wrong result', async () => {
    const error = await failure(conn.collection('typed').aggregate([{ $geoNear: { near: [0, 0], distanceField: 'd' } }]).toArray());
    expect(error.code).toBe(238);
    const textIndex = await failure(conn.collection('typed').createIndex({ name: 'text' }));
    expect(textIndex.code).toBe(238);
    const textSearch = await failure(conn.collection('typed').find({ $text: { $search: 'beras' } }).toArray());
    expect(textSearch.code).toBe(238);
    const letOption = await failure(conn.collection('typed').find({ $expr: { $eq: ['$name', '$$wanted'] } }, { let: { wanted: 'beras' } }).toArray());
    expect(letOption.code).toBe(238);
    // mingo ignores collations when matching: a case-insensitive query must not silently miss.
    const collated = await failure(conn.collection('typed').find({ name: 'BERAS' }).collation({ locale: 'id', strength: 2 }).toArray());
    expect(collated.code).toBe(238);
  });
});
