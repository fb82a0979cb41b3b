import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import mongoose from 'mongoose';
import { createJobLeases, type JobLeases } from '../../src/db/job-leases.js';
import { ensureIndexes, getModels, type Models } from '../../src/db/models/index.js';
import { JOB_LEASE_MS, runExclusively } from '../../src/jobs/run-exclusively.js';
import { silentLogger } from '../../src/logger.js';
import { openTestDatabase, waitFor, type TestDatabase } from '../helpers/database.js';

/** Two instances sharing one database, each with its own lease holder name. */
describe('scheduled jobs run on one instance at a time (job_leases)', () => {
  let database: TestDatabase;
  let connection: mongoose.Connection;
  let models: Models;
  let alpha: JobLeases;
  let beta: JobLeases;

  beforeAll(async () => {
    database = await openTestDatabase('job_lease');
    connection = await mongoose.createConnection(database.uri).asPromise();
    models = getModels(connection);
    await ensureIndexes(models);
    alpha = createJobLeases(models, 'instance-alpha');
    beta = createJobLeases(models, 'instance-beta');
  });

  afterAll(async () => {
    await connection?.close();
    await database?.cleanup();
  });

  test('of two concurrent runs only one executes; after its release the other can run', async () => {
    let executions = 0;
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const job = async () => {
      executions++;
      await gate;
    };
    const runs = [runExclusively(alpha, 'sweep', silentLogger, job), runExclusively(beta, 'sweep', silentLogger, job)];
    const settled = [false, false];
    runs.forEach((run, index) => void run.then(() => (settled[index] = true)));

    // The loser returns at once while the winner is still inside its run.
    await waitFor(async () => executions === 1 && settled.filter(Boolean).length === 1);
    const loser = settled.indexOf(true);
    expect(await runs[loser]).toBe(false);
    const stored = await models.JobLease.findById('sweep').lean();
    expect(stored?.owner).toBe(loser === 0 ? 'instance-beta' : 'instance-alpha');
    // While it runs, neither holder's schedule starts it again elsewhere.
    expect(await runExclusively(loser === 0 ? alpha : beta, 'sweep', silentLogger, job)).toBe(false);

    finish();
    expect(await runs[1 - loser]).toBe(true);
    expect(executions).toBe(1);

    // Released: the other instance takes the next run.
    expect(await runExclusively(loser === 0 ? alpha : beta, 'sweep', silentLogger, job)).toBe(true);
    expect(executions).toBe(2);
    const after = await models.JobLease.findById('sweep').lean();
    expect(after?.lastRunAt).toBeInstanceOf(Date);
  });

  test('racing for a lease nobody has taken yet: exactly one wins each job', async () => {
    const now = new Date();
    const jobs = Array.from({ length: 20 }, (_, index) => `race-${index}`);
    const results = await Promise.all(jobs.map((job) => Promise.all([alpha.acquire(job, now, 60_000), beta.acquire(job, now, 60_000)])));
    expect(results.filter(([a, b]) => a === b)).toEqual([]);
  });

  test("a holder that never releases (it crashed) keeps the job only until its lease's ttl", async () => {
    const start = new Date('2026-06-01T00:00:00.000Z');
    const at = (ms: number) => new Date(start.getTime() + ms);
    expect(await alpha.acquire('nightly', start, 1_000)).toBe(true);
    expect(await beta.acquire('nightly', at(999), 1_000)).toBe(false);
    // Its own schedule may renew it while it lives.
    expect(await alpha.acquire('nightly', at(500), 1_000)).toBe(true);
    expect(await beta.acquire('nightly', at(1_499), 1_000)).toBe(false);
    expect(await beta.acquire('nightly', at(1_500), 1_000)).toBe(true);
    expect(await alpha.acquire('nightly', at(1_600), 1_000)).toBe(false);

    // runExclusively holds a lease for JOB_LEASE_MS: a crashed run blocks the others that long, no longer.
    let ran = 0;
    const crashedAt = new Date('2026-06-02T00:00:00.000Z');
    expect(await alpha.acquire('expire-carts', crashedAt, JOB_LEASE_MS)).toBe(true);
    const clockAt = (ms: number) => () => new Date(crashedAt.getTime() + ms);
    expect(await runExclusively(beta, 'expire-carts', silentLogger, async () => void ran++, clockAt(JOB_LEASE_MS - 1))).toBe(false);
    expect(ran).toBe(0);
    expect(await runExclusively(beta, 'expire-carts', silentLogger, async () => void ran++, clockAt(JOB_LEASE_MS))).toBe(true);
    expect(ran).toBe(1);
  });
});
