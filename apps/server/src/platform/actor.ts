import type { Permission, Role } from '@wushe/domain';
import { ROLE_PERMISSIONS } from '@wushe/domain';

/** Who is acting, from where, and over which part of the network. Passed to every service. */
export interface Actor {
  userId: string | null;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  /** ltree path of the user's unit; null = the whole network (system admin). */
  scopePath: string | null;
  ip?: string;
  userAgent?: string;
  sessionId?: string;
}

export function can(actor: Actor, permission: Permission): boolean {
  return ROLE_PERMISSIONS[actor.role]?.includes(permission) ?? false;
}

/** The actor of work the system does by itself (seeding, jobs, migrations). */
export const SYSTEM_ACTOR: Actor = {
  userId: null,
  username: 'system',
  displayName: 'System',
  role: 'system_admin',
  unitId: null,
  scopePath: null,
};
