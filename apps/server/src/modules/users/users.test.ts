import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '@wushe/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, TEST_PASSWORD, type TestContext, testApp } from '../../../test/helpers.js';
import { queryOne, sql } from '../../platform/db.js';
import { makeUser } from '../../seed/factories.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await testApp();
});
afterAll(async () => ctx?.close());

async function unitId(name: string): Promise<string> {
  const row = await queryOne<{ id: string }>(ctx.db, sql`select id from units where name = ${name}`);
  if (!row) throw new Error(`no unit ${name}`);
  return row.id;
}

async function userId(username: string): Promise<string> {
  const row = await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = ${username}`);
  if (!row) throw new Error(`no user ${username}`);
  return row.id;
}

const countUsers = async () => Number((await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from users`))?.n);

describe('users', () => {
  let head: Client;
  beforeAll(async () => {
    head = await signIn(ctx.app, 'qxg_head');
  });

  it('a station head creates a community worker in their station; the first sign-in asks for a new password', async () => {
    const office = await unitId('兴隆街社区社会工作室');
    const res = await head.post('/api/users', {
      username: 'qxg_cw2',
      displayName: '兴隆街社区 社区工作者 王芳',
      role: 'community_worker',
      unitId: office,
      password: 'First#Passw0rd',
    });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({
      username: 'qxg_cw2',
      role: 'community_worker',
      unitId: office,
      unitName: '兴隆街社区社会工作室',
      status: 'active',
      locked: false,
      mustChangePassword: true,
      version: 1,
    });
    expect(JSON.stringify(user)).not.toMatch(/password_?hash|argon2/i);
    expect((await head.get(`/api/users/${user.id}`)).json()).toEqual(user);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'qxg_cw2', password: 'First#Passw0rd' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    const row = await queryOne<{ unit_path: string }>(ctx.db, sql`select unit_path::text from users where id = ${user.id}`);
    const officePath = await queryOne<{ path: string }>(ctx.db, sql`select path::text from units where id = ${office}`);
    expect(row?.unit_path).toBe(officePath?.path);
  });

  it('a station head cannot create a system administrator, nor a user under 解放碑, nor one without a unit', async () => {
    const before = await countUsers();
    const qxg = await unitId('七星岗街道社会工作服务站');
    const base = { displayName: '越权', password: 'First#Passw0rd' };

    const admin = await head.post('/api/users', { ...base, username: 'qxg_root', role: 'system_admin', unitId: qxg });
    expect(admin.statusCode).toBe(403);
    expect(errorOf(admin)).toMatchObject({ code: 'forbidden', details: [{ path: 'role', code: 'not_grantable' }] });
    for (const role of ['civil_affairs_admin', 'auditor', 'centre_staff'] as const) {
      const res = await head.post('/api/users', { ...base, username: `qxg_${role}`, role, unitId: qxg });
      expect(res.statusCode, role).toBe(403);
    }

    const jfb = await unitId('解放碑街道社会工作服务站');
    const neighbour = await head.post('/api/users', { ...base, username: 'jfb_mole', role: 'station_worker', unitId: jfb });
    expect([400, 403]).toContain(neighbour.statusCode);
    expect(errorOf(neighbour).details[0]).toMatchObject({ path: 'unitId' });
    // Nor above the station: the centre is not in the head's part of the network.
    const centre = await head.post('/api/users', {
      ...base,
      username: 'yz_mole',
      role: 'station_worker',
      unitId: await unitId('渝中区社会工作指导中心'),
    });
    expect([400, 403]).toContain(centre.statusCode);

    const noUnit = await head.post('/api/users', { ...base, username: 'qxg_nounit', role: 'station_worker', unitId: null });
    expect(noUnit.statusCode).toBe(400);
    expect(await countUsers()).toBe(before);
  });

  it('a station head cannot move a user out of the station, touch a neighbour, or reset an administrator', async () => {
    const sw = (await head.get(`/api/users/${await userId('qxg_sw')}`)).json();
    const jfb = await unitId('解放碑街道社会工作服务站');
    const moved = await head.patch(`/api/users/${sw.id}`, { version: sw.version, unitId: jfb });
    expect([400, 403]).toContain(moved.statusCode);
    const promoted = await head.patch(`/api/users/${sw.id}`, { version: sw.version, role: 'system_admin' });
    expect(promoted.statusCode).toBe(403);

    const jfbSw = await userId('jfb_sw');
    expect((await head.get(`/api/users/${jfbSw}`)).statusCode).toBe(404);
    const patchNeighbour = await head.patch(`/api/users/${jfbSw}`, { version: 1, displayName: '改名' });
    expect(patchNeighbour.statusCode).toBe(404);
    expect(errorOf(patchNeighbour).code).toBe('user_not_found');
    expect((await head.post(`/api/users/${jfbSw}/reset-password`, { password: 'Taken#Passw0rd' })).statusCode).toBe(404);
    expect((await head.post(`/api/users/${await userId('admin')}/reset-password`, { password: 'Taken#Passw0rd' })).statusCode).toBe(404);
    // Nothing changed.
    expect((await head.get(`/api/users/${sw.id}`)).json()).toEqual(sw);
    const jfbRow = await queryOne<{ display_name: string; version: number }>(
      ctx.db,
      sql`select display_name, version from users where id = ${jfbSw}`,
    );
    expect(jfbRow).toMatchObject({ display_name: '解放碑社工站 社工 吴社工', version: 1 });
  });

  it('a station head cannot change their own role or disable themselves', async () => {
    const me = (await head.get(`/api/users/${await userId('qxg_head')}`)).json();
    const res = await head.patch(`/api/users/${me.id}`, { version: me.version, status: 'disabled' });
    expect(res.statusCode).toBe(403);
    expect((await head.get('/api/auth/session')).statusCode).toBe(200);
  });

  it('answers a duplicate user name with 409', async () => {
    const before = await countUsers();
    const res = await head.post('/api/users', {
      username: 'jfb_sw',
      displayName: '重名',
      role: 'station_worker',
      unitId: await unitId('七星岗街道社会工作服务站'),
      password: 'First#Passw0rd',
    });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res)).toMatchObject({ code: 'conflict', details: [{ path: 'username', code: 'duplicate' }] });
    expect(await countUsers()).toBe(before);
  });

  it('answers a stale version with 409 and keeps the newer change', async () => {
    const id = await userId('qxg_vol');
    const v1 = (await head.get(`/api/users/${id}`)).json();
    const ok = await head.patch(`/api/users/${id}`, { version: v1.version, displayName: '志愿者 赵志愿（队长）' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ version: v1.version + 1, displayName: '志愿者 赵志愿（队长）' });
    const stale = await head.patch(`/api/users/${id}`, { version: v1.version, displayName: '过期的修改' });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_version');
    expect((await head.get(`/api/users/${id}`)).json().displayName).toBe('志愿者 赵志愿（队长）');
  });

  it('disabling a user ends their sessions and stops their sign-in', async () => {
    const vol = await signIn(ctx.app, 'qxg_vol');
    const row = (await head.get(`/api/users/${await userId('qxg_vol')}`)).json();
    expect((await head.patch(`/api/users/${row.id}`, { version: row.version, status: 'disabled' })).statusCode).toBe(200);
    expect((await vol.get('/api/auth/session')).statusCode).toBe(401);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'qxg_vol', password: 'Test#Passw0rd' },
    });
    expect(login.statusCode).toBe(401);
    expect(errorOf(login).code).toBe('invalid_credentials');
  });
});

