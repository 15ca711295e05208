import { grantableRoles, type Role } from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { assertStrongPassword, hashPassword } from '../auth/auth.service.js';
import type { CreateUserBody, UpdateUserBody, UserListQuery } from './users.schemas.js';

export interface UserListRow {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  unitName: string | null;
  unitPath: string | null;
  status: 'active' | 'disabled';
  lockedUntil: Date | string | null;
  mustChangePassword: number;
  lastLoginAt: Date | string | null;
  version: number;
  createdAt: Date | string;
}

const USER_COLUMNS = sql`u.id, u.username, u.display_name as "displayName", u.role, u.unit_id as "unitId", un.name as "unitName",
  u.unit_path::text as "unitPath", u.status, u.locked_until as "lockedUntil", u.must_change_password as "mustChangePassword",
  u.last_login_at as "lastLoginAt", u.version, u.created_at as "createdAt"`;
const USER_FROM = sql`users u left join units un on un.id = u.unit_id`;

/** Users of units in the actor's scope (global users are listed only to global users). */
function userScope(actor: Actor): SQL {
  return actor.scopePath === null ? sql`true` : sql`u.unit_path is not null and ${scopeWhere(actor, sql`u.unit_path`)}`;
}

export async function findUsers(db: Db, actor: Actor, q: UserListQuery) {
  const conds: SQL[] = [userScope(actor)];
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(u.username like ${like} or u.display_name like ${like})`);
  }
  if (q.role) conds.push(sql`u.role = ${q.role}`);
  if (q.unitId) conds.push(sql`u.unit_id = ${q.unitId}`);
  const where = sql.join(conds, sql` and `);
  const desc = q.sort.startsWith('-');
  const col = q.sort.includes('createdAt') ? sql`u.created_at` : sql`u.username`;
  const cursor = decodeCursor(q.cursor, 2);
  const page = cursor
    ? sql`${where} and (${col}, u.id) ${desc ? sql`<` : sql`>`} (${q.sort.includes('createdAt') ? sql`${cursor[0]}::timestamptz` : sql`${cursor[0]}`}, ${cursor[1]}::uuid)`
    : where;
  const dir = desc ? sql`desc` : sql`asc`;
  const rows = await query<UserListRow>(
    db,
    sql`select ${USER_COLUMNS} from ${USER_FROM} where ${page} order by ${col} ${dir}, u.id ${dir} limit ${q.limit + 1}`,
  );
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from users u where ${where}`);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const sortValue = (r: UserListRow) => (q.sort.includes('createdAt') ? new Date(r.createdAt).toISOString() : r.username);
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor([sortValue(last), last.id]) : null,
    total: Number(total?.n ?? 0),
  };
}

export async function getUser(db: Db, actor: Actor, id: string): Promise<UserListRow> {
  const row = await queryOne<UserListRow>(db, sql`select ${USER_COLUMNS} from ${USER_FROM} where u.id = ${id}`);
  if (!row) throw notFound('user');
  if (actor.scopePath !== null) assertInScope(actor, row.unitPath, 'user_not_found');
  return row;
}

async function unitPathFor(db: Db, actor: Actor, role: Role, unitId: string | null): Promise<string | null> {
  if (!unitId) {
    if (role !== 'system_admin') throw invalid('unitId', 'required', 'every role except system administrator is bound to a unit');
    if (actor.scopePath !== null) throw invalid('unitId', 'required', 'choose a unit within your part of the network');
    return null;
  }
  const unit = await queryOne<{ path: string }>(db, sql`select path::text as path from units where id = ${unitId}`);
  if (!unit || !inScope(actor, unit.path)) throw invalid('unitId', 'unknown_unit', 'no such unit in your part of the network');
  return unit.path;
}

function assertGrantable(actor: Actor, role: Role) {
  if (!grantableRoles(actor.role).includes(role)) {
    throw new AppError('forbidden', {
      status: 403,
      message: `your role may not grant the role ${role}`,
      details: [{ path: 'role', code: 'not_grantable' }],
    });
  }
}

