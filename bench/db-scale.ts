/**
 * The embedded database at scale, for bench:db: order-sized documents loaded through the
 * driver, then resident memory, journal and snapshot size on disk, the longest wait a
 * request sees while the journal compacts, and restart time (open to first answer).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient, type Collection } from 'mongodb';
import { pino } from 'pino';
import { startEmbeddedMongo, type EmbeddedMongo } from '../src/db/embedded/server.js';

export interface ScaleRow {
  documents: number;
  loadSeconds: number;
  rssMiB: number;
  heapMiB: number;
  journalMiB: number;
  snapshotMiB: number;
  compactionSeconds: number;
  /** Longest ping answered while the journal compacted (no other load), and the pings' p99. */
  longestWaitMs: number;
  p99WaitMs: number;
  restartSeconds: number;
}

const LOAD_BATCH = 2_000;
const PING_EVERY_MS = 2;

/** An order as the service stores it, about 700 bytes of BSON. */
function orderDoc(n: number) {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000);
  return {
    coopId: `kdmp-${n % 126}`,
    number: 1000 + n,
    phone: `+62812${String(n).padStart(8, '0')}`,
    items: [
      { productId: 'beras-5kg', name: 'Beras Medium 5 kg', qty: 1, unit: 'karung', priceRp: 68_000, lineTotalRp: 68_000 },
      { productId: 'minyak-2l', name: 'Minyak Goreng 2 liter', qty: 2, unit: 'pouch', priceRp: 36_000, lineTotalRp: 72_000 },
      { productId: 'gula-1kg', name: 'Gula Pasir 1 kg', qty: 1, unit: 'kg', priceRp: 17_500, lineTotalRp: 17_500 },
    ],
    subtotalRp: 157_500,
    deliveryFeeRp: 5_000,
    totalRp: 162_500,
    fulfilment: { method: 'delivery', address: `Jl. Melati No. ${n % 200}, RT 05/RW 02, Way Halim` },
    payment: { method: 'cod', status: 'pending' },
    status: 'new',
    history: [{ status: 'new', at, by: 'resident' }],
    channel: 'whatsapp',
    placedAt: at,
  };
}

export async function measureScale(documents: number): Promise<ScaleRow> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kdmp-bench-scale-'));
  const compaction = { started: 0, finished: 0 };
  // The server says when compaction starts and ends; the bench times requests in between.
  const logger = pino({ level: 'info' }, {
    write(line: string) {
      if (line.includes('compacting the journal')) compaction.started = performance.now();
      if (line.includes('journal compacted')) compaction.finished = performance.now();
    },
  });
  let server = await startEmbeddedMongo({ port: 0, dataDir, logger });
  let client = await new MongoClient(server.uri('bench'), { maxPoolSize: 8 }).connect();
  try {
    let orders: Collection = client.db().collection('orders');
    await orders.createIndex({ coopId: 1, number: 1 }, { unique: true });
    await orders.createIndex({ phone: 1 });

    const loadStarted = performance.now();
    for (let start = 0; start < documents; start += LOAD_BATCH) {
      await orders.insertMany(Array.from({ length: Math.min(LOAD_BATCH, documents - start) }, (_, k) => orderDoc(start + k)));
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const memory = process.memoryUsage();
    console.error(`${documents.toLocaleString('en')} orders loaded in ${loadSeconds.toFixed(0)} s, heap ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB; rewriting them until the journal compacts`);

    // Rewriting the orders grows the journal past twice the live data: compaction starts on its own.
    const pingClient = await new MongoClient(server.uri('bench'), { maxPoolSize: 1 }).connect();
    const waits: Array<{ at: number; ms: number }> = [];
    let pinging = true;
    const pinger = (async () => {
      while (pinging) {
        const sent = performance.now();
        await pingClient.db().command({ ping: 1 });
        waits.push({ at: sent, ms: performance.now() - sent });
        await new Promise((resolve) => setTimeout(resolve, PING_EVERY_MS));
      }
    })();
    for (let pass = 0; pass < 4 && !compaction.started; pass++) {
      for (let start = 0; start < documents && !compaction.started; start += LOAD_BATCH) {
        await orders.updateMany({ number: { $gte: 1000 + start, $lt: 1000 + start + LOAD_BATCH } }, { $set: { status: `pass-${pass}` } });
      }
    }
    // No more writes: what a request waits now is compaction's doing.
    while (compaction.started && !compaction.finished) await new Promise((resolve) => setTimeout(resolve, 50));
    pinging = false;
    await pinger;
    await pingClient.close();
    if (!compaction.started) throw new Error('the journal never compacted');
    const during = waits.filter(({ at }) => at >= compaction.started && at <= compaction.finished).map(({ ms }) => ms).sort((a, b) => a - b);

    console.error(`compacted in ${((compaction.finished - compaction.started) / 1000).toFixed(1)} s; restarting`);
    const sizes = await journalSizes(join(dataDir, 'journal'));
    await client.close();
    await server.close();

    const restartStarted = performance.now();
    server = await startEmbeddedMongo({ port: 0, dataDir });
    client = await new MongoClient(server.uri('bench')).connect();
    orders = client.db().collection('orders');
    if (!(await orders.findOne({ coopId: 'kdmp-5', number: 1005 }))) throw new Error('an order is missing after the restart');
    const restartSeconds = (performance.now() - restartStarted) / 1000;

    return {
      documents,
      loadSeconds,
      rssMiB: memory.rss / 2 ** 20,
      heapMiB: memory.heapUsed / 2 ** 20,
      journalMiB: sizes.journal / 2 ** 20,
      snapshotMiB: sizes.snapshot / 2 ** 20,
      compactionSeconds: (compaction.finished - compaction.started) / 1000,
      longestWaitMs: during.at(-1) ?? 0,
      p99WaitMs: during[Math.floor(during.length * 0.99)] ?? 0,
      restartSeconds,
    };
  } finally {
    await client.close();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function journalSizes(dir: string): Promise<{ journal: number; snapshot: number }> {
  const sizes = { journal: 0, snapshot: 0 };
  for (const name of await readdir(dir)) {
    const { size } = await stat(join(dir, name));
    if (name.startsWith('snapshot-')) sizes.snapshot += size;
    else if (name.startsWith('journal-')) sizes.journal += size;
  }
  return sizes;
}

export function printScaleRows(rows: ScaleRow[]): void {
  console.log('\nAt scale (order-sized documents, about 700 bytes of BSON; server and driver in one process)\n');
  console.log('| documents | load s | RSS MiB | heap MiB | journal MiB (after compaction) | snapshot MiB | compaction s | longest wait during compaction ms | p99 ms | restart s |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.documents.toLocaleString('en')} | ${row.loadSeconds.toFixed(1)} | ${row.rssMiB.toFixed(0)} | ${row.heapMiB.toFixed(0)} | ${row.journalMiB.toFixed(1)} | ${row.snapshotMiB.toFixed(1)} | ` +
        `${row.compactionSeconds.toFixed(2)} | ${row.longestWaitMs.toFixed(1)} | ${row.p99WaitMs.toFixed(1)} | ${row.restartSeconds.toFixed(2)} |`,
    );
  }
}
