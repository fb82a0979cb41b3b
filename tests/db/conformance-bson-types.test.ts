import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Binary, DBRef, Decimal128, Long, ObjectId, type Db, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/*
 * Queries that depend on BSON types rather than JavaScript ones, as MongoDB 7.0 answers them:
 * `$type` by the type each value is stored as, ranges over BinData (length, then subtype,
 * then bytes), `$bits…` on BinData, DBRef fields inside `$elemMatch`, exact equality on
 * int64 values beyond 2^53, and a field named `__proto__` kept as data.
 */

type ServerError = { code?: number };
/** Documents keyed by small numbers, as these tests write them. */
type Row = { _id: number; [field: string]: unknown };

let db: TestDatabase;
let conn: mongoose.Connection;
let native: Db;
const ids = (docs: Document[]): unknown[] => docs.map((doc) => doc._id).sort();
const failure = (promise: Promise<unknown>): Promise<ServerError> => promise.then(() => ({}) as ServerError, (error: unknown) => error as ServerError);
const typed = () => native.collection<Row>('typed');

beforeAll(async () => {
  db = await openTestDatabase('conformance_bson_types');
  conn = await mongoose.createConnection(db.uri).asPromise();
  native = conn.db!;
  await typed().insertMany([
    { _id: 1, v: 42 },
    { _id: 2, v: 4.5 },
    { _id: 3, v: new Long('9223372036854775807') },
    { _id: 4, v: new ObjectId() },
    { _id: 5, v: new Binary(Buffer.from('abc')) },
    { _id: 6, v: 'text' },
    { _id: 7, v: [1, 'x'] },
    { _id: 8, v: null },
    { _id: 9 },
    { _id: 10, v: 2 ** 40 },
  ]);
});

afterAll(async () => {
  await conn.close();
  await db.cleanup();
});

describe('$type', () => {
  it.each([
    ['int', [1, 7]],
    [16, [1, 7]],
    ['double', [10, 2]],
    ['long', [3]],
    ['number', [1, 10, 2, 3, 7]],
    ['objectId', [4]],
    ['binData', [5]],
    ['string', [6, 7]],
    ['array', [7]],
    ['null', [8]],
    [['int', 'string'], [1, 6, 7]],
  ])('%j matches exactly the values stored as that type (array elements included)', async (type, expected) => {
    expect(ids(await typed().find({ v: { $type: type } }).toArray())).toEqual(ids(expected.map((_id) => ({ _id }))));
  });

  it('refuses an unknown alias or code with BadValue (2)', async () => {
    expect((await failure(typed().find({ v: { $type: 'integer' } }).toArray())).code).toBe(2);
    expect((await failure(typed().find({ v: { $type: 99 } }).toArray())).code).toBe(2);
  });
});

describe('BinData', () => {
  beforeAll(async () => {
    await native.collection<Row>('blocks').insertMany([
      { _id: 1, b: new Binary(Buffer.from([0xff])) },
      { _id: 2, b: new Binary(Buffer.from([0x01, 0x00])) },
      { _id: 3, b: new Binary(Buffer.from([0x01, 0x02, 0x03])) },
      { _id: 4, b: 'not binary' },
    ]);
  });

  it('orders by length before bytes, and only against BinData', async () => {
    const blocks = native.collection<Row>('blocks');
    // [0xff] is one byte long: less than any two-byte value whatever its bytes.
    expect(ids(await blocks.find({ b: { $gt: new Binary(Buffer.from([0xff])) } }).toArray())).toEqual([2, 3]);
    expect(ids(await blocks.find({ b: { $lte: new Binary(Buffer.from([0x01, 0x00])) } }).toArray())).toEqual([1, 2]);
  });

  it('answers $bitsAllSet and $bitsAnySet on its bytes', async () => {
    const blocks = native.collection<Row>('blocks');
    expect(ids(await blocks.find({ b: { $bitsAllSet: [0, 1, 2, 3, 4, 5, 6, 7] } }).toArray())).toEqual([1]);
    expect(ids(await blocks.find({ b: { $bitsAnySet: [0] } }).toArray())).toEqual([1, 2, 3]);
    expect(ids(await blocks.find({ b: { $bitsAllSet: new Binary(Buffer.from([0x01, 0x02])) } }).toArray())).toEqual([3]);
  });
});

describe('other BSON values', () => {
  it('finds DBRefs by their fields inside $elemMatch', async () => {
    const target = new ObjectId();
    await native.collection<Row>('refs').insertMany([
      { _id: 1, links: [new DBRef('users', target)] },
      { _id: 2, links: [new DBRef('users', new ObjectId())] },
    ]);
    expect(ids(await native.collection<Row>('refs').find({ links: { $elemMatch: { $ref: 'users', $id: target } } }).toArray())).toEqual([1]);
  });

  it('matches an int64 beyond 2^53 exactly, and refuses to order by one rather than guess', async () => {
    expect(ids(await typed().find({ v: new Long('9223372036854775807') }).toArray())).toEqual([3]);
    expect(await typed().countDocuments({ v: new Long('9223372036854775806') })).toBe(0);
    expect((await failure(typed().find({ v: { $gt: new Long('9223372036854775806') } }).toArray())).code).toBe(238);
    expect((await failure(typed().find({ v: new Decimal128('42') }).toArray())).code).toBe(238);
  });

  it('keeps a field named __proto__ as data', async () => {
    const payload = JSON.parse('{"__proto__": "abcd", "x": 1}') as Document;
    await native.collection<Row>('protos').insertOne({ _id: 1, inner: payload });
    await native.collection<Row>('protos').updateOne({ _id: 1 }, { $set: { other: JSON.parse('{"__proto__": 5}') as Document } });
    const stored = await native.collection<Row>('protos').findOne({ _id: 1 });
    expect(Object.prototype.hasOwnProperty.call(stored?.inner, '__proto__')).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(stored?.other, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

