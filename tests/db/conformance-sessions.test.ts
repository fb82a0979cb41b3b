import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, MongoServerError, Timestamp, type CommandStartedEvent, type CommandSucceededEvent, type Db, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../src/db/embedded/server.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDatabase, testLane, type TestDatabase } from '../helpers/database.js';

const itEmbedded = testLane() === 'embedded' ? it : it.skip;

async function failure(promise: Promise<unknown>): Promise<MongoServerError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof MongoServerError)) throw new Error(`expected a server error, got ${String(outcome)}`);
  return outcome;
}

async function collectionNames(db: Db): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray()).map((info) => info.name).sort();
}

describe('MongoDB 7.0 conformance: cluster time, causal consistency and transactions', () => {
  let database: TestDatabase;
  let client: MongoClient;
  let db: Db;
  const started: CommandStartedEvent[] = [];
  const succeeded: CommandSucceededEvent[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('conformance_sessions');
    client = new MongoClient(database.uri, { monitorCommands: true });
    client.on('commandStarted', (event) => started.push(event));
    client.on('commandSucceeded', (event) => succeeded.push(event));
    await client.connect();
    db = client.db();
  });

  beforeEach(() => {
    started.length = 0;
    succeeded.length = 0;
  });

  afterAll(async () => {
    await client.close();
    await database.cleanup();
  });

  const replyOf = (commandName: string): Document => {
    const event = succeeded.filter((candidate) => candidate.commandName === commandName).at(-1);
    if (!event) throw new Error(`no ${commandName} reply seen`);
    return event.reply as Document;
  };

  describe('cluster time', () => {
    it('advertises sessions in hello and answers with $clusterTime', async () => {
      const hello = await db.admin().command({ hello: 1 });
      expect(hello.logicalSessionTimeoutMinutes).toBeGreaterThan(0);
      expect(hello.isWritablePrimary).toBe(true);
      expect(hello.setName).toEqual(expect.any(String));
      const clusterTime = hello.$clusterTime as Document;
      expect(clusterTime.clusterTime).toBeInstanceOf(Timestamp);
      const signature = clusterTime.signature as { hash: { buffer: Uint8Array }; keyId: unknown };
      expect(Buffer.from(signature.hash.buffer)).toEqual(Buffer.alloc(20));
      expect(Number(signature.keyId)).toBe(0);
      expect(hello.operationTime).toBeInstanceOf(Timestamp);
    });

    it('gives each write a later operationTime and reads the latest one', async () => {
      const notes = db.collection('notes');
      await notes.insertOne({ n: 1 });
      const first = replyOf('insert').operationTime as Timestamp;
      await notes.updateOne({ n: 1 }, { $set: { n: 2 } });
      const second = replyOf('update').operationTime as Timestamp;
      expect(second.greaterThan(first)).toBe(true);
      expect(await notes.findOne({}, { projection: { _id: 0 } })).toEqual({ n: 2 });
      const read = replyOf('find').operationTime as Timestamp;
      expect(read.equals(second)).toBe(true);
      expect((replyOf('find').$clusterTime as Document).clusterTime.equals(second)).toBe(true);
    });

    it('runs a read whose afterClusterTime is at or before the current time', async () => {
      await db.collection('clock').insertOne({ at: 'now' });
      const latest = replyOf('insert').operationTime as Timestamp;
      const earlier = new Timestamp({ t: latest.t - 60, i: 1 });
      for (const afterClusterTime of [latest, earlier]) {
        const reply = await db.command({ find: 'clock', filter: {}, readConcern: { afterClusterTime } });
        expect((reply.cursor as Document).firstBatch).toHaveLength(1);
      }
    });

    itEmbedded('refuses an afterClusterTime later than any time it has reached (single node: InvalidOptions)', async () => {
      const latest = (await db.admin().command({ ping: 1 })).operationTime as Timestamp;
      const future = new Timestamp({ t: latest.t + 3600, i: 1 });
      const error = await failure(db.command({ find: 'clock', filter: {}, readConcern: { afterClusterTime: future } }));
      expect(error.code).toBe(72);
      expect(error.codeName).toBe('InvalidOptions');
    });
  });

  describe('causally consistent sessions', () => {
    it('advances the session operationTime and reads after its own write', async () => {
      const session = client.startSession({ causalConsistency: true });
      try {
        const orders = db.collection('orders');
        await orders.insertOne({ order: 1001, status: 'baru' }, { session });
        const afterInsert = session.operationTime!;
        expect(afterInsert.equals(replyOf('insert').operationTime as Timestamp)).toBe(true);

        started.length = 0;
        expect(await orders.findOne({ order: 1001 }, { session, projection: { _id: 0 } })).toEqual({ order: 1001, status: 'baru' });
        const find = started.find((event) => event.commandName === 'find')!;
        expect((find.command.readConcern as Document).afterClusterTime.equals(afterInsert)).toBe(true);

        await orders.updateOne({ order: 1001 }, { $set: { status: 'dikirim' } }, { session });
        expect(session.operationTime!.greaterThan(afterInsert)).toBe(true);
      } finally {
        await session.endSession();
      }
    });

    it('works through mongoose with a causally consistent session', async () => {
      const conn = await mongoose.createConnection(database.uri).asPromise();
      try {
        const Stock = conn.model('Stock', new mongoose.Schema({ sku: String, qty: Number }));
        const session = await conn.startSession({ causalConsistency: true });
        await Stock.create([{ sku: 'beras-5kg', qty: 10 }], { session });
        const afterCreate = session.operationTime!;
        await Stock.updateOne({ sku: 'beras-5kg' }, { $inc: { qty: -2 } }, { session });
        expect(session.operationTime!.greaterThan(afterCreate)).toBe(true);
        expect((await Stock.findOne({ sku: 'beras-5kg' }).session(session).lean())?.qty).toBe(8);
        await session.endSession();
      } finally {
        await conn.close();
      }
    });
  });

  describe('commands inside a transaction', () => {
    it('refuses the count command (263) while countDocuments counts the transaction snapshot', async () => {
      const stock = db.collection('stock_count');
      await stock.insertMany([{ sku: 'gula' }, { sku: 'garam' }]);
      const session = client.startSession();
      try {
        session.startTransaction();
        await stock.insertOne({ sku: 'minyak' }, { session });
        expect(await stock.countDocuments({}, { session })).toBe(3);
        const error = await failure(db.command({ count: 'stock_count', query: {} }, { session }));
        expect(error.code).toBe(263);
        expect(error.codeName).toBe('OperationNotSupportedInTransaction');
        await session.abortTransaction();
      } finally {
        await session.endSession();
      }
      expect(await stock.countDocuments({})).toBe(2);
    });

    it('creates a collection and its unique index inside a transaction', async () => {
      const session = client.startSession();
      try {
        await session.withTransaction(async () => {
          await db.createCollection('catalogue', { session });
          await db.collection('catalogue').createIndex({ sku: 1 }, { unique: true, session });
          await db.collection('catalogue').insertOne({ sku: 'telur-1kg', price: 28000 }, { session });
        });
      } finally {
        await session.endSession();
      }
      const indexes = await db.collection('catalogue').listIndexes().toArray();
      expect(indexes.map((index) => index.name)).toEqual(['_id_', 'sku_1']);
      expect((await failure(db.collection('catalogue').insertOne({ sku: 'telur-1kg' }))).code).toBe(11000);
    });

    it('refuses a new index on an existing collection inside a transaction', async () => {
      await db.collection('existing').insertOne({ sku: 'kopi' });
      const session = client.startSession();
      try {
        session.startTransaction();
        await db.collection('existing').findOne({}, { session });
        const error = await failure(db.collection('existing').createIndex({ sku: 1 }, { session }));
        expect(error.code).toBe(263);
        await session.abortTransaction().catch(() => undefined);
      } finally {
        await session.endSession();
      }
      expect((await db.collection('existing').listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_']);
    });

    it('needs read concern "local" to create explicitly, any level to create by a write', async () => {
      const session = client.startSession();
      try {
        session.startTransaction({ readConcern: { level: 'snapshot' } });
        const error = await failure(db.createCollection('snapshot_explicit', { session }));
        expect(error.code).toBe(72);
        await session.abortTransaction().catch(() => undefined);

        session.startTransaction({ readConcern: { level: 'snapshot' } });
        await db.collection('snapshot_implicit').insertOne({ made: 'by insert' }, { session });
        await session.commitTransaction();
      } finally {
        await session.endSession();
      }
      expect(await collectionNames(db)).toContain('snapshot_implicit');
      expect(await collectionNames(db)).not.toContain('snapshot_explicit');
    });

    it('refuses catalog reads and explain in a transaction, and informational commands as its first statement', async () => {
      await db.collection('informed').insertOne({ x: 1 });
      const session = client.startSession();
      try {
        session.startTransaction();
        expect((await failure(db.admin().command({ buildInfo: 1 }, { session }))).code).toBe(263);
        await session.abortTransaction().catch(() => undefined);

        session.startTransaction();
        await db.collection('informed').findOne({}, { session });
        expect((await db.admin().command({ buildInfo: 1 }, { session })).version).toEqual(expect.any(String));
        expect((await failure(db.command({ listCollections: 1 }, { session }))).code).toBe(263);
        await session.abortTransaction().catch(() => undefined);

        session.startTransaction();
        await db.collection('informed').findOne({}, { session });
        expect((await failure(db.collection('informed').find({}, { session }).explain('queryPlanner'))).code).toBe(263);
        await session.abortTransaction().catch(() => undefined);
      } finally {
        await session.endSession();
      }
    });
  });

  describe('collections created in a transaction', () => {
    it('stay invisible to other sessions until commit (created by an insert)', async () => {
      const session = client.startSession();
      try {
        session.startTransaction();
        await db.collection('drafts').insertOne({ draft: 'pesanan' }, { session });
        expect(await db.collection('drafts').find({}, { session, projection: { _id: 0 } }).toArray()).toEqual([{ draft: 'pesanan' }]);
        expect(await collectionNames(db)).not.toContain('drafts');
        expect(await db.collection('drafts').find({}).toArray()).toEqual([]);
        await session.commitTransaction();
      } finally {
        await session.endSession();
      }
      expect(await collectionNames(db)).toContain('drafts');
      expect(await db.collection('drafts').find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ draft: 'pesanan' }]);
    });

    it('disappear on abort (created explicitly), leaving the name free', async () => {
      const session = client.startSession();
      try {
        session.startTransaction();
        await db.createCollection('scratch', { session });
        await db.collection('scratch').insertOne({ tmp: true }, { session });
        expect(await collectionNames(db)).not.toContain('scratch');
        await session.abortTransaction();
      } finally {
        await session.endSession();
      }
      expect(await collectionNames(db)).not.toContain('scratch');
      await db.createCollection('scratch');
      expect(await db.collection('scratch').countDocuments()).toBe(0);
    });

    it('lose the commit when another session created the same name meanwhile (TransientTransactionError)', async () => {
      const session = client.startSession();
      try {
        session.startTransaction();
        await db.collection('contested').insertOne({ from: 'transaction' }, { session });
        await db.collection('contested').insertOne({ from: 'outside' });
        const error = await failure(session.commitTransaction());
        expect(error.code).toBe(112);
        expect(error.hasErrorLabel('TransientTransactionError')).toBe(true);
      } finally {
        await session.endSession();
      }
      expect(await db.collection('contested').find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ from: 'outside' }]);
    });
  });

  itEmbedded('keeps a collection and index created in a transaction across a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-conformance-'));
    try {
      const first = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
      const firstClient = await MongoClient.connect(first.uri('kdmp'));
      const session = firstClient.startSession();
      await session.withTransaction(async () => {
        await firstClient.db().createCollection('ledger', { session });
        await firstClient.db().collection('ledger').createIndex({ entry: 1 }, { unique: true, session });
        await firstClient.db().collection('ledger').insertOne({ entry: 'simpanan-wajib-1' }, { session });
      });
      await session.endSession();
      await firstClient.close();
      await first.close();

      const second = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
      const secondClient = await MongoClient.connect(second.uri('kdmp'));
      const ledger = secondClient.db().collection('ledger');
      expect(await ledger.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ entry: 'simpanan-wajib-1' }]);
      expect((await failure(ledger.insertOne({ entry: 'simpanan-wajib-1' }))).code).toBe(11000);
      await secondClient.close();
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
