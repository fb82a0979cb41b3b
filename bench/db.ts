/**
 * Benchmark of the embedded MongoDB-compatible server through mongoose (the production
 * data path): durable inserts, lean findById, updateOne $inc, and an indexed-field lookup
 * against an `_id` lookup at 100,000 documents; then the database at scale (bench/db-scale.ts):
 * memory, disk, compaction's longest stall and restart time.
 *
 *   npm run bench:db [-- --scale 100000,1000000]
 *
 * A million order-sized documents need more heap than Node's default 4 GiB:
 *   NODE_OPTIONS=--max-old-space-size=16000 npm run bench:db -- --scale 1000000
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../src/db/embedded/server.js';
import { measureScale, printScaleRows, type ScaleRow } from './db-scale.js';

const CONCURRENCY = 32;
const WRITE_OPS = 5_000;
const READ_OPS = 10_000;
const LARGE_COLLECTION = 100_000;

interface Member {
  coopId: string;
  phone: string;
  name: string;
  savings: number;
}

/** Runs `total` operations with `concurrency` in flight; returns operations per second. */
async function measure(total: number, concurrency: number, operation: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await operation(next++);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return total / seconds;
}

function memberDoc(i: number): Member {
  return { coopId: `coop-${i % 126}`, phone: `+62812${String(i).padStart(8, '0')}`, name: `Anggota ${i}`, savings: 0 };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-bench-db-'));
  const server = await startEmbeddedMongo({ port: 0, dataDir });
  const conn = await mongoose.createConnection(server.uri('bench'), { maxPoolSize: CONCURRENCY }).asPromise();
  const schema = new mongoose.Schema<Member>({
    coopId: String,
    phone: { type: String, unique: true },
    name: String,
    savings: Number,
  });
  const MemberModel = conn.model<Member>('Member', schema);
  await MemberModel.init();
  const rows: Array<[string, number, string]> = [];

  // Warm up the JIT and the connection pool so the first row is not penalised.
  const warmIds: mongoose.Types.ObjectId[] = [];
  await measure(1_000, CONCURRENCY, async (i) => warmIds.push((await MemberModel.create({ ...memberDoc(i), phone: `warm-${i}` }))._id));
  await measure(2_000, CONCURRENCY, (i) => MemberModel.findById(warmIds[i % warmIds.length]).lean());
  await MemberModel.deleteMany({ phone: /^warm-/ });

  const insertedIds: mongoose.Types.ObjectId[] = [];
  const insertRate = await measure(WRITE_OPS, CONCURRENCY, async (i) => {
    const doc = await MemberModel.create(memberDoc(i));
    insertedIds.push(doc._id);
  });
  rows.push(['durable insert (Model.create, fsynced)', insertRate, `${CONCURRENCY} in flight`]);
  // One in flight: every insert waits for its own fsync (no group commit to share).
  const sequentialInsertRate = await measure(500, 1, async (i) => {
    const doc = await MemberModel.create({ ...memberDoc(i), phone: `seq-${i}` });
    insertedIds.push(doc._id);
  });
  rows.push(['durable insert (Model.create, fsynced)', sequentialInsertRate, '1 in flight']);

  const findRate = await measure(READ_OPS, CONCURRENCY, (i) => MemberModel.findById(insertedIds[i % insertedIds.length]).lean());
  rows.push(['findById (lean)', findRate, `${CONCURRENCY} in flight`]);

  const findSequential = await measure(2_000, 1, (i) => MemberModel.findById(insertedIds[i % insertedIds.length]).lean());
  rows.push(['findById (lean)', findSequential, '1 in flight']);

  const updateRate = await measure(WRITE_OPS, CONCURRENCY, (i) =>
    MemberModel.updateOne({ _id: insertedIds[i % insertedIds.length] }, { $inc: { savings: 1000 } }),
  );
  rows.push(['updateOne $inc (fsynced)', updateRate, `${CONCURRENCY} in flight`]);

  const BATCH = 1_000;
  for (let start = WRITE_OPS; start < LARGE_COLLECTION; start += BATCH) {
    await MemberModel.insertMany(Array.from({ length: Math.min(BATCH, LARGE_COLLECTION - start) }, (_, k) => memberDoc(start + k)), { lean: true });
  }
  const count = await MemberModel.estimatedDocumentCount();
  const allIds = (await MemberModel.find({}, { _id: 1 }).lean()).map((doc) => doc._id);
  const pick = (i: number) => (i * 7919) % count;

  const idRate = await measure(READ_OPS, CONCURRENCY, (i) => MemberModel.findOne({ _id: allIds[pick(i)] }).lean());
  rows.push([`_id lookup at ${count.toLocaleString('en')} docs`, idRate, `${CONCURRENCY} in flight`]);
  const indexedRate = await measure(READ_OPS, CONCURRENCY, (i) => MemberModel.findOne({ phone: memberDoc(pick(i)).phone }).lean());
  rows.push([`indexed field lookup at ${count.toLocaleString('en')} docs`, indexedRate, `${CONCURRENCY} in flight`]);
  const scanRate = await measure(20, 1, (i) => MemberModel.findOne({ name: `Anggota ${pick(i)}` }).lean());
  rows.push([`unindexed field (full scan) at ${count.toLocaleString('en')} docs`, scanRate, '1 in flight']);

  await conn.close();
  await server.close();
  await rm(dataDir, { recursive: true, force: true });

  const width = Math.max(...rows.map(([name]) => name.length));
  console.log(`\nEmbedded MongoDB server via mongoose (node ${process.version})\n`);
  console.log(`${'operation'.padEnd(width)}  ${'ops/s'.padStart(9)}  concurrency`);
  console.log(`${'-'.repeat(width)}  ${'-'.repeat(9)}  -----------`);
  for (const [name, rate, note] of rows) console.log(`${name.padEnd(width)}  ${Math.round(rate).toLocaleString('en').padStart(9)}  ${note}`);
  console.log(`\nindexed lookup / _id lookup: ${(indexedRate / idRate).toFixed(2)}x`);

  const { values } = parseArgs({ options: { scale: { type: 'string', default: '100000' } } });
  const scaleRows: ScaleRow[] = [];
  for (const documents of values.scale!.split(',').map(Number)) scaleRows.push(await measureScale(documents));
  printScaleRows(scaleRows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
