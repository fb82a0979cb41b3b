import type mongoose from 'mongoose';
import type { AnyBulkWriteOperation } from 'mongoose';
import { z } from 'zod';
import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
} from '@whiskeysockets/baileys';
import { getWhatsAppAuthModel, WHATSAPP_CREDS_ID, WHATSAPP_CREDS_KIND, type WhatsAppAuthDoc } from './models/whatsapp-auth.js';

/** A stored WhatsApp login piece that cannot be read back (corrupt JSON or the wrong shape). */
export class WhatsAppAuthStoreError extends Error {
  readonly coopId: string;
  readonly kind: string;
  constructor(message: string, context: { coopId: string; kind: string; cause?: unknown }) {
    super(message, { cause: context.cause });
    this.name = 'WhatsAppAuthStoreError';
    this.coopId = context.coopId;
    this.kind = context.kind;
  }
}

export interface MongoAuthState {
  /** Pass to makeWASocket as `auth`. `state.creds` is replaced by clear(), so read it when opening a socket. */
  state: AuthenticationState;
  /** Writes the current credentials (call on every 'creds.update'). */
  saveCreds(): Promise<void>;
  /** Deletes the whole login of the coop (after a log-out) and starts from fresh credentials. */
  clear(): Promise<void>;
}

const bytes = z.instanceof(Uint8Array);
const keyPair = z.object({ public: bytes, private: bytes });
/** The parts of the credentials without which no socket can even start. */
const storedCreds = z.looseObject({
  noiseKey: keyPair,
  signedIdentityKey: keyPair,
  signedPreKey: z.looseObject({ keyPair, signature: bytes, keyId: z.number() }),
  registrationId: z.number(),
  advSecretKey: z.string(),
});

const prepared = new WeakSet<mongoose.Connection>();

/**
 * Baileys' authentication state kept in MongoDB (collection whatsapp_auth) instead of files,
 * so a coop's WhatsApp login survives redeploys and any instance can pick it up. Values are
 * JSON through BufferJSON, exactly as useMultiFileAuthState writes its files; the keys of one
 * keys.set call are written in one transaction, so a crash never leaves half a Signal update.
 */
export async function useMongoAuthState(connection: mongoose.Connection, coopId: string): Promise<MongoAuthState> {
  const Auth = getWhatsAppAuthModel(connection);
  await prepareCollection(connection);

  const state: AuthenticationState = {
    creds: (await readCreds(connection, coopId)) ?? initAuthCreds(),
    keys: {
      async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
        const found: { [id: string]: SignalDataTypeMap[T] } = {};
        if (ids.length === 0) return found;
        const docs = await Auth.find({ coopId, kind: type, id: { $in: ids } }, { id: 1, value: 1 }).lean();
        for (const doc of docs) {
          let value = parseValue(doc.value, coopId, type);
          // Baileys expects the protobuf object here, as useMultiFileAuthState returns it.
          if (type === 'app-state-sync-key') value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
          found[doc.id] = value as SignalDataTypeMap[T];
        }
        return found;
      },
      async set(data: SignalDataSet) {
        const operations = toWriteOperations(coopId, data);
        if (operations.length === 0) return;
        await connection.transaction(async (session) => {
          await Auth.bulkWrite(operations, { session, ordered: true });
        });
      },
      async clear() {
        await Auth.deleteMany({ coopId, kind: { $ne: WHATSAPP_CREDS_KIND } });
      },
    },
  };

  return {
    state,
    async saveCreds() {
      await Auth.updateOne(
        { coopId, kind: WHATSAPP_CREDS_KIND, id: WHATSAPP_CREDS_ID },
        { $set: { value: JSON.stringify(state.creds, BufferJSON.replacer) } },
        { upsert: true },
      );
    },
    async clear() {
      await Auth.deleteMany({ coopId });
      state.creds = initAuthCreds();
    },
  };
}

/**
 * True when the coop's stored credentials belong to a linked device. `me` alone is not
 * enough: requesting a pairing code writes `me` before the phone has confirmed anything;
 * `account` is only written when pairing succeeds.
 */
export async function isPaired(connection: mongoose.Connection, coopId: string): Promise<boolean> {
  const creds = await readCreds(connection, coopId);
  return isPairedCreds(creds);
}

/** The same test on credentials already in memory. */
export function isPairedCreds(creds: AuthenticationCreds | undefined): boolean {
  return Boolean(creds?.account && creds.me?.id);
}

async function readCreds(connection: mongoose.Connection, coopId: string): Promise<AuthenticationCreds | undefined> {
  const doc = await getWhatsAppAuthModel(connection)
    .findOne({ coopId, kind: WHATSAPP_CREDS_KIND, id: WHATSAPP_CREDS_ID }, { value: 1 })
    .lean();
  if (!doc) return undefined;
  const value = parseValue(doc.value, coopId, WHATSAPP_CREDS_KIND);
  const checked = storedCreds.safeParse(value);
  if (!checked.success) {
    throw new WhatsAppAuthStoreError('Stored WhatsApp credentials are incomplete', { coopId, kind: WHATSAPP_CREDS_KIND, cause: checked.error });
  }
  return value as AuthenticationCreds;
}

function parseValue(text: string, coopId: string, kind: string): unknown {
  try {
    return JSON.parse(text, BufferJSON.reviver) as unknown;
  } catch (error) {
    throw new WhatsAppAuthStoreError('Stored WhatsApp auth value is not valid JSON', { coopId, kind, cause: error });
  }
}

/** One upsert or delete per key; a null (or undefined) value means the key is gone. */
function toWriteOperations(coopId: string, data: SignalDataSet): AnyBulkWriteOperation<WhatsAppAuthDoc>[] {
  const operations: AnyBulkWriteOperation<WhatsAppAuthDoc>[] = [];
  for (const kind of Object.keys(data) as (keyof SignalDataSet)[]) {
    const entries = data[kind];
    if (!entries) continue;
    for (const [id, value] of Object.entries(entries)) {
      const filter = { coopId, kind, id };
      if (value === null || value === undefined) {
        operations.push({ deleteOne: { filter } });
      } else {
        operations.push({
          updateOne: { filter, update: { $set: { value: JSON.stringify(value, BufferJSON.replacer) } }, upsert: true },
        });
      }
    }
  }
  return operations;
}

/** The unique index must exist before the first upsert, or two racing upserts could both insert. */
async function prepareCollection(connection: mongoose.Connection): Promise<void> {
  if (prepared.has(connection)) return;
  const Auth = getWhatsAppAuthModel(connection);
  await Auth.createCollection().catch((error: unknown) => {
    // 48 NamespaceExists: the collection is already there.
    if ((error as { code?: number }).code !== 48) throw error;
  });
  await Auth.createIndexes();
  prepared.add(connection);
}
