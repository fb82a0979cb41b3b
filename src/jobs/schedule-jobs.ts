import { schedule, validate, type ScheduledTask } from 'node-cron';
import type { JobLeases } from '../db/job-leases.js';
import type { Logger } from '../logger.js';
import type { Job, JobContext } from './job.js';
import { runExclusively } from './run-exclusively.js';

export interface JobRunner {
  /** Runs a job now (by hand, or from its schedule), on this instance if it takes the lease; undefined when another instance holds it. */
  run(name: string): Promise<number | undefined>;
  names(): string[];
  /** Starts the node-cron schedules (Asia/Jakarta, no overlap). */
  start(): void;
  stop(): Promise<void>;
}

/** Each job on its schedule, run by one instance at a time (a lease in MongoDB), each run logged. */
export function createJobRunner(
  jobs: Job[],
  deps: { leases: JobLeases; logger: Logger; context: (now: Date) => Omit<JobContext, 'now'>; clock?: () => Date; onRun?: (job: string, outcome: 'ok' | 'failed' | 'skipped') => void },
): JobRunner {
  const clock = deps.clock ?? (() => new Date());
  const byName = new Map(jobs.map((job) => [job.name, job]));
  const tasks: ScheduledTask[] = [];
  for (const job of jobs) if (!validate(job.schedule)) throw new Error(`Invalid cron expression for ${job.name}: ${job.schedule}`);

  async function run(name: string): Promise<number | undefined> {
    const job = byName.get(name);
    if (!job) throw new Error(`No job named ${name}; jobs: ${[...byName.keys()].join(', ')}`);
    let result: number | undefined;
    const started = Date.now();
    try {
      await runExclusively(deps.leases, job.name, deps.logger, async () => {
        const now = clock();
        result = await job.run({ ...deps.context(now), now });
      });
    } catch (error) {
      deps.onRun?.(job.name, 'failed');
      throw error;
    }
    deps.onRun?.(job.name, result === undefined ? 'skipped' : 'ok');
    // Minute jobs that found nothing to do are not worth a log line each.
    if (result !== undefined && (result > 0 || job.schedule !== '* * * * *')) deps.logger.info({ job: job.name, result, ms: Date.now() - started }, 'job ran');
    return result;
  }

  return {
    run,
    names: () => [...byName.keys()],
    start() {
      for (const job of jobs) {
        tasks.push(
          schedule(
            job.schedule,
            async () => {
              try {
                await run(job.name);
              } catch (error) {
                deps.logger.error({ err: error, job: job.name }, 'job failed');
              }
            },
            { name: job.name, noOverlap: true, timezone: 'Asia/Jakarta' },
          ),
        );
      }
    },
    async stop() {
      for (const task of tasks) await task.stop();
    },
  };
}
