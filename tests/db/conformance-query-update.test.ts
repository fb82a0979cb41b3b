import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Binary, type Db, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { openTestDatabase, testLane, type TestDatabase } from '../helpers/database.js';

/*
 * Query and update behaviours checked against MongoDB 7.0's documented (and source-level)
 * semantics, through the real driver and mongoose. Every assertion here holds on a real
 * MongoDB too (MONGODB_URI lane), except the NotImplemented checks, which are embedded-only.
 */

type ServerError = { code?: number; codeName?: string; errmsg?: string; message?: string };

const itEmbedded = testLane() === 'embedded' ? it : it.skip;

const failure = (promise: Promise<unknown>): Promise<ServerError> =>
  promise.then(
    () => ({}) as ServerError,
    (error: unknown) => error as ServerError,
  );

let db: TestDatabase;
let conn: mongoose.Connection;
let native: Db;

beforeAll(async () => {
  db = await openTestDatabase('conformance_qu');
  conn = await mongoose.createConnection(db.uri).asPromise();
  native = conn.db!;
});

afterAll(async () => {
  await conn.close();
  await db.cleanup();
});

describe('$pull with conditions', () => {
  it('removes subdocuments matching $or, $and and $nor, keeping elements that are not objects', async () => {
    const lists = native.collection('pull_logical');
    await lists.insertOne({
      _id: 1,
      or: [{ a: 1, b: 0 }, { a: 0, b: 2 }, { a: 3, b: 3 }],
      and: [{ a: 1, b: 1 }, { a: 2, b: 5 }, { a: 0, b: 1 }],
      nor: [{ a: 1 }, { a: 3 }, 7, 'teks'],
    } as Document);
    await lists.updateOne(
      { _id: 1 } as Document,
      {
        $pull: {
          or: { $or: [{ a: 1 }, { b: 2 }] },
          and: { $and: [{ a: { $gte: 1 } }, { b: { $lt: 3 } }] },
          nor: { $nor: [{ a: 3 }] },
        },
      } as Document,
    );
    expect(await lists.findOne({ _id: 1 } as Document)).toEqual({
      _id: 1,
      or: [{ a: 3, b: 3 }],
      and: [{ a: 2, b: 5 }, { a: 0, b: 1 }],
      nor: [{ a: 3 }, 7, 'teks'],
    });
  });

  it('applies field conditions with operators to each subdocument, extra fields notwithstanding', async () => {
    const orders = native.collection('pull_fields');
    await orders.insertOne({
      _id: 1,
      items: [{ sku: 'beras', qty: 10 }, { sku: 'gula', qty: 2 }, { sku: 'minyak', qty: 6, note: 'promo' }],
      results: [{ item: 'B', score: 8, comment: 'setuju' }, { item: 'B', score: 4 }, { item: 'C', score: 8 }],
    } as Document);
    const result = await orders.updateOne(
      { _id: 1 } as Document,
      { $pull: { items: { qty: { $gt: 5 } }, results: { score: 8, item: 'B' } } } as Document,
    );
    expect(result.modifiedCount).toBe(1);
    expect(await orders.findOne({ _id: 1 } as Document)).toEqual({
      _id: 1,
      items: [{ sku: 'gula', qty: 2 }],
      results: [{ item: 'B', score: 4 }, { item: 'C', score: 8 }],
    });
  });

  it('removes plain values, operator conditions on scalars and whole arrays', async () => {
    const values = native.collection('pull_values');
    await values.insertOne({ _id: 1, tags: ['a', 'b', 'a'], nums: [1, 5, 8, 3], pairs: [[1, 2], [2, 1], 3] } as Document);
    await values.updateOne({ _id: 1 } as Document, { $pull: { tags: 'a', nums: { $gt: 4 }, pairs: [1, 2] } } as Document);
    expect(await values.findOne({ _id: 1 } as Document)).toEqual({ _id: 1, tags: ['b'], nums: [1, 3], pairs: [[2, 1], 3] });
  });

  it('lets mongoose pull a subdocument that has no _id (sent as a condition on its fields)', async () => {
    const Cart = conn.model(
      'PullCart',
      new mongoose.Schema({ phone: String, lines: [new mongoose.Schema({ product: String, qty: Number }, { _id: false })] }),
    );
    const cart = await Cart.create({ phone: '+628111', lines: [{ product: 'beras', qty: 5 }, { product: 'gula', qty: 1 }] });
    cart.lines.pull(cart.lines[0]);
    await cart.save();
    const stored = await Cart.findById(cart._id).lean();
    expect(stored?.lines).toEqual([{ product: 'gula', qty: 1 }]);
  });

  it('refuses $pull on a value that is not an array', async () => {
    const values = native.collection('pull_scalar');
    await values.insertOne({ _id: 1, tags: 'a' } as Document);
    const error = await failure(values.updateOne({ _id: 1 } as Document, { $pull: { tags: 'a' } } as Document));
    expect(error.code).toBe(2);
    expect(error.errmsg).toContain('Cannot apply $pull to a non-array value');
  });
});

