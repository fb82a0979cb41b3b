import type { ChannelName } from '../channels/types.js';
import type { Models } from '../db/models/index.js';
import { SESSION_SCHEMA_VERSION, type SessionDoc } from '../db/models/session.js';
import { SessionConflictError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { conversationSchema, type Conversation } from './conversation.js';

/** An idle conversation (and its cart) lapses after this long. */
export const SESSION_TTL_MS = 2 * 60 * 60 * 1000;

export interface SessionKey {
  coopId: string;
  phone: string;
  channel: ChannelName;
}

export interface LoadedSession {
  /** The stored document's id and version, when one exists (even if expired). */
  stored?: { id: SessionDoc['_id']; version: number };
  /** The conversation to continue, or undefined to start fresh (none, expired or unreadable). */
  conversation?: Conversation;
}

export function describeSessionKey(key: SessionKey): string {
  return `${key.coopId}:${key.channel}:${key.phone}`;
}

export async function loadSession(models: Models, key: SessionKey, now: Date, logger: Logger): Promise<LoadedSession> {
  const doc = await models.Session.findOne({ coopId: key.coopId, phone: key.phone, channel: key.channel }).lean();
  if (!doc) return {};
  const stored = { id: doc._id, version: doc.version };
  if (doc.expiresAt <= now) return { stored };
  const migrated = migrateSession(doc);
  const parsed = conversationSchema.safeParse(migrated);
  if (!parsed.success) {
    logger.warn({ issue: parsed.error.issues[0]?.message }, 'stored session unreadable, starting fresh');
    return { stored };
  }
  return { stored, conversation: parsed.data };
}

/** Brings older stored sessions to the current shape (version 1 is the first). */
function migrateSession(doc: SessionDoc): unknown {
  const { flow, state, vars, cart, language } = doc;
  if ((doc.schemaVersion ?? 1) > SESSION_SCHEMA_VERSION) return undefined;
  return { flow, state, vars: vars ?? {}, cart: (cart ?? []).map(({ productId, unit, quantity, amountRp }) => ({ productId, unit, quantity, ...(amountRp != null ? { amountRp } : {}) })), language: language ?? 'id' };
}

/** Saves on the version that was loaded; someone else's save in between is a conflict, not an overwrite. */
export async function saveSession(models: Models, key: SessionKey, loaded: LoadedSession, conversation: Conversation, now: Date): Promise<void> {
  const fields = {
    flow: conversation.flow,
    state: conversation.state,
    vars: conversation.vars,
    cart: conversation.cart,
    language: conversation.language,
    schemaVersion: SESSION_SCHEMA_VERSION,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  };
  if (loaded.stored) {
    const result = await models.Session.updateOne({ _id: loaded.stored.id, version: loaded.stored.version }, { $set: fields, $inc: { version: 1 } });
    if (result.matchedCount === 0) throw new SessionConflictError(describeSessionKey(key));
    return;
  }
  try {
    await models.Session.create({ ...key, ...fields, version: 1 });
  } catch (error) {
    if ((error as { code?: number }).code === 11000) throw new SessionConflictError(describeSessionKey(key));
    throw error;
  }
}

/** Deletes sessions whose time is up; the next message starts fresh. Returns how many. */
export async function deleteExpiredSessions(models: Models, now: Date): Promise<number> {
  const result = await models.Session.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount ?? 0;
}
