import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

interface User {
  email: string;
  name?: string;
  visits: number;
  tags: string[];
  status?: string;
}

describe('CRUD through mongoose', () => {
  let db: TestDatabase;
  let conn: mongoose.Connection;
  let UserModel: mongoose.Model<User>;

  beforeAll(async () => {
    db = await openTestDatabase('crud');
    conn = await mongoose.createConnection(db.uri).asPromise();
    UserModel = conn.model<User>(
      'User',
      new mongoose.Schema<User>({
        email: { type: String, required: true, unique: true },
        name: String,
        visits: { type: Number, default: 0 },
        tags: [String],
        status: String,
      }),
    );
    await UserModel.init();
  });

  afterAll(async () => {
    await conn.close();
    await db.cleanup();
  });

  it('inserts and reads back by id, lean and hydrated', async () => {
    const created = await UserModel.create({ email: 'siti@example.id', name: 'Siti' });
    const lean = await UserModel.findById(created._id).lean();
    expect(lean).toMatchObject({ email: 'siti@example.id', name: 'Siti', visits: 0 });
    expect(String(lean!._id)).toBe(String(created._id));
    const doc = await UserModel.findOne({ email: 'siti@example.id' });
    expect(doc?.name).toBe('Siti');
  });

  it('reports a unique violation as 11000 with keyPattern and keyValue', async () => {
    await UserModel.create({ email: 'budi@example.id' });
    const error = (await UserModel.create({ email: 'budi@example.id' }).catch((e: unknown) => e)) as {
      code?: number;
      keyPattern?: unknown;
      keyValue?: unknown;
    };
    expect(error.code).toBe(11000);
    expect(error.keyPattern).toEqual({ email: 1 });
    expect(error.keyValue).toEqual({ email: 'budi@example.id' });
  });

  it('applies $inc, $push, $addToSet and $pull', async () => {
    const { _id } = await UserModel.create({ email: 'ops@example.id', tags: ['a'] });
    await UserModel.updateOne({ _id }, { $inc: { visits: 3 }, $push: { tags: 'b' } });
    await UserModel.updateOne({ _id }, { $addToSet: { tags: { $each: ['b', 'c'] } } });
    await UserModel.updateOne({ _id }, { $pull: { tags: 'a' }, $inc: { visits: -1 } });
    const after = await UserModel.findById(_id).lean();
    expect(after?.visits).toBe(2);
    expect(after?.tags).toEqual(['b', 'c']);
  });

  it('findOneAndUpdate only updates when the condition holds', async () => {
    const { _id } = await UserModel.create({ email: 'cond@example.id', status: 'new' });
    const first = await UserModel.findOneAndUpdate({ _id, status: 'new' }, { $set: { status: 'paid' } }, { returnDocument: 'after' }).lean();
    expect(first?.status).toBe('paid');
    const second = await UserModel.findOneAndUpdate({ _id, status: 'new' }, { $set: { status: 'cancelled' } }, { returnDocument: 'after' }).lean();
    expect(second).toBeNull();
    expect((await UserModel.findById(_id).lean())?.status).toBe('paid');
  });

  it('sorts, skips, limits and projects', async () => {
    await UserModel.insertMany([
      { email: 'p1@example.id', visits: 30, status: 'sort' },
      { email: 'p2@example.id', visits: 10, status: 'sort' },
      { email: 'p3@example.id', visits: 20, status: 'sort' },
    ]);
    const rows = await UserModel.find({ status: 'sort' }).sort({ visits: -1 }).skip(1).limit(1).select({ email: 1, _id: 0 }).lean();
    expect(rows).toEqual([{ email: 'p3@example.id' }]);
  });

  it('upserts with $setOnInsert seeding fields from the filter', async () => {
    const result = await UserModel.updateOne(
      { email: 'upsert@example.id' },
      { $setOnInsert: { name: 'Baru' }, $inc: { visits: 1 } },
      { upsert: true },
    );
    expect(result.upsertedCount).toBe(1);
    await UserModel.updateOne({ email: 'upsert@example.id' }, { $setOnInsert: { name: 'Lain' }, $inc: { visits: 1 } }, { upsert: true });
    const doc = await UserModel.findOne({ email: 'upsert@example.id' }).lean();
    expect(doc).toMatchObject({ name: 'Baru', visits: 2 });
  });

  it('upserts and deletes through findOneAndUpdate and findOneAndDelete', async () => {
    const created = await UserModel.findOneAndUpdate(
      { email: 'fam@example.id' },
      { $set: { name: 'Fam' } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(created).toMatchObject({ email: 'fam@example.id', name: 'Fam' });
    expect(await UserModel.exists({ email: 'fam@example.id' })).not.toBeNull();
    const removed = await UserModel.findOneAndDelete({ email: 'fam@example.id' }).lean();
    expect(String(removed?._id)).toBe(String(created?._id));
    expect(await UserModel.exists({ email: 'fam@example.id' })).toBeNull();
  });

  it('saves hydrated documents with timestamps and array versioning', async () => {
    const Note = conn.model(
      'Note',
      new mongoose.Schema({ title: String, lines: [String] }, { timestamps: true, optimisticConcurrency: true }),
    );
    const note = await Note.create({ title: 'Belanja', lines: ['beras'] });
    const createdAt = note.get('createdAt') as Date;
    note.set('title', 'Belanja mingguan');
    note.get('lines').push('gula');
    await note.save();
    const stored = await Note.findById(note._id).lean<{ title: string; lines: string[]; __v: number; createdAt: Date; updatedAt: Date }>();
    expect(stored).toMatchObject({ title: 'Belanja mingguan', lines: ['beras', 'gula'], __v: 1 });
    expect(stored!.createdAt.getTime()).toBe(createdAt.getTime());
    expect(stored!.updatedAt.getTime()).toBeGreaterThanOrEqual(createdAt.getTime());
    // A stale copy is refused by the version check (the filter includes __v).
    const stale = await Note.findById(note._id);
    const fresh = await Note.findById(note._id);
    fresh!.set('title', 'Segar');
    await fresh!.save();
    stale!.set('title', 'Basi');
    await expect(stale!.save()).rejects.toThrow(/No matching document/);
    expect((await Note.findById(note._id).lean<{ title: string }>())?.title).toBe('Segar');
  });

  it('deletes one and many', async () => {
    await UserModel.insertMany([
      { email: 'd1@example.id', status: 'gone' },
      { email: 'd2@example.id', status: 'gone' },
      { email: 'd3@example.id', status: 'gone' },
    ]);
    expect((await UserModel.deleteOne({ status: 'gone' })).deletedCount).toBe(1);
    expect((await UserModel.deleteMany({ status: 'gone' })).deletedCount).toBe(2);
    expect(await UserModel.countDocuments({ status: 'gone' })).toBe(0);
  });

  it('updates array elements through arrayFilters, pipelines and replacements', async () => {
    const carts = conn.collection('carts');
    const { insertedId } = await carts.insertOne({
      phone: '+628123',
      lines: [
        { sku: 'beras-5kg', qty: 1, priceRp: 75000 },
        { sku: 'migor-2l', qty: 2, priceRp: 38000 },
      ],
    });
    await carts.updateOne({ _id: insertedId }, { $inc: { 'lines.$[line].qty': 3 } }, { arrayFilters: [{ 'line.sku': 'beras-5kg' }] });
    await carts.updateOne({ _id: insertedId }, [
      { $set: { totalRp: { $sum: { $map: { input: '$lines', as: 'l', in: { $multiply: ['$$l.qty', '$$l.priceRp'] } } } } } },
    ]);
    const cart = await carts.findOne({ _id: insertedId });
    expect(cart?.lines.map((line: { qty: number }) => line.qty)).toEqual([4, 2]);
    expect(cart?.totalRp).toBe(4 * 75000 + 2 * 38000);
    await carts.replaceOne({ _id: insertedId }, { phone: '+628123', lines: [] });
    expect(await carts.findOne({ _id: insertedId }, { projection: { _id: 0 } })).toEqual({ phone: '+628123', lines: [] });
  });
});
