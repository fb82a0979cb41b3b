import type mongoose from 'mongoose';
import type { Model } from 'mongoose';
import { contactSchema, type ContactDoc } from './contact.js';
import { coopSchema, type CoopDoc } from './coop.js';
import { counterSchema, type CounterDoc } from './counter.js';
import { inboundMessageSchema, type InboundMessageDoc } from './inbound-message.js';
import { instanceSchema, type InstanceDoc } from './instance.js';
import { jobLeaseSchema, type JobLeaseDoc } from './job-lease.js';
import { jobRunSchema, type JobRunDoc } from './job-run.js';
import { memberSchema, type MemberDoc } from './member.js';
import { orderSchema, type OrderDoc } from './order.js';
import { outboxItemSchema, type OutboxItemDoc } from './outbox-item.js';
import { productSchema, type ProductDoc } from './product.js';
import { savingsEntrySchema, type SavingsEntryDoc } from './savings-entry.js';
import { sessionSchema, type SessionDoc } from './session.js';
import { staffTokenSchema, type StaffTokenDoc } from './staff-token.js';

export type * from './contact.js';
export type * from './coop.js';
export type * from './counter.js';
export type * from './inbound-message.js';
export type * from './instance.js';
export type * from './job-lease.js';
export type * from './job-run.js';
export type * from './member.js';
export type * from './order.js';
export type * from './outbox-item.js';
export type * from './product.js';
export type * from './savings-entry.js';
export type * from './session.js';
export type * from './staff-token.js';

export interface Models {
  connection: mongoose.Connection;
  Coop: Model<CoopDoc>;
  Product: Model<ProductDoc>;
  Contact: Model<ContactDoc>;
  Member: Model<MemberDoc>;
  SavingsEntry: Model<SavingsEntryDoc>;
  Session: Model<SessionDoc>;
  Order: Model<OrderDoc>;
  Counter: Model<CounterDoc>;
  InboundMessage: Model<InboundMessageDoc>;
  OutboxItem: Model<OutboxItemDoc>;
  Instance: Model<InstanceDoc>;
  JobLease: Model<JobLeaseDoc>;
  StaffToken: Model<StaffTokenDoc>;
  JobRun: Model<JobRunDoc>;
}

const registered = new WeakMap<mongoose.Connection, Models>();

/** Registers the models on a connection once and returns them. */
export function getModels(connection: mongoose.Connection): Models {
  const existing = registered.get(connection);
  if (existing) return existing;
  const models: Models = {
    connection,
    Coop: connection.model<CoopDoc>('Coop', coopSchema),
    Product: connection.model<ProductDoc>('Product', productSchema),
    Contact: connection.model<ContactDoc>('Contact', contactSchema),
    Member: connection.model<MemberDoc>('Member', memberSchema),
    SavingsEntry: connection.model<SavingsEntryDoc>('SavingsEntry', savingsEntrySchema),
    Session: connection.model<SessionDoc>('Session', sessionSchema),
    Order: connection.model<OrderDoc>('Order', orderSchema),
    Counter: connection.model<CounterDoc>('Counter', counterSchema),
    InboundMessage: connection.model<InboundMessageDoc>('InboundMessage', inboundMessageSchema),
    OutboxItem: connection.model<OutboxItemDoc>('OutboxItem', outboxItemSchema),
    Instance: connection.model<InstanceDoc>('Instance', instanceSchema),
    JobLease: connection.model<JobLeaseDoc>('JobLease', jobLeaseSchema),
    StaffToken: connection.model<StaffTokenDoc>('StaffToken', staffTokenSchema),
    JobRun: connection.model<JobRunDoc>('JobRun', jobRunSchema),
  };
  registered.set(connection, models);
  return models;
}

/** Creates the indexes the code relies on (unique keys, dedupe). Safe to run at every start. */
export async function ensureIndexes(models: Models): Promise<void> {
  const all = [models.Coop, models.Product, models.Contact, models.Member, models.SavingsEntry, models.Session, models.Order, models.Counter, models.InboundMessage, models.OutboxItem, models.Instance, models.JobLease, models.StaffToken, models.JobRun];
  for (const model of all) {
    await model.createCollection().catch((error: unknown) => {
      // 48 NamespaceExists: the collection is already there.
      if ((error as { code?: number }).code !== 48) throw error;
    });
    await model.createIndexes();
  }
  // Before the dedupe key named coop and sender, it was channel + provider id: that index
  // would still refuse another sender's message with the same id, so it goes.
  await models.InboundMessage.collection.dropIndex('channel_1_providerMessageId_1').catch((error: unknown) => {
    // 27 IndexNotFound: a database created after the change.
    if ((error as { code?: number }).code !== 27) throw error;
  });
}
