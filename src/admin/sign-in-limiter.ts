import type { Response } from 'express';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '../http/errors.js';
import type { Models } from '../db/models/index.js';

/** Wrong tokens one address may present in the window before it is locked out. */
const FAILURES_ALLOWED = 10;
const WINDOW_SECONDS = 15 * 60;
const LOCKOUT_SECONDS = 15 * 60;

export interface SignInLimiter {
  /** Milliseconds this address must still wait, or 0 when it may try. */
  lockedFor(address: string): Promise<number>;
  /** Counts a wrong token; resolves the lockout it caused (ms), or 0. */
  recordFailure(address: string): Promise<number>;
}

/** The answer to a locked-out address: 429 with when to try again. */
export function tooManyAttempts(res: Response, waitMs: number): HttpError {
  const seconds = Math.ceil(waitMs / 1000);
  res.set('Retry-After', String(seconds));
  return new HttpError(429, 'too_many_attempts', `Too many wrong tokens from this address; try again in ${Math.ceil(seconds / 60)} minutes`);
}

/**
 * Limits wrong admin tokens per client address. Counted in MongoDB, so the limit holds
 * across restarts and across instances sharing the database.
 */
export async function createSignInLimiter(models: Models): Promise<SignInLimiter> {
  const limiter = new RateLimiterMongo({
    storeClient: models.connection.db,
    tableName: 'admin_sign_in_limits',
    keyPrefix: 'admin-sign-in',
    points: FAILURES_ALLOWED,
    duration: WINDOW_SECONDS,
    blockDuration: LOCKOUT_SECONDS,
    // The library would create these in the background and print failures to the console.
    disableIndexesCreation: true,
  });
  await limiter.createIndexes();
  return {
    async lockedFor(address) {
      const state = await limiter.get(address);
      return state && state.consumedPoints > FAILURES_ALLOWED ? Math.max(state.msBeforeNext, 1) : 0;
    },
    async recordFailure(address) {
      try {
        await limiter.consume(address);
        return 0;
      } catch (error) {
        // The library rejects with its result object when the limit is passed, with an Error otherwise.
        if (error instanceof RateLimiterRes) return Math.max(error.msBeforeNext, 1);
        throw error;
      }
    },
  };
}
