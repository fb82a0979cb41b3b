/*
 * Runs inside the worker thread started by embedded-worker.ts: the embedded server, with
 * its logs handed to the parent thread's logger as pino JSON lines.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { startEmbeddedMongo, type EmbeddedMongo } from './embedded/server.js';
import type { EmbeddedWorkerData, FromEmbeddedWorker, ToEmbeddedWorker } from './embedded-worker-messages.js';

const port = parentPort!;
const data = workerData as EmbeddedWorkerData;
const post = (message: FromEmbeddedWorker) => port.postMessage(message);
const logger = pino({ level: data.logLevel }, { write: (line: string) => post({ type: 'log', line }) });

let server: EmbeddedMongo | undefined;
try {
  server = await startEmbeddedMongo({ ...data.options, logger, onHealthChange: (health) => post({ type: 'health', health }) });
  post({ type: 'ready', port: server.port });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
}

port.on('message', (message: ToEmbeddedWorker) => {
  if (message.type !== 'close') return;
  void (async () => {
    try {
      await server?.close();
      post({ type: 'closed' });
    } catch (error) {
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
    }
    port.close();
  })();
});
