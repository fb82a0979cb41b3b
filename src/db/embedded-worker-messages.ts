import type { EmbeddedHealth, EmbeddedMongoOptions } from './embedded/server.js';

/** What the embedded server's worker thread is started with (the logger stays in the parent). */
export interface EmbeddedWorkerData {
  options: Omit<EmbeddedMongoOptions, 'logger' | 'onHealthChange' | 'journalTestHooks'>;
  /** The parent logger's level, so the worker does not format lines nobody will write. */
  logLevel: string;
}

export type ToEmbeddedWorker = { type: 'close' };

export type FromEmbeddedWorker =
  | { type: 'ready'; port: number }
  | { type: 'closed' }
  | { type: 'health'; health: EmbeddedHealth }
  | { type: 'failed'; message: string; stack?: string }
  /** One pino JSON line, re-logged by the parent's logger. */
  | { type: 'log'; line: string };
