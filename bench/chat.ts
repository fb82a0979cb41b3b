/**
 * End-to-end chat throughput: simulated residents each place an order through the real
 * dispatcher (dedupe, lock, session load/save, order transaction) on the embedded database
 * with durable writes. Prints messages/s and latency percentiles at 200 and 2,000 residents.
 * Goal on a 2-core machine: >= 1,500 messages/s at 2,000 residents, no slower than at 200.
 *
 *   npm run bench:chat [-- --residents 200,2000 --in-flight 20]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { startEmbeddedMongoWorker } from '../src/db/embedded-worker.js';
import { createInstanceRegistry } from '../src/db/instance-registry.js';
import { ensureIndexes, getModels } from '../src/db/models/index.js';
import { seedDemoData } from '../src/demo/seed.js';
import { createChatService } from '../src/engine/chat-service.js';
import { silentLogger } from '../src/logger.js';

const GOAL_PER_SECOND = 1_500;
const WARM_UP_RESIDENTS = 200;

/** One resident's order: open, items, pickup, cash on pickup, confirm. */
const CONVERSATION = ['pesan', 'beras 2 kg sm gula 1kg', '1', '1', 'ya'];
const ITEM_MESSAGES = ['beras 2 kg sm gula 1kg', 'minyak 2 liter, telor sepapan', 'mie 5 bungkus + kecap 1 botol', 'gula 1kg dan tepung 2kg'];

const { values } = parseArgs({
  options: {
    residents: { type: 'string', default: '200,2000' },
    'in-flight': { type: 'string', default: '20' },
  },
});
const residentCounts = values.residents!.split(',').map(Number);
const inFlight = Number(values['in-flight']);

const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-bench-chat-'));
// The database runs on its own thread, as `npm start` runs it (src/db/connect.ts).
const server = await startEmbeddedMongoWorker({ port: 0, dataDir, logger: silentLogger });
const connection = await mongoose.createConnection(server.uri('kdmp_bench')).asPromise();
const models = getModels(connection);
await ensureIndexes(models);
const { coopId } = await seedDemoData(models);
// Enough stock that no order is refused: the bench measures the happy path.
await models.Product.updateMany({ coopId }, { $set: { stock: 1e9 } });
const instances = createInstanceRegistry(models, silentLogger);
await instances.start();
const chat = await createChatService({ models, logger: silentLogger, instances });

let messageCounter = 0;
const results: Awaited<ReturnType<typeof runRound>>[] = [];

// A warm-up round, not reported: JIT, caches and connection pools settle first, so the
// rounds below compare the cost of a message at different numbers of residents.
await runRound(residentCounts.length, WARM_UP_RESIDENTS);
for (const [round, residents] of residentCounts.entries()) results.push(await runRound(round, residents));

async function runRound(round: number, residents: number) {
  const ordersBefore = await models.Order.countDocuments({ coopId });
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, residents) }, async () => {
      while (next < residents) {
        const resident = next++;
        const phone = `+62813${String(round).padStart(2, '0')}${String(resident).padStart(6, '0')}`;
        for (const [step, template] of CONVERSATION.entries()) {
          const text = step === 1 ? ITEM_MESSAGES[resident % ITEM_MESSAGES.length] : template;
          const sent = performance.now();
          const { replies } = await chat.handle({ channel: 'whatsapp', provider: 'simulator', coopId, from: phone, providerMessageId: `bench-${messageCounter++}`, text, receivedAt: new Date() });
          latencies.push(performance.now() - sent);
          if (replies.length === 0) throw new Error(`no reply to "${text}" from resident ${resident}`);
        }
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const orders = (await models.Order.countDocuments({ coopId })) - ordersBefore;
  if (orders !== residents) throw new Error(`expected ${residents} orders, the database holds ${orders}`);
  latencies.sort((a, b) => a - b);
  return {
    residents,
    messages: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    orders,
  };
}

console.log(`\nbench:chat — ${CONVERSATION.length} messages per order, ${inFlight} conversations in flight, embedded database on its worker thread (durable), after a ${WARM_UP_RESIDENTS}-resident warm-up\n`);
console.log('| residents | messages | seconds | messages/s | p50 ms | p99 ms | orders stored |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  console.log(`| ${r.residents} | ${r.messages} | ${r.seconds.toFixed(2)} | ${Math.round(r.perSecond)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.orders} |`);
}
const largest = results.at(-1)!;
const smallest = results[0];
console.log(`\ngoal >= ${GOAL_PER_SECOND} messages/s at ${largest.residents} residents: ${largest.perSecond >= GOAL_PER_SECOND ? 'met' : 'NOT met'}`);
if (results.length > 1) {
  const ratio = largest.perSecond / smallest.perSecond;
  console.log(`throughput at ${largest.residents} vs ${smallest.residents} residents: ${(ratio * 100).toFixed(0)}%`);
}

await instances.stop();
await connection.close();
await server.close();
await rm(dataDir, { recursive: true, force: true });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
