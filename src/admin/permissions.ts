import type { StaffRole } from '../db/models/staff-token.js';

/** What an admin API route needs the caller to be allowed. */
/** `coops:create` belongs to no role: only the superadmin opens cooperatives. */
export type Permission =
  | 'orders:read'
  | 'orders:update'
  | 'outbox:read'
  | 'members:read'
  | 'members:manage'
  | 'savings:deposit'
  | 'savings:withdraw'
  | 'products:read'
  | 'products:manage'
  | 'stock:adjust'
  | 'stats:read'
  | 'tokens:manage'
  | 'coop:settings'
  | 'whatsapp:manage'
  | 'coops:create';

/** A manager runs the cooperative; staff work the counter. The superadmin (ADMIN_TOKEN) may do everything everywhere. */
const ROLE_PERMISSIONS: Record<StaffRole, ReadonlySet<Permission>> = {
  manager: new Set([
    'orders:read',
    'orders:update',
    'outbox:read',
    'members:read',
    'members:manage',
    'savings:deposit',
    'savings:withdraw',
    'products:read',
    'products:manage',
    'stock:adjust',
    'stats:read',
    'tokens:manage',
    'coop:settings',
    'whatsapp:manage',
  ]),
  // The counter: orders, deposits and stock; member records, withdrawals, the catalogue and tokens are the manager's.
  staff: new Set(['orders:read', 'orders:update', 'outbox:read', 'members:read', 'savings:deposit', 'products:read', 'stock:adjust', 'stats:read']),
};

export function roleAllows(role: StaffRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
