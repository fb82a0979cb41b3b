import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { BSON, Long, type Document } from 'bson';
import mongoose from 'mongoose';
import { computeCrc32c } from '../../src/db/embedded/crc32c.js';
import { openTestDatabase, testLane, waitFor, type TestDatabase } from '../helpers/database.js';

/** A raw client: sends one message, returns the reply's header fields and body. */
async function exchange(port: number, message: Buffer): Promise<{ opCode: number; responseTo: number; body: Document }> {
  const socket: Socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length < 4 || all.length < all.readInt32LE(0)) return;
      const opCode = all.readInt32LE(12);
      const bodyStart = opCode === 1 ? 36 : 21;
      resolve({ opCode, responseTo: all.readInt32LE(8), body: BSON.deserialize(all.subarray(bodyStart), { promoteLongs: false }) });
      socket.destroy();
    });
    socket.write(message);
  });
}

function header(length: number, requestId: number, opCode: number): Buffer {
  const buffer = Buffer.alloc(16);
  buffer.writeInt32LE(length, 0);
  buffer.writeInt32LE(requestId, 4);
  buffer.writeInt32LE(0, 8);
  buffer.writeInt32LE(opCode, 12);
  return buffer;
}

function opMsg(requestId: number, body: Document, options: { checksum?: boolean; sequence?: [string, Document[]] } = {}): Buffer {
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.checksum ? 1 : 0);
  const parts: Buffer[] = [flags, Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  if (options.sequence) {
    const [identifier, docs] = options.sequence;
    const payload = Buffer.concat([Buffer.from(`${identifier}\0`), ...docs.map((doc) => Buffer.from(BSON.serialize(doc)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  const withoutChecksum = Buffer.concat(parts);
  const length = 16 + withoutChecksum.length + (options.checksum ? 4 : 0);
  const message = Buffer.concat([header(length, requestId, 2013), withoutChecksum]);
  if (!options.checksum) return message;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(computeCrc32c(message));
  return Buffer.concat([message, crc]);
}

// Raw wire access, embedded-only features and timing-dependent sweeps are checked on the embedded lane only.
const itEmbedded = testLane() === 'embedded' ? it : it.skip;

describe('wire protocol', () => {
  let db: TestDatabase;
  let conn: mongoose.Connection;
  const dbName = () => conn.db!.databaseName;

  beforeAll(async () => {
    db = await openTestDatabase('wire');
    conn = await mongoose.createConnection(db.uri).asPromise();
  });

  afterAll(async () => {
    await conn.close();
    await db.cleanup();
  });

  itEmbedded('answers a legacy OP_QUERY hello with OP_REPLY advertising a writable replica-set primary', async () => {
    const query = Buffer.from(BSON.serialize({ isMaster: 1, helloOk: true }));
    const body = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]), query]);
    const reply = await exchange(db.server!.port, Buffer.concat([header(16 + body.length, 7, 2004), body]));
    expect(reply.opCode).toBe(1);
    expect(reply.responseTo).toBe(7);
    expect(reply.body).toMatchObject({ ok: 1, isWritablePrimary: true, maxWireVersion: 21, logicalSessionTimeoutMinutes: 30, helloOk: true });
    expect(typeof reply.body.setName).toBe('string');
  });

  itEmbedded('accepts OP_MSG with a checksum and a document-sequence section', async () => {
    const port = db.server!.port;
    const inserted = await exchange(
      port,
      opMsg(11, { insert: 'raw', $db: dbName() }, { checksum: true, sequence: ['documents', [{ _id: 1, a: 'x' }, { _id: 2, a: 'y' }]] }),
    );
    expect(inserted.body).toMatchObject({ ok: 1, n: 2 });
    const found = await exchange(port, opMsg(12, { find: 'raw', filter: {}, $db: dbName() }));
    expect(found.body.cursor.firstBatch).toEqual([
      { _id: 1, a: 'x' },
      { _id: 2, a: 'y' },
    ]);
    expect(found.body.cursor.id).toBeInstanceOf(Long);
  });

  it('round-trips a 4 MB document arriving in many TCP chunks', async () => {
    const big = conn.collection('big');
    const text = 'beras '.repeat(700_000);
    const { insertedId } = await big.insertOne({ text });
    expect((await big.findOne({ _id: insertedId }))?.text).toBe(text);
  });

  it('applies fire-and-forget (moreToCome) writes without replying', async () => {
    const items = conn.collection('unacknowledged');
    await items.insertOne({ tag: 'w0' }, { writeConcern: { w: 0 } });
    await waitFor(async () => (await items.countDocuments({ tag: 'w0' })) === 1);
  });

  it('stores int64 values that fit as plain numbers so $inc and comparisons work', async () => {
    const items = conn.collection('longs');
    await items.insertOne({ _id: 'a' as never, qty: Long.fromNumber(5) });
    await items.updateOne({ _id: 'a' as never }, { $inc: { qty: 2 } });
    expect(await items.countDocuments({ qty: { $gt: 6 } })).toBe(1);
    expect(Number((await items.findOne({ _id: 'a' as never }))?.qty)).toBe(7);
  });

  it('answers buildInfo, getParameter, listDatabases and listCollections', async () => {
    const admin = conn.db!.admin();
    expect((await admin.buildInfo()).versionArray[0]).toBeGreaterThanOrEqual(6);
    expect((await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 })).featureCompatibilityVersion.version).toMatch(/^\d+\.\d+$/);
    await conn.collection('listed').insertOne({ a: 1 });
    const databases = (await admin.listDatabases()).databases.map((entry) => entry.name);
    expect(databases).toContain(dbName());
    const collections = (await conn.db!.listCollections({ name: 'listed' }).toArray()).map((entry) => entry.name);
    expect(collections).toEqual(['listed']);
  });

  it('renames and drops collections and databases', async () => {
    await conn.collection('before_rename').insertOne({ a: 1 });
    await conn.db!.renameCollection('before_rename', 'after_rename');
    expect(await conn.collection('after_rename').countDocuments()).toBe(1);
    expect(await conn.collection('before_rename').countDocuments()).toBe(0);
    await conn.collection('after_rename').drop();
    expect((await conn.db!.listCollections({ name: 'after_rename' }).toArray()).length).toBe(0);
    const other = conn.useDb(`${dbName()}_extra`);
    await other.collection('x').insertOne({ a: 1 });
    await other.dropDatabase();
    const databases = (await conn.db!.admin().listDatabases()).databases.map((entry) => entry.name);
    expect(databases).not.toContain(`${dbName()}_extra`);
  });
});
