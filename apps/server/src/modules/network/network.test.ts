import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await testApp();
});
afterAll(async () => ctx?.close());

async function unitId(c: Awaited<ReturnType<typeof signIn>>, name: string): Promise<string> {
  const res = await c.get(`/api/units?q=${encodeURIComponent(name)}`);
  const item = res.json().items.find((u: { name: string }) => u.name === name);
  if (!item) throw new Error(`no unit ${name}`);
  return item.id;
}

describe('network registry', () => {
  it('shows 七星岗 station with its 8 community offices', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const qxg = await unitId(admin, '七星岗街道社会工作服务站');
    const res = await admin.get(`/api/units?parentId=${qxg}&limit=50`);
    expect(res.statusCode).toBe(200);
    const names = res
      .json()
      .items.map((u: { name: string }) => u.name)
      .sort();
    expect(names).toHaveLength(8);
    expect(names).toContain('兴隆街社区社会工作室');
    expect(names).toContain('抗建堂社区社会工作室');
    const detail = (await admin.get(`/api/units/${qxg}`)).json();
    expect(detail.operator.name).toBe('重庆市巴渝公益社会工作服务中心');
    expect(detail.contractStart).toBe('2022-01-01');
    expect(detail.functions).toContain('minor_protection');
  });

  it('refuses a station whose region is not a street under its centre', async () => {
    const head = await signIn(ctx.app, 'yz_centre');
    const centre = await unitId(head, '渝中区社会工作指导中心');
    // 500102001 is a street of 涪陵区, not of 渝中区 — but it is not loaded either; use a 渝中区 village instead.
    const res = await head.post('/api/units', {
      name: '错误的站',
      kind: 'station',
      regionCode: '500103001013',
      parentId: centre,
      status: 'planned',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details[0]).toMatchObject({ path: 'regionCode', code: 'wrong_region_level' });
  });

  it('refuses a second operating station in the same street (409)', async () => {
    const c = await signIn(ctx.app, 'yz_centre');
    const centre = await unitId(c, '渝中区社会工作指导中心');
    const res = await c.post('/api/units', {
      name: '第二个七星岗站',
      kind: 'station',
      regionCode: '500103001',
      parentId: centre,
      status: 'operating',
    });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('conflict');
  });

  it('refuses to move a unit under its own descendant', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const centreId = await unitId(admin, '渝中区社会工作指导中心');
    const centre = (await admin.get(`/api/units/${centreId}`)).json();
    const qxg = await unitId(admin, '七星岗街道社会工作服务站');
    const res = await admin.patch(`/api/units/${centreId}`, { version: centre.version, parentId: qxg });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details[0].code).toBe('cycle');
  });

  it('updates with optimistic locking and keeps history', async () => {
    const c = await signIn(ctx.app, 'qxg_head');
    const office = await unitId(c, '兴隆街社区社会工作室');
    const before = (await c.get(`/api/units/${office}`)).json();
    const ok = await c.patch(`/api/units/${office}`, { version: before.version, openingHours: '周一至周六 8:30-18:00' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(before.version + 1);
    const stale = await c.patch(`/api/units/${office}`, { version: before.version, openingHours: '全天' });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_version');
    const history = (await c.get(`/api/units/${office}/history`)).json();
    expect(history.items[0].action).toBe('unit.updated');
    expect(history.items[0].after.openingHours).toBe('周一至周六 8:30-18:00');
  });

  it('counts coverage like a hand count', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const cov = (await admin.get('/api/coverage?regionCode=500103')).json();
    // 渝中区 has 11 streets in the loaded division data; the demo runs stations in 七星岗 and 解放碑.
    expect(cov.streets).toMatchObject({ total: 11, covered: 2 });
    const qxg = cov.children.find((c: { region: { code: string } }) => c.region.code === '500103001');
    expect(qxg.villages).toMatchObject({ total: 8, covered: 8, rate: 1 });
    const jfb = cov.children.find((c: { region: { code: string } }) => c.region.code === '500103003');
    expect(jfb.villages.covered).toBe(3);
  });
});

describe('zones and operators', () => {
  it('keeps a community in one zone of its station', async () => {
    const head = await signIn(ctx.app, 'qxg_head');
    const station = await unitId(head, '七星岗街道社会工作服务站');
    const zones = (await head.get(`/api/zones?stationId=${station}`)).json().items;
    const taken = zones[0].regionCodes[0];
    const res = await head.post('/api/zones', { stationId: station, name: '片区三', regionCodes: [taken] });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).details[0]).toMatchObject({ path: 'regionCodes', code: 'in_other_zone' });
    // Moving a community between zones of the same station is an update of both.
    const own = await head.patch(`/api/zones/${zones[0].id}`, { version: zones[0].version, regionCodes: zones[0].regionCodes });
    expect(own.statusCode).toBe(200);
  });

  it('shows operators registered for the whole deployment to scoped users', async () => {
    const head = await signIn(ctx.app, 'qxg_head');
    const names = (await head.get('/api/operators')).json().items.map((o: { name: string }) => o.name);
    expect(names).toContain('重庆市巴渝公益社会工作服务中心');
  });
});

describe('unit search', () => {
  it('finds units by pinyin initials and full pinyin, within scope only', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const names = async (c: Awaited<ReturnType<typeof signIn>>, q: string) =>
      (await c.get(`/api/units?q=${q}`)).json().items.map((u: { name: string }) => u.name);
    expect(await names(admin, 'qxg')).toContain('七星岗街道社会工作服务站');
    expect(await names(admin, 'xinglongjie')).toContain('兴隆街社区社会工作室');
    const jfb = await signIn(ctx.app, 'jfb_sw');
    expect(await names(jfb, 'qxg')).toEqual([]);
  });
});
