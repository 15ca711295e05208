import { readFileSync } from 'node:fs';
import { idCheckChar } from '@wushe/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { queryOne, sql } from '../../platform/db.js';

let ctx: TestContext;
let sw: Client;
let officeId: string;

beforeAll(async () => {
  ctx = await testApp();
  sw = await signIn(ctx.app, 'qxg_sw');
  officeId = (await sw.get(`/api/units?q=${encodeURIComponent('兴隆街')}`)).json().items[0].id;
});
afterAll(async () => ctx?.close());

const make = async (body: Record<string, unknown>) => {
  const res = await sw.post('/api/clients', { unitId: officeId, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
};

describe('possible duplicates', () => {
  it('pairs records without ID that share name and birth date; two different ID numbers are two people', async () => {
    const first17a = '50010319360202111';
    const first17b = '50010319360202133';
    await make({ name: '同名甲', idNumber: first17a + idCheckChar(first17a) });
    await make({ name: '同名甲', idNumber: first17b + idCheckChar(first17b) });
    await make({ name: '同名乙', birthDate: '1950-05-05' });
    await make({ name: '同名乙', birthDate: '1950-05-05' });
    const open = (await sw.get('/api/client-duplicates?status=open')).json().items;
    expect(open.map((d: { a: { name: string } }) => d.a.name)).toEqual(['同名乙']);
  });

  it('merges reversibly: visits, needs and the ID number move, and come back on unmerge', async () => {
    const first17 = '50010319410707222';
    const id = first17 + idCheckChar(first17);
    const withId = await make({ name: '合并丙', idNumber: id, riskLevel: 'high' });
    const noId = await make({ name: '合并丙', birthDate: '1941-07-07', categories: [{ category: 'dibao', startDate: '2024-01-01' }] });
    await sw.post('/api/visits', { clientId: noId.id, visitedAt: new Date().toISOString(), kind: 'home', needsFound: ['food'] });
    const pair = (await sw.get('/api/client-duplicates?status=open'))
      .json()
      .items.find((d: { a: { name: string } }) => d.a.name === '合并丙');
    expect(pair).toBeTruthy();

    // Keep the record without the ID: the ID number moves over from the merged one.
    const merged = await sw.post(`/api/client-duplicates/${pair.id}/merge`, { keepId: noId.id, reason: '同一人，两次登记' });
    expect(merged.statusCode, merged.body).toBe(200);
    const kept = (await sw.get(`/api/clients/${noId.id}`)).json();
    expect(kept.idNumber).toBe(`5001${'*'.repeat(10)}${id.slice(-4)}`);
    expect(kept.categories).toEqual(['dibao']);
    expect((await sw.get(`/api/visits?clientId=${noId.id}`)).json().total).toBe(1);
    const gone = (await sw.get(`/api/clients/${withId.id}`)).json();
    expect(gone).toMatchObject({ status: 'exited', statusReason: 'merged', idNumber: null });
    expect((await sw.get(`/api/clients?q=${id.slice(-4)}`)).json().items.map((c: { id: string }) => c.id)).toEqual([noId.id]);
    expect((await sw.post(`/api/client-duplicates/${pair.id}/merge`, { keepId: noId.id })).statusCode).toBe(409);

    const undone = await sw.post(`/api/client-duplicates/${pair.id}/unmerge`, { reason: '合并错了' });
    expect(undone.statusCode, undone.body).toBe(200);
    expect(undone.json().status).toBe('open');
    const restored = (await sw.get(`/api/clients/${withId.id}`)).json();
    expect(restored).toMatchObject({ status: 'active', riskLevel: 'high', idNumber: `5001${'*'.repeat(10)}${id.slice(-4)}` });
    const back = (await sw.get(`/api/clients/${noId.id}`)).json();
    expect(back.idNumber).toBeNull();
    expect((await sw.get(`/api/visits?clientId=${noId.id}`)).json().total).toBe(1);
    const audit = (await (await signIn(ctx.app, 'admin')).get(`/api/audit?entityId=${noId.id}`))
      .json()
      .items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['client.merged', 'client.unmerged']));
  });

  it('dismisses a pair with a reason; other streets never see pairs', async () => {
    await make({ name: '同名丁', birthDate: '1960-06-06' });
    await make({ name: '同名丁', birthDate: '1960-06-06' });
    const pair = (await sw.get('/api/client-duplicates?status=open'))
      .json()
      .items.find((d: { a: { name: string } }) => d.a.name === '同名丁');
    const jfb = await signIn(ctx.app, 'jfb_sw');
    expect((await jfb.get('/api/client-duplicates')).json().items).toEqual([]);
    expect((await jfb.post(`/api/client-duplicates/${pair.id}/dismiss`, { reason: '不是同一人' })).statusCode).toBe(404);
    const res = await sw.post(`/api/client-duplicates/${pair.id}/dismiss`, { reason: '不是同一人：父女' });
    expect(res.json()).toMatchObject({ status: 'dismissed', resolveReason: '不是同一人：父女' });
  });

  it('a pair of records of one unit (or of a unit and one below it) belongs to that unit, not to its parent', async () => {
    const stationId = (await sw.get('/api/auth/session')).json().user.unit.id;
    const atStation = async (name: string) => {
      const res = await sw.post('/api/clients', { unitId: stationId, regionCode: '500103001013', name, birthDate: '1939-09-09' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    const a = await atStation('同站戊');
    const b = await atStation('同站戊');
    const open = (await sw.get('/api/client-duplicates?status=open')).json().items;
    const same = open.find((d: { a: { name: string } }) => d.a.name === '同站戊');
    expect([same?.a.id, same?.b.id].sort()).toEqual([a.id, b.id].sort());

    // station + office below it: the station worker sees the pair, the office's community worker does not
    const c = await atStation('上下己');
    const d = await make({ name: '上下己', birthDate: '1939-09-09' });
    const mixed = (await sw.get('/api/client-duplicates?status=open'))
      .json()
      .items.find((x: { a: { name: string } }) => x.a.name === '上下己');
    expect([mixed?.a.id, mixed?.b.id].sort()).toEqual([c.id, d.id].sort());
    const cw = await signIn(ctx.app, 'qxg_cw');
    expect((await cw.get('/api/client-duplicates?status=open')).body).not.toContain('上下己');
  });
  it('migration 0032 puts a pair recorded one unit too high (before the lca fix) back at the unit holding both', async () => {
    const a = await make({ name: '迁移庚', birthDate: '1938-08-08' });
    const b = await make({ name: '迁移庚', birthDate: '1938-08-08' });
    const pair = async () =>
      queryOne<{ path: string }>(
        ctx.db,
        sql`select unit_path::text as path from client_duplicates where client_a = ${[a.id, b.id].sort()[0]} and client_b = ${[a.id, b.id].sort()[1]}`,
      );
    const right = (await pair())?.path as string;
    expect(right).toBe((await queryOne<{ p: string }>(ctx.db, sql`select path::text as p from units where id = ${officeId}`))?.p);
    // As the old code recorded it: at the parent of the office, where the office's community worker cannot see it.
    await ctx.db.execute(sql`update client_duplicates set unit_path = subpath(unit_path, 0, nlevel(unit_path) - 1)
      where client_a = ${[a.id, b.id].sort()[0]} and client_b = ${[a.id, b.id].sort()[1]}`);
    expect((await pair())?.path).not.toBe(right);
    const cw = await signIn(ctx.app, 'qxg_cw');
    expect((await cw.get('/api/client-duplicates?status=open')).body).not.toContain('迁移庚');
    const migration = readFileSync(new URL('../../db/migrations/0032_client_duplicates_recheck.sql', import.meta.url), 'utf8');
    await ctx.db.execute(sql.raw(migration));
    expect((await pair())?.path).toBe(right);
    expect((await cw.get('/api/client-duplicates?status=open')).body).toContain('迁移庚');
  });
});
