import { Types } from 'mongoose';
import type { z } from 'zod';
import type { ChannelName } from '../channels/types.js';
import { conversationSchema, type Conversation } from '../engine/conversation.js';
import type { Logger } from '../logger.js';
import type { Models } from './models/index.js';
import { SESSION_SCHEMA_VERSION, type SessionDoc } from './models/session.js';

/** An idle conversation (and its cart) lapses after this long. */
export const SESSION_TTL_MS = 2 * 60 * 60 * 1000;
/** How many handled message ids a session remembers (for diagnosing redeliveries). */
export const RECENT_MESSAGE_IDS = 5;

export interface SessionKey {
  coopId: string;
  phone: string;
  channel: ChannelName;
}

export interface LoadedSession {
  /** The stored document's id and version, when one exists (even if expired). */
  stored?: { id: SessionDoc['_id']; version: number; recentMessageIds: string[] };
  /** The conversation to continue, or undefined to start fresh (none, expired or unreadable). */
  conversation?: Conversation;
}

export function describeSessionKey(key: SessionKey): string {
  return `${key.coopId}:${key.channel}:${key.phone}`;
}

/** The conversation a stored session document holds (none when expired or unreadable). */
export function readSession(doc: SessionDoc | null, now: Date, logger: Logger, varsSchema?: z.ZodType<Record<string, unknown>>): LoadedSession {
  if (!doc) return {};
  const stored = { id: doc._id, version: doc.version, recentMessageIds: doc.recentMessageIds ?? [] };
  if (doc.expiresAt <= now) return { stored };
  const migrated = migrateSession(doc);
  const parsed = conversationSchema.safeParse(migrated);
  const vars = parsed.success && varsSchema ? varsSchema.safeParse(parsed.data.vars) : undefined;
  if (!parsed.success || (vars && !vars.success)) {
    const issue = !parsed.success ? parsed.error.issues[0] : vars?.error?.issues[0];
    logger.warn({ issue: issue?.message, path: issue?.path.join('.') }, 'stored session unreadable, starting fresh');
    return { stored };
  }
  return { stored, conversation: vars ? { ...parsed.data, vars: vars.data as Record<string, unknown> } : parsed.data };
}

/** Brings older stored sessions to the current shape (version 1 is the first). */
function migrateSession(doc: SessionDoc): unknown {
  const { flow, state, vars, cart, language } = doc;
  if ((doc.schemaVersion ?? 1) > SESSION_SCHEMA_VERSION) return undefined;
  return { flow, state, vars: vars ?? {}, cart: (cart ?? []).map(({ productId, unit, quantity, amountRp }) => ({ productId, unit, quantity, ...(amountRp != null ? { amountRp } : {}) })), language: language ?? 'id' };
}

/** What saving a conversation writes: an update guarded by the loaded version, or a new document. */
export type SessionWrite =
  | { kind: 'update'; filter: { _id: SessionDoc['_id']; version: number }; update: { $set: Partial<SessionDoc>; $inc: { version: 1 } } }
  | { kind: 'insert'; document: SessionDoc };

/**
 * Saves on the version that was loaded; someone else's save in between is a conflict, not an
 * overwrite. Plain driver writes: the fields are already validated (zod) and this runs for
 * every message.
 */
export function sessionWrite(key: SessionKey, loaded: LoadedSession, conversation: Conversation, now: Date, messageId: string): SessionWrite {
  const recentMessageIds = [...(loaded.stored?.recentMessageIds ?? []), messageId].slice(-RECENT_MESSAGE_IDS);
  const fields = {
    flow: conversation.flow,
    state: conversation.state,
    vars: conversation.vars,
    cart: conversation.cart,
    language: conversation.language,
    schemaVersion: SESSION_SCHEMA_VERSION,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
    recentMessageIds,
    updatedAt: new Date(),
  };
  if (loaded.stored) return { kind: 'update', filter: { _id: loaded.stored.id, version: loaded.stored.version }, update: { $set: fields, $inc: { version: 1 } } };
  // __v as mongoose gives a created document, so stored sessions keep one shape.
  const document = { _id: new Types.ObjectId(), ...key, ...fields, version: 1, createdAt: fields.updatedAt, __v: 0 };
  return { kind: 'insert', document };
}

/** Deletes sessions whose time is up; the next message starts fresh. Returns how many. */
export async function deleteExpiredSessions(models: Models, now: Date): Promise<number> {
  const result = await models.Session.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount ?? 0;
}
