/**
 * Runs one scheduled job now, against the configured database, then stops:
 *   npm run job -- daily-recap | unconfirmed-orders | low-stock | wajib-reminder | expire-carts | outbox-sweep
 * With the embedded database, run it while the service is stopped (its files belong to one
 * process); what it queues is sent at once, or by the service when it next starts. A period
 * already done (today's recap) queues nothing again.
 */
import { start } from '../src/main.js';

const name = process.argv[2];
const service = await start({ ...process.env, PORT: '0', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }, { schedule: false });
try {
  if (!name || !service.jobs.names().includes(name)) {
    console.error(`usage: npm run job -- <${service.jobs.names().join('|')}>`);
    process.exitCode = 1;
  } else {
    const result = await service.jobs.run(name);
    console.log(result === undefined ? `${name}: another instance is running it now` : `${name}: ${result}`);
  }
} catch (error) {
  console.error(`${name} failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await service.stop();
}
