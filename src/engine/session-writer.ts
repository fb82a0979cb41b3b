import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { bulkWriteFailures, MONGO_DUPLICATE_KEY } from '../db/bulk-write-errors.js';
import type { Models } from '../db/models/index.js';
import type { SessionDoc } from '../db/models/session.js';
import { SessionConflictError } from '../domain/errors.js';
import { createBatcher, type BatchOutcome } from '../shared/batcher.js';
import { describeSessionKey, saveSession, sessionWrite, type LoadedSession, type SessionKey } from './session-store.js';
import type { Conversation } from './conversation.js';

export interface SessionSave {
  key: SessionKey;
  loaded: LoadedSession;
  conversation: Conversation;
  now: Date;
  messageId: string;
}

export interface SessionWriter {
  /** Saves like saveSession (SessionConflictError when someone else saved in between), batched with other conversations. */
  save(save: SessionSave): Promise<void>;
}


/**
 * Saves the conversations in flight together: one unordered bulk write (one journal fsync)
 * for many sessions. The per-conversation lock means a batch never holds one session twice.
 */
export function createSessionWriter(models: Models): SessionWriter {
  const batcher = createBatcher<SessionSave, void>(async (saves) => {
    if (saves.length > 1) return saveMany(models, saves);
    const [only] = saves;
    await saveSession(models, only.key, only.loaded, only.conversation, only.now, only.messageId);
    return [{ ok: true, value: undefined }];
  });
  return { save: (save) => batcher.run(save) };
}

async function saveMany(models: Models, saves: SessionSave[]): Promise<BatchOutcome<void>[]> {
  const writes = saves.map((save) => sessionWrite(save.key, save.loaded, save.conversation, save.now, save.messageId));
  const operations: AnyBulkWriteOperation<Document>[] = writes.map((write) =>
    write.kind === 'update' ? { updateOne: { filter: write.filter, update: write.update } } : { insertOne: { document: write.document } },
  );
  const failed = new Map<number, unknown>();
  let matched: number;
  try {
    matched = (await models.Session.collection.bulkWrite(operations, { ordered: false, ignoreUndefined: true })).matchedCount;
  } catch (error) {
    const failures = bulkWriteFailures(error);
    const partial = (error as { result?: { matchedCount?: number } }).result?.matchedCount;
    if (!failures || partial === undefined) throw error;
    for (const writeError of failures) {
      const save = saves[writeError.index];
      failed.set(writeError.index, writeError.code === MONGO_DUPLICATE_KEY ? new SessionConflictError(describeSessionKey(save.key)) : Object.assign(new Error('session save failed'), { cause: writeError }));
    }
    matched = partial;
  }
  const updates = writes.flatMap((write, index) => (write.kind === 'update' && !failed.has(index) ? [index] : []));
  if (matched < updates.length) {
    // Some version guard missed (another process saved first). The totals do not say which:
    // a save landed if its session now remembers this message.
    const ids = updates.map((index) => (writes[index] as Extract<typeof writes[number], { kind: 'update' }>).filter._id);
    const current = (await models.Session.collection.find({ _id: { $in: ids } }, { projection: { recentMessageIds: 1 } }).toArray()) as Pick<SessionDoc, '_id' | 'recentMessageIds'>[];
    const remembered = new Map(current.map((doc) => [String(doc._id), doc.recentMessageIds ?? []]));
    for (const index of updates) {
      const write = writes[index] as Extract<typeof writes[number], { kind: 'update' }>;
      if (!remembered.get(String(write.filter._id))?.includes(saves[index].messageId)) failed.set(index, new SessionConflictError(describeSessionKey(saves[index].key)));
    }
  }
  return saves.map((_, index) => (failed.has(index) ? { ok: false, error: failed.get(index) } : { ok: true, value: undefined }));
}
