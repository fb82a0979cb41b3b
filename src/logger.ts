import { pino, type Logger } from 'pino';

export type { Logger };

/** Masks the middle of a phone number so logs never hold a full number: +62812****7890. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length < 10) return '****';
  return `${digits.slice(0, 6)}****${digits.slice(-4)}`;
}

const PHONE_PATTERN = /\+?62\d{7,13}|\b08\d{7,12}\b/g;

/** Masks any phone number found inside a free-text log value. */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_PATTERN, (match) => maskPhone(match));
}

export interface LoggerOptions {
  level: string;
  pretty: boolean;
}

/**
 * Creates the process logger. Phone fields are masked by a serializer so a careless
 * `log.info({ phone })` still never writes a full number.
 */
export function createLogger(options: LoggerOptions, destination?: pino.DestinationStream): Logger {
  const maskValue = (value: unknown) => (typeof value === 'string' ? maskPhone(value) : value);
  const settings: pino.LoggerOptions = {
    level: options.level,
    serializers: { phone: maskValue, from: maskValue, to: maskValue, err: serializeErrorMasked },
  };
  if (destination) return pino(settings, destination);
  if (options.pretty) {
    settings.transport = { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } };
  }
  return pino(settings);
}

/** pino's error serializer, with phone numbers masked (a duplicate-key message quotes the key). */
function serializeErrorMasked(error: Error): pino.SerializedError {
  const serialized = pino.stdSerializers.err(error);
  return JSON.parse(maskPhonesIn(JSON.stringify(serialized))) as pino.SerializedError;
}

/** A silent logger for tests and tools that must not print. */
export const silentLogger: Logger = pino({ level: 'silent' });
