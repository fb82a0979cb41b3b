import { Types } from 'mongoose';
import { bulkWriteFailures, MONGO_DUPLICATE_KEY } from '../../db/bulk-write-errors.js';
import type { Models } from '../../db/models/index.js';
import type { ContactDoc } from '../../db/models/contact.js';
import { createBatcher, type Batcher } from '../../shared/batcher.js';

/** lastSeenAt is kept to this resolution: re-writing it on every message would make every message a durable write. */
const LAST_SEEN_RESOLUTION_MS = 60 * 60 * 1000;

export interface ContactEnsurer {
  /**
   * Finds or creates the contact for a phone and marks it seen (to the hour). `known` is the
   * contact as the caller already read it (null: not found), to save the read.
   */
  ensure(coopId: string, phone: string, now: Date, known?: ContactDoc | null): Promise<ContactDoc>;
}

/** Built once per process: first messages arriving together create their contacts in one unordered insert. */
export function createContactEnsurer(models: Models): ContactEnsurer {
  const creator = contactCreator(models);
  return {
    async ensure(coopId, phone, now, known) {
      const existing = known !== undefined ? known : ((await models.Contact.collection.findOne({ coopId, phone })) as ContactDoc | null);
      if (existing) {
        if (existing.lastSeenAt && now.getTime() - existing.lastSeenAt.getTime() < LAST_SEEN_RESOLUTION_MS) return existing;
        await models.Contact.updateOne({ _id: existing._id }, { $set: { lastSeenAt: now } });
        return { ...existing, lastSeenAt: now };
      }
      return creator.run({ coopId, phone, now });
    },
  };
}

function contactCreator(models: Models): Batcher<{ coopId: string; phone: string; now: Date }, ContactDoc> {
  return createBatcher(async (requests) => {
    const created = new Date();
    // The same shape the schema gives a new contact (defaults, timestamps, version key).
    const documents: ContactDoc[] = requests.map(({ coopId, phone, now }) => ({ _id: new Types.ObjectId(), coopId, phone, language: 'id', lastSeenAt: now, createdAt: created, updatedAt: created, __v: 0 }) as ContactDoc);
    const taken = new Set<number>();
    try {
      await models.Contact.collection.insertMany(documents, { ordered: false });
    } catch (error) {
      const failures = bulkWriteFailures(error);
      if (!failures) throw error;
      for (const writeError of failures) {
        if (writeError.code !== MONGO_DUPLICATE_KEY) throw Object.assign(new Error('contact insert failed'), { cause: writeError });
        taken.add(writeError.index);
      }
    }
    // A duplicate means it was created meanwhile (another process, or the same phone twice in this batch): read that one.
    return Promise.all(
      requests.map(async ({ coopId, phone }, index) => {
        if (!taken.has(index)) return { ok: true as const, value: documents[index] };
        const contact = (await models.Contact.collection.findOne({ coopId, phone })) as ContactDoc | null;
        return contact ? { ok: true as const, value: contact } : { ok: false as const, error: new Error('Contact insert collided but no contact was found') };
      }),
    );
  });
}
