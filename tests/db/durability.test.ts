import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../src/db/embedded/server.js';
import { silentLogger } from '../../src/logger.js';
import { testLane, waitFor } from '../helpers/database.js';

// Restart and crash behaviour belongs to the embedded server; a real MongoDB lane skips it.
const describeEmbedded = testLane() === 'embedded' ? describe : describe.skip;

describeEmbedded('durability of the embedded server', () => {
  const dirs: string[] = [];
  const makeDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kdmp-durable-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('keeps documents, updates, deletes, indexes and committed transactions across a restart', async () => {
    const dataDir = await makeDir();
    const first = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
    const conn = await mongoose.createConnection(first.uri('kdmp')).asPromise();
    const Member = conn.model('Member', new mongoose.Schema({ phone: { type: String, unique: true }, savings: Number }));
    await Member.init();
    const [ani, budi, citra] = await Member.create([
      { phone: '+628121', savings: 100 },
      { phone: '+628122', savings: 200 },
      { phone: '+628123', savings: 300 },
    ]);
    await Member.updateOne({ _id: ani._id }, { $inc: { savings: 50 } });
    await Member.deleteOne({ _id: citra._id });
    const session = await conn.startSession();
    await session.withTransaction(async () => {
      await Member.updateOne({ _id: budi._id }, { $inc: { savings: -20 } }, { session });
      await Member.create([{ phone: '+628124', savings: 20 }], { session });
    });
    await session.endSession();
    await conn.collection('renamed_from').insertOne({ kept: true });
    await conn.db!.renameCollection('renamed_from', 'renamed_to');
    await conn.close();
    await first.close();

    const second = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
    const conn2 = await mongoose.createConnection(second.uri('kdmp')).asPromise();
    const Member2 = conn2.model('Member', new mongoose.Schema({ phone: String, savings: Number }, { autoIndex: false }));
    const rows = await Member2.find({}).sort({ phone: 1 }).select({ phone: 1, savings: 1, _id: 0 }).lean();
    expect(rows).toEqual([
      { phone: '+628121', savings: 150 },
      { phone: '+628122', savings: 180 },
      { phone: '+628124', savings: 20 },
    ]);
    const duplicate = (await Member2.create({ phone: '+628121' }).catch((e: unknown) => e)) as { code?: number };
    expect(duplicate.code).toBe(11000);
    expect(await conn2.collection('renamed_to').countDocuments({ kept: true })).toBe(1);
    await conn2.close();
    await second.close();
  });

  it('refuses a second server on a data directory that is in use', async () => {
    const dataDir = await makeDir();
    const first = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
    await expect(startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger })).rejects.toThrow(/already open|in use/);
    await first.close();
    const again = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
    await again.close();
  });

  it('is not fooled by a lock file left by a dead server whose pid now belongs to a live process', async () => {
    // As after a SIGKILL in a container: the restarted service is pid 1 again, and pid 1 runs.
    for (const stalePid of [1, process.pid]) {
      const dataDir = await makeDir();
      await writeFile(join(dataDir, 'server.lock'), `${stalePid}\n`);
      const server = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
      expect((await readFile(join(dataDir, 'server.lock'), 'utf8')).trim()).toBe(String(process.pid));
      await server.close();
    }
  });

  it('finishes close() in a process that has nothing else to do, releasing the lock', async () => {
    const dataDir = await makeDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'tests/db/fixtures/open-and-close.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, output }).toEqual({ code: 0, output: 'closed\n' });
    const again = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
    await again.close();
  });

  it('keeps every acknowledged insert when the server process is killed with SIGKILL', async () => {
    const dataDir = await makeDir();
    // node --import tsx (not the tsx CLI, which forks a grandchild that SIGKILL would orphan).
    const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'tests/db/fixtures/durable-writer.ts'), dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acknowledged: string[] = [];
    let stderr = '';
    let pending = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Lines already in the pipe when the kill lands were printed after an acknowledgement: keep them.
    const drained = new Promise<void>((resolve) => child.stdout.on('end', resolve));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acknowledged.push(line.slice(4));
      // Kill mid-stream, while writers still have inserts in flight.
      if (acknowledged.length >= 400 && !child.killed) child.kill('SIGKILL');
    });
    const signal = await exited;
    await drained;
    if (signal !== 'SIGKILL') throw new Error(`writer exited on its own: ${stderr}`);
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);

    const server = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
    const client = await new MongoClient(server.uri('durable')).connect();
    const orders = client.db('durable').collection<{ _id: string }>('orders');
    const stored = new Set((await orders.find({}, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
    // The unique index survived the crash too.
    const again = (await orders.insertOne({ _id: 'other', writer: 0, seq: 0 } as never).catch((e: unknown) => e)) as { code?: number };
    expect(again.code).toBe(11000);
    await client.close();
    await server.close();
  });

  it('compacts a journal that outgrew the live data and recovers from the snapshot', async () => {
    const dataDir = await makeDir();
    const first = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger, compactionMinBytes: 64 * 1024 });
    const client = await new MongoClient(first.uri('compact')).connect();
    const notes = client.db('compact').collection<{ _id: string; text: string; version: number }>('notes');
    await notes.createIndex({ version: 1 });
    await notes.insertOne({ _id: 'n1', text: '', version: 0 });
    for (let version = 1; version <= 200; version++) {
      await notes.updateOne({ _id: 'n1' }, { $set: { text: 'x'.repeat(2000) + version, version } });
    }
    const journalDir = join(dataDir, 'journal');
    await waitFor(async () => (await readdir(journalDir)).some((name) => /^snapshot-\d+\.bson$/.test(name)));
    await notes.insertOne({ _id: 'n2', text: 'after compaction', version: 1 });
    await client.close();
    await first.close();

    const second = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
    const client2 = await new MongoClient(second.uri('compact')).connect();
    const notes2 = client2.db('compact').collection<{ _id: string; text: string; version: number }>('notes');
    expect((await notes2.findOne({ _id: 'n1' }))?.version).toBe(200);
    expect((await notes2.findOne({ _id: 'n2' }))?.text).toBe('after compaction');
    expect((await notes2.listIndexes().toArray()).map((index) => index.name)).toEqual(['_id_', 'version_1']);
    await client2.close();
    await second.close();
  });
});
