import type { JobLeases } from '../db/job-leases.js';
import type { Logger } from '../logger.js';

/** Longest a job may hold its lease; a crashed holder's lease lapses after this. */
export const JOB_LEASE_MS = 10 * 60_000;

/**
 * Runs a scheduled job on one instance only: the one that takes its lease. Returns false
 * (without running) when another instance holds it.
 */
export async function runExclusively(leases: JobLeases, job: string, logger: Logger, run: () => Promise<void>, clock: () => Date = () => new Date()): Promise<boolean> {
  if (!(await leases.acquire(job, clock(), JOB_LEASE_MS))) {
    logger.debug({ job }, 'job runs on another instance');
    return false;
  }
  try {
    await run();
  } finally {
    await leases.release(job, clock());
  }
  return true;
}
