import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

interface Product {
  sku: string;
  category: string;
  price: number;
}

const PRODUCTS: Product[] = [
  { sku: 'beras-5kg', category: 'sembako', price: 75000 },
  { sku: 'gula-1kg', category: 'sembako', price: 18000 },
  { sku: 'minyak-2l', category: 'sembako', price: 38000 },
  { sku: 'sabun', category: 'rumah', price: 5000 },
  { sku: 'kopi', category: 'minuman', price: 12000 },
];

/** The first stage of a plan tree with this name (plans nest through inputStage / inputStages). */
function findStage(stage: Document | undefined, name: string): Document | undefined {
  if (!stage) return undefined;
  if (stage.stage === name) return stage;
  for (const child of [stage.inputStage, ...((stage.inputStages as Document[] | undefined) ?? [])]) {
    const found = findStage(child as Document | undefined, name);
    if (found) return found;
  }
  return undefined;
}

describe('MongoDB 7.0 conformance: explain', () => {
  let database: TestDatabase;
  let client: MongoClient;
  let db: Db;
  let products: Collection<Product>;

  beforeAll(async () => {
    database = await openTestDatabase('conformance_explain');
    client = await MongoClient.connect(database.uri);
    db = client.db();
    products = db.collection<Product>('products');
    await products.insertMany(PRODUCTS.map((product) => ({ ...product })));
    await products.createIndex({ category: 1, price: 1 });
    await products.createIndex({ sku: 1 }, { unique: true });
  });

  afterAll(async () => {
    await client.close();
    await database.cleanup();
  });

  describe('find', () => {
    it('reports an index scan under FETCH with the index the planner used', async () => {
      const explained = await products.find({ sku: 'gula-1kg' }).explain('queryPlanner');
      expect(explained.ok).toBe(1);
      const planner = explained.queryPlanner as Document;
      expect(planner.namespace).toBe(`${db.databaseName}.products`);
      expect(planner.parsedQuery).toEqual({ sku: { $eq: 'gula-1kg' } });
      expect(planner.rejectedPlans).toEqual([]);
      const winning = planner.winningPlan as Document;
      expect(winning.stage).toBe('FETCH');
      expect(winning.inputStage).toMatchObject({
        stage: 'IXSCAN',
        indexName: 'sku_1',
        keyPattern: { sku: 1 },
        isUnique: true,
        direction: 'forward',
        indexBounds: { sku: ['["gula-1kg", "gula-1kg"]'] },
      });
      expect(explained.executionStats).toBeUndefined();
      expect(explained.command).toMatchObject({ find: 'products', filter: { sku: 'gula-1kg' }, $db: db.databaseName });
      expect(explained.serverInfo).toMatchObject({ version: expect.any(String), port: expect.any(Number) });
    });

    it('bounds the leading fields of a compound index, leaves the rest to the FETCH filter', async () => {
      const explained = await products.find({ category: 'sembako', price: { $gt: 20000 } }).explain('queryPlanner');
      const winning = (explained.queryPlanner as Document).winningPlan as Document;
      expect(winning.filter).toEqual({ price: { $gt: 20000 } });
      expect(winning.inputStage).toMatchObject({
        indexName: 'category_1_price_1',
        indexBounds: { category: ['["sembako", "sembako"]'], price: ['[MinKey, MaxKey]'] },
      });
    });

    it('reports a collection scan with its filter when no index applies', async () => {
      const explained = await products.find({ price: { $lt: 10000 } }).explain('queryPlanner');
      const winning = (explained.queryPlanner as Document).winningPlan as Document;
      expect(winning).toEqual({ stage: 'COLLSCAN', filter: { price: { $lt: 10000 } }, direction: 'forward' });
    });

    it('counts what it examined and returned (executionStats)', async () => {
      const indexed = await products.find({ category: 'sembako' }).explain('executionStats');
      expect(indexed.executionStats).toMatchObject({ executionSuccess: true, nReturned: 3, totalKeysExamined: 3, totalDocsExamined: 3 });
      expect((indexed.executionStats as Document).executionTimeMillis).toEqual(expect.any(Number));

      const scanned = await products.find({ price: { $gte: 12000 } }).explain('executionStats');
      expect(scanned.executionStats).toMatchObject({ nReturned: 4, totalKeysExamined: 0, totalDocsExamined: 5 });
      expect(((scanned.executionStats as Document).executionStages as Document).stage).toBe('COLLSCAN');
    });

    it('adds SORT, SKIP and LIMIT stages and stops a scan at the limit', async () => {
      const sorted = await products.find({ category: 'sembako' }).sort({ price: -1 }).skip(1).limit(1).explain('executionStats');
      const winning = (sorted.queryPlanner as Document).winningPlan as Document;
      expect(winning).toMatchObject({ stage: 'SKIP', skipAmount: 1, inputStage: { stage: 'SORT', sortPattern: { price: -1 }, limitAmount: 2 } });
      expect((sorted.executionStats as Document).nReturned).toBe(1);

      const limited = await products.find({}).limit(2).explain('executionStats');
      expect(((limited.queryPlanner as Document).winningPlan as Document).stage).toBe('LIMIT');
      expect(limited.executionStats).toMatchObject({ nReturned: 2, totalDocsExamined: 2 });
    });

    it('answers an _id lookup with IDHACK and an $or over indexes with an OR of index scans', async () => {
      const [first] = await products.find({}).limit(1).toArray();
      const byId = await products.find({ _id: first._id }).explain('executionStats');
      expect(((byId.queryPlanner as Document).winningPlan as Document).stage).toBe('IDHACK');
      expect(byId.executionStats).toMatchObject({ nReturned: 1, totalKeysExamined: 1, totalDocsExamined: 1 });

      const either = await products.find({ $or: [{ sku: 'kopi' }, { category: 'rumah' }] }).explain('executionStats');
      const winning = (either.queryPlanner as Document).winningPlan as Document;
      expect(winning.stage).toBe('SUBPLAN');
      const union = findStage(winning, 'OR')!;
      expect((union.inputStages as Document[]).map((stage) => stage.indexName)).toEqual(['sku_1', 'category_1_price_1']);
      expect(either.executionStats).toMatchObject({ nReturned: 2, totalKeysExamined: 2 });
    });

    it('reports EOF for a collection that does not exist', async () => {
      const explained = await db.collection('missing').find({ a: 1 }).explain('executionStats');
      expect(((explained.queryPlanner as Document).winningPlan as Document).stage).toBe('EOF');
      expect((explained.executionStats as Document).nReturned).toBe(0);
    });

    it('defaults to allPlansExecution and rejects an unknown verbosity', async () => {
      const explained = await products.find({ sku: 'kopi' }).explain();
      expect((explained.executionStats as Document).allPlansExecution).toEqual([]);
      const reply = await db.command({ explain: { find: 'products' }, verbosity: 'everything' }).catch((error: { code?: number }) => error);
      expect((reply as { code?: number }).code).toBe(9);
    });
  });

  describe('through mongoose', () => {
    it('names the index a query uses, or COLLSCAN', async () => {
      const conn = await mongoose.createConnection(database.uri).asPromise();
      try {
        const Product = conn.model<Product>('Product', new mongoose.Schema<Product>({ sku: String, category: String, price: Number }), 'products');
        const indexed = (await Product.find({ sku: 'beras-5kg' }).explain('executionStats')) as unknown as Document;
        expect(findStage((indexed.queryPlanner as Document).winningPlan as Document, 'IXSCAN')?.indexName).toBe('sku_1');
        expect((indexed.executionStats as Document).nReturned).toBe(1);

        const scanned = (await Product.find({ price: { $gt: 50000 } }).explain()) as unknown as Document;
        expect(((scanned.queryPlanner as Document).winningPlan as Document).stage).toBe('COLLSCAN');
      } finally {
        await conn.close();
      }
    });
  });

  describe('aggregate and count', () => {
    it('explains a pipeline the query layer absorbs like a find', async () => {
      const explained = await products.aggregate([{ $match: { category: 'sembako' } }, { $sort: { price: 1 } }, { $limit: 2 }]).explain('executionStats');
      const winning = (explained.queryPlanner as Document).winningPlan as Document;
      expect(winning).toMatchObject({ stage: 'SORT', limitAmount: 2 });
      expect(findStage(winning, 'IXSCAN')?.indexName).toBe('category_1_price_1');
      expect((explained.executionStats as Document).nReturned).toBe(2);
    });

    it('explains other pipelines as a $cursor stage followed by the remaining stages', async () => {
      const explained = await products
        .aggregate([{ $match: { category: 'sembako' } }, { $group: { _id: '$category', total: { $sum: '$price' } } }])
        .explain('executionStats');
      const [cursor, group] = explained.stages as Document[];
      const planner = (cursor.$cursor as Document).queryPlanner as Document;
      expect(findStage(planner.winningPlan as Document, 'IXSCAN')?.indexName).toBe('category_1_price_1');
      expect(((cursor.$cursor as Document).executionStats as Document).nReturned).toBe(3);
      expect(group).toMatchObject({ $group: { _id: '$category' }, nReturned: 1 });
    });

    it('explains count with a COUNT stage and counts without returning documents', async () => {
      const explained = await db.command({ explain: { count: 'products', query: { category: 'sembako' } }, verbosity: 'executionStats' });
      const winning = (explained.queryPlanner as Document).winningPlan as Document;
      expect(winning.stage).toBe('COUNT');
      expect(findStage(winning, 'IXSCAN')?.indexName).toBe('category_1_price_1');
      expect(explained.executionStats).toMatchObject({ nReturned: 0, executionStages: { stage: 'COUNT', nCounted: 3 } });
    });
  });

  describe('writes', () => {
    it('plans an update and counts what it would change without writing', async () => {
      const explained = (await products.updateMany({ category: 'sembako' }, { $inc: { price: 1000 } }, { explain: 'executionStats' })) as unknown as Document;
      const winning = (explained.queryPlanner as Document).winningPlan as Document;
      expect(winning.stage).toBe('UPDATE');
      expect(findStage(winning, 'IXSCAN')?.indexName).toBe('category_1_price_1');
      expect((explained.executionStats as Document).executionStages).toMatchObject({ stage: 'UPDATE', nMatched: 3, nWouldModify: 3, nWouldUpsert: 0 });
      expect((await products.findOne({ sku: 'beras-5kg' }))?.price).toBe(75000);
    });

    it('plans a delete without deleting', async () => {
      const explained = (await products.deleteOne({ price: { $lt: 10000 } }, { explain: 'executionStats' })) as unknown as Document;
      const winning = (explained.queryPlanner as Document).winningPlan as Document;
      expect(winning).toMatchObject({ stage: 'DELETE', inputStage: { stage: 'COLLSCAN' } });
      expect((explained.executionStats as Document).executionStages).toMatchObject({ stage: 'DELETE', nWouldDelete: 1 });
      expect(await products.countDocuments()).toBe(PRODUCTS.length);
    });

    it('plans a findAndModify with its sort', async () => {
      const explained = (await products.findOneAndUpdate(
        { category: 'sembako' },
        { $set: { price: 0 } },
        { sort: { price: -1 }, explain: 'executionStats', includeResultMetadata: true },
      )) as unknown as Document;
      const winning = (explained.queryPlanner as Document).winningPlan as Document;
      expect(winning).toMatchObject({ stage: 'UPDATE', inputStage: { stage: 'SORT', limitAmount: 1 } });
      expect((explained.executionStats as Document).executionStages).toMatchObject({ nMatched: 1, nWouldModify: 1 });
      expect(await products.countDocuments({ price: 0 })).toBe(0);
    });
  });
});
