import type { UserFacingSocketConfig } from '@whiskeysockets/baileys';
import { maskPhonesIn, type Logger } from '../../logger.js';

/** Baileys' logger interface (not exported by name from the package root). */
type ILogger = NonNullable<UserFacingSocketConfig['logger']>;
type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * The logger handed to Baileys. Baileys logs jids (which hold phone numbers) in plain
 * fields, so every record it writes passes through the phone masking first; and it is chatty
 * at info, so it logs at `level` (default warn) unless the service itself logs more.
 */
export function toBaileysLogger(base: Logger, level: Level | 'silent' = 'warn'): ILogger {
  const child = base.child({}, { level: chooseLevel(base.level, level) });
  return wrap(child);
}

function wrap(logger: Logger): ILogger {
  const write = (level: Level) => (obj: unknown, msg?: string) => {
    if (!logger.isLevelEnabled(level)) return;
    const masked = maskRecord(obj);
    if (msg === undefined) logger[level](masked);
    else logger[level](masked, maskPhonesIn(msg));
  };
  return {
    get level() {
      return logger.level;
    },
    set level(value: string) {
      logger.level = value;
    },
    child: (bindings: Record<string, unknown>) => wrap(logger.child(maskRecord(bindings) as Record<string, unknown>)),
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
}

/** A JSON copy of the record with phone numbers masked; Buffers and errors kept readable. */
function maskRecord(obj: unknown): unknown {
  if (typeof obj === 'string') return maskPhonesIn(obj);
  if (obj === null || typeof obj !== 'object') return obj;
  try {
    return JSON.parse(maskPhonesIn(JSON.stringify(obj, replaceUnprintable))) as unknown;
  } catch {
    return { unprintable: true };
  }
}

function replaceUnprintable(_key: string, value: unknown): unknown {
  if (value instanceof Error) return { type: value.name, message: value.message, stack: value.stack };
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  // JSON.stringify has already turned Buffers into {type:'Buffer', data:[...]} by the time we see them.
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') return '<bytes>';
  return value;
}

const ORDER = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** The service's own level when it asks for debugging detail, else the quieter of the two. */
function chooseLevel(service: string, wanted: string): string {
  const serviceRank = ORDER.indexOf(service);
  if (serviceRank < 0) return wanted;
  if (serviceRank <= ORDER.indexOf('debug')) return service;
  return serviceRank > ORDER.indexOf(wanted) ? service : wanted;
}
