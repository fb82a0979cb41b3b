import type { RequestHandler } from 'express';
import { tokensMatch } from '../shared/tokens-match.js';
import { HttpError } from './errors.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * For tools that answer as the service itself (the simulator shows balances): only a caller
 * on this machine, or one presenting the admin token, in every mode. `req.ip` honours
 * `trust proxy` (loopback only), so a request relayed by a local reverse proxy counts as
 * coming from its real client, not from the proxy.
 */
export function requireLocalOrAdmin(adminToken: string): RequestHandler {
  return (req, _res, next) => {
    if (LOOPBACK.has(req.ip ?? '')) return next();
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (token && tokensMatch(token, adminToken)) return next();
    next(new HttpError(403, 'local_only', 'The simulator answers only this machine, or a request with the admin token'));
  };
}
