import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, signIn, TEST_PASSWORD, type TestContext, testApp } from '../../../test/helpers.js';
import { documentedRoutes, fillPath } from '../../../test/routes.js';
import { query, queryOne, sql } from '../../platform/db.js';
import { sessionIdOf } from './auth.service.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await testApp();
});
afterAll(async () => ctx?.close());

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  ctx.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });

const tokenOf = (cookie: string) => decodeURIComponent(cookie.split('=').slice(1).join('='));

async function userId(username: string): Promise<string> {
  const row = await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = ${username}`);
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}

describe('sign-in', () => {
  it('answers a wrong password and an unknown user with the same uniform 401', async () => {
    const wrong = await login('qxg_cw', 'Wrong#Passw0rd');
    const unknown = await login('nobody_here', 'Wrong#Passw0rd');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const a = errorOf(wrong);
    const b = errorOf(unknown);
    expect(a.code).toBe('invalid_credentials');
    expect({ ...a, requestId: '' }).toEqual({ ...b, requestId: '' });
    expect(wrong.headers['set-cookie']).toBeUndefined();
    // The one failure does not lock, and a success resets the counter.
    expect((await login('qxg_cw', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie and answers the CSRF token', async () => {
    const res = await login('qxg_sw', TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const raw = String([res.headers['set-cookie']].flat()[0]);
    expect(raw).toMatch(/^wushe_session=[^;]{20,}/);
    expect(raw).toMatch(/;\s*HttpOnly/i);
    expect(raw).toMatch(/;\s*SameSite=Strict/i);
    expect(raw).toMatch(/;\s*Path=\//i);
    const body = res.json();
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(body.user).toMatchObject({ username: 'qxg_sw', role: 'station_worker', mustChangePassword: false });
    // The token in the cookie is never stored as it is: the table keeps its hash.
    const token = tokenOf(raw.split(';')[0]);
    const rows = await query<{ id: string }>(ctx.db, sql`select id from sessions where id = ${token}`);
    expect(rows).toHaveLength(0);
    expect(await queryOne(ctx.db, sql`select id from sessions where id = ${sessionIdOf(token)}`)).toBeDefined();
  });

  it('locks the account for 15 minutes after 5 failures, even against the right password', async () => {
    const id = await userId('qxg_vol');
    for (let i = 1; i <= 5; i++) {
      const res = await login('qxg_vol', `Wrong#Passw0rd${i}`);
      expect(res.statusCode, `attempt ${i}`).toBe(401);
      expect(errorOf(res).code).toBe('invalid_credentials');
    }
    const locked = await login('qxg_vol', TEST_PASSWORD);
    expect(locked.statusCode).toBe(403);
    expect(errorOf(locked).code).toBe('account_locked');
    expect(locked.headers['set-cookie']).toBeUndefined();
    const row = await queryOne<{ until_min: number }>(
      ctx.db,
      sql`select extract(epoch from (locked_until - now())) / 60 as until_min from users where id = ${id}`,
    );
    expect(Number(row?.until_min)).toBeGreaterThan(14);
    expect(Number(row?.until_min)).toBeLessThanOrEqual(15);
    // The lock lifts when its time has passed.
    await ctx.db.execute(sql`update users set locked_until = now() - interval '1 second' where id = ${id}`);
    expect((await login('qxg_vol', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('ends sessions idle for more than 30 minutes', async () => {
    const c = await signIn(ctx.app, 'jfb_sw');
    const sid = sessionIdOf(tokenOf(c.cookie));
    await ctx.db.execute(sql`update sessions set last_seen_at = now() - interval '29 minutes' where id = ${sid}`);
    expect((await c.get('/api/auth/session')).statusCode).toBe(200);
    await ctx.db.execute(sql`update sessions set last_seen_at = now() - interval '31 minutes' where id = ${sid}`);
    const res = await c.get('/api/auth/session');
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('unauthenticated');
    expect((await c.get('/api/units')).statusCode).toBe(401);
    expect(await queryOne(ctx.db, sql`select id from sessions where id = ${sid}`)).toBeUndefined();
  });

  it('refuses every write without the right x-csrf-token, and writes nothing', async () => {
    const c = await signIn(ctx.app, 'qxg_head');
    const listed = (await c.get(`/api/units?q=${encodeURIComponent('兴隆街')}`)).json().items[0];
    const office = (await c.get(`/api/units/${listed.id}`)).json();
    const counts = async () =>
      queryOne<{ units: number; users: number; zones: number; operators: number; audit: number; sessions: number }>(
        ctx.db,
        sql`select (select count(*)::int from units) as units, (select count(*)::int from users) as users,
                   (select count(*)::int from zones) as zones, (select count(*)::int from operators) as operators,
                   (select count(*)::int from audit_log) as audit, (select count(*)::int from sessions) as sessions`,
      );
    const before = await counts();
    const writes = [
      { method: 'PATCH' as const, url: `/api/units/${office.id}`, payload: { version: office.version, openingHours: 'CSRF 之后' } },
      { method: 'POST' as const, url: '/api/operators', payload: { name: '跨站请求的机构' } },
      { method: 'DELETE' as const, url: `/api/units/${office.id}?version=${office.version}` },
      { method: 'POST' as const, url: '/api/auth/logout' },
    ];
    for (const w of writes) {
      for (const headers of [
        { cookie: c.cookie },
        { cookie: c.cookie, 'x-csrf-token': 'forged' },
        { cookie: c.cookie, 'x-csrf-token': '' },
      ]) {
        const res = await ctx.app.inject({ ...w, headers });
        expect(res.statusCode, `${w.method} ${w.url}`).toBe(403);
        expect(errorOf(res).code).toBe('csrf_failed');
      }
    }
    // Another user's token does not do either.
    const other = await signIn(ctx.app, 'qxg_sw');
    const res = await ctx.app.inject({ ...writes[0], headers: { cookie: c.cookie, 'x-csrf-token': other.csrf } });
    expect(errorOf(res).code).toBe('csrf_failed');
    const after = await counts();
    // Only the second sign-in left a trace: its session and its audit entry.
    expect(after).toEqual({ ...before, sessions: (before?.sessions ?? 0) + 1, audit: (before?.audit ?? 0) + 1 });
    expect((await c.get(`/api/units/${office.id}`)).json()).toEqual(office);
    // The session still works, and with the token the write goes through.
    expect((await c.patch(`/api/units/${office.id}`, { version: office.version, openingHours: '有令牌' })).statusCode).toBe(200);
  });

  it('writes successful and failed sign-ins to the audit log', async () => {
    await login('jfb_head', 'Wrong#Passw0rd', { 'user-agent': 'audit-probe/1' });
    await login('jfb_head', TEST_PASSWORD, { 'user-agent': 'audit-probe/1' });
    await login('ghost_user', 'Wrong#Passw0rd', { 'user-agent': 'audit-probe/1' });
    const admin = await signIn(ctx.app, 'admin');
    const failed = (await admin.get('/api/audit?action=auth.login_failed&limit=200')).json().items;
    const ok = (await admin.get('/api/audit?action=auth.login&limit=200')).json().items;
    const jfbHead = await userId('jfb_head');
    expect(failed).toContainEqual(
      expect.objectContaining({
        actorId: jfbHead,
        actorName: 'jfb_head',
        userAgent: 'audit-probe/1',
        entityId: jfbHead,
        after: { username: 'jfb_head', reason: 'wrong_password' },
      }),
    );
    expect(failed).toContainEqual(
      expect.objectContaining({ actorId: null, actorName: 'ghost_user', after: { username: 'ghost_user', reason: 'unknown_user' } }),
    );
    expect(failed.find((e: { after: { reason: string } }) => e.after.reason === 'locked')).toBeDefined();
    expect(ok).toContainEqual(expect.objectContaining({ actorId: jfbHead, actorRole: 'station_head', userAgent: 'audit-probe/1' }));
    for (const e of [...failed, ...ok]) expect(e.ip).toBeTruthy();
    // No password, right or wrong, ends up in the log.
    const all = JSON.stringify((await admin.get('/api/audit?limit=200')).json());
    expect(all).not.toContain('Wrong#Passw0rd');
    expect(all).not.toContain(TEST_PASSWORD);
  });
});

describe('passwords', () => {
  it('enforces the policy (8+ characters from 3 of 4 classes) when a user changes their own', async () => {
    const c = await signIn(ctx.app, 'yz_sup');
    const change = (currentPassword: string, newPassword: string) => c.post('/api/auth/password', { currentPassword, newPassword });
    for (const weak of ['abcdefgh', 'abcdEFGH', 'ABCD1234', 'Ab1!', 'abcdefghijklmnop', '12345678']) {
      const res = await change(TEST_PASSWORD, weak);
      expect(res.statusCode, weak).toBe(400);
      expect(errorOf(res).details).toContainEqual(expect.objectContaining({ path: 'newPassword', code: 'weak_password' }));
    }
    const wrongCurrent = await change('Not#ThePassw0rd', 'abcdEF12');
    expect(wrongCurrent.statusCode).toBe(400);
    expect(errorOf(wrongCurrent).details[0].code).toBe('wrong_password');
    // A second session of the same user ends when the password changes; the one that changed it stays.
    const other = await signIn(ctx.app, 'yz_sup');
    // Three classes are enough: lower, upper and digits.
    expect((await change(TEST_PASSWORD, 'abcdEF12')).statusCode).toBe(200);
    expect((await c.get('/api/auth/session')).statusCode).toBe(200);
    expect((await other.get('/api/auth/session')).statusCode).toBe(401);
    const old = await login('yz_sup', TEST_PASSWORD);
    expect(old.statusCode).toBe(401);
    expect(errorOf(old).code).toBe('invalid_credentials');
    expect((await login('yz_sup', 'abcdEF12')).statusCode).toBe(200);
    // lower + digits + symbol is three classes as well.
    const again = await signIn(ctx.app, 'yz_sup', 'abcdEF12');
    expect((await again.post('/api/auth/password', { currentPassword: 'abcdEF12', newPassword: 'abcd#123' })).statusCode).toBe(200);
    expect((await login('yz_sup', 'abcd#123')).statusCode).toBe(200);
  });

  it('refuses a weak password when an administrator sets one', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const res = await admin.post(`/api/users/${await userId('jfb_sw')}/reset-password`, { password: 'password' });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details[0]).toMatchObject({ path: 'password', code: 'weak_password' });
    expect((await login('jfb_sw', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('after an administrator reset, every endpoint but session, logout and password asks for a new password', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const id = await userId('qxg_cw');
    const before = await signIn(ctx.app, 'qxg_cw');
    expect((await admin.post(`/api/users/${id}/reset-password`, { password: 'Reset#Passw0rd' })).statusCode).toBe(200);
    // The reset ends the user's sessions, and the old password is gone.
    expect((await before.get('/api/auth/session')).statusCode).toBe(401);
    expect((await login('qxg_cw', TEST_PASSWORD)).statusCode).toBe(401);

    const c = await signIn(ctx.app, 'qxg_cw', 'Reset#Passw0rd');
    const session = await c.get('/api/auth/session');
    expect(session.statusCode).toBe(200);
    expect(session.json().user.mustChangePassword).toBe(true);

    const allowed = new Set(['GET /api/auth/session', 'POST /api/auth/logout', 'POST /api/auth/password']);
    const routes = (await documentedRoutes(ctx.app)).filter((r) => !r.public && !allowed.has(`${r.method} ${r.path}`));
    let checked = 0;
    for (const r of routes) {
      const url = fillPath(r.path, (name) => (name === 'code' ? '500103' : id));
      const payload = r.body ? {} : undefined;
      // Public routes (health, …) answer anyone; every other one asks the anonymous to sign in.
      const anonymous = await ctx.app.inject({ method: r.method as 'GET', url, payload });
      if (anonymous.statusCode !== 401) continue;
      checked++;
      const res = await c.request({ method: r.method as 'GET', url, payload });
      expect(res.statusCode, `${r.method} ${r.path}`).toBe(403);
      expect(errorOf(res).code, `${r.method} ${r.path}`).toBe('password_change_required');
    }
    expect(checked).toBeGreaterThan(15);
    // An unknown path does not reveal more either.
    expect((await c.get('/api/no-such-thing')).statusCode).toBeGreaterThanOrEqual(403);

    const changed = await c.post('/api/auth/password', { currentPassword: 'Reset#Passw0rd', newPassword: 'Chosen#Passw0rd' });
    expect(changed.statusCode).toBe(200);
    expect((await c.get('/api/auth/session')).json().user.mustChangePassword).toBe(false);
    expect((await c.get('/api/units')).statusCode).toBe(200);
    expect((await c.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await c.get('/api/auth/session')).statusCode).toBe(401);
  });
});

describe('login rate limit', () => {
  let limited: TestContext;
  beforeAll(async () => {
    limited = await testApp({ config: { loginRateLimitPerMinute: 3 } });
  });
  afterAll(async () => limited?.close());

  it('answers 429 with the uniform body once the limit per minute is used up', async () => {
    const attempt = (password: string) =>
      limited.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'qxg_sw', password } });
    for (let i = 0; i < 3; i++) expect((await attempt('Wrong#Passw0rd')).statusCode).toBe(401);
    const res = await attempt(TEST_PASSWORD);
    expect(res.statusCode).toBe(429);
    const err = errorOf(res);
    expect(err.code).toBe('rate_limited');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).not.toMatch(/stack|at \w+ \(/);
    // The limit counts attempts, not failures: the account is not locked by it.
    const row = await queryOne<{ locked_until: string | null }>(limited.db, sql`select locked_until from users where username = 'qxg_sw'`);
    expect(row?.locked_until).toBeNull();
  });
});