describe('$slice projections', () => {
  beforeAll(async () => {
    await native.collection('slices').insertOne({ _id: 1, name: 'Ani', arr: [1, 2, 3, 4], other: { x: 1 } } as Document);
  });

  it('returns every other field when the projection has only $slice', async () => {
    const slices = native.collection('slices');
    const first = await slices.findOne({ _id: 1 } as Document, { projection: { arr: { $slice: 1 } } });
    expect(first).toEqual({ _id: 1, name: 'Ani', arr: [1], other: { x: 1 } });
    expect(Object.keys(first!)).toEqual(['_id', 'name', 'arr', 'other']);
    expect(await slices.findOne({ _id: 1 } as Document, { projection: { arr: { $slice: [1, 2] } } })).toEqual({
      _id: 1,
      name: 'Ani',
      arr: [2, 3],
      other: { x: 1 },
    });
    expect(await slices.findOne({ _id: 1 } as Document, { projection: { arr: { $slice: -2 } } })).toEqual({
      _id: 1,
      name: 'Ani',
      arr: [3, 4],
      other: { x: 1 },
    });
    expect(await slices.findOne({ _id: 1 } as Document, { projection: { other: 0, arr: { $slice: [-3, 1] } } })).toEqual({
      _id: 1,
      name: 'Ani',
      arr: [2],
    });
  });

  it('behaves as an inclusion projection when mixed with inclusions', async () => {
    const slices = native.collection('slices');
    expect(await slices.findOne({ _id: 1 } as Document, { projection: { name: 1, arr: { $slice: 2 } } })).toEqual({ _id: 1, name: 'Ani', arr: [1, 2] });
    const named = await slices.findOne({ _id: 1 } as Document, { projection: { name: 1 } });
    expect(Object.keys(named!)).toEqual(['_id', 'name']);
  });

  it('applies to findOneAndUpdate projections too', async () => {
    const slices = native.collection('slices');
    const before = await slices.findOneAndUpdate({ _id: 1 } as Document, { $set: { seen: true } }, { projection: { arr: { $slice: -1 } } });
    expect(before).toEqual({ _id: 1, name: 'Ani', arr: [4], other: { x: 1 } });
  });
});

describe('$set through an array without a position', () => {
  it('fails with PathNotViable (28) instead of doing nothing', async () => {
    const docs = native.collection('not_viable');
    await docs.insertOne({ _id: 1, arr: [{ a: 1 }], count: 5 } as Document);
    const error = await failure(docs.updateOne({ _id: 1 } as Document, { $set: { 'arr.field': 'x' } }));
    expect(error.code).toBe(28);
    expect(error.errmsg).toContain("Cannot create field 'field' in element {arr: [");
    const scalar = await failure(docs.updateOne({ _id: 1 } as Document, { $inc: { 'count.sub': 1 } }));
    expect(scalar.code).toBe(28);
    expect(scalar.errmsg).toContain("Cannot create field 'sub' in element {count: 5}");
    expect(await docs.findOne({ _id: 1 } as Document)).toEqual({ _id: 1, arr: [{ a: 1 }], count: 5 });
  });

  it('still follows numeric parts, padding arrays with null, and ignores $unset of such a path', async () => {
    const docs = native.collection('numeric_parts');
    await docs.insertOne({ _id: 1, arr: [{ a: 1 }] } as Document);
    await docs.updateOne({ _id: 1 } as Document, { $set: { 'arr.0.field': 'x', 'arr.2.b': 2 } });
    expect(await docs.findOne({ _id: 1 } as Document)).toEqual({ _id: 1, arr: [{ a: 1, field: 'x' }, null, { b: 2 }] });
    const unset = await docs.updateOne({ _id: 1 } as Document, { $unset: { 'arr.field': '' } });
    expect(unset.modifiedCount).toBe(0);
  });
});

