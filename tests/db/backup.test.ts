import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Binary, Decimal128, ObjectId, serialize, type Document } from 'bson';
import { MongoClient, MongoServerError } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/server.js';
import { silentLogger } from '../../src/logger.js';
import { BackupFileError } from '../../scripts/backup/backup-file.js';
import { restoreBackup, RestoreRefusedError } from '../../scripts/backup/restore-backup.js';
import { takeBackup } from '../../scripts/backup/take-backup.js';
import { testLane, waitFor } from '../helpers/database.js';

// Backups of the embedded server's files; a real MongoDB lane uses mongodump instead.
const describeEmbedded = testLane() === 'embedded' ? describe : describe.skip;

/** Every kind of value a restore must give back exactly (compared as BSON bytes). */
const VALUE_DOCS: Document[] = [
  {
    _id: new ObjectId(),
    oid: new ObjectId(),
    at: new Date('2025-01-31T07:05:09.123Z'),
    amount: Decimal128.fromString('98900.50'),
    int: 42,
    double: 0.25,
    beyondInt32: 2 ** 40,
    text: 'beras 5kg sm migor 2 liter',
    flag: true,
    nothing: null,
    nested: { deep: { list: [1, 'a', { when: [new Date(0)] }] } },
    matrix: [[1, 2], [3, [4, [5]]], []],
    bin: new Binary(Buffer.from([0, 1, 2, 255])),
  },
  { _id: 'string id', empty: [], emptyObject: {} },
];

interface WriteRecord {
  kind: 'insert' | 'inc' | 'refused';
  writer: number;
  seq: number;
  sentAt: number;
  ackedAt?: number;
  doc?: Document;
  /** The counter after an acknowledged $inc. */
  counter?: number;
}

interface Counter {
  _id: string;
  n: number;
  lastSeq: number;
}

function entryDoc(writer: number, seq: number): Document {
  return {
    _id: new ObjectId(),
    writer,
    seq,
    at: new Date(),
    amount: Decimal128.fromString(`${seq}.25`),
    tags: [[writer, seq], [{ nested: [seq, 'x'] }]],
  };
}

function bytesOf(doc: Document): string {
  return Buffer.from(serialize(doc)).toString('hex');
}

