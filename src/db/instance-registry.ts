import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../logger.js';
import { isProcessRunning } from '../shared/is-process-running.js';
import type { Models } from './models/index.js';
import type { InstanceDoc } from './models/instance.js';

/** How often a running instance says it is alive, and after how long silence it counts as dead. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_TIMEOUT_MS = 20_000;

/** Wall-clock start of this process (instances record real start times, whatever clock the rest uses). */
const PROCESS_STARTED_AT = Date.now() - process.uptime() * 1000;

export interface InstanceRegistry {
  /** This process's id: named by the claims and leases it holds. */
  readonly id: string;
  /** Whether the instance with this id may still be working (its claims must be left alone). */
  isAlive(id: string, now: Date): Promise<boolean>;
  start(): Promise<void>;
  /** Stops the heartbeat and removes this instance (its claims become free at once). */
  stop(): Promise<void>;
}

/**
 * Instances sharing one database (two processes, or a restart after a crash) recognise each
 * other's claims through heartbeats. An instance on this host whose process is gone is dead
 * at once, so a restarted service takes over its own unfinished messages without waiting.
 */
export function createInstanceRegistry(models: Models, logger: Logger, clock: () => Date = () => new Date()): InstanceRegistry {
  const id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const collection = models.Instance.collection;
  let timer: NodeJS.Timeout | undefined;
  const beat = async () => {
    const now = clock();
    await collection.updateOne(
      { _id: id } as object,
      { $set: { heartbeatAt: now, expiresAt: new Date(now.getTime() + HEARTBEAT_TIMEOUT_MS * 10) }, $setOnInsert: { host: hostname(), pid: process.pid, startedAt: new Date() } },
      { upsert: true },
    );
  };
  return {
    id,
    async isAlive(other, now) {
      if (other === id) return true;
      const doc = (await collection.findOne({ _id: other } as object)) as InstanceDoc | null;
      if (!doc) return false;
      if (doc.host === hostname() && !isProcessRunning(doc.pid)) return false;
      // Same host and pid as this process, started before it: a previous life (a container restarted as pid 1).
      if (doc.host === hostname() && doc.pid === process.pid && doc.startedAt.getTime() < PROCESS_STARTED_AT) return false;
      return now.getTime() - doc.heartbeatAt.getTime() < HEARTBEAT_TIMEOUT_MS;
    },
    async start() {
      await beat();
      timer = setInterval(() => beat().catch((error: unknown) => logger.warn({ err: error }, 'instance heartbeat failed')), HEARTBEAT_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await collection.deleteOne({ _id: id } as object).catch((error: unknown) => logger.warn({ err: error }, 'could not remove instance record'));
    },
  };
}
