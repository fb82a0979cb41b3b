import type { StaffRole } from '../db/models/staff-token.js';

/** What an admin API route needs the caller to be allowed. */
/** `coops:create` belongs to no role: only the superadmin opens cooperatives. */
export type Permission = 'orders:read' | 'orders:update' | 'outbox:read' | 'tokens:manage' | 'whatsapp:manage' | 'coops:create';

/** A manager runs the cooperative; staff work the counter. The superadmin (ADMIN_TOKEN) may do everything everywhere. */
const ROLE_PERMISSIONS: Record<StaffRole, ReadonlySet<Permission>> = {
  manager: new Set(['orders:read', 'orders:update', 'outbox:read', 'tokens:manage', 'whatsapp:manage']),
  staff: new Set(['orders:read', 'orders:update', 'outbox:read']),
};

export function roleAllows(role: StaffRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
