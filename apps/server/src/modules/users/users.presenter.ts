import type { UserListRow } from './users.service.js';

export function presentUser(u: UserListRow) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    unitId: u.unitId,
    unitName: u.unitName,
    status: u.status,
    locked: !!u.lockedUntil && new Date(u.lockedUntil) > new Date(),
    mustChangePassword: Number(u.mustChangePassword) === 1,
    lastLoginAt: u.lastLoginAt ? new Date(u.lastLoginAt).toISOString() : null,
    version: Number(u.version),
    createdAt: new Date(u.createdAt).toISOString(),
  };
}
