import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Db, Document } from 'mongodb';
import mongoose from 'mongoose';
import { openTestDatabase, testLane, type TestDatabase } from '../helpers/database.js';

/*
 * `hint` on every command that takes one, as MongoDB 7.0 honours it: the named index (or a
 * collection scan for `$natural`) decides which documents are visited and in what order,
 * and a hint naming no index is BadValue (2).
 */

type ServerError = { code?: number; errmsg?: string };

const itEmbedded = testLane() === 'embedded' ? it : it.skip;
const UNKNOWN_INDEX = 'hint provided does not correspond to an existing index';

const failure = (promise: Promise<unknown>): Promise<ServerError> =>
  promise.then(
    () => ({}) as ServerError,
    (error: unknown) => error as ServerError,
  );

const ids = (docs: Document[]): unknown[] => docs.map((doc) => doc._id);

let db: TestDatabase;
let conn: mongoose.Connection;
let native: Db;

/** Inserted in _id order; `a` orders them 4 (missing), 2, 3, 1; only 1 and 3 have `s`. */
const SEED: Document[] = [{ _id: 1, a: 3, s: 'x' }, { _id: 2, a: 1 }, { _id: 3, a: 2, s: 'y' }, { _id: 4 }];

async function seeded(name: string): Promise<ReturnType<Db['collection']>> {
  const collection = native.collection(name);
  await collection.insertMany(SEED.map((doc) => ({ ...doc })));
  await collection.createIndex({ a: 1 }, { name: 'a_1' });
  await collection.createIndex({ a: -1 }, { name: 'a_desc' });
  await collection.createIndex({ s: 1 }, { name: 's_sparse', sparse: true });
  return collection;
}

beforeAll(async () => {
  db = await openTestDatabase('conformance_hint');
  conn = await mongoose.createConnection(db.uri).asPromise();
  native = conn.db!;
  await seeded('hinted');
});

afterAll(async () => {
  await conn.close();
  await db.cleanup();
});

describe('hint', () => {
  it('refuses an unknown index with BadValue (2) on every command that takes a hint', async () => {
    const hinted = native.collection('hinted');
    const attempts: Array<Promise<unknown>> = [
      hinted.find({}).hint('nope').toArray(),
      hinted.find({}).hint({ b: 1 }).toArray(),
      native.command({ count: 'hinted', query: {}, hint: 'nope' }),
      native.command({ distinct: 'hinted', key: 'a', query: {}, hint: 'nope' }),
      hinted.aggregate([{ $match: {} }], { hint: { b: 1 } }).toArray(),
      hinted.updateOne({}, { $set: { x: 1 } }, { hint: 'nope' }),
      hinted.deleteOne({}, { hint: { b: 1 } }),
      hinted.findOneAndUpdate({}, { $set: { x: 1 } }, { hint: { nope: 1 } }),
    ];
    for (const attempt of attempts) {
      const error = await failure(attempt);
      expect(error.code).toBe(2);
      expect(error.errmsg).toContain(UNKNOWN_INDEX);
    }
    expect(await hinted.countDocuments({ x: 1 })).toBe(0);
    expect(await hinted.countDocuments()).toBe(4);
  });

  it('scans in natural order, or its reverse, for $natural', async () => {
    const hinted = native.collection('hinted');
    expect(ids(await hinted.find({}).hint({ $natural: 1 }).toArray())).toEqual([1, 2, 3, 4]);
    expect(ids(await hinted.find({}).hint({ $natural: -1 }).toArray())).toEqual([4, 3, 2, 1]);
    expect(ids(await hinted.aggregate([{ $limit: 2 }], { hint: { $natural: -1 } }).toArray())).toEqual([4, 3]);
  });

  it('visits documents in the order of the hinted index, named or given by key pattern', async () => {
    const hinted = native.collection('hinted');
    expect(ids(await hinted.find({}).hint('a_1').toArray())).toEqual([4, 2, 3, 1]);
    expect(ids(await hinted.find({}).hint({ a: -1 }).toArray())).toEqual([1, 3, 2, 4]);
    expect(ids(await hinted.find({ a: { $gte: 2 } }).hint({ a: 1 }).toArray())).toEqual([3, 1]);
    expect(ids(await hinted.find({}).hint('_id_').toArray())).toEqual([1, 2, 3, 4]);
    const Hinted = conn.model('Hinted', new mongoose.Schema({ _id: Number, a: Number, s: String }), 'hinted');
    expect(ids(await Hinted.find().hint({ a: -1 }).lean())).toEqual([1, 3, 2, 4]);
  });

  it('leaves out what a hinted sparse index does not hold, in find, count and distinct', async () => {
    const hinted = native.collection('hinted');
    expect(ids(await hinted.find({}).hint('s_sparse').toArray())).toEqual([1, 3]);
    const counted = await native.command({ count: 'hinted', query: {}, hint: { s: 1 } });
    expect(counted.n).toBe(2);
    const distinct = await native.command({ distinct: 'hinted', key: 'a', query: {}, hint: 's_sparse' });
    expect([...distinct.values].sort()).toEqual([2, 3]);
    const unhinted = await native.command({ distinct: 'hinted', key: 'a', query: {} });
    expect([...unhinted.values].sort()).toEqual([1, 2, 3]);
  });

  it('picks the document an update, a delete or a findAndModify acts on', async () => {
    const picked = await seeded('hinted_writes');
    await picked.updateOne({}, { $set: { first: true } }, { hint: { a: -1 } });
    expect(ids(await picked.find({ first: true }).toArray())).toEqual([1]);
    const found = await picked.findOneAndUpdate({}, { $set: { second: true } }, { hint: { a: 1 } });
    expect(found?._id).toBe(4);
    await picked.deleteOne({}, { hint: { $natural: -1 } });
    expect(ids(await picked.find({}).sort({ _id: 1 }).toArray())).toEqual([1, 2, 3]);
    await picked.deleteOne({ a: { $exists: true } }, { hint: 'a_1' });
    expect(ids(await picked.find({}).sort({ _id: 1 }).toArray())).toEqual([1, 3]);
  });

  itEmbedded('answers NotImplemented (238) for a partial index it cannot prove the query uses', async () => {
    const partial = native.collection('hinted_partial');
    await partial.insertMany([{ _id: 1, a: 1, open: true }, { _id: 2, a: 2, open: false }] as Document[]);
    await partial.createIndex({ a: 1 }, { name: 'open_a', partialFilterExpression: { open: true } });
    expect(ids(await partial.find({ open: true }).hint('open_a').toArray())).toEqual([1]);
    const error = await failure(partial.find({}).hint('open_a').toArray());
    expect(error.code).toBe(238);
  });
});
