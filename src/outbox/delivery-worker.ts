import { qrCodePath } from './qr-code-path.js';
import { SendError, type ChannelSender } from '../channels/types.js';
import type { OutboxItemDoc } from '../db/models/outbox-item.js';
import type { OutboxStore } from '../db/outbox-store.js';
import { maskPhone, type Logger } from '../logger.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';

export interface DeliveryWorkerOptions {
  sender: ChannelSender;
  store: OutboxStore;
  /** This instance's id: the lease names it. */
  owner: string;
  logger: Logger;
  clock?: () => Date;
  random?: () => number;
  /** Items in flight at once (different recipients; one recipient's items go in order). */
  concurrency?: number;
  /** How often an idle worker looks for due items written elsewhere (retries, other instances). */
  pollIntervalMs?: number;
  /** A claim lapses after this long: a crashed worker's items go out from another. */
  leaseMs?: number;
  /** After this many failed tries an item is given up as failed. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
  /** Whether the instance holding a claim is still alive: a dead one's claims are taken back without waiting for the lease. */
  isAlive?: (owner: string, now: Date) => Promise<boolean>;
  /** Called after an item failed for good (e.g. to fall back to SMS). */
  onFailed?: (item: OutboxItemDoc, error: { code?: string; message: string }) => Promise<void>;
}

export interface DeliveryWorker {
  start(): void;
  /** Finishes the sends in flight, then stops. */
  stop(): Promise<void>;
  /** New items were written: look now instead of at the next poll. */
  wake(): void;
  /** Sends every due item once (tests and `npm run job`); returns how many were handled. */
  drain(): Promise<number>;
}

/** Why an item is waiting: released for an earlier one to the same recipient. */
const ORDER_WAIT_MS = 250;
/** The longest a worker waits after failing steps before it tries again (a nudge still wakes it). */
const MAX_FAILURE_WAIT_MS = 30_000;

/**
 * Delivers one provider's outbox items: claims a due item under a lease, sends it, records
 * the provider's id, retries transient failures with backoff and jitter. Two workers (two
 * instances) never hold one item at once; a crash mid-send can repeat that one send once its
 * lease lapses, which is why senders pass the item id to providers that deduplicate.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { sender, store, owner, logger } = options;
  const clock = options.clock ?? (() => new Date());
  const random = options.random ?? Math.random;
  const concurrency = options.concurrency ?? 4;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const log = logger.child({ provider: sender.provider });

  let running = false;
  const sleepers = new Set<() => void>();
  let loops: Promise<void>[] = [];

  /** Claims and handles one item; false when nothing was due. */
  async function deliverOne(): Promise<boolean> {
    const now = clock();
    const item = await store.claimNext(sender.provider, owner, now, leaseMs);
    if (!item) return false;
    if (await store.hasEarlierOpen(item)) {
      await store.release(item, owner, new Date(now.getTime() + ORDER_WAIT_MS));
      return true;
    }
    try {
      const result = await sender.send({
        id: String(item._id),
        coopId: item.coopId,
        channel: item.channel,
        provider: item.provider,
        to: item.to,
        text: item.text,
        ...(item.qrCode ? { qrCode: { data: item.qrCode.data, publicPath: qrCodePath(item.qrCode.token) } } : {}),
      });
      await store.markSent(item, owner, result, clock());
      log.debug({ outboxId: String(item._id), to: maskPhone(item.to) }, 'outbox item sent');
    } catch (error) {
      await recordFailure(item, error);
    }
    return true;
  }

  async function recordFailure(item: OutboxItemDoc, error: unknown): Promise<void> {
    const permanent = error instanceof SendError && error.permanent;
    const detail = { ...(error instanceof SendError && error.code ? { code: error.code } : {}), message: error instanceof Error ? error.message : String(error) };
    if (permanent || item.attempts >= maxAttempts) {
      await store.markFailed(item, owner, detail, clock());
      log.error({ outboxId: String(item._id), to: maskPhone(item.to), attempts: item.attempts, code: detail.code, err: error }, 'outbox item failed for good');
      await options.onFailed?.(item, detail);
      return;
    }
    const at = new Date(clock().getTime() + backoffDelay(item.attempts, options.backoff ?? DEFAULT_BACKOFF, random));
    await store.retryLater(item, owner, detail, at);
    log.info({ outboxId: String(item._id), attempts: item.attempts, retryAt: at, code: detail.code }, 'outbox send failed, will retry');
  }

  /** Claims held by instances that died (a crash mid-send) go back to the queue now, not when their lease lapses. */
  async function recoverAbandoned(): Promise<void> {
    if (!options.isAlive) return;
    const now = clock();
    for (const holder of await store.sendingOwners(sender.provider)) {
      if (holder === owner || (await options.isAlive(holder, now))) continue;
      const released = await store.releaseOwner(sender.provider, holder, now);
      if (released > 0) log.warn({ released, holder }, 'took back outbox items of an instance that died');
    }
  }

  async function loop(): Promise<void> {
    // Steps failing in a row (the database is down or refusing): waits grow and the log is not flooded.
    let failures = 0;
    while (running) {
      let worked = false;
      try {
        worked = await deliverOne();
        failures = 0;
      } catch (error) {
        failures++;
        if ((failures & (failures - 1)) === 0) log.error({ err: error, failuresInARow: failures }, 'outbox worker step failed');
      }
      if (worked || !running) continue;
      const wait = failures === 0 ? pollIntervalMs : Math.min(pollIntervalMs * 2 ** failures, MAX_FAILURE_WAIT_MS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          sleepers.delete(done);
          resolve();
        }
        sleepers.add(done);
      });
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loops = [
        recoverAbandoned().catch((error: unknown) => log.error({ err: error }, 'could not recover abandoned outbox items')),
        ...Array.from({ length: concurrency }, () => loop()),
      ];
    },
    async stop() {
      running = false;
      for (const wake of [...sleepers]) wake();
      await Promise.all(loops);
    },
    wake() {
      for (const wake of [...sleepers]) wake();
    },
    async drain() {
      await recoverAbandoned();
      let handled = 0;
      while (await deliverOne()) handled++;
      return handled;
    },
  };
}