describeEmbedded('database backup and restore', () => {
  const dirs: string[] = [];
  const servers: EmbeddedMongo[] = [];
  /** Open clients by the server they talk to: closed before their server stops, since a client closed after it waits out server selection to end its sessions. */
  const clients = new Map<EmbeddedMongo, MongoClient[]>();

  const makeDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kdmp-backup-'));
    dirs.push(dir);
    return dir;
  };
  const startServer = async (dataDir: string) => {
    const server = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger });
    servers.push(server);
    return server;
  };
  const connect = (server: EmbeddedMongo, db = 'shop') => {
    const client = new MongoClient(server.uri(db));
    clients.set(server, [...(clients.get(server) ?? []), client]);
    return client;
  };
  const stopServer = async (server: EmbeddedMongo) => {
    await Promise.all((clients.get(server) ?? []).map((client) => client.close()));
    clients.delete(server);
    await server.close();
    servers.splice(servers.indexOf(server), 1);
  };

  /** A backup file of a small database holding one document named `name`. */
  const makeBackup = async (name: string) => {
    const dir = await makeDir();
    const server = await startServer(join(dir, 'db'));
    const client = connect(server);
    await client.db('shop').collection('items').insertOne({ name });
    await client.close();
    const file = join(dir, 'shop.kdmpbak');
    await takeBackup({ uri: server.uri('admin'), file });
    await stopServer(server);
    return file;
  };

  /** A stopped server's directory holding one document named `name`. */
  const makeDatabaseDir = async (name: string) => {
    const dbDir = join(await makeDir(), 'db');
    const server = await startServer(dbDir);
    const client = connect(server);
    await client.db('shop').collection('items').insertOne({ name });
    await client.close();
    await stopServer(server);
    return dbDir;
  };

  const itemNames = async (dbDir: string) => {
    const server = await startServer(dbDir);
    const client = connect(server);
    const names = (await client.db('shop').collection('items').find().toArray()).map((doc) => doc.name as string);
    await client.close();
    await stopServer(server);
    return names;
  };

  /** Every file under `dir` with a hash of its content: equal before and after means untouched. */
  const fingerprint = async (dir: string): Promise<Record<string, string>> => {
    const result: Record<string, string> = {};
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      result[relative(dir, path)] = createHash('sha256').update(await readFile(path)).digest('hex');
    }
    return result;
  };

  afterAll(async () => {
    await Promise.all([...clients.values()].flat().map((client) => client.close()));
    await Promise.all(servers.map((server) => server.close()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('backs up one moment of a database under concurrent writes, and the restore holds exactly that moment', async () => {
    const source = await startServer(join(await makeDir(), 'db'));
    const client = connect(source);
    const shop = client.db('shop');
    const entries = shop.collection('entries');
    const counters = shop.collection<Counter>('counters');
    await entries.createIndex({ writer: 1, seq: 1 }, { unique: true, name: 'writer_seq' });
    await entries.createIndex({ at: -1 });
    await shop.collection('values').insertMany(VALUE_DOCS.map((doc) => ({ ...doc })));

    // Each writer, one write at a time: insert entry seq, then count it in its counter; every
    // tenth entry it also tries a duplicate, which the unique index refuses (never acknowledged).
    const WRITERS = 4;
    const log: WriteRecord[] = [];
    let stopping = false;
    const acked = (writer: number, after = 0) => log.filter((w) => w.writer === writer && w.kind === 'insert' && w.ackedAt !== undefined && w.ackedAt > after).length;
    const runWriter = async (writer: number) => {
      for (let seq = 0; !stopping; seq++) {
        const doc = entryDoc(writer, seq);
        const insert: WriteRecord = { kind: 'insert', writer, seq, sentAt: performance.now(), doc };
        log.push(insert);
        await entries.insertOne(doc);
        insert.ackedAt = performance.now();
        const inc: WriteRecord = { kind: 'inc', writer, seq, sentAt: performance.now() };
        log.push(inc);
        const after = await counters.findOneAndUpdate({ _id: `writer-${writer}` }, { $inc: { n: 1 }, $set: { lastSeq: seq } }, { upsert: true, returnDocument: 'after' });
        inc.ackedAt = performance.now();
        inc.counter = after?.n;
        if (seq % 10 === 0) {
          const duplicate = { ...entryDoc(writer, seq) };
          const refused: WriteRecord = { kind: 'refused', writer, seq, sentAt: performance.now(), doc: duplicate };
          log.push(refused);
          const error = await entries.insertOne(duplicate).then(() => undefined, (e: unknown) => e);
          expect((error as MongoServerError | undefined)?.code).toBe(11000);
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, writer) => runWriter(writer));

    await waitFor(async () => Array.from({ length: WRITERS }, (_, w) => acked(w)).every((n) => n >= 40));
    const file = join(await makeDir(), 'moment.kdmpbak');
    const backupStartedAt = performance.now();
    const summary = await takeBackup({ uri: source.uri('admin'), file });
    const backupEndedAt = performance.now();
    // Writes after the backup must exist for "nothing later is in it" to be tested.
    await waitFor(async () => Array.from({ length: WRITERS }, (_, w) => acked(w, backupEndedAt)).every((n) => n >= 10));
    stopping = true;
    await Promise.all(writers);
    // The writers kept going while the backup ran: a copy made piece by piece would be torn.
    expect(log.some((w) => w.ackedAt !== undefined && w.sentAt > backupStartedAt && w.ackedAt < backupEndedAt)).toBe(true);
    const sourceIndexes = await entries.listIndexes().toArray();

    const restoredDir = join(await makeDir(), 'db');
    const restore = await restoreBackup({ file, dbDir: restoredDir, force: false });
    expect(restore.movedAsideTo).toBeUndefined();
    const restored = await startServer(restoredDir);
    const restoredShop = connect(restored).db('shop');

    const present = await restoredShop.collection('entries').find().toArray();
    const presentIds = new Set(present.map((doc) => String(doc._id)));
    const counterDocs = await restoredShop.collection<Counter>('counters').find().toArray();
    const counterOf = (writer: number) => counterDocs.find((doc) => doc._id === `writer-${writer}`)?.n ?? 0;

    for (const write of log) {
      const ackedBefore = write.ackedAt !== undefined && write.ackedAt < backupStartedAt;
      const sentAfter = write.sentAt > backupEndedAt;
      if (write.kind === 'insert') {
        if (ackedBefore) expect(presentIds.has(String(write.doc!._id))).toBe(true);
        if (sentAfter) expect(presentIds.has(String(write.doc!._id))).toBe(false);
      } else if (write.kind === 'inc') {
        if (ackedBefore) expect(counterOf(write.writer)).toBeGreaterThanOrEqual(write.counter!);
        if (sentAfter) expect(counterOf(write.writer)).toBeLessThan(write.counter!);
      } else {
        expect(presentIds.has(String(write.doc!._id))).toBe(false);
      }
    }
    // Everything present was written and acknowledged, byte for byte.
    const sent = new Map(log.filter((w) => w.kind === 'insert').map((w) => [String(w.doc!._id), w]));
    for (const doc of present) {
      const write = sent.get(String(doc._id));
      expect(write?.ackedAt).toBeDefined();
      expect(bytesOf(doc)).toBe(bytesOf(write!.doc!));
    }
    // One moment: per writer, a gapless run of entries and a counter one behind at most.
    for (let writer = 0; writer < WRITERS; writer++) {
      const seqs = present.filter((doc) => doc.writer === writer).map((doc) => doc.seq as number).sort((a, b) => a - b);
      expect(seqs).toEqual(seqs.map((_, i) => i));
      expect([seqs.length - 1, seqs.length]).toContain(counterOf(writer));
      expect(seqs.length).toBeGreaterThanOrEqual(40);
    }
    expect(present.length).toBeLessThan(log.filter((w) => w.kind === 'insert').length);

    // Collections, indexes (the unique one still enforced) and every kind of value.
    expect((await restoredShop.listCollections().toArray()).map((c) => c.name).sort()).toEqual(['counters', 'entries', 'values']);
    expect(await restoredShop.collection('entries').listIndexes().toArray()).toEqual(sourceIndexes);
    const duplicate = await restoredShop.collection('entries').insertOne({ writer: 0, seq: 0 }).then(() => undefined, (e: unknown) => e);
    expect((duplicate as MongoServerError | undefined)?.code).toBe(11000);
    const values = await restoredShop.collection('values').find().toArray();
    expect(values.map(bytesOf).sort()).toEqual(VALUE_DOCS.map(bytesOf).sort());
    expect(summary.contents.documents).toBe(present.length + counterDocs.length + values.length + 1);
    // The restored database knows which backup it came from.
    const lastBackup = await connect(restored).db('admin').collection('kdmpBackups').findOne();
    expect(lastBackup?.takenAt).toEqual(summary.takenAt);
  });

  it('never holds a write whose journal append then fails (the backup waits for the journal)', async () => {
    // A disk that stalls, then fails: writes reach memory but never the journal.
    let disk: Promise<void> | undefined;
    const dataDir = join(await makeDir(), 'db');
    const server = await startEmbeddedMongo({ port: 0, dataDir, logger: silentLogger, journalTestHooks: { beforeWrite: () => disk } });
    servers.push(server);
    const client = connect(server);
    const items = client.db('shop').collection('items');
    await items.insertOne({ name: 'stored' });
    let failDisk: (error: Error) => void = () => undefined;
    disk = new Promise((_resolve, reject) => (failDisk = reject));
    disk.catch(() => undefined);

    const lostWrite = items.insertOne({ name: 'never stored' }).then(() => 'acknowledged', () => 'refused');
    await waitFor(async () => (await items.countDocuments({ name: 'never stored' })) === 1);
    const file = join(dirname(dataDir), 'during-failure.kdmpbak');
    let settled = false;
    const backup = takeBackup({ uri: server.uri('admin'), file })
      .then(() => 'taken', (e: unknown) => (e as Error).message)
      .finally(() => (settled = true));
    // The backup has captured memory (the unstored write included) once it has logged itself.
    await waitFor(async () => settled || (await client.db('admin').collection('kdmpBackups').countDocuments()) === 1);
    failDisk(new Error('ENOSPC: no space left on device'));
    disk = undefined;

    expect(await lostWrite).toBe('refused');
    expect(await backup).toMatch(/refused the backup: journal write failed/);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
    expect(await readdir(dirname(file))).toEqual(['db']);
    await stopServer(server);
  });

  it('answers kdmpBackup only on the admin database', async () => {
    const server = await startServer(join(await makeDir(), 'db'));
    const error = await connect(server).db('shop').command({ kdmpBackup: 1 }).then(() => undefined, (e: unknown) => e);
    expect((error as MongoServerError | undefined)?.code).toBe(13);
    await stopServer(server);
  });

  it('refuses to restore over a database without --force, and with it moves the old one aside', async () => {
    const file = await makeBackup('from the backup');
    const dbDir = await makeDatabaseDir('already there');
    const before = await fingerprint(dbDir);

    await expect(restoreBackup({ file, dbDir, force: false })).rejects.toThrow(RestoreRefusedError);
    await expect(restoreBackup({ file, dbDir, force: false })).rejects.toThrow(/already holds a database.*--force/);
    // Only the lock file changed (it names the process that held the lock, for people).
    const { 'server.lock': _lock, ...data } = before;
    expect(await fingerprint(dbDir)).toMatchObject(data);

    const now = new Date('2025-01-31T07:05:09.123Z');
    const result = await restoreBackup({ file, dbDir, force: true, now });
    expect(result.movedAsideTo).toBe(`${dbDir}.before-restore-2025-01-31T07-05-09Z`);
    expect(await itemNames(dbDir)).toEqual(['from the backup']);
    expect(await itemNames(result.movedAsideTo!)).toEqual(['already there']);
    // No staging directory is left behind.
    expect((await readdir(dirname(dbDir))).sort()).toEqual(['db', 'db.before-restore-2025-01-31T07-05-09Z']);
  });

  it.each([
    ['a flipped byte', (buf: Buffer) => flipByte(buf, buf.indexOf('from the backup') + 5), /damaged at byte \d+ \(checksum mismatch\)/],
    ['a copy cut short', (buf: Buffer) => buf.subarray(0, buf.length - 17), /incomplete/],
    ['a copy cut in the middle', (buf: Buffer) => buf.subarray(0, Math.floor(buf.length / 2)), /damaged at byte \d+/],
    ['another kind of file', () => Buffer.from('{"not": "a backup"}'), /does not start like a KDMP Chat database backup/],
  ])('refuses %s before touching the target', async (_case, damage, reason) => {
    const file = await makeBackup('from the backup');
    await writeFile(file, damage(await readFile(file)));
    const dbDir = await makeDatabaseDir('already there');
    const before = await fingerprint(dbDir);

    const error = await restoreBackup({ file, dbDir, force: true }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BackupFileError);
    expect((error as Error).message).toMatch(reason);
    expect(await fingerprint(dbDir)).toEqual(before);
    expect(await readdir(dirname(dbDir))).toEqual(['db']);
  });

  it('refuses to restore while a server runs on the target', async () => {
    const file = await makeBackup('from the backup');
    const dbDir = await makeDatabaseDir('already there');
    const running = await startServer(dbDir);

    await expect(restoreBackup({ file, dbDir, force: true })).rejects.toThrow(/running server holds .*stop the service first/);
    expect(await readdir(dirname(dbDir))).toEqual(['db']);
    // The running server still has its data, and goes on taking writes.
    const items = connect(running).db('shop').collection('items');
    await items.insertOne({ name: 'written after the refusal' });
    expect((await items.find().toArray()).map((doc) => doc.name)).toEqual(['already there', 'written after the refusal']);
    await stopServer(running);
  });

  it('runs as npm run db:backup and db:restore (the scripts themselves)', async () => {
    const dir = await makeDir();
    const server = await startServer(join(dir, 'db'));
    await connect(server, 'kdmp').db('kdmp').collection('savings_entries').insertMany([{ memberNo: 'A-1', amountRp: 50_000 }, { memberNo: 'A-2', amountRp: 25_000 }]);
    const file = join(dir, 'nightly.kdmpbak');
    const env = { PATH: process.env.PATH, MONGODB_URI: '', EMBEDDED_MONGO_PORT: String(server.port), DATA_DIR: join(dir, 'unused') };

    const backup = await runScript('scripts/db-backup.ts', [file], env);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain(`Backup saved to ${file}`);
    expect(backup.stdout).toMatch(/kdmp: 1 collection, 2 documents/);
    expect(backup.stdout).toMatch(/KB in \d+\.\d s; checked/);
    expect((await stat(file)).size).toBeGreaterThan(0);

    const check = await runScript('scripts/db-restore.ts', [file, '--check'], env);
    expect(check).toMatchObject({ code: 0, stdout: expect.stringContaining('is good') });

    const target = await makeDir();
    const restore = await runScript('scripts/db-restore.ts', [file], { ...env, DATA_DIR: target });
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`into ${join(target, 'db')}`);
    const restored = await startServer(join(target, 'db'));
    const docs = await connect(restored, 'kdmp').db('kdmp').collection('savings_entries').find({}, { projection: { _id: 0 } }).toArray();
    expect(docs).toEqual([{ memberNo: 'A-1', amountRp: 50_000 }, { memberNo: 'A-2', amountRp: 25_000 }]);

    const again = await runScript('scripts/db-restore.ts', [file], { ...env, DATA_DIR: target });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/running server holds/);

    const mongoLane = { ...env, MONGODB_URI: 'mongodb://127.0.0.1:1/kdmp' };
    const dump = await runScript('scripts/db-backup.ts', [join(dir, 'never.kdmpbak')], mongoLane);
    expect(dump.code).toBe(1);
    expect(dump.stderr).toMatch(/mongodump/);
    const mongorestore = await runScript('scripts/db-restore.ts', [file], mongoLane);
    expect(mongorestore.code).toBe(1);
    expect(mongorestore.stderr).toMatch(/mongorestore/);

    const usage = await runScript('scripts/db-backup.ts', [], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/the backup file is missing/);
  }, 60_000);
});

function flipByte(buf: Buffer, at: number): Buffer {
  const copy = Buffer.from(buf);
  copy[at] ^= 0x40;
  return copy;
}

/** Runs a script as npm would (node --import tsx), with only the given environment. */
async function runScript(script: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}
