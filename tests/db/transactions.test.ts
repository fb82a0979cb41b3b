import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

interface Account {
  owner: string;
  balance: number;
}

describe('transactions', () => {
  let db: TestDatabase;
  let conn: mongoose.Connection;
  let AccountModel: mongoose.Model<Account>;

  beforeAll(async () => {
    db = await openTestDatabase('transactions');
    conn = await mongoose.createConnection(db.uri).asPromise();
    AccountModel = conn.model<Account>('Account', new mongoose.Schema<Account>({ owner: { type: String, unique: true }, balance: Number }));
    await AccountModel.init();
  });

  beforeEach(async () => {
    await AccountModel.deleteMany({});
    await AccountModel.create([
      { owner: 'ani', balance: 100 },
      { owner: 'budi', balance: 50 },
    ]);
  });

  afterAll(async () => {
    await conn.close();
    await db.cleanup();
  });

  const balanceOf = async (owner: string) => (await AccountModel.findOne({ owner }).lean())?.balance;

  it('commits all writes together', async () => {
    const session = await conn.startSession();
    await session.withTransaction(async () => {
      await AccountModel.updateOne({ owner: 'ani' }, { $inc: { balance: -30 } }, { session });
      await AccountModel.updateOne({ owner: 'budi' }, { $inc: { balance: 30 } }, { session });
      await AccountModel.create([{ owner: 'citra', balance: 0 }], { session });
    });
    await session.endSession();
    expect(await balanceOf('ani')).toBe(70);
    expect(await balanceOf('budi')).toBe(80);
    expect(await AccountModel.countDocuments()).toBe(3);
  });

  it('hides uncommitted writes and discards them on abort', async () => {
    const session = await conn.startSession();
    session.startTransaction();
    await AccountModel.updateOne({ owner: 'ani' }, { $set: { balance: 0 } }, { session });
    await AccountModel.create([{ owner: 'dewi', balance: 5 }], { session });
    expect((await AccountModel.findOne({ owner: 'ani' }).session(session).lean())?.balance).toBe(0);
    expect(await balanceOf('ani')).toBe(100);
    expect(await AccountModel.countDocuments({ owner: 'dewi' })).toBe(0);
    await session.abortTransaction();
    await session.endSession();
    expect(await balanceOf('ani')).toBe(100);
    expect(await AccountModel.countDocuments({ owner: 'dewi' })).toBe(0);
  });

  it('reads from its snapshot while others commit', async () => {
    const session = await conn.startSession();
    session.startTransaction();
    expect((await AccountModel.findOne({ owner: 'budi' }).session(session).lean())?.balance).toBe(50);
    await AccountModel.updateOne({ owner: 'budi' }, { $set: { balance: 999 } });
    await AccountModel.create({ owner: 'eka', balance: 1 });
    expect((await AccountModel.findOne({ owner: 'budi' }).session(session).lean())?.balance).toBe(50);
    expect(await AccountModel.countDocuments({ owner: 'eka' }).session(session)).toBe(0);
    await session.commitTransaction();
    await session.endSession();
  });

  it('keeps its snapshot when another client changes an indexed field', async () => {
    const session = await conn.startSession();
    session.startTransaction();
    expect((await AccountModel.findOne({ owner: 'budi' }).session(session).lean())?.balance).toBe(50);
    await AccountModel.updateOne({ owner: 'budi' }, { $set: { owner: 'budiman' } });
    expect((await AccountModel.findOne({ owner: 'budi' }).session(session).lean())?.balance).toBe(50);
    expect(await AccountModel.findOne({ owner: 'budiman' }).session(session).lean()).toBeNull();
    await session.abortTransaction();
    await session.endSession();
    expect(await AccountModel.countDocuments({ owner: 'budiman' })).toBe(1);
  });

  it('fails the second writer of a document with WriteConflict (112, TransientTransactionError)', async () => {
    const first = await conn.startSession();
    const second = await conn.startSession();
    first.startTransaction();
    second.startTransaction();
    await AccountModel.updateOne({ owner: 'ani' }, { $inc: { balance: 1 } }, { session: first });
    const error = (await AccountModel.updateOne({ owner: 'ani' }, { $inc: { balance: 2 } }, { session: second }).catch((e: unknown) => e)) as {
      code?: number;
      errorLabels?: string[];
      hasErrorLabel?: (label: string) => boolean;
    };
    expect(error.code).toBe(112);
    expect(error.hasErrorLabel?.('TransientTransactionError')).toBe(true);
    await second.abortTransaction();
    await first.commitTransaction();
    await first.endSession();
    await second.endSession();
    expect(await balanceOf('ani')).toBe(101);
  });

  it('lets withTransaction retry after a conflicting commit', async () => {
    const session = await conn.startSession();
    let attempts = 0;
    await session.withTransaction(async () => {
      attempts++;
      const ani = await AccountModel.findOne({ owner: 'ani' }).session(session).lean();
      if (attempts === 1) await AccountModel.updateOne({ owner: 'ani' }, { $inc: { balance: 1000 } });
      await AccountModel.updateOne({ owner: 'ani' }, { $set: { balance: ani!.balance + 1 } }, { session });
    });
    await session.endSession();
    expect(attempts).toBe(2);
    expect(await balanceOf('ani')).toBe(1101);
  });

  it('aborts on a duplicate key inside the transaction', async () => {
    const session = await conn.startSession();
    session.startTransaction();
    await AccountModel.create([{ owner: 'fajar', balance: 1 }], { session });
    const error = (await AccountModel.create([{ owner: 'ani', balance: 1 }], { session }).catch((e: unknown) => e)) as { code?: number };
    expect(error.code).toBe(11000);
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect(await AccountModel.countDocuments({ owner: 'fajar' })).toBe(0);
  });

  it('checks unique keys against its own earlier writes, renames and snapshot images', async () => {
    const session = await conn.startSession();
    session.startTransaction();
    // Many writes in one transaction: each is checked against the others by key.
    await AccountModel.insertMany(Array.from({ length: 300 }, (_, i) => ({ owner: `warga-${i}`, balance: i })), { session });
    const duplicate = (await AccountModel.create([{ owner: 'warga-150', balance: 1 }], { session }).catch((e: unknown) => e)) as { code?: number };
    expect(duplicate.code).toBe(11000);
    await session.abortTransaction();

    session.startTransaction();
    // A key this transaction freed (renamed away) may be taken again in it.
    await AccountModel.updateOne({ owner: 'ani' }, { $set: { owner: 'ani-lama' } }, { session });
    await AccountModel.create([{ owner: 'ani', balance: 7 }], { session });
    // Another client renames budi after the snapshot: the snapshot still holds 'budi'.
    await AccountModel.updateOne({ owner: 'budi' }, { $set: { owner: 'budi-baru' } });
    const inSnapshot = (await AccountModel.create([{ owner: 'budi', balance: 1 }], { session }).catch((e: unknown) => e)) as { code?: number };
    expect(inSnapshot.code).toBe(11000);
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect(await AccountModel.find({}, { owner: 1, _id: 0 }).sort({ owner: 1 }).lean()).toEqual([{ owner: 'ani' }, { owner: 'budi-baru' }]);
  });

  it('finds its own writes by _id', async () => {
    const session = await conn.startSession();
    await session.withTransaction(async () => {
      const [created] = await AccountModel.create([{ owner: 'citra', balance: 5 }], { session });
      await AccountModel.updateOne({ _id: created._id }, { $inc: { balance: 1 } }, { session });
      expect((await AccountModel.findById(created._id, null, { session }).lean())?.balance).toBe(6);
      await AccountModel.deleteOne({ _id: { $in: [created._id] } }, { session });
      expect(await AccountModel.findById(created._id, null, { session }).lean()).toBeNull();
    });
    await session.endSession();
  });

  it('keeps money conserved under many concurrent conflicting transfers', async () => {
    const Ledger = conn.model('TransferLedger', new mongoose.Schema({ from: String, to: String, amount: Number }));
    await Ledger.createCollection();
    const owners = ['ani', 'budi'];
    const transfers = Array.from({ length: 20 }, (_, i) => ({ from: owners[i % 2], to: owners[(i + 1) % 2], amount: i + 1 }));
    await Promise.all(
      transfers.map(async (transfer) => {
        const session = await conn.startSession();
        try {
          await session.withTransaction(async () => {
            await AccountModel.updateOne({ owner: transfer.from }, { $inc: { balance: -transfer.amount } }, { session });
            await AccountModel.updateOne({ owner: transfer.to }, { $inc: { balance: transfer.amount } }, { session });
            await Ledger.create([transfer], { session });
          });
        } finally {
          await session.endSession();
        }
      }),
    );
    const net = (owner: string) => transfers.reduce((sum, t) => sum + (t.to === owner ? t.amount : 0) - (t.from === owner ? t.amount : 0), 0);
    expect(await Ledger.countDocuments()).toBe(20);
    expect(await balanceOf('ani')).toBe(100 + net('ani'));
    expect(await balanceOf('budi')).toBe(50 + net('budi'));
  });
});
