import { Types } from 'mongoose';
import type { InboundMessage } from '../channels/types.js';
import { bulkWriteFailures, MONGO_DUPLICATE_KEY } from '../db/bulk-write-errors.js';
import type { Models } from '../db/models/index.js';
import type { InboundMessageDoc } from '../db/models/inbound-message.js';
import type { SessionDoc } from '../db/models/session.js';
import type { Logger } from '../logger.js';
import { createBatcher, type BatchOutcome } from '../shared/batcher.js';

/** A claim still 'received' after this long belongs to a run that died: a redelivery may retry it. */
export const STALE_CLAIM_MS = 60_000;
/** How many handled message ids a session remembers (a crash can only leave the latest unmarked). */
export const RECENT_MESSAGE_IDS = 5;

export interface InboundLog {
  /** Claims the message for processing; false when it was seen before (and is not a stale, unfinished claim). */
  claim(message: InboundMessage, now: Date): Promise<boolean>;
  /** Records that the message was handled, batched with others; never rejects (a failure is logged). */
  markProcessed(message: InboundMessage): Promise<void>;
  markFailed(message: InboundMessage): Promise<void>;
}

export function createInboundLog(models: Models, logger: Logger): InboundLog {
  const collection = models.InboundMessage.collection;
  const processed = createBatcher<Pick<InboundMessage, 'channel' | 'providerMessageId'>, void>(async (messages) => {
    const byChannel = new Map<string, string[]>();
    for (const { channel, providerMessageId } of messages) byChannel.set(channel, [...(byChannel.get(channel) ?? []), providerMessageId]);
    for (const [channel, ids] of byChannel) {
      await collection.updateMany({ channel, providerMessageId: { $in: ids }, status: 'received' }, { $set: { status: 'processed' } });
    }
    return messages.map(() => ({ ok: true, value: undefined }));
  });

  // Claims of the messages arriving together go in one unordered insert (one journal fsync);
  // a duplicate key refuses only its own message. Resolves false for a duplicate.
  const claims = createBatcher<{ message: InboundMessage; now: Date }, boolean>(async (batch) => {
    const documents = batch.map(({ message, now }) => claimDocument(message, now));
    if (documents.length === 1) {
      try {
        await collection.insertOne(documents[0]);
        return [{ ok: true, value: true }];
      } catch (error) {
        if ((error as { code?: number }).code === MONGO_DUPLICATE_KEY) return [{ ok: true, value: false }];
        throw error;
      }
    }
    const outcomes: BatchOutcome<boolean>[] = documents.map(() => ({ ok: true, value: true }));
    try {
      await collection.insertMany(documents, { ordered: false });
    } catch (error) {
      const failures = bulkWriteFailures(error);
      if (!failures) throw error;
      for (const writeError of failures) {
        outcomes[writeError.index] = writeError.code === MONGO_DUPLICATE_KEY ? { ok: true, value: false } : { ok: false, error: Object.assign(new Error('inbound claim failed'), { cause: writeError }) };
      }
    }
    return outcomes;
  });

  return {
    async claim(message, now) {
      if (await claims.run({ message, now })) return true;
      return reclaimIfAbandoned(models, message, now);
    },
    markProcessed(message) {
      return processed.run({ channel: message.channel, providerMessageId: message.providerMessageId }).catch((error: unknown) => {
        // Only the log's status is behind; the session's recentMessageIds still prove the message was handled.
        logger.warn({ err: error }, 'could not mark inbound message processed');
      });
    },
    async markFailed(message) {
      await collection.updateOne({ channel: message.channel, providerMessageId: message.providerMessageId }, { $set: { status: 'failed' } });
    },
  };
}

function claimDocument(message: InboundMessage, now: Date): InboundMessageDoc {
  return {
    _id: new Types.ObjectId(),
    coopId: message.coopId,
    channel: message.channel,
    providerMessageId: message.providerMessageId,
    from: message.from,
    receivedAt: message.receivedAt,
    status: 'received',
    claimedAt: now,
    createdAt: new Date(),
  };
}

/**
 * A redelivery of a message whose claim is still 'received' a minute on: if the session shows
 * it was handled, it was (only the status write was lost); otherwise the run that claimed it
 * died, and this delivery takes the claim over (atomically: one retry wins).
 */
async function reclaimIfAbandoned(models: Models, message: InboundMessage, now: Date): Promise<boolean> {
  const collection = models.InboundMessage.collection;
  const existing = (await collection.findOne({ channel: message.channel, providerMessageId: message.providerMessageId })) as InboundMessageDoc | null;
  if (!existing || existing.status !== 'received') return false;
  const claimedAt = existing.claimedAt ?? existing.createdAt;
  if (claimedAt && now.getTime() - claimedAt.getTime() < STALE_CLAIM_MS) return false;
  const session = (await models.Session.collection.findOne(
    { coopId: message.coopId, phone: message.from, channel: message.channel },
    { projection: { recentMessageIds: 1 } },
  )) as Pick<SessionDoc, 'recentMessageIds'> | null;
  if (session?.recentMessageIds?.includes(message.providerMessageId)) {
    await collection.updateOne({ _id: existing._id, status: 'received' }, { $set: { status: 'processed' } });
    return false;
  }
  const taken = await collection.updateOne(
    { _id: existing._id, status: 'received', claimedAt: existing.claimedAt ?? { $exists: false } },
    { $set: { claimedAt: now } },
  );
  return taken.matchedCount === 1;
}
