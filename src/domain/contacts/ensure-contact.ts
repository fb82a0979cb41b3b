import { Types } from 'mongoose';
import type { Models } from '../../db/models/index.js';
import type { ContactDoc } from '../../db/models/contact.js';

/** Finds or creates the contact for a phone and marks it seen. */
export async function ensureContact(models: Models, coopId: string, phone: string, now: Date): Promise<ContactDoc> {
  const contact = await models.Contact.findOneAndUpdate(
    { coopId, phone },
    // _id is seeded on insert: the embedded server does not generate one inside an upsert.
    { $set: { lastSeenAt: now }, $setOnInsert: { _id: new Types.ObjectId(), language: 'id' } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  if (!contact) throw new Error('Contact upsert returned nothing');
  return contact;
}
