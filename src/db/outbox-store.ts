import type { FindOneAndUpdateOptions } from 'mongodb';
import { Types } from 'mongoose';
import type { DeliveryStatusUpdate, ProviderName, SendResult } from '../channels/types.js';
import { createBatcher } from '../shared/batcher.js';
import type { Models } from './models/index.js';
import type { OutboxItemDoc, OutboxStatus } from './models/outbox-item.js';

export interface OutboxQuery {
  coopId?: string;
  to?: string;
  status?: OutboxStatus;
  limit: number;
  /** Items created before this id (the previous page's last), for paging newest first. */
  before?: Types.ObjectId;
}

/**
 * Statuses a delivery report may move an item from; a report never moves an item backwards.
 * 'pending': a report can overtake the record of its send (a crash in between), and a
 * delivered message must not be sent again.
 */
const REPORT_MAY_MOVE: Record<DeliveryStatusUpdate['status'], OutboxStatus[]> = {
  queued: [],
  sent: ['pending', 'sending'],
  delivered: ['pending', 'sending', 'sent'],
  failed: ['sending', 'sent'],
};

/** Providers whose message id is the outbox item's own id (the SMS gateway takes ours). */
const SENT_UNDER_OUR_ID = new Set<ProviderName>(['sms-gateway']);

export interface OutboxStore {
  /** Claims the oldest due item of a provider (or one whose worker's lease lapsed) for `owner`. */
  claimNext(provider: ProviderName, owner: string, now: Date, leaseMs: number): Promise<OutboxItemDoc | null>;
  /** Whether an older item to the same recipient is still unsent (replies must arrive in order). */
  hasEarlierOpen(item: OutboxItemDoc): Promise<boolean>;
  /** Gives a claim back untouched (it waits for an earlier item), to be tried again at `at`. */
  release(item: OutboxItemDoc, owner: string, at: Date): Promise<void>;
  markSent(item: OutboxItemDoc, owner: string, result: SendResult, now: Date): Promise<void>;
  retryLater(item: OutboxItemDoc, owner: string, error: { code?: string; message: string }, at: Date): Promise<void>;
  markFailed(item: OutboxItemDoc, owner: string, error: { code?: string; message: string }, now: Date): Promise<void>;
  /** The owners of claims still 'sending' for a provider (to find claims of instances that died). */
  sendingOwners(provider: ProviderName): Promise<string[]>;
  /** Puts back the claims a dead instance held, to be sent at once. Returns how many. */
  releaseOwner(provider: ProviderName, owner: string, now: Date): Promise<number>;
  /** Records held items as answered inline; returns how many were still pending (see InlineReplySent). */
  markSentInline(ids: string[], now: Date): Promise<number>;
  /** Makes held items due for the worker now: their inline answer never reached the provider. */
  releaseInline(ids: string[], now: Date): Promise<void>;
  /** Records a provider's delivery report on its item; returns the item as it is now, if the report moved it. */
  recordStatus(update: DeliveryStatusUpdate): Promise<OutboxItemDoc | null>;
  /** Adds an item outside a conversation turn (a fallback, a notification). */
  add(item: Omit<OutboxItemDoc, '_id' | 'attempts' | 'createdAt' | 'updatedAt'>, now: Date): Promise<OutboxItemDoc>;
  list(query: OutboxQuery): Promise<OutboxItemDoc[]>;
}

