import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

interface Coop {
  code: string;
  city: string;
}

interface Order {
  coop: mongoose.Types.ObjectId;
  items: Array<{ sku: string; qty: number; price: number }>;
  status: string;
}

describe('aggregation and populate', () => {
  let db: TestDatabase;
  let conn: mongoose.Connection;
  let CoopModel: mongoose.Model<Coop>;
  let OrderModel: mongoose.Model<Order>;

  beforeAll(async () => {
    db = await openTestDatabase('aggregation');
    conn = await mongoose.createConnection(db.uri).asPromise();
    CoopModel = conn.model<Coop>('Coop', new mongoose.Schema<Coop>({ code: String, city: String }));
    OrderModel = conn.model<Order>(
      'Order',
      new mongoose.Schema<Order>({
        coop: { type: mongoose.Schema.Types.ObjectId, ref: 'Coop' },
        items: [{ _id: false, sku: String, qty: Number, price: Number }],
        status: String,
      }),
    );
    const [way, kedaton] = await CoopModel.create([
      { code: 'WAY', city: 'Bandar Lampung' },
      { code: 'KDT', city: 'Bandar Lampung' },
    ]);
    await OrderModel.create([
      { coop: way._id, status: 'paid', items: [{ sku: 'beras-5kg', qty: 2, price: 75000 }, { sku: 'migor-2l', qty: 1, price: 38000 }] },
      { coop: way._id, status: 'new', items: [{ sku: 'gula-1kg', qty: 3, price: 17000 }] },
      { coop: kedaton._id, status: 'paid', items: [{ sku: 'beras-5kg', qty: 1, price: 75000 }] },
    ]);
  });

  afterAll(async () => {
    await conn.close();
    await db.cleanup();
  });

  it('joins with $lookup, $unwind and $group', async () => {
    const rows = await OrderModel.aggregate<{ _id: string; revenue: number; lines: number }>([
      { $match: { status: 'paid' } },
      { $lookup: { from: 'coops', localField: 'coop', foreignField: '_id', as: 'coopDoc' } },
      { $unwind: '$coopDoc' },
      { $unwind: '$items' },
      { $group: { _id: '$coopDoc.code', revenue: { $sum: { $multiply: ['$items.qty', '$items.price'] } }, lines: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(rows).toEqual([
      { _id: 'KDT', revenue: 75000, lines: 1 },
      { _id: 'WAY', revenue: 188000, lines: 2 },
    ]);
    // The join must not have altered the stored documents.
    const stored = await OrderModel.findOne({ status: 'new' }).lean();
    expect(stored?.items).toEqual([{ sku: 'gula-1kg', qty: 3, price: 17000 }]);
    expect(stored).not.toHaveProperty('coopDoc');
  });

  it('joins with a $lookup sub-pipeline using let variables', async () => {
    const rows = await CoopModel.aggregate<{ code: string; paidOrders: number }>([
      {
        $lookup: {
          from: 'orders',
          let: { coopId: '$_id' },
          pipeline: [{ $match: { $expr: { $and: [{ $eq: ['$coop', '$$coopId'] }, { $eq: ['$status', 'paid'] }] } } }],
          as: 'paid',
        },
      },
      { $project: { _id: 0, code: 1, paidOrders: { $size: '$paid' } } },
      { $sort: { code: 1 } },
    ]);
    expect(rows).toEqual([
      { code: 'KDT', paidOrders: 1 },
      { code: 'WAY', paidOrders: 1 },
    ]);
  });

  it('computes several views at once with $facet', async () => {
    const [result] = await OrderModel.aggregate([
      { $facet: { byStatus: [{ $sortByCount: '$status' }], total: [{ $count: 'n' }] } },
    ]);
    expect(result.total).toEqual([{ n: 3 }]);
    expect(result.byStatus).toEqual([
      { _id: 'paid', count: 2 },
      { _id: 'new', count: 1 },
    ]);
  });

  it('writes results into a real collection with $out', async () => {
    await OrderModel.aggregate([{ $unwind: '$items' }, { $group: { _id: '$items.sku', qty: { $sum: '$items.qty' } } }, { $out: 'sku_totals' }]);
    const totals = await conn.collection('sku_totals').find({}).sort({ _id: 1 }).toArray();
    expect(totals).toEqual([
      { _id: 'beras-5kg', qty: 3 },
      { _id: 'gula-1kg', qty: 3 },
      { _id: 'migor-2l', qty: 1 },
    ]);
  });

  it('merges results into an existing collection with $merge', async () => {
    const summary = conn.collection('coop_summary');
    await summary.insertOne({ _id: 'WAY' as never, note: 'keep me', orders: 0 });
    await OrderModel.aggregate([
      { $lookup: { from: 'coops', localField: 'coop', foreignField: '_id', as: 'c' } },
      { $group: { _id: { $first: '$c.code' }, orders: { $sum: 1 } } },
      { $merge: { into: 'coop_summary', whenMatched: 'merge', whenNotMatched: 'insert' } },
    ]);
    const rows = await summary.find({}).sort({ _id: 1 }).toArray();
    expect(rows).toEqual([
      { _id: 'KDT', orders: 1 },
      { _id: 'WAY', note: 'keep me', orders: 2 },
    ]);
  });

  it('populates references', async () => {
    const orders = await OrderModel.find({ status: 'paid' }).populate<{ coop: { code: string } }>('coop').sort({ _id: 1 }).lean();
    expect(orders.map((order) => order.coop.code)).toEqual(['WAY', 'KDT']);
  });

  it('counts and lists distinct values', async () => {
    expect(await OrderModel.countDocuments({ status: 'paid' })).toBe(2);
    expect((await OrderModel.distinct('items.sku')).sort()).toEqual(['beras-5kg', 'gula-1kg', 'migor-2l']);
  });
});
