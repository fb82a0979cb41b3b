import type { Response } from 'express';
import type { StaffRole } from '../db/models/staff-token.js';
import type { Models } from '../db/models/index.js';
import { HttpError } from '../http/errors.js';
import { findCoopId } from './find-coop-id.js';
import { roleAllows, type Permission } from './permissions.js';

/** Who is calling the admin API: the city's operator (ADMIN_TOKEN) or one cooperative's staff. */
export type AdminPrincipal =
  | { kind: 'superadmin' }
  | { kind: 'staff'; coopId: string; coopSlug: string; role: StaffRole; tokenId: string; label: string };

/** The caller authenticateAdmin recorded for this request. */
export function principalOf(res: Response): AdminPrincipal {
  const principal = res.locals.principal as AdminPrincipal | undefined;
  if (!principal) throw new Error('admin route reached without authentication');
  return principal;
}

/** 403 unless the caller's role allows the permission. */
export function requirePermission(principal: AdminPrincipal, permission: Permission): void {
  if (principal.kind === 'staff' && !roleAllows(principal.role, permission)) {
    throw new HttpError(403, 'forbidden', `A ${principal.role} token may not do this`);
  }
}

/** 403 when a staff caller reaches for another cooperative's record. */
export function requireCoopAccess(principal: AdminPrincipal, coopId: string): void {
  if (principal.kind === 'staff' && principal.coopId !== coopId) throw forbiddenCoop();
}

/**
 * The cooperative a request works on: staff always their own (naming another is 403); the
 * superadmin the one named (by slug or id), or every cooperative when none is named.
 */
export async function scopeCoop(models: Models, principal: AdminPrincipal, requested: string | undefined): Promise<string | undefined> {
  if (principal.kind === 'staff') {
    if (requested !== undefined && requested !== principal.coopId && requested !== principal.coopSlug) throw forbiddenCoop();
    return principal.coopId;
  }
  return requested === undefined ? undefined : findCoopId(models, requested);
}

/** Like scopeCoop, for routes that act on exactly one cooperative. */
export async function requireOneCoop(models: Models, principal: AdminPrincipal, requested: string | undefined): Promise<string> {
  const coopId = await scopeCoop(models, principal, requested);
  if (!coopId) throw new HttpError(400, 'coop_required', 'Name the cooperative (coop: slug or id)');
  return coopId;
}

function forbiddenCoop(): HttpError {
  return new HttpError(403, 'forbidden', "This token belongs to another cooperative");
}