/** The outbox's reads and writes; the delivery policy lives in src/outbox/. */
export function createOutboxStore(models: Models): OutboxStore {
  const collection = models.OutboxItem.collection;
  const held = (item: OutboxItemDoc, owner: string) => ({ _id: item._id, status: 'sending', 'lease.owner': owner });
  // Inline answers of the webhooks in flight are recorded together: one update for many requests.
  const inlineSends = createBatcher<{ ids: string[]; now: Date }, number>(async (requests) => {
    const all = requests.flatMap(({ ids }) => ids);
    if (all.length === 0) return requests.map(() => ({ ok: true, value: 0 }));
    const objectIds = all.map((id) => new Types.ObjectId(id));
    const now = requests[requests.length - 1].now;
    const { modifiedCount } = await collection.updateMany({ _id: { $in: objectIds }, status: 'pending' }, { $set: { status: 'sent', sentBy: 'inline', sentAt: now, updatedAt: now } });
    // Usually every one was still pending; only otherwise count, per request, what is inline now.
    if (modifiedCount === all.length) return requests.map(({ ids }) => ({ ok: true, value: ids.length }));
    const inline = new Set((await collection.find({ _id: { $in: objectIds }, sentBy: 'inline' }, { projection: { _id: 1 } }).toArray()).map((doc) => String(doc._id)));
    return requests.map(({ ids }) => ({ ok: true, value: ids.filter((id) => inline.has(id)).length }));
  });
  return {
    async claimNext(provider, owner, now, leaseMs) {
      const claim = { $set: { status: 'sending', lease: { owner, until: new Date(now.getTime() + leaseMs) }, updatedAt: now }, $inc: { attempts: 1 } };
      // Oldest first: one recipient's replies then leave in the order they were written.
      const options: FindOneAndUpdateOptions & { includeResultMetadata: false } = { sort: { createdAt: 1, _id: 1 }, returnDocument: 'after', includeResultMetadata: false };
      // Two plain queries, each on the {provider, status, ...} index: a lapsed lease first (rare), then a due item.
      const lapsed = await collection.findOneAndUpdate({ provider, status: 'sending', 'lease.until': { $lte: now } }, claim, options);
      if (lapsed) return lapsed as unknown as OutboxItemDoc;
      return (await collection.findOneAndUpdate({ provider, status: 'pending', nextAttemptAt: { $lte: now } }, claim, options)) as unknown as OutboxItemDoc | null;
    },
    async hasEarlierOpen(item) {
      // Written earlier: by the turn's time, then by id within one turn. Ids alone do not order
      // items written by two instances in the same second (their middle bytes differ per process).
      const earlier = await collection.findOne(
        { provider: item.provider, to: item.to, status: { $in: ['pending', 'sending'] }, $or: [{ createdAt: { $lt: item.createdAt } }, { createdAt: item.createdAt, _id: { $lt: item._id } }] },
        { projection: { _id: 1 } },
      );
      return earlier !== null;
    },
    async release(item, owner, at) {
      await collection.updateOne(held(item, owner), { $set: { status: 'pending', nextAttemptAt: at, updatedAt: new Date() }, $unset: { lease: '' }, $inc: { attempts: -1 } });
    },
    async markSent(item, owner, result, now) {
      await collection.updateOne(held(item, owner), {
        $set: { status: 'sent', sentBy: 'worker', sentAt: now, updatedAt: now, ...(result.providerMessageId ? { providerMessageId: result.providerMessageId } : {}) },
        $unset: { lease: '', lastError: '' },
      });
    },
    async retryLater(item, owner, error, at) {
      await collection.updateOne(held(item, owner), { $set: { status: 'pending', nextAttemptAt: at, lastError: error, updatedAt: new Date() }, $unset: { lease: '' } });
    },
    async markFailed(item, owner, error, now) {
      await collection.updateOne(held(item, owner), { $set: { status: 'failed', lastError: error, failedAt: now, updatedAt: now }, $unset: { lease: '' } });
    },
    async sendingOwners(provider) {
      return (await collection.distinct('lease.owner', { provider, status: 'sending' })) as string[];
    },
    async releaseOwner(provider, owner, now) {
      const result = await collection.updateMany({ provider, status: 'sending', 'lease.owner': owner }, { $set: { status: 'pending', nextAttemptAt: now, updatedAt: now }, $unset: { lease: '' } });
      return result.modifiedCount;
    },
    markSentInline: (ids, now) => inlineSends.run({ ids, now }),
    async releaseInline(ids, now) {
      if (ids.length === 0) return;
      await collection.updateMany({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) }, status: 'pending' }, { $set: { nextAttemptAt: now, updatedAt: now } });
    },
    async recordStatus(update) {
      const from = REPORT_MAY_MOVE[update.status];
      if (from.length === 0) return null;
      const fields: Partial<OutboxItemDoc> = { status: update.status as OutboxStatus, updatedAt: update.at };
      if (update.status === 'delivered') fields.deliveredAt = update.at;
      if (update.status === 'failed') {
        fields.failedAt = update.at;
        fields.lastError = { ...(update.errorCode ? { code: update.errorCode } : {}), message: 'reported failed by the provider' };
      }
      const move = (filter: Record<string, unknown>) =>
        collection.findOneAndUpdate({ ...filter, provider: update.provider, status: { $in: from } }, { $set: fields }, { returnDocument: 'after' }) as Promise<OutboxItemDoc | null>;
      const moved = await move({ providerMessageId: update.providerMessageId });
      if (moved || !SENT_UNDER_OUR_ID.has(update.provider) || !Types.ObjectId.isValid(update.providerMessageId)) return moved;
      // Providers that take our id can report before the send was recorded (the sender died
      // after the provider took the message): the report finds the item by its own id.
      return move({ _id: new Types.ObjectId(update.providerMessageId) });
    },
    async add(item, now) {
      const document = { _id: new Types.ObjectId(), attempts: 0, ...item, createdAt: now, updatedAt: now, __v: 0 } as OutboxItemDoc;
      await collection.insertOne(document);
      return document;
    },
    async list(query) {
      const filter: Record<string, unknown> = {};
      if (query.coopId) filter.coopId = query.coopId;
      if (query.to) filter.to = query.to;
      if (query.status) filter.status = query.status;
      if (query.before) filter._id = { $lt: query.before };
      return (await collection.find(filter).sort({ _id: -1 }).limit(query.limit).toArray()) as OutboxItemDoc[];
    },
  };
}
