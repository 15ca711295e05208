import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { isStrongPassword, type Role } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, queryOne } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { writeAudit, writeAuditNow } from '../audit/audit.service.js';

// argon2id with OWASP's second recommended parameter set (19 MiB, t=2, p=1).
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export function assertStrongPassword(password: string, path = 'password'): void {
  if (!isStrongPassword(password)) {
    throw new AppError('validation_failed', {
      message: 'password must have at least 8 characters from 3 of: lower case, upper case, digits, symbols',
      details: [{ path, code: 'weak_password' }],
    });
  }
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  unit_id: string | null;
  unit_path: string | null;
  status: string;
  must_change_password: number;
  failed_attempts: number;
  locked_until: Date | string | null;
}

export interface AuthPolicy {
  lockoutAttempts: number;
  lockoutMinutes: number;
  sessionIdleMinutes: number;
}

const DUMMY_HASH_PROMISE = hashPassword('not-a-real-password-Aa1!');

/**
 * Checks a username and password. Five failures lock the account for 15 minutes (counted with a
 * conditional UPDATE, so concurrent attempts cannot slip past the limit). Every outcome is audited.
 */
export async function signIn(opts: {
  db: Db;
  username: string;
  password: string;
  ip?: string;
  userAgent?: string;
  policy: AuthPolicy;
}): Promise<{ token: string; csrfToken: string; userId: string }> {
  const { db, username, password, policy } = opts;
  const anon: Actor = {
    userId: null,
    username,
    displayName: username,
    role: 'volunteer',
    unitId: null,
    scopePath: null,
    ip: opts.ip,
    userAgent: opts.userAgent,
  };
  const user = await queryOne<UserRow>(db, sql`select * from users where username = ${username}`);
  if (!user) {
    await verify(await DUMMY_HASH_PROMISE, password).catch(() => false); // same timing as a real check
    await writeAuditNow(db, {
      actor: { username, ip: opts.ip, userAgent: opts.userAgent },
      action: 'auth.login_failed',
      entityType: 'user',
      after: { username, reason: 'unknown_user' },
    });
    throw new AppError('invalid_credentials', { status: 401, message: 'wrong username or password' });
  }
  const actor: Actor = { ...anon, userId: user.id, role: user.role, unitId: user.unit_id, scopePath: user.unit_path };
  const auditFail = (reason: string) =>
    writeAuditNow(db, {
      actor,
      action: 'auth.login_failed',
      entityType: 'user',
      entityId: user.id,
      unitPath: user.unit_path,
      after: { username, reason },
    });

  if (user.locked_until && new Date(user.locked_until) > new Date()) {
    await auditFail('locked');
    throw new AppError('account_locked', {
      status: 403,
      message: `account locked after repeated failed sign-ins; try again after ${new Date(user.locked_until).toISOString()}`,
    });
  }
  if (user.status !== 'active') {
    await auditFail('disabled');
    throw new AppError('invalid_credentials', { status: 401, message: 'wrong username or password' });
  }
  const ok = await verify(user.password_hash, password).catch(() => false);
  if (!ok) {
    const row = await queryOne<{ failed_attempts: number; locked_until: string | null }>(
      db,
      sql`update users set
            failed_attempts = case when failed_attempts + 1 >= ${policy.lockoutAttempts} then 0 else failed_attempts + 1 end,
            locked_until = case when failed_attempts + 1 >= ${policy.lockoutAttempts}
                                then now() + make_interval(mins => ${policy.lockoutMinutes}) else locked_until end
          where id = ${user.id} returning failed_attempts, locked_until`,
    );
    await auditFail(row?.locked_until ? 'wrong_password_locked' : 'wrong_password');
    throw new AppError('invalid_credentials', { status: 401, message: 'wrong username or password' });
  }
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(sql`update users set failed_attempts = 0, locked_until = null, last_login_at = now() where id = ${user.id}`);
    await t.execute(sql`insert into sessions (id, user_id, csrf_token, ip, user_agent)
      values (${sessionIdOf(token)}, ${user.id}, ${csrfToken}, ${opts.ip ?? null}, ${opts.userAgent ?? null})`);
    await writeAudit(t, { actor, action: 'auth.login', entityType: 'user', entityId: user.id, unitPath: user.unit_path });
  });
  return { token, csrfToken, userId: user.id };
}

export interface SessionRow extends UserRow {
  session_id: string;
  csrf_token: string;
  last_seen_at: Date | string;
  unit_name: string | null;
  unit_kind: string | null;
  unit_region_code: string | null;
}

/**
 * Finds the live session of a cookie token. Sessions idle longer than the policy are deleted and
 * treated as absent; last_seen_at is refreshed at most once a minute to spare writes.
 */
export async function resolveSession(db: Db, token: string, policy: AuthPolicy): Promise<SessionRow | null> {
  const id = sessionIdOf(token);
  const row = await queryOne<SessionRow>(
    db,
    sql`select u.*, s.id as session_id, s.csrf_token, s.last_seen_at,
               un.name as unit_name, un.kind as unit_kind, un.region_code as unit_region_code
        from sessions s join users u on u.id = s.user_id left join units un on un.id = u.unit_id
        where s.id = ${id}`,
  );
  if (!row) return null;
  const idleMs = Date.now() - new Date(row.last_seen_at).getTime();
  if (idleMs > policy.sessionIdleMinutes * 60_000 || row.status !== 'active') {
    await db.execute(sql`delete from sessions where id = ${id}`);
    return null;
  }
  if (idleMs > 60_000) await db.execute(sql`update sessions set last_seen_at = now() where id = ${id}`);
  return row;
}

export async function signOut(db: Db, actor: Actor, sessionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(sql`delete from sessions where id = ${sessionId}`);
    await writeAudit(t, { actor, action: 'auth.logout', entityType: 'user', entityId: actor.userId, unitPath: actor.scopePath });
  });
}

/** A user changes their own password; other sessions of the user end. */
export async function changeOwnPassword(opts: { db: Db; actor: Actor; currentPassword: string; newPassword: string }): Promise<void> {
  const { db, actor } = opts;
  const user = await queryOne<UserRow>(db, sql`select * from users where id = ${actor.userId}`);
  if (!user) throw new AppError('unauthenticated', { status: 401, message: 'not signed in' });
  if (!(await verify(user.password_hash, opts.currentPassword).catch(() => false))) {
    throw new AppError('validation_failed', {
      message: 'current password is wrong',
      details: [{ path: 'currentPassword', code: 'wrong_password' }],
    });
  }
  assertStrongPassword(opts.newPassword, 'newPassword');
  if (opts.newPassword === opts.currentPassword) {
    throw new AppError('validation_failed', {
      message: 'the new password must differ from the current one',
      details: [{ path: 'newPassword', code: 'unchanged' }],
    });
  }
  const passwordHash = await hashPassword(opts.newPassword);
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(sql`update users set password_hash = ${passwordHash}, must_change_password = 0,
      password_changed_at = now(), updated_at = now(), version = version + 1 where id = ${user.id}`);
    await t.execute(sql`delete from sessions where user_id = ${user.id} and id <> ${actor.sessionId ?? ''}`);
    await writeAudit(t, { actor, action: 'user.password_changed', entityType: 'user', entityId: user.id, unitPath: user.unit_path });
  });
}
