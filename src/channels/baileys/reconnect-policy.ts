import { DisconnectReason } from '@whiskeysockets/baileys';

/** What to do when a socket closes, by Baileys' disconnect status code. */
export type CloseDecision =
  /** 401: the phone unlinked this device; the stored login is dead. */
  | 'logged_out'
  /** 440: another client opened this login; reconnecting would fight it forever. */
  | 'replaced'
  /** 515: WhatsApp asks for a fresh socket, as it always does right after pairing. */
  | 'restart'
  /** Anything else (428 closed, 408 lost/timed out, 500 bad session, ...): try again later. */
  | 'reconnect';

export function decideOnClose(statusCode: number | undefined): CloseDecision {
  switch (statusCode) {
    case DisconnectReason.loggedOut:
      return 'logged_out';
    case DisconnectReason.connectionReplaced:
      return 'replaced';
    case DisconnectReason.restartRequired:
      return 'restart';
    default:
      return 'reconnect';
  }
}

/** The status code of the error a Baileys socket closed with (a Boom: output.statusCode). */
export function readStatusCode(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | null | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

export interface BackoffOptions {
  /** Delay before the first reconnect. */
  initialMs: number;
  /** Ceiling of the exponential part. */
  maxMs: number;
  /** Up to this fraction of the delay is added at random, so many coops do not reconnect in step. */
  jitterRatio: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 2_000, maxMs: 5 * 60_000, jitterRatio: 0.3 };

/** Delay before reconnect attempt `attempt` (0-based): initial * 2^attempt, capped, plus jitter. */
export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponential = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(exponential * (1 + options.jitterRatio * random()));
}
