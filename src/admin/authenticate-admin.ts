import type { RequestHandler } from 'express';
import type { Models } from '../db/models/index.js';
import { findStaffToken } from '../domain/staff/staff-tokens.js';
import { HttpError } from '../http/errors.js';
import type { Logger } from '../logger.js';
import { tokensMatch } from '../shared/tokens-match.js';
import type { AdminPrincipal } from './admin-principal.js';
import { tooManyAttempts, type SignInLimiter } from './sign-in-limiter.js';

export interface AdminAuthDependencies {
  models: Models;
  adminToken: string;
  limiter: SignInLimiter;
  logger: Logger;
  clock?: () => Date;
}

/**
 * Bearer tokens for the admin API: ADMIN_TOKEN is the superadmin; a staff token (stored
 * hashed) is one cooperative's. An address that presented too many wrong tokens is
 * locked out (429) before its token is even looked at, so guessing cannot go on.
 */
export function authenticateAdmin(deps: AdminAuthDependencies): RequestHandler {
  const clock = deps.clock ?? (() => new Date());
  return async (req, res, next) => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const locked = await deps.limiter.lockedFor(address);
    if (locked > 0) throw tooManyAttempts(res, locked);
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    const principal = token ? await identify(token) : undefined;
    if (!principal) {
      if (token) {
        const lockout = await deps.limiter.recordFailure(address);
        deps.logger.warn({ path: req.path, address, lockedOut: lockout > 0 }, 'admin API: wrong token');
        if (lockout > 0) throw tooManyAttempts(res, lockout);
      }
      throw new HttpError(401, 'unauthorized', 'A valid admin or staff token is required');
    }
    res.locals.principal = principal;
    next();
  };

  async function identify(token: string): Promise<AdminPrincipal | undefined> {
    if (tokensMatch(token, deps.adminToken)) return { kind: 'superadmin' };
    const record = await findStaffToken(deps.models, token, clock());
    if (!record) return undefined;
    const coop = await deps.models.Coop.findById(record.coopId, { slug: 1 }).lean();
    // A token of a cooperative that no longer exists opens nothing.
    if (!coop) return undefined;
    return { kind: 'staff', coopId: record.coopId, coopSlug: coop.slug, role: record.role, tokenId: String(record._id), label: record.label };
  }
}

