import { Types, type ClientSession } from 'mongoose';
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { Conversation } from '../engine/conversation.js';
import { SessionConflictError } from '../domain/errors.js';
import { createBatcher, type BatchOutcome } from '../shared/batcher.js';
import { MONGO_DUPLICATE_KEY } from './bulk-write-errors.js';
import type { Models } from './models/index.js';
import type { OutboxItemDoc } from './models/outbox-item.js';
import type { SessionDoc } from './models/session.js';
import { describeSessionKey, sessionWrite, type LoadedSession, type SessionKey } from './session-store.js';

/** A message to store in the outbox with the turn that produced it. */
export type OutboxDraft = Pick<OutboxItemDoc, 'coopId' | 'channel' | 'provider' | 'to' | 'text' | 'status' | 'nextAttemptAt'> &
  Partial<Pick<OutboxItemDoc, 'sentBy' | 'sentAt' | 'sourceMessageKey'>>;

/** Everything one handled message changes, written in one transaction. */
export interface Turn {
  /** The inbound claim to close. */
  claimId: Types.ObjectId;
  outcome: 'processed' | 'failed';
  /** The conversation to save on the version it was loaded at; absent when it must not be saved. */
  session?: { key: SessionKey; loaded: LoadedSession; conversation: Conversation; messageId: string };
  replies: OutboxDraft[];
  now: Date;
}

export interface TurnWriter {
  /**
   * Saves the conversation, its replies as outbox items and the claim's outcome together, so
   * a crash loses none of them and can never send a reply of an unsaved turn. Resolves the
   * outbox ids in reply order; rejects with SessionConflictError (nothing written) when
   * someone else saved the conversation since it was loaded.
   */
  commit(turn: Turn): Promise<string[]>;
}

/** Turns in flight are committed together: one transaction (one journal fsync) for many. */
export function createTurnWriter(models: Models): TurnWriter {
  const batcher = createBatcher<Turn, string[]>((turns) => commitTurns(models, turns));
  return { commit: (turn) => batcher.run(turn) };
}

async function commitTurns(models: Models, turns: Turn[]): Promise<BatchOutcome<string[]>[]> {
  try {
    return await models.connection.transaction((session) => writeTurns(models, turns, session));
  } catch (error) {
    if (turns.length === 1) return [{ ok: false, error: asConflict(error, turns[0]) }];
    // One turn's write failed the shared transaction (two processes creating one session at
    // once); nothing was committed: commit them one by one so the failure stays its own.
    const outcomes: BatchOutcome<string[]>[] = [];
    for (const turn of turns) outcomes.push(...(await commitTurns(models, [turn])));
    return outcomes;
  }
}

async function writeTurns(models: Models, turns: Turn[], session: ClientSession): Promise<BatchOutcome<string[]>[]> {
  const conflicts = await writeSessions(models, turns, session);
  const kept = turns.filter((_, index) => !conflicts.has(index));
  const ids = kept.map((turn) => turn.replies.map(() => new Types.ObjectId()));
  const items = kept.flatMap((turn, index) =>
    turn.replies.map((draft, position) => ({ _id: ids[index][position], attempts: 0, ...draft, createdAt: turn.now, updatedAt: turn.now, __v: 0 })),
  );
  if (items.length > 0) await models.OutboxItem.collection.insertMany(items, { session });
  for (const outcome of ['processed', 'failed'] as const) {
    const claims = kept.filter((turn) => turn.outcome === outcome).map((turn) => turn.claimId);
    if (claims.length > 0) await models.InboundMessage.collection.updateMany({ _id: { $in: claims } }, { $set: { status: outcome } }, { session });
  }
  let next = 0;
  return turns.map((turn, index) =>
    conflicts.has(index) ? { ok: false, error: new SessionConflictError(describeSessionKey(turn.session!.key)) } : { ok: true, value: ids[next++].map(String) },
  );
}

/** Writes the sessions; returns the positions of turns whose version guard missed. */
async function writeSessions(models: Models, turns: Turn[], session: ClientSession): Promise<Set<number>> {
  const saving = turns.flatMap((turn, index) => (turn.session ? [{ index, write: sessionWrite(turn.session.key, turn.session.loaded, turn.session.conversation, turn.now, turn.session.messageId) }] : []));
  if (saving.length === 0) return new Set();
  const operations: AnyBulkWriteOperation<Document>[] = saving.map(({ write }) =>
    write.kind === 'update' ? { updateOne: { filter: write.filter, update: write.update } } : { insertOne: { document: write.document } },
  );
  const { matchedCount } = await models.Session.collection.bulkWrite(operations, { session, ordered: true, ignoreUndefined: true });
  const updates = saving.filter(({ write }) => write.kind === 'update');
  if (matchedCount === updates.length) return new Set();
  // Some version guard missed (another process saved first). The totals do not say which:
  // inside this transaction, a session this batch updated now remembers its message.
  const current = (await models.Session.collection
    .find({ _id: { $in: updates.map(({ write }) => (write as Extract<typeof write, { kind: 'update' }>).filter._id) } }, { session, projection: { recentMessageIds: 1 } })
    .toArray()) as Pick<SessionDoc, '_id' | 'recentMessageIds'>[];
  const remembered = new Map(current.map((doc) => [String(doc._id), doc.recentMessageIds ?? []]));
  const missed = new Set<number>();
  for (const { index, write } of updates) {
    const id = String((write as Extract<typeof write, { kind: 'update' }>).filter._id);
    if (!remembered.get(id)?.includes(turns[index].session!.messageId)) missed.add(index);
  }
  return missed;
}

function asConflict(error: unknown, turn: Turn): unknown {
  if ((error as { code?: number }).code === MONGO_DUPLICATE_KEY && turn.session) return new SessionConflictError(describeSessionKey(turn.session.key));
  return error;
}
