import { Types } from 'mongoose';
import type { InboundMessage } from '../channels/types.js';
import { bulkWriteFailures, MONGO_DUPLICATE_KEY } from './bulk-write-errors.js';
import type { InstanceRegistry } from './instance-registry.js';
import type { Models } from './models/index.js';
import type { InboundMessageDoc } from './models/inbound-message.js';
import { createBatcher, type BatchOutcome } from '../shared/batcher.js';

export interface InboundLog {
  /**
   * Claims the message for processing by this instance. Returns the claim's id, or undefined
   * when the message was handled before or is being handled by a live instance.
   */
  claim(message: InboundMessage, now: Date): Promise<Types.ObjectId | undefined>;
}

/** The dedupe key of a message within its coop: the same delivery from the same sender on the same channel. */
export function messageKey(message: Pick<InboundMessage, 'channel' | 'from' | 'providerMessageId'>): string {
  return `${message.channel}:${message.from}:${message.providerMessageId}`;
}

export function createInboundLog(models: Models, instances: InstanceRegistry): InboundLog {
  const collection = models.InboundMessage.collection;

  // Claims of the messages arriving together go in one unordered insert (one journal fsync);
  // a duplicate key refuses only its own message.
  const inserts = createBatcher<InboundMessageDoc, boolean>(async (documents) => {
    const outcomes: BatchOutcome<boolean>[] = documents.map(() => ({ ok: true, value: true }));
    try {
      await collection.insertMany(documents, { ordered: false });
    } catch (error) {
      const failures = bulkWriteFailures(error);
      if (!failures) {
        if ((error as { code?: number }).code === MONGO_DUPLICATE_KEY && documents.length === 1) return [{ ok: true, value: false }];
        throw error;
      }
      for (const writeError of failures) {
        outcomes[writeError.index] = writeError.code === MONGO_DUPLICATE_KEY ? { ok: true, value: false } : { ok: false, error: Object.assign(new Error('inbound claim failed'), { cause: writeError }) };
      }
    }
    return outcomes;
  });

  return {
    async claim(message, now) {
      const document = claimDocument(message, instances.id, now);
      if (await inserts.run(document)) return document._id;
      return takeOverIfAbandoned(message, now);
    },
  };

  /**
   * A message seen before is handled again only when its claim is still open and the
   * instance holding it is gone (it died mid-message): the claim moves here atomically, so
   * of two redeliveries one wins. The per-conversation lock means this instance never holds
   * an open claim it is still working on.
   */
  async function takeOverIfAbandoned(message: InboundMessage, now: Date): Promise<Types.ObjectId | undefined> {
    const existing = (await collection.findOne({ coopId: message.coopId, channel: message.channel, from: message.from, providerMessageId: message.providerMessageId })) as InboundMessageDoc | null;
    if (!existing || existing.status !== 'received') return undefined;
    if (existing.owner !== instances.id && (await instances.isAlive(existing.owner, now))) return undefined;
    const taken = await collection.updateOne({ _id: existing._id, status: 'received', owner: existing.owner, claimedAt: existing.claimedAt }, { $set: { owner: instances.id, claimedAt: now } });
    return taken.modifiedCount === 1 ? existing._id : undefined;
  }
}

function claimDocument(message: InboundMessage, owner: string, now: Date): InboundMessageDoc {
  return {
    _id: new Types.ObjectId(),
    coopId: message.coopId,
    channel: message.channel,
    provider: message.provider,
    providerMessageId: message.providerMessageId,
    from: message.from,
    receivedAt: message.receivedAt,
    status: 'received',
    owner,
    claimedAt: now,
    createdAt: new Date(),
  };
}