describe('$all', () => {
  beforeAll(async () => {
    await native.collection('all_values').insertMany([
      { _id: 1, tags: 'x' },
      { _id: 2, tags: ['x', 'y'] },
      { _id: 3, tags: 'y' },
      { _id: 4, tags: [['x', 'y'], 'z'] },
    ] as Document[]);
  });

  it('matches a scalar field equal to the only value, in find and in aggregation', async () => {
    const values = native.collection('all_values');
    const found = await values.find({ tags: { $all: ['x'] } }).sort({ _id: 1 }).toArray();
    expect(found.map((doc) => doc._id)).toEqual([1, 2]);
    expect(await values.countDocuments({ tags: { $all: ['x'] } })).toBe(2);
    const matched = await values.aggregate([{ $match: { tags: { $all: ['x'] } } }, { $sort: { _id: 1 } }]).toArray();
    expect(matched.map((doc) => doc._id)).toEqual([1, 2]);
  });

  it('matches an array value as a whole or as an element', async () => {
    const values = native.collection('all_values');
    const found = await values.find({ tags: { $all: [['x', 'y']] } }).sort({ _id: 1 }).toArray();
    expect(found.map((doc) => doc._id)).toEqual([2, 4]);
    expect(await values.countDocuments({ tags: { $all: [] } })).toBe(0);
    expect(await values.countDocuments({ tags: { $not: { $all: ['x'] } } })).toBe(2);
  });
});

describe('update equality is byte equality', () => {
  it('saves a Binary whose subtype changed and reads the new subtype back', async () => {
    const files = native.collection('binaries');
    const bytes = Buffer.from('0123456789abcdef');
    await files.insertOne({ _id: 1, data: new Binary(bytes, 0), list: [{ data: new Binary(bytes, 0) }] } as Document);
    const changed = await files.updateOne({ _id: 1 } as Document, { $set: { data: new Binary(bytes, 4), 'list.0.data': new Binary(bytes, 4) } });
    expect(changed.modifiedCount).toBe(1);
    const stored = await files.findOne({ _id: 1 } as Document);
    expect((stored?.data as Binary).sub_type).toBe(4);
    expect((stored?.list[0].data as Binary).sub_type).toBe(4);
    const same = await files.updateOne({ _id: 1 } as Document, { $set: { data: new Binary(bytes, 4) } });
    expect(same.modifiedCount).toBe(0);
    const replaced = await files.replaceOne({ _id: 1 } as Document, { data: new Binary(bytes, 0) });
    expect(replaced.modifiedCount).toBe(1);
    expect(((await files.findOne({ _id: 1 } as Document))?.data as Binary).sub_type).toBe(0);
  });

  it('counts a subdocument with its fields reordered as a change', async () => {
    const docs = native.collection('reordered');
    await docs.insertOne({ _id: 1, sub: { a: 1, b: 2 } } as Document);
    const result = await docs.updateOne({ _id: 1 } as Document, { $set: { sub: { b: 2, a: 1 } } });
    expect(result.modifiedCount).toBe(1);
    expect(Object.keys((await docs.findOne({ _id: 1 } as Document))!.sub)).toEqual(['b', 'a']);
  });
});

