import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Db, Document } from 'mongodb';
import mongoose from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/*
 * Sorting as MongoDB 7.0 sorts, in find and in an aggregation's $sort: a field holding an
 * array sorts by its least element ascending and its greatest descending, values of
 * different types in BSON's canonical order (null and missing first, then numbers, strings,
 * objects, arrays…), and a sort value other than 1 or -1 is an error, not a guess.
 */

type ServerError = { code?: number };

let db: TestDatabase;
let conn: mongoose.Connection;
let native: Db;

const SEED: Document[] = [
  { _id: 1, tags: [5, 1, 9], name: 'b' },
  { _id: 2, tags: [3, 4], name: 'a' },
  { _id: 3, tags: 2, name: 'c' },
  { _id: 4, name: 'd' },
  { _id: 5, tags: 'text', name: 'e' },
  { _id: 6, tags: [{ x: 1 }], name: 'f' },
];

const ids = (docs: Document[]): unknown[] => docs.map((doc) => doc._id);

beforeAll(async () => {
  db = await openTestDatabase('conformance_sort');
  conn = await mongoose.createConnection(db.uri).asPromise();
  native = conn.db!;
  await native.collection('tagged').insertMany(SEED.map((doc) => ({ ...doc })));
  await native.collection<{ _id: number; items: Array<{ qty: number }> }>('lines').insertMany([
    { _id: 1, items: [{ qty: 5 }, { qty: 1 }] },
    { _id: 2, items: [{ qty: 3 }] },
    { _id: 3, items: [{ qty: 2 }, { qty: 7 }] },
  ]);
});

afterAll(async () => {
  await conn.close();
  await db.cleanup();
});

describe('sort', () => {
  it('orders an array field by its least element ascending and its greatest descending', async () => {
    const tagged = native.collection('tagged');
    // Ascending keys: missing (null) 4; numbers 1 (from [5,1,9]), 2, 3 (from [3,4]); string; object.
    expect(ids(await tagged.find({}).sort({ tags: 1 }).toArray())).toEqual([4, 1, 3, 2, 5, 6]);
    // Descending keys: object; string; numbers 9, 4, 2; missing.
    expect(ids(await tagged.find({}).sort({ tags: -1 }).toArray())).toEqual([6, 5, 1, 2, 3, 4]);
  });

  it('sorts through arrays of subdocuments on a dotted path', async () => {
    const lines = native.collection('lines');
    expect(ids(await lines.find({}).sort({ 'items.qty': 1 }).toArray())).toEqual([1, 3, 2]);
    expect(ids(await lines.find({}).sort({ 'items.qty': -1 }).toArray())).toEqual([3, 1, 2]);
  });

  it('gives the same order in an aggregation, with skip and limit after it', async () => {
    const lines = native.collection('lines');
    expect(ids(await lines.aggregate([{ $sort: { 'items.qty': -1 } }]).toArray())).toEqual([3, 1, 2]);
    expect(ids(await lines.aggregate([{ $match: {} }, { $sort: { 'items.qty': 1 } }, { $skip: 1 }, { $limit: 1 }]).toArray())).toEqual([3]);
    expect(ids(await native.collection('tagged').find({}).sort({ tags: 1 }).skip(2).limit(2).toArray())).toEqual([3, 2]);
  });

  it('refuses a sort value other than 1 or -1 (15975) and an empty $sort stage (15976)', async () => {
    // The driver checks find's sort itself; the raw command reaches the server.
    const error = await native.command({ find: 'tagged', filter: {}, sort: { name: 2 } }).then(() => ({}) as ServerError, (thrown: unknown) => thrown as ServerError);
    expect(error.code).toBe(15975);
    const empty = await native.collection('tagged').aggregate([{ $sort: {} }]).toArray().then(() => ({}) as ServerError, (thrown: unknown) => thrown as ServerError);
    expect(empty.code).toBe(15976);
  });
});