describe('auditor', () => {
  it('reads users and the audit log but cannot write', async () => {
    const auditor = await signIn(ctx.app, 'yz_auditor');
    const before = await countUsers();
    const qxgSw = (await auditor.get(`/api/users/${await userId('qxg_sw')}`)).json();
    expect(qxgSw.username).toBe('qxg_sw');
    const writes = [
      auditor.post('/api/users', {
        username: 'aud_made',
        displayName: '审计员建的',
        role: 'volunteer',
        unitId: await unitId('七星岗街道社会工作服务站'),
        password: 'First#Passw0rd',
      }),
      auditor.patch(`/api/users/${qxgSw.id}`, { version: qxgSw.version, displayName: '审计员改的' }),
      auditor.post(`/api/users/${qxgSw.id}/reset-password`, { password: 'Taken#Passw0rd' }),
      auditor.post('/api/operators', { name: '审计员的机构' }),
      auditor.patch(`/api/units/${await unitId('兴隆街社区社会工作室')}`, { version: 1, openingHours: '审计员改的' }),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.statusCode).toBe(403);
      expect(errorOf(res).code).toBe('forbidden');
    }
    expect(await countUsers()).toBe(before);
    expect((await auditor.get(`/api/users/${qxgSw.id}`)).json()).toEqual(qxgSw);
    const audit = await auditor.get('/api/audit?limit=20');
    expect(audit.statusCode).toBe(200);
    expect(audit.json().items.length).toBeGreaterThan(0);
  });
});

describe('roles', () => {
  it('GET /api/roles is the permission matrix of @wushe/domain', async () => {
    const c = await signIn(ctx.app, 'qxg_sw');
    const res = await c.get('/api/roles');
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      roles: { value: string; zh: string; en: string; permissions: string[] }[];
      permissions: { value: string }[];
    };
    expect(body.roles.map((r) => r.value).sort()).toEqual([...ROLES].sort());
    for (const r of body.roles) {
      expect(r.permissions, r.value).toEqual(ROLE_PERMISSIONS[r.value as keyof typeof ROLE_PERMISSIONS]);
      expect(r.zh.length).toBeGreaterThan(0);
      expect(r.en.length).toBeGreaterThan(0);
    }
    expect(body.permissions.map((p) => p.value).sort()).toEqual([...PERMISSIONS].sort());
  });

  it('the matrix in the API is the one the server enforces', async () => {
    // A volunteer reads the network but not users or the audit log (a fresh one: qxg_vol's password was reset above).
    const unit = await queryOne<{ id: string; path: string }>(
      ctx.db,
      sql`select id, path::text as path from units where name = '七星岗街道社会工作服务站'`,
    );
    await makeUser(ctx.db, { username: 'vol_matrix', password: TEST_PASSWORD, role: 'volunteer', unit });
    const vol = await signIn(ctx.app, 'vol_matrix');
    expect(ROLE_PERMISSIONS.volunteer).not.toContain('users.read');
    expect((await vol.get('/api/users')).statusCode).toBe(403);
    expect((await vol.get('/api/units')).statusCode).toBe(200);
    expect((await vol.get('/api/audit')).statusCode).toBe(403);
  });
});
