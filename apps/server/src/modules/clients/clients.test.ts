import { idCheckChar } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { query, queryOne } from '../../platform/db.js';

let ctx: TestContext;
let qxg: Client;
let jfb: Client;
let officeId: string;
let stationId: string;

/** A valid ID number of someone born in 渝中区 on `birth` (YYYYMMDD); odd seq = male. */
function idNumber(birth: string, seq: number): string {
  const first17 = `500103${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

beforeAll(async () => {
  ctx = await testApp();
  qxg = await signIn(ctx.app, 'qxg_sw');
  jfb = await signIn(ctx.app, 'jfb_sw');
  const units = (await qxg.get(`/api/units?q=${encodeURIComponent('兴隆街')}`)).json().items;
  officeId = units[0].id;
  stationId = (await qxg.get('/api/units?kind=station')).json().items[0].id;
});
afterAll(async () => ctx?.close());

async function create(c: Client, body: Record<string, unknown>) {
  return c.post('/api/clients', { unitId: officeId, ...body });
}

describe('client ledger', () => {
  it('registers a client, derives sex and birth date from the ID number and masks it', async () => {
    const id = idNumber('19420315', 123);
    const res = await create(qxg, {
      name: '张三丰',
      idNumber: id,
      phone: '13812345678',
      address: '七星岗街道兴隆街 12 号',
      riskLevel: 'key',
      categories: [{ category: 'living_alone_elderly', startDate: '2024-01-01', source: '民政系统' }],
      contacts: [{ name: '张小明', relation: '儿子', phone: '13900001111' }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ name: '张三丰', sex: 'male', birthDate: '1942-03-15', riskLevel: 'key', regionCode: '500103001013' });
    expect(c.idNumber).toBe(`5001${'*'.repeat(10)}${id.slice(-4)}`);
    expect(c.phone).toBe('138****5678');
    expect(c.contacts[0].phone).toBe('139****1111');
    expect(c.categories).toEqual(['living_alone_elderly']);
    expect(res.body).not.toContain(id);
    expect(res.body).not.toContain('13812345678');
    // Encrypted at rest: the clear number is nowhere in the row.
    const rows = await query<Record<string, unknown>>(ctx.db, sql`select * from clients where id = ${c.id}`);
    expect(JSON.stringify(rows[0])).not.toContain(id);
    expect(JSON.stringify(rows[0])).not.toContain('13812345678');
  });

  it('refuses a second registration of the same person, also from another street', async () => {
    const id = idNumber('19500101', 201);
    expect((await create(qxg, { name: '李四', idNumber: id })).statusCode).toBe(201);
    const again = await create(qxg, { name: '李四', idNumber: id.toLowerCase() });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).details[0]).toMatchObject({ path: 'idNumber', code: 'duplicate' });
    const jfbUnit = (await jfb.get('/api/units?kind=office')).json().items[0].id;
    const other = await jfb.post('/api/clients', { unitId: jfbUnit, name: '李四', idNumber: id });
    expect(other.statusCode).toBe(409);
    expect(other.body).not.toContain('七星岗');
  });

  it('converts a 15-digit number and rejects bad ones with the rule broken', async () => {
    const ok = await create(qxg, { name: '王五', idNumber: '500103520101121' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().birthDate).toBe('1952-01-01');
    const valid = idNumber('19600101', 301);
    const bad = await create(qxg, { name: '赵六', idNumber: valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0') });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).details[0]).toMatchObject({ path: 'idNumber', code: 'checksum' });
    const mismatch = await create(qxg, { name: '赵六', idNumber: idNumber('19600101', 301), sex: 'female' });
    expect(mismatch.statusCode).toBe(400);
    expect(errorOf(mismatch).details[0]).toMatchObject({ path: 'sex', code: 'mismatch' });
  });

  it('finds clients by pinyin initials, full pinyin, last ID digits, phone and address', async () => {
    const id = idNumber('19380808', 455);
    await create(qxg, { name: '欧阳娜娜', idNumber: id, phone: '023-6311 2233', address: '领事巷 8 号' });
    const ids = async (q: string) =>
      (await qxg.get(`/api/clients?q=${encodeURIComponent(q)}`)).json().items.map((c: { name: string }) => c.name);
    expect(await ids('zsf')).toContain('张三丰');
    expect(await ids('zhangsan')).toContain('张三丰');
    expect(await ids('oynn')).toContain('欧阳娜娜');
    expect(await ids(id.slice(-4))).toContain('欧阳娜娜');
    expect(await ids(id)).toEqual(['欧阳娜娜']);
    expect(await ids('02363112233')).toEqual(['欧阳娜娜']);
    expect(await ids('领事巷')).toContain('欧阳娜娜');
    expect(await ids('娜娜')).toEqual(['欧阳娜娜']); // two characters: the bigram indexes, not pg_trgm
    expect(await ids('事巷')).toEqual(['欧阳娜娜']);
    expect(await ids('ab')).toEqual([]);
  });

  it('the unfiltered list counts clients of every status exactly, on the first and the next pages', async () => {
    const scope = await queryOne<{ path: string }>(
      ctx.db,
      sql`select path::text as path from units where name = '七星岗街道社会工作服务站'`,
    );
    const moved = (await create(qxg, { name: '计数迁出' })).json();
    await create(qxg, { name: '计数在册' });
    await ctx.db.execute(sql`update clients set status = 'moved', status_date = current_date where id = ${moved.id}`);
    const expected = async (status?: string) =>
      Number(
        (
          await queryOne<{ n: number }>(
            ctx.db,
            sql`select count(*)::int as n from clients where unit_path <@ ${scope?.path}::ltree ${status ? sql`and status = ${status}` : sql``}`,
          )
        )?.n,
      );
    const first = (await qxg.get('/api/clients?limit=2')).json();
    expect(first.total).toBe(await expected());
    const next = (await qxg.get(`/api/clients?limit=2&cursor=${first.nextCursor}`)).json();
    expect(next.total).toBe(await expected());
    expect((await qxg.get('/api/clients?status=moved')).json().total).toBe(await expected('moved'));
    expect((await qxg.get('/api/clients?status=active')).json().total).toBe(await expected('active'));
  });

  it('filters by category and risk and pages by keyset without repeats', async () => {
    for (let i = 0; i < 7; i++)
      await create(qxg, { name: `测试对象${i}`, riskLevel: 'high', categories: [{ category: 'dibao', startDate: '2025-01-01' }] });
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await qxg.get(`/api/clients?category=dibao&riskLevel=high&limit=3&sort=name${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json();
      expect(body.total).toBe(7);
      expect(body.totalCapped).toBe(false);
      for (const c of body.items) {
        expect(seen.has(c.id)).toBe(false);
        seen.add(c.id);
      }
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen.size).toBe(7);
    expect(pages).toBe(3);
  });

  it('reveals a full ID number only with a reason and audits it', async () => {
    const id = idNumber('19450505', 777);
    const c = (await create(qxg, { name: '孙七', idNumber: id, phone: '13700002222' })).json();
    const noReason = await qxg.post(`/api/clients/${c.id}/reveal`, { field: 'idNumber' });
    expect(noReason.statusCode).toBe(400);
    const res = await qxg.post(`/api/clients/${c.id}/reveal`, { field: 'idNumber', reason: '办理低保复核' });
    expect(res.json()).toEqual({ field: 'idNumber', value: id });
    const audit = await query<{ action: string; after: { reason: string } }>(
      ctx.db,
      sql`select action, after from audit_log where entity_id = ${c.id} and action = 'client.revealed'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].after.reason).toBe('办理低保复核');
    expect(JSON.stringify(audit)).not.toContain(id);
    // Roles without the reveal permission are refused; other streets do not find the client at all.
    const auditor = await signIn(ctx.app, 'yz_auditor');
    expect((await auditor.post(`/api/clients/${c.id}/reveal`, { field: 'idNumber', reason: '核查' })).statusCode).toBe(403);
    expect((await jfb.post(`/api/clients/${c.id}/reveal`, { field: 'idNumber', reason: '核查' })).statusCode).toBe(404);
    expect((await jfb.get(`/api/clients/${c.id}`)).statusCode).toBe(404);
  });

  it('sets and clears flags with reasons, keeping the history', async () => {
    const c = (await create(qxg, { name: '周八' })).json();
    expect((await qxg.post(`/api/clients/${c.id}/flags`, { flag: 'lost_contact', reason: '三次电话未接通' })).statusCode).toBe(200);
    expect((await qxg.post(`/api/clients/${c.id}/flags`, { flag: 'lost_contact', reason: '再次' })).statusCode).toBe(409);
    const listed = (await qxg.get('/api/clients?flag=lost_contact')).json().items;
    expect(listed.map((x: { id: string }) => x.id)).toContain(c.id);
    const detail = (await qxg.get(`/api/clients/${c.id}`)).json();
    expect(detail.flags).toEqual(['lost_contact']);
    const flagId = detail.flagHistory[0].id;
    expect((await qxg.post(`/api/clients/${c.id}/flags/${flagId}/clear`, { reason: '已联系上' })).statusCode).toBe(200);
    const after = (await qxg.get(`/api/clients/${c.id}`)).json();
    expect(after.flags).toEqual([]);
    expect(after.flagHistory[0]).toMatchObject({ flag: 'lost_contact', clearReason: '已联系上' });
  });

  it('needs a date and a reason to leave the ledger, and refuses stale versions', async () => {
    const c = (await create(qxg, { name: '吴九' })).json();
    const missing = await qxg.patch(`/api/clients/${c.id}`, { version: c.version, status: 'deceased' });
    expect(missing.statusCode).toBe(400);
    expect(
      errorOf(missing)
        .details.map((d) => d.path)
        .sort(),
    ).toEqual(['statusDate', 'statusReason']);
    const ok = await qxg.patch(`/api/clients/${c.id}`, {
      version: c.version,
      status: 'deceased',
      statusDate: '2026-11-01',
      statusReason: '病故',
    });
    expect(ok.statusCode).toBe(200);
    expect((await qxg.patch(`/api/clients/${c.id}`, { version: c.version, address: 'x' })).statusCode).toBe(409);
  });

  it('a station owns clients of its own communities only', async () => {
    const wrong = await qxg.post('/api/clients', { unitId: stationId, name: '郑十' });
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong).details[0]).toMatchObject({ path: 'regionCode', code: 'required' });
    const outside = await qxg.post('/api/clients', { unitId: stationId, name: '郑十', regionCode: '500103003001' });
    expect(outside.statusCode).toBe(400);
    const ok = await qxg.post('/api/clients', { unitId: stationId, name: '郑十', regionCode: '500103001003' });
    expect(ok.statusCode).toBe(201);
    expect((await jfb.get(`/api/clients?q=${encodeURIComponent('郑十')}`)).json().items).toEqual([]);
  });
});