describe('positional paths side by side', () => {
  it('accepts sibling $[] paths and $[name] paths with arrayFilters', async () => {
    const docs = native.collection('siblings');
    await docs.insertOne({ _id: 1, x: [{ k: 1 }, { k: 2 }, { k: 1 }] } as Document);
    await docs.updateOne({ _id: 1 } as Document, { $set: { 'x.$[].a': 1, 'x.$[].b': 2 } });
    await docs.updateOne({ _id: 1 } as Document, { $set: { 'x.$[one].c': 'one', 'x.$[one].d': true } }, { arrayFilters: [{ 'one.k': 1 }] });
    await docs.updateOne(
      { _id: 1 } as Document,
      { $set: { 'x.$[one].e': 'e', 'x.$[two].f': 'f' } },
      { arrayFilters: [{ 'one.k': 1 }, { 'two.k': { $gt: 1 } }] },
    );
    expect(await docs.findOne({ _id: 1 } as Document)).toEqual({
      _id: 1,
      x: [
        { k: 1, a: 1, b: 2, c: 'one', d: true, e: 'e' },
        { k: 2, a: 1, b: 2, f: 'f' },
        { k: 1, a: 1, b: 2, c: 'one', d: true, e: 'e' },
      ],
    });
  });

  it('accepts two fields of the element the positional $ names', async () => {
    const docs = native.collection('positional_pair');
    await docs.insertOne({ _id: 1, items: [{ sku: 'beras', qty: 1 }, { sku: 'gula', qty: 1 }] } as Document);
    await docs.updateOne({ _id: 1, 'items.sku': 'gula' } as Document, { $set: { 'items.$.qty': 3, 'items.$.note': 'manis' } });
    expect(await docs.findOne({ _id: 1 } as Document)).toEqual({
      _id: 1,
      items: [{ sku: 'beras', qty: 1 }, { sku: 'gula', qty: 3, note: 'manis' }],
    });
  });

  it('still refuses overlapping paths with ConflictingUpdateOperators (40)', async () => {
    const docs = native.collection('conflicts');
    await docs.insertOne({ _id: 1, x: [{ a: { b: 1 }, k: 1 }] } as Document);
    const nested = await failure(docs.updateOne({ _id: 1 } as Document, { $set: { 'x.$[].a': 1, 'x.$[].a.b': 2 } }));
    expect(nested.code).toBe(40);
    const whole = await failure(docs.updateOne({ _id: 1 } as Document, { $set: { x: [], 'x.$[].a': 1 } }));
    expect(whole.code).toBe(40);
    const same = await failure(
      docs.updateOne({ _id: 1 } as Document, { $set: { 'x.$[p].a': 1, 'x.$[q].a': 2 } }, { arrayFilters: [{ 'p.k': 1 }, { 'q.k': { $gte: 1 } }] }),
    );
    expect(same.code).toBe(40);
    expect(await docs.findOne({ _id: 1 } as Document)).toEqual({ _id: 1, x: [{ a: { b: 1 }, k: 1 }] });
  });
});

describe('upsert with _id: null', () => {
  it('inserts a document whose _id is null, then finds it', async () => {
    const docs = native.collection('null_id');
    const inserted = await docs.updateOne({ _id: null } as Document, { $set: { k: 1 } }, { upsert: true });
    expect(inserted.upsertedCount).toBe(1);
    expect(inserted.upsertedId).toBeNull();
    expect(await docs.findOne({ _id: null } as Document)).toEqual({ _id: null, k: 1 });
    const again = await docs.updateOne({ _id: null } as Document, { $set: { k: 2 } }, { upsert: true });
    expect(again.matchedCount).toBe(1);
    expect(await docs.countDocuments()).toBe(1);
  });
});

