import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';

let ctx: TestContext;
let qxg: Client;
let jfb: Client;
const offices: Record<string, string> = {};
let stationId: string;

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

beforeAll(async () => {
  ctx = await testApp();
  qxg = await signIn(ctx.app, 'qxg_sw');
  jfb = await signIn(ctx.app, 'jfb_sw');
  for (const u of (await qxg.get('/api/units?kind=office&limit=50')).json().items) offices[u.name.slice(0, 3)] = u.id;
  stationId = (await qxg.get('/api/units?kind=station')).json().items[0].id;
});
afterAll(async () => ctx?.close());

async function newClient(body: Record<string, unknown>) {
  const res = await qxg.post('/api/clients', { unitId: offices.兴隆街, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('visit cadence', () => {
  it('derives each client interval from risk level and categories (shortest wins)', async () => {
    const high = await newClient({ name: '高风险甲', riskLevel: 'high' });
    const tekun = await newClient({ name: '特困乙', categories: [{ category: 'tekun', startDate: '2020-01-01' }] });
    const general = await newClient({ name: '一般丙' });
    const due = (c: { nextVisitDue: string }) =>
      Math.round((Date.parse(c.nextVisitDue) - Date.parse(new Date().toISOString().slice(0, 10))) / 86_400_000);
    expect(due(high)).toBeGreaterThanOrEqual(6);
    expect(due(high)).toBeLessThanOrEqual(8);
    expect(due(tekun)).toBeGreaterThanOrEqual(29);
    expect(due(tekun)).toBeLessThanOrEqual(31);
    expect(due(general)).toBeGreaterThanOrEqual(89);
    expect(due(general)).toBeLessThanOrEqual(91);
  });

  it('flags a client overdue after their interval and clears it with a new visit', async () => {
    const c = await newClient({ name: '逾期丁', riskLevel: 'high' });
    const old = await qxg.post('/api/visits', {
      clientId: c.id,
      visitedAt: daysAgo(10),
      kind: 'home',
      partners: ['community', 'volunteer'],
      needsFound: ['medicine'],
    });
    expect(old.statusCode, old.body).toBe(201);
    const overdue = (await qxg.get('/api/clients?overdue=true&limit=200')).json().items.map((x: { id: string }) => x.id);
    expect(overdue).toContain(c.id);
    const before = (await qxg.get('/api/visits/overdue?groupBy=community'))
      .json()
      .items.find((g: { key: string }) => g.key === '500103001013');
    expect(before.overdue).toBeGreaterThanOrEqual(1);
    expect((await qxg.post('/api/visits', { clientId: c.id, visitedAt: new Date().toISOString(), kind: 'phone' })).statusCode).toBe(201);
    const detail = (await qxg.get(`/api/clients/${c.id}`)).json();
    expect(detail.overdue).toBe(false);
    const after = (await qxg.get('/api/visits/overdue?groupBy=community'))
      .json()
      .items.find((g: { key: string }) => g.key === '500103001013');
    expect(after.overdue).toBe(before.overdue - 1);
    const history = (await qxg.get(`/api/visits?clientId=${c.id}`)).json();
    expect(history.total).toBe(2);
    expect(history.items[1]).toMatchObject({ kind: 'home', partners: ['community', 'volunteer'], needsFound: ['medicine'] });
  });

  it('refuses visits in the future, unknown workers and clients of other streets', async () => {
    const c = await newClient({ name: '校验戊' });
    const future = await qxg.post('/api/visits', {
      clientId: c.id,
      visitedAt: new Date(Date.now() + 86_400_000).toISOString(),
      kind: 'home',
    });
    expect(future.statusCode).toBe(400);
    expect(errorOf(future).details[0]).toMatchObject({ path: 'visitedAt', code: 'in_future' });
    const jfbWorker = (await signIn(ctx.app, 'admin')).get('/api/users?q=jfb_sw');
    const jfbId = (await jfbWorker).json().items[0].id;
    const foreignWorker = await qxg.post('/api/visits', {
      clientId: c.id,
      visitedAt: new Date().toISOString(),
      kind: 'home',
      workerIds: [jfbId],
    });
    expect(foreignWorker.statusCode).toBe(400);
    expect((await jfb.post('/api/visits', { clientId: c.id, visitedAt: new Date().toISOString(), kind: 'home' })).statusCode).toBe(404);
    expect((await jfb.get(`/api/visits?clientId=${c.id}`)).json().items).toEqual([]);
  });

  it("rolls up a month's compliance by unit: visited within cadence ÷ due", async () => {
    const day = new Date(Date.now() - 45 * 86_400_000);
    const month = day.toISOString().slice(0, 7);
    const visitedOne = (await qxg.post('/api/clients', { unitId: offices.抗建堂, name: '合规甲', riskLevel: 'high' })).json();
    const missedOne = (await qxg.post('/api/clients', { unitId: offices.抗建堂, name: '合规乙', riskLevel: 'high' })).json();
    await ctx.db.execute(sql`update clients set created_at = now() - interval '120 days' where id in (${visitedOne.id}, ${missedOne.id})`);
    const v = await qxg.post('/api/visits', {
      clientId: visitedOne.id,
      visitedAt: new Date(`${month}-15T10:00:00+08:00`).toISOString(),
      kind: 'home',
    });
    expect(v.statusCode, v.body).toBe(201);
    const res = (await qxg.get(`/api/visits/compliance?unitId=${stationId}&month=${month}`)).json();
    const office = res.children.find((c: { unit: { id: string } }) => c.unit.id === offices.抗建堂);
    expect(office).toMatchObject({ due: 2, visited: 1, rate: 0.5 });
    expect(res.total.due).toBeGreaterThanOrEqual(2);
    expect(res.total.visited).toBeLessThanOrEqual(res.total.due);
  });

  it('the scan notifies the responsible worker once a day', async () => {
    const cw = await signIn(ctx.app, 'qxg_cw');
    const me = (await cw.get('/api/auth/session')).json().user.id;
    const c = await newClient({ name: '通知己', riskLevel: 'high', responsibleUserId: me });
    await qxg.post('/api/visits', { clientId: c.id, visitedAt: daysAgo(20), kind: 'home' });
    const scan = (await qxg.post('/api/visits/scan')).json();
    expect(scan.notified).toBeGreaterThanOrEqual(1);
    const inbox = (await cw.get('/api/notifications')).json();
    expect(inbox.unread).toBe(1);
    expect(inbox.items[0].kind).toBe('visit_overdue');
    expect((await qxg.post('/api/visits/scan')).json().notified).toBe(0);
    expect((await cw.post(`/api/notifications/${inbox.items[0].id}/read`)).statusCode).toBe(200);
    expect((await cw.get('/api/notifications')).json().unread).toBe(0);
  });

  it('cadence rules are deployment settings: the admin changes them, due dates follow', async () => {
    const head = await signIn(ctx.app, 'qxg_head');
    const rules = (await head.get('/api/settings/cadence')).json().rules;
    expect(rules).toContainEqual({ kind: 'risk', key: 'high', intervalDays: 7 });
    expect((await head.request({ method: 'PUT', url: '/api/settings/cadence', payload: { rules } })).statusCode).toBe(403);
    const admin = await signIn(ctx.app, 'admin');
    const changed = rules.map((r: { kind: string; key: string; intervalDays: number }) =>
      r.key === 'general' ? { ...r, intervalDays: 60 } : r,
    );
    expect((await admin.request({ method: 'PUT', url: '/api/settings/cadence', payload: { rules: changed } })).statusCode).toBe(200);
    const c = await newClient({ name: '频次庚' });
    expect(c.nextVisitDue).toBe(new Date(Date.now() + 8 * 3_600_000 + 60 * 86_400_000).toISOString().slice(0, 10));
    const missing = await admin.request({
      method: 'PUT',
      url: '/api/settings/cadence',
      payload: { rules: changed.filter((r: { key: string }) => r.key !== 'high') },
    });
    expect(missing.statusCode).toBe(400);
  });
});

describe('compliance rows add up', () => {
  it('gives clients owned by the unit itself a row of their own', async () => {
    const day = new Date(Date.now() - 45 * 86_400_000);
    const month = day.toISOString().slice(0, 7);
    const own = (
      await qxg.post('/api/clients', { unitId: stationId, regionCode: '500103001003', name: '站属对象', riskLevel: 'high' })
    ).json();
    await ctx.db.execute(sql`update clients set created_at = now() - interval '120 days' where id = ${own.id}`);
    const res = (await qxg.get(`/api/visits/compliance?unitId=${stationId}&month=${month}`)).json();
    const sum = res.children.reduce((n: number, c: { due: number }) => n + c.due, 0);
    expect(sum).toBe(res.total.due);
    expect(res.children[0].unit.id).toBe(stationId);
    expect(own.responsibleUserId).not.toBeNull();
  });
});
