import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';
import type { EmbeddedHealth, EmbeddedMongo, EmbeddedMongoOptions } from './embedded/server.js';
import type { EmbeddedWorkerData, FromEmbeddedWorker, ToEmbeddedWorker } from './embedded-worker-messages.js';

/** pino's own fields, which the parent's logger writes again itself. */
const PINO_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/**
 * Starts the embedded MongoDB-compatible server on its own thread (the second core) and
 * returns the same interface as startEmbeddedMongo. The server's command handling, BSON
 * and journal work then no longer compete with the chat engine for the main thread; the
 * two still talk over loopback TCP, exactly as with a separate MongoDB.
 */
export async function startEmbeddedMongoWorker(
  options: EmbeddedMongoOptions,
  /** Called when the worker dies on its own after start-up: the database is gone. */
  onCrash: (error: Error) => void = () => undefined,
): Promise<EmbeddedMongo> {
  // Functions cannot cross to the worker: the logger and health callback stay here, and the
  // journal's fault hooks only work with startEmbeddedMongo in the tests' own thread.
  const { logger, onHealthChange, journalTestHooks: _notForWorkers, ...rest } = options;
  const workerData: EmbeddedWorkerData = { options: rest, logLevel: logger?.level ?? 'silent' };
  const entry = new URL(`./embedded-worker-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  const worker = new Worker(workerSource(entry), { eval: true, workerData });

  let onClosed: ((error?: Error) => void) | undefined;
  let exited = false;
  let closing = false;
  // Before 'ready', a failure is the start-up's error (thrown to the caller), not a crash.
  let running = false;
  let health: EmbeddedHealth = { ok: true };
  const started = new Promise<number>((resolve, reject) => {
    worker.on('message', (message: FromEmbeddedWorker) => {
      if (message.type === 'log') forwardLog(logger, message.line);
      else if (message.type === 'ready') resolve(message.port);
      else if (message.type === 'closed') onClosed?.();
      else if (message.type === 'health') {
        health = message.health;
        onHealthChange?.(health);
      }
      else {
        const error = Object.assign(new Error(message.message), { stack: message.stack });
        reject(error);
        onClosed?.(error);
      }
    });
    worker.once('error', (error) => {
      if (running && !closing) {
        logger?.error({ err: error }, 'embedded database worker crashed');
        onCrash(error);
      }
      reject(error);
      onClosed?.(error);
    });
    worker.once('exit', (code) => {
      exited = true;
      const error = new Error(`embedded database worker exited (code ${code})`);
      if (running && !closing) {
        logger?.error({ code }, 'embedded database worker exited');
        onCrash(error);
      }
      reject(error);
      onClosed?.(error);
    });
  });
  let port: number;
  try {
    port = await started;
    running = true;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  const host = rest.host ?? '127.0.0.1';
  let closed: Promise<void> | undefined;
  return {
    port,
    uri: (dbName: string) => `mongodb://${host}:${port}/${dbName}?directConnection=true`,
    health: () => health,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing = true;
        if (exited) return reject(new Error('embedded database worker had already exited'));
        onClosed = (error) => (error ? reject(error) : resolve());
        worker.postMessage({ type: 'close' } satisfies ToEmbeddedWorker);
      }).finally(() => worker.terminate().then(() => undefined));
      return closed;
    },
  };
}

/**
 * The worker's bootstrap. Sources run through tsx (there is no build step), and on Node 20 a
 * worker thread does not get tsx's loader from `--import` (inherited or not): the entry is
 * loaded through tsx's API instead. Under jest the same holds (its transform stays in jest).
 */
function workerSource(entry: URL): string {
  if (!entry.pathname.endsWith('.ts')) return `import(${JSON.stringify(entry.href)})`;
  // tsx's ESM API file (its `tsx/esm/api` export under the "import" condition, which
  // require.resolve cannot select).
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
}

/** Writes a worker's pino line through the parent's logger, at its level, with its fields. */
function forwardLog(logger: Logger | undefined, line: string): void {
  if (!logger) return;
  const record = JSON.parse(line) as Record<string, unknown>;
  const level = logger.levels.labels[Number(record.level)] as 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | undefined;
  const fields = Object.fromEntries(Object.entries(record).filter(([name]) => !PINO_FIELDS.has(name)));
  logger[level ?? 'info'](fields, typeof record.msg === 'string' ? record.msg : '');
}
