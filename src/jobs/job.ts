import type { ProviderName } from '../channels/types.js';
import type { CoopDoc } from '../db/models/coop.js';
import type { Models } from '../db/models/index.js';
import type { OutboxItemDoc } from '../db/models/outbox-item.js';
import type { Logger } from '../logger.js';
import type { NoticeDrafting } from '../outbox/notice-item.js';

/** What a job run gets: the database, the time it runs for, and how to draft messages. */
export interface JobContext {
  models: Models;
  now: Date;
  logger: Logger;
  drafting: NoticeDrafting;
  /** New outbox items for this provider: send them now. */
  wake(provider: ProviderName): void;
}

/** Queues a run once (see queueRunOnce) and wakes the workers that have something to send. */
export async function queueAndWake(context: JobContext, run: QueuedRun): Promise<number> {
  const { stored, providers } = await queueRunOnce(context.models, run, context.now);
  providers.forEach((provider) => context.wake(provider));
  return stored;
}

export interface Job {
  name: string;
  /** node-cron expression, in Asia/Jakarta. */
  schedule: string;
  /** Runs once; resolves how many messages it queued (or items it handled). Safe to run again for the same period. */
  run(context: JobContext): Promise<number>;
}

/** Runs `perCoop` for every cooperative that has staff contacts (the audience of staff reports); sums what each queued. */
export async function forEachCoopWithStaff(context: JobContext, perCoop: (context: JobContext, coop: CoopDoc) => Promise<number>): Promise<number> {
  let queued = 0;
  for (const coop of await context.models.Coop.find({ 'staff.0': { $exists: true } }).lean<CoopDoc[]>()) queued += await perCoop(context, coop);
  return queued;
}

/** A job run's outcome for one scope and period: the messages it queues, all or none. */
export interface QueuedRun {
  /** `<job>:<scope>:<period>`: a period is queued once, however often the job runs. */
  runKey: string;
  items: OutboxItemDoc[];
}

/**
 * Stores a run's messages together with its marker, in one transaction: a second run of the
 * same period (a retry, another instance, a hand run) finds the marker and queues nothing.
 * Resolves how many items it stored (0 when the period was already done) and the providers to wake.
 */
export async function queueRunOnce(models: Models, run: QueuedRun, now: Date): Promise<{ stored: number; providers: Set<ProviderName> }> {
  try {
    await models.connection.transaction(async (session) => {
      await models.JobRun.create([{ _id: run.runKey, at: now, queued: run.items.length }], { session });
      if (run.items.length > 0) await models.OutboxItem.collection.insertMany(run.items, { session });
    });
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return { stored: 0, providers: new Set() };
    throw error;
  }
  return { stored: run.items.length, providers: new Set(run.items.filter((item) => item.status === 'pending').map((item) => item.provider)) };
}