describe('$-prefixed field names', () => {
  it('stores them inside documents on insert and at any level below the top in updates', async () => {
    const docs = native.collection('dollars');
    await docs.insertOne({ _id: 1, $price: 50, address: { $street: 'Jl. Kartini' } } as Document);
    await docs.updateOne({ _id: 1 } as Document, { $set: { 'address.$street': 'Jl. Raden Intan', meta: { $source: 'sms' } } });
    expect(await docs.findOne({ _id: 1 } as Document)).toEqual({
      _id: 1,
      $price: 50,
      address: { $street: 'Jl. Raden Intan' },
      meta: { $source: 'sms' },
    });
  });

  it('accepts a top-level one when an upsert inserts, refuses it when the update modifies a document', async () => {
    const docs = native.collection('dollars_upsert');
    await docs.updateOne({ date: '2021-07-07' }, { $set: { phone: 25, $hotel: 320 } }, { upsert: true });
    expect(await docs.findOne({ date: '2021-07-07' }, { projection: { _id: 0 } })).toEqual({ date: '2021-07-07', phone: 25, $hotel: 320 });
    const error = await failure(docs.updateOne({ date: '2021-07-07' }, { $set: { $hotel: 300 } }));
    expect(error.code).toBe(52);
  });

  it('refuses a replacement document with a top-level $ field (52) and an unknown operator (9)', async () => {
    const docs = native.collection('dollars_replace');
    await docs.insertOne({ _id: 1, a: 1 } as Document);
    const replaced = await native.command({ update: 'dollars_replace', updates: [{ q: { _id: 1 }, u: { a: 2, $b: 1 } }] });
    expect(replaced.writeErrors?.[0]?.code).toBe(52);
    const unknown = await native.command({ update: 'dollars_replace', updates: [{ q: { _id: 1 }, u: { $set: { a: 2 }, $bogus: { b: 1 } } }] });
    expect(unknown.writeErrors?.[0]?.code).toBe(9);
    expect(await docs.findOne({ _id: 1 } as Document)).toEqual({ _id: 1, a: 1 });
  });

  it('refuses $-prefixed fields inside an object _id on insert', async () => {
    const error = await failure(native.collection('dollars_id').insertOne({ _id: { $x: 1 } } as Document));
    expect(error.code).toBe(52);
  });
});

describe('$elemMatch projections', () => {
  beforeAll(async () => {
    await native.collection('elem_match').insertOne({
      _id: 1,
      n: [1, 7, 9],
      games: [{ game: 'abc', score: 8 }, { game: 'xyz', score: 5 }],
      joined: 'pagi',
    } as Document);
  });

  it('takes an operator-only condition on an array of numbers', async () => {
    const docs = native.collection('elem_match');
    expect(await docs.findOne({ _id: 1 } as Document, { projection: { n: { $elemMatch: { $gt: 5 } } } })).toEqual({ _id: 1, n: [7] });
    expect(await docs.findOne({ _id: 1 } as Document, { projection: { n: { $elemMatch: { $gt: 50 } } } })).toEqual({ _id: 1 });
  });

  it('returns the first matching subdocument after the other included fields', async () => {
    const docs = native.collection('elem_match');
    const doc = await docs.findOne({ _id: 1 } as Document, { projection: { games: { $elemMatch: { score: { $lt: 6 } } }, joined: 1 } });
    expect(doc).toEqual({ _id: 1, joined: 'pagi', games: [{ game: 'xyz', score: 5 }] });
    expect(Object.keys(doc!)).toEqual(['_id', 'joined', 'games']);
  });
});

describe('aggregation stage names', () => {
  it('answers an unknown stage with 40324, also inside $facet', async () => {
    const docs = native.collection('stages');
    await docs.insertOne({ _id: 1 } as Document);
    const unknown = await failure(docs.aggregate([{ $foo: {} }]).toArray());
    expect(unknown.code).toBe(40324);
    expect(unknown.errmsg).toContain("Unrecognized pipeline stage name: '$foo'");
    const nested = await failure(docs.aggregate([{ $facet: { a: [{ $bar: 1 }] } }]).toArray());
    expect(nested.code).toBe(40324);
  });

  itEmbedded('answers a known stage the server does not run with NotImplemented (238) naming it', async () => {
    const error = await failure(native.collection('stages').aggregate([{ $indexStats: {} }]).toArray());
    expect(error.code).toBe(238);
    expect(error.errmsg).toContain('$indexStats');
  });
});

describe('nothing accepted only to be ignored', () => {
  itEmbedded('refuses a collection default collation instead of storing it and sorting without it', async () => {
    const refused = await failure(native.createCollection('collated', { collation: { locale: 'en', strength: 2 } }));
    expect(refused.code).toBe(238);
    expect(refused.message).toMatch(/collation/);
  });

  it('rejects a bad filter on a collection that does not exist, as on one that does', async () => {
    const refused = await failure(native.collection('never_created').find({ $notAnOperator: 1 }).toArray());
    expect(refused.code).toBe(2);
  });
});