const auditUser = (u: UserListRow) => {
  const { lockedUntil: _l, lastLoginAt: _ll, createdAt: _c, unitName: _n, ...rest } = u;
  return rest;
};

/** Creates a user bound to a unit in the actor's scope; the first sign-in asks for a new password. */
export async function createUser(opts: { db: Db; actor: Actor; input: CreateUserBody }): Promise<UserListRow> {
  const { db, actor, input } = opts;
  assertGrantable(actor, input.role);
  assertStrongPassword(input.password);
  const unitPath = await unitPathFor(db, actor, input.role, input.unitId);
  const exists = await queryOne<{ id: string }>(db, sql`select id from users where username = ${input.username}`);
  if (exists)
    throw new AppError('conflict', { status: 409, message: 'this user name is taken', details: [{ path: 'username', code: 'duplicate' }] });
  const id = newId();
  const passwordHash = await hashPassword(input.password);
  await db.execute(sql`insert into users (id, username, display_name, password_hash, role, unit_id, unit_path, must_change_password)
    values (${id}, ${input.username}, ${input.displayName}, ${passwordHash}, ${input.role}, ${input.unitId}, ${unitPath}::ltree, 1)`);
  const user = await getUser(db, actor, id);
  await writeAudit(db, { actor, action: 'user.created', entityType: 'user', entityId: id, unitPath, after: auditUser(user) });
  return user;
}

export async function updateUser(opts: { db: Db; actor: Actor; id: string; patch: UpdateUserBody }): Promise<UserListRow> {
  const { db, actor, id, patch } = opts;
  const before = await getUser(db, actor, id);
  if (before.version !== patch.version) throw stale('user');
  if (id === actor.userId && (patch.role || patch.status === 'disabled' || patch.unitId !== undefined)) {
    throw new AppError('forbidden', { status: 403, message: 'you cannot change your own role, unit or status' });
  }
  assertGrantable(actor, before.role);
  const role = patch.role ?? before.role;
  assertGrantable(actor, role);
  const unitId = patch.unitId === undefined ? before.unitId : patch.unitId;
  const unitPath = await unitPathFor(db, actor, role, unitId);
  const set: SQL[] = [
    sql`version = version + 1`,
    sql`updated_at = now()`,
    sql`role = ${role}`,
    sql`unit_id = ${unitId}`,
    sql`unit_path = ${unitPath}::ltree`,
  ];
  if (patch.displayName !== undefined) set.push(sql`display_name = ${patch.displayName}`);
  if (patch.status !== undefined) set.push(sql`status = ${patch.status}`);
  const done = await queryOne<{ id: string }>(
    db,
    sql`update users set ${sql.join(set, sql`, `)} where id = ${id} and version = ${patch.version} returning id`,
  );
  if (!done) throw stale('user');
  if (patch.status === 'disabled' || patch.role || patch.unitId !== undefined)
    await db.execute(sql`delete from sessions where user_id = ${id}`);
  const after = await getUser(db, { ...actor, scopePath: null }, id);
  await writeAudit(db, {
    actor,
    action: 'user.updated',
    entityType: 'user',
    entityId: id,
    unitPath: after.unitPath,
    before: auditUser(before),
    after: auditUser(after),
  });
  return after;
}

/** An administrator sets a new password; the user must change it at next sign-in, and the lock lifts. */
export async function resetPassword(opts: { db: Db; actor: Actor; id: string; password: string }): Promise<void> {
  const { db, actor, id, password } = opts;
  const user = await getUser(db, actor, id);
  assertGrantable(actor, user.role);
  assertStrongPassword(password);
  const passwordHash = await hashPassword(password);
  await db.execute(sql`update users set password_hash = ${passwordHash}, must_change_password = 1, failed_attempts = 0, locked_until = null,
    version = version + 1, updated_at = now() where id = ${id}`);
  await db.execute(sql`delete from sessions where user_id = ${id}`);
  await writeAudit(db, { actor, action: 'user.password_reset', entityType: 'user', entityId: id, unitPath: user.unitPath });
}
