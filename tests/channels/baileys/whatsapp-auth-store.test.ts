import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import { BufferJSON, proto, type KeyPair } from '@whiskeysockets/baileys';
import { getWhatsAppAuthModel } from '../../../src/db/models/whatsapp-auth.js';
import { isPaired, useMongoAuthState, WhatsAppAuthStoreError } from '../../../src/db/whatsapp-auth-store.js';
import { openTestDatabase, type TestDatabase } from '../../helpers/database.js';

describe('useMongoAuthState', () => {
  let db: TestDatabase;
  let conn: mongoose.Connection;

  beforeAll(async () => {
    db = await openTestDatabase('whatsapp_auth');
    conn = await mongoose.createConnection(db.uri).asPromise();
  });

  afterAll(async () => {
    await conn.close();
    await db.cleanup();
  });

  const docsOf = (coopId: string) => getWhatsAppAuthModel(conn).find({ coopId }).lean();

  it('starts a new coop from fresh credentials that are not paired', async () => {
    const auth = await useMongoAuthState(conn, 'coop-fresh');
    expect(auth.state.creds.noiseKey.public).toBeInstanceOf(Uint8Array);
    expect(auth.state.creds.registered).toBe(false);
    expect(await isPaired(conn, 'coop-fresh')).toBe(false);
    expect(await docsOf('coop-fresh')).toHaveLength(0);
  });

  it('stores credentials with Buffers and reads them back identical', async () => {
    const first = await useMongoAuthState(conn, 'coop-a');
    const creds = first.state.creds;
    // What a successful pairing adds (configureSuccessfulPairing): identity, account, me.
    creds.me = { id: '6281111111111:12@s.whatsapp.net', lid: '99999999999999:12@lid', name: 'KDMP Sukamaju' };
    creds.account = { details: Buffer.from([1, 2, 3, 250]), accountSignatureKey: Buffer.alloc(32, 7), accountSignature: Buffer.alloc(64, 9) };
    creds.signalIdentities = [{ identifier: { name: '6281111111111:12@s.whatsapp.net', deviceId: 0 }, identifierKey: Buffer.alloc(33, 5) }];
    creds.routingInfo = Buffer.from('routing');
    creds.platform = 'android';
    await first.saveCreds();

    const stored = await docsOf('coop-a');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'creds', id: 'creds' });
    expect(typeof stored[0].value).toBe('string');

    const second = await useMongoAuthState(conn, 'coop-a');
    const read = second.state.creds;
    expect(Buffer.isBuffer(read.noiseKey.private)).toBe(true);
    expect(Buffer.compare(Buffer.from(read.noiseKey.private), Buffer.from(creds.noiseKey.private))).toBe(0);
    expect(Buffer.compare(Buffer.from(read.signedPreKey.signature), Buffer.from(creds.signedPreKey.signature))).toBe(0);
    expect(Buffer.compare(Buffer.from(read.account!.details!), Buffer.from([1, 2, 3, 250]))).toBe(0);
    expect(read.routingInfo?.toString()).toBe('routing');
    // Byte-identical as a whole: the same JSON Baileys' own file store would write.
    expect(JSON.stringify(read, BufferJSON.replacer)).toBe(JSON.stringify(creds, BufferJSON.replacer));
    expect(await isPaired(conn, 'coop-a')).toBe(true);
  });

  it('is not paired while only a pairing code was requested (me without account)', async () => {
    const auth = await useMongoAuthState(conn, 'coop-half');
    auth.state.creds.me = { id: '6282222222222@s.whatsapp.net', name: '~' };
    auth.state.creds.pairingCode = 'ABCD1234';
    await auth.saveCreds();
    expect(await isPaired(conn, 'coop-half')).toBe(false);
  });

  it('stores keys per type and id, revives them, and deletes on null', async () => {
    const auth = await useMongoAuthState(conn, 'coop-keys');
    const preKey: KeyPair = { public: Buffer.alloc(32, 1), private: Buffer.alloc(32, 2) };
    const otherPreKey: KeyPair = { public: Buffer.alloc(32, 3), private: Buffer.alloc(32, 4) };
    await auth.state.keys.set({
      'pre-key': { '1': preKey, '2': otherPreKey },
      session: { '6281234567890.0': Buffer.from('session-record') },
      'sender-key-memory': { '120363025246125888@g.us': { '6281234567890:0@s.whatsapp.net': true } },
      'lid-mapping': { '6281234567890': '148620148620148', '148620148620148_reverse': '6281234567890' },
      'app-state-sync-key': { AAAAAKnl: { keyData: Buffer.alloc(32, 8), fingerprint: { rawId: 1, currentIndex: 2, deviceIndexes: [0, 1] }, timestamp: 1_750_000_000 } },
    });

    const keys = auth.state.keys;
    const preKeys = await keys.get('pre-key', ['1', '2', '3']);
    expect(Object.keys(preKeys).sort()).toEqual(['1', '2']);
    expect(Buffer.compare(Buffer.from(preKeys['1'].private), preKey.private as Buffer)).toBe(0);
    expect(Buffer.isBuffer(preKeys['2'].public)).toBe(true);
    expect((await keys.get('session', ['6281234567890.0']))['6281234567890.0'].toString()).toBe('session-record');
    expect(await keys.get('sender-key-memory', ['120363025246125888@g.us'])).toEqual({
      '120363025246125888@g.us': { '6281234567890:0@s.whatsapp.net': true },
    });
    expect(await keys.get('lid-mapping', ['148620148620148_reverse'])).toEqual({ '148620148620148_reverse': '6281234567890' });
    const { AAAAAKnl: syncKey } = await keys.get('app-state-sync-key', ['AAAAAKnl']);
    expect(syncKey).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.compare(Buffer.from(syncKey.keyData!), Buffer.alloc(32, 8))).toBe(0);
    expect(syncKey.fingerprint?.deviceIndexes).toEqual([0, 1]);

    // One call may write and delete together; null means delete.
    await keys.set({ 'pre-key': { '1': null, '5': preKey }, session: { '6281234567890.0': null } });
    expect(Object.keys(await keys.get('pre-key', ['1', '2', '5'])).sort()).toEqual(['2', '5']);
    expect(await keys.get('session', ['6281234567890.0'])).toEqual({});

    // A key overwritten keeps one document.
    await keys.set({ 'pre-key': { '2': preKey } });
    expect(await getWhatsAppAuthModel(conn).countDocuments({ coopId: 'coop-keys', kind: 'pre-key', id: '2' })).toBe(1);
    expect(Buffer.compare(Buffer.from((await keys.get('pre-key', ['2']))['2'].public), preKey.public as Buffer)).toBe(0);
  });

  it('keeps coops apart, and clear() deletes one coop\'s whole login only', async () => {
    const a = await useMongoAuthState(conn, 'coop-x');
    const b = await useMongoAuthState(conn, 'coop-y');
    await a.saveCreds();
    await b.saveCreds();
    await a.state.keys.set({ 'pre-key': { '1': { public: Buffer.alloc(32, 1), private: Buffer.alloc(32, 1) } } });
    await b.state.keys.set({ 'pre-key': { '1': { public: Buffer.alloc(32, 2), private: Buffer.alloc(32, 2) } } });
    expect((await b.state.keys.get('pre-key', ['1']))['1'].public).toEqual(Buffer.alloc(32, 2));

    const oldNoise = Buffer.from(a.state.creds.noiseKey.public);
    await a.clear();
    expect(await docsOf('coop-x')).toHaveLength(0);
    expect(await a.state.keys.get('pre-key', ['1'])).toEqual({});
    expect(Buffer.compare(Buffer.from(a.state.creds.noiseKey.public), oldNoise)).not.toBe(0);
    expect(await docsOf('coop-y')).toHaveLength(2);
  });

  it('refuses stored credentials it cannot read, with a typed error', async () => {
    await getWhatsAppAuthModel(conn).create({ coopId: 'coop-broken', kind: 'creds', id: 'creds', value: '{"noiseKey":' });
    await expect(useMongoAuthState(conn, 'coop-broken')).rejects.toBeInstanceOf(WhatsAppAuthStoreError);
    await getWhatsAppAuthModel(conn).updateOne({ coopId: 'coop-broken' }, { $set: { value: '{"registered":true}' } });
    await expect(isPaired(conn, 'coop-broken')).rejects.toThrow(/incomplete/);
  });

  it('has the unique index on coop, kind and id', async () => {
    await useMongoAuthState(conn, 'coop-index');
    const indexes = await getWhatsAppAuthModel(conn).collection.indexes();
    expect(indexes.find((index) => index.unique)?.key).toEqual({ coopId: 1, kind: 1, id: 1 });
  });
});
