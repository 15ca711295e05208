import { randomBytes } from 'node:crypto';
import { idCheckChar } from '@wushe/domain';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { query, queryOne, sql } from '../../platform/db.js';
import { XLSX_MIME } from '../../platform/http.js';
import { CLIENT_SHEET_COLUMNS } from './clients.sheet.js';

// clients.category_codes / category_codes_until (migration 0015) are kept by triggers on client_categories;
// category filters read them (with client_categories as the re-check for codes that may have ended).

let ctx: TestContext;
let sw: Client;
let officeId: string;
let day: (offset: number) => string;

beforeAll(async () => {
  ctx = await testApp();
  sw = await signIn(ctx.app, 'qxg_sw');
  officeId = (await sw.get(`/api/units?q=${encodeURIComponent('兴隆街')}`)).json().items[0].id;
  const today = (await queryOne<{ d: string }>(ctx.db, sql`select current_date::text as d`))?.d as string;
  day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
});
afterAll(async () => ctx?.close());

const make = async (body: Record<string, unknown>) => {
  const res = await sw.post('/api/clients', { unitId: officeId, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
};

async function codes(id: string) {
  return queryOne<{ codes: string[]; until: string | null }>(
    ctx.db,
    sql`select category_codes as codes, category_codes_until::text as until from clients where id = ${id}`,
  );
}

/** Every client: the active codes (from client_categories) are in category_codes, and equal them while it is exact. */
async function expectInStep() {
  const wrong = await query<{ id: string; codes: string[]; active: string[] }>(
    ctx.db,
    sql`select c.id, c.category_codes as codes, a.active from clients c
        cross join lateral (select coalesce(array_agg(distinct cc.category order by cc.category), '{}'::text[]) as active
                            from client_categories cc where cc.client_id = c.id and (cc.end_date is null or cc.end_date >= current_date)) a
        where not (c.category_codes @> a.active)
           or ((c.category_codes_until is null or c.category_codes_until >= current_date) and c.category_codes <> a.active)`,
  );
  expect(wrong).toEqual([]);
  // client_category_postings (migration 0031): one row per code of every client (no more, no duplicates), with its
  // risk level, scope, status, until and list order.
  const postings = sql`select client_id, category, risk_level, unit_path::text, status, until, updated_at from client_category_postings`;
  const expected = sql`select c.id, k, c.risk_level, c.unit_path::text, c.status, c.category_codes_until, c.updated_at
    from clients c, unnest(c.category_codes) k`;
  const drift = await query(ctx.db, sql`(${postings} except all ${expected}) union all (${expected} except all ${postings})`);
  expect(drift).toEqual([]);
}

/** Ids of the clients listed for a query string, all pages. */
async function listed(qs: string) {
  const res = await sw.get(`/api/clients?${qs}&limit=100`);
  expect(res.statusCode, res.body).toBe(200);
  return { ids: res.json().items.map((c: { id: string }) => c.id) as string[], total: res.json().total as number };
}

const categoryId = async (clientId: string, category: string) =>
  (await sw.get(`/api/clients/${clientId}`)).json().categoryHistory.find((k: { category: string }) => k.category === category).id;

describe('category codes on the client row', () => {
  it('follows create, add category and end category, and category filters give what client_categories says', async () => {
    const a = await make({
      name: '类别甲',
      riskLevel: 'high',
      categories: [
        { category: 'dibao', startDate: '2024-01-01' },
        { category: 'tekun', startDate: '2023-01-01', endDate: '2024-06-30' },
      ],
    });
    expect(await codes(a.id)).toEqual({ codes: ['dibao'], until: null }); // tekun ended long ago: not kept

    await sw.post(`/api/clients/${a.id}/categories`, { category: 'low_income', startDate: '2025-01-01', endDate: day(30) });
    expect(await codes(a.id)).toEqual({ codes: ['dibao', 'low_income'], until: day(30) });
    expect((await listed('category=low_income')).ids).toContain(a.id);
    expect((await listed('category=tekun')).ids).not.toContain(a.id);
    expect((await listed('category=dibao&riskLevel=high')).ids).toContain(a.id);
    expect((await listed('category=dibao&riskLevel=key')).ids).not.toContain(a.id);

    // Ended yesterday: kept in the array (2 days of slack) with the end date; the filter re-checks and leaves it out.
    const dibao = await categoryId(a.id, 'dibao');
    expect((await sw.post(`/api/clients/${a.id}/categories/${dibao}/end`, { endDate: day(-1) })).statusCode).toBe(200);
    expect(await codes(a.id)).toEqual({ codes: ['dibao', 'low_income'], until: day(-1) });
    expect((await listed('category=dibao')).ids).not.toContain(a.id);
    expect((await listed('category=dibao&riskLevel=high')).ids).not.toContain(a.id);
    expect((await listed('category=low_income')).ids).toContain(a.id); // re-checked too, still active

    // Ending today still counts today.
    const b = await make({ name: '类别乙', categories: [{ category: 'dibao', startDate: '2024-01-01' }] });
    const bDibao = await categoryId(b.id, 'dibao');
    await sw.post(`/api/clients/${b.id}/categories/${bDibao}/end`, { endDate: day(0) });
    expect((await listed('category=dibao')).ids).toContain(b.id);
    await expectInStep();
  });

  it('re-checks a code whose period ended after the array was written (time passed, no write since)', async () => {
    const c = await make({
      name: '类别丙',
      categories: [
        { category: 'dibao', startDate: '2024-01-01' },
        { category: 'tekun', startDate: '2024-01-01', endDate: day(10) },
      ],
    });
    expect(await codes(c.id)).toEqual({ codes: ['dibao', 'tekun'], until: day(10) });
    // As the row would look 20 days later: tekun's period is over, the array still has it.
    await ctx.db.execute(sql`update client_categories set end_date = ${day(-10)} where client_id = ${c.id} and category = 'tekun'`);
    expect((await codes(c.id))?.codes).toEqual(['dibao']); // the trigger dropped it (ended more than 2 days ago)
    await ctx.db.execute(
      sql`update clients set category_codes = array['dibao', 'tekun'], category_codes_until = ${day(-10)} where id = ${c.id}`,
    );
    expect((await listed('category=tekun')).ids).not.toContain(c.id);
    expect((await listed('category=dibao')).ids).toContain(c.id);
  });

  it('counts all matches of a selective filter with the page, also when the page after a cursor is empty', async () => {
    const risk = 'key';
    const made = [];
    for (const name of ['计数甲', '计数乙', '计数丙']) {
      made.push(await make({ name, riskLevel: risk, categories: [{ category: 'severe_disability', startDate: '2024-01-01' }] }));
    }
    const first = (await sw.get(`/api/clients?category=severe_disability&riskLevel=${risk}&limit=2`)).json();
    expect(first.total).toBe(3);
    expect(first.items).toHaveLength(2);
    // The last match leaves the filter before page 2 is read: an empty page, and the count of what is left.
    const lastId = made.find((m) => !first.items.some((i: { id: string }) => i.id === m.id))?.id as string;
    const sd = await categoryId(lastId, 'severe_disability');
    await sw.post(`/api/clients/${lastId}/categories/${sd}/end`, { endDate: '2024-02-01' });
    const second = (await sw.get(`/api/clients?category=severe_disability&riskLevel=${risk}&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [], total: 2, totalCapped: false, nextCursor: null });
    // Pinyin is two alternatives (initials, full pinyin) counted once each.
    const js = (await sw.get('/api/clients?q=jishu')).json();
    expect(js.total).toBe(3);
    // A letter matches both alternatives for the same clients (initials j…, pinyin jishu…): each counted once.
    const j = (await sw.get('/api/clients?q=j&limit=100')).json();
    const jn = await queryOne<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from clients where name_initials like 'j%' or name_pinyin like 'j%'`,
    );
    expect(j.total).toBe(jn?.n);
    expect(new Set(j.items.map((c: { id: string }) => c.id)).size).toBe(j.items.length);
    expect((await sw.get('/api/clients?q=js')).json().total).toBeGreaterThanOrEqual(3);
  });

  it('province-wide: a category filter in list order counts exactly from its postings; a search with more matches than it counts reads 1,000+, its pages right by time and by name', async () => {
    const office = await queryOne<{ id: string; path: string; region_code: string }>(
      ctx.db,
      sql`select id, path::text as path, region_code from units where id = ${officeId}`,
    );
    // 1,010 clients of the office with 孤寡老人 (categories through client_categories, as the triggers expect),
    // written oldest first: the first 1,001 matches in table order are not the newest ones.
    await ctx.db.execute(sql`insert into clients (id, name, name_pinyin, name_initials, region_code, unit_id, unit_path, risk_level, updated_at)
      select gen_random_uuid(), '封顶' || i, 'fengding' || i, 'fd' || i, ${office?.region_code}, ${office?.id}, ${office?.path}::ltree,
        'general', now() - make_interval(mins => 1011 - i)
      from generate_series(1, 1010) i`);
    await ctx.db.execute(sql`insert into client_categories (id, client_id, category, start_date, unit_path)
      select gen_random_uuid(), c.id, 'childless_elderly', '2024-01-01', c.unit_path from clients c where c.name like '封顶%'`);
    // The system administrator's view is the whole deployment; a station worker's counts up to 10,000 (below).
    const admin = await signIn(ctx.app, 'admin');
    try {
      const matching = await queryOne<{ n: number }>(
        ctx.db,
        sql`select count(*)::int as n from clients where category_codes @> array['childless_elderly'] and risk_level = 'general'`,
      );
      expect(matching?.n).toBeGreaterThanOrEqual(1_010);
      const station = (await sw.get('/api/clients?category=childless_elderly&riskLevel=general&limit=5')).json();
      expect(station).toMatchObject({ total: matching?.n, totalCapped: false });
      const newest = await query<{ id: string }>(
        ctx.db,
        sql`select id from clients where category_codes @> array['childless_elderly']
            and risk_level = 'general' order by updated_at desc, id desc limit 10`,
      );
      const first = (await admin.get('/api/clients?category=childless_elderly&riskLevel=general&limit=5')).json();
      expect(first).toMatchObject({ total: matching?.n, totalCapped: false });
      expect(first.items.map((c: { id: string }) => c.id)).toEqual(newest.slice(0, 5).map((r) => r.id));
      const second = (
        await admin.get(`/api/clients?category=childless_elderly&riskLevel=general&limit=5&cursor=${first.nextCursor}`)
      ).json();
      expect(second).toMatchObject({ total: matching?.n, totalCapped: false });
      expect(second.items.map((c: { id: string }) => c.id)).toEqual(newest.slice(5, 10).map((r) => r.id));
      // Oldest first (the same postings walked the other way).
      const oldest = await query<{ id: string }>(
        ctx.db,
        sql`select id from clients where category_codes @> array['childless_elderly']
            and risk_level = 'general' order by updated_at, id limit 5`,
      );
      const ascending = (await admin.get('/api/clients?category=childless_elderly&riskLevel=general&limit=5&sort=updatedAt')).json();
      expect(ascending.items.map((c: { id: string }) => c.id)).toEqual(oldest.map((r) => r.id));

      // A search matching all of them (pinyin initials fd…): counted up to 1,000 with the page, then read on its own.
      const searched = await query<{ id: string }>(
        ctx.db,
        sql`select id from clients where name_initials like 'fd%' or name_pinyin like 'fd%' order by updated_at desc, id desc limit 10`,
      );
      const s1 = (await admin.get('/api/clients?q=fd&limit=5')).json();
      expect(s1).toMatchObject({ total: 1_000, totalCapped: true });
      expect(s1.items.map((c: { id: string }) => c.id)).toEqual(searched.slice(0, 5).map((r) => r.id));
      const s2 = (await admin.get(`/api/clients?q=fd&limit=5&cursor=${s1.nextCursor}`)).json();
      expect(s2).toMatchObject({ total: 1_000, totalCapped: true });
      expect(s2.items.map((c: { id: string }) => c.id)).toEqual(searched.slice(5, 10).map((r) => r.id));
      // By name (not the postings' order): the first names (封顶1, 封顶10, …) belong to the oldest clients.
      const byName = await query<{ id: string }>(
        ctx.db,
        sql`select id from clients where category_codes @> array['childless_elderly']
            and risk_level = 'general' order by name, id limit 5`,
      );
      const named = (await admin.get('/api/clients?category=childless_elderly&riskLevel=general&limit=5&sort=name')).json();
      expect(named).toMatchObject({ total: 1_000, totalCapped: true });
      expect(named.items.map((c: { id: string }) => c.id)).toEqual(byName.map((r) => r.id));
      // The station worker's count of the same search stays exact.
      expect((await sw.get('/api/clients?q=fengding&limit=5')).json()).toMatchObject({ total: 1_010, totalCapped: false });
      // One letter: every 封顶 client matches both alternatives (initials fd…, pinyin fengding…) and is counted once.
      const fs = await queryOne<{ n: number }>(
        ctx.db,
        sql`select count(*)::int as n from clients where name_initials like 'f%' or name_pinyin like 'f%'`,
      );
      expect((await sw.get('/api/clients?q=f&limit=5')).json()).toMatchObject({ total: fs?.n, totalCapped: false });
      const f1 = (await admin.get('/api/clients?q=f&limit=5')).json();
      expect(f1).toMatchObject({ total: 1_000, totalCapped: true });
      const fNewest = await query<{ id: string }>(
        ctx.db,
        sql`select id from clients where name_initials like 'f%' or name_pinyin like 'f%' order by updated_at desc, id desc limit 5`,
      );
      expect(f1.items.map((c: { id: string }) => c.id)).toEqual(fNewest.map((r) => r.id));
      await expectInStep();
    } finally {
      await ctx.db.execute(sql`delete from client_categories where client_id in (select id from clients where name like '封顶%')`);
      await ctx.db.execute(sql`delete from clients where name like '封顶%'`);
    }
    await expectInStep();
  });

  it('stays in step through an import (new clients and a category added to an existing one)', async () => {
    const existing = await make({ name: '导入丁', birthDate: '1950-01-01', categories: [{ category: 'dibao', startDate: '2024-01-01' }] });
    const header = CLIENT_SHEET_COLUMNS.map((k) => k.header);
    const row = (cells: Record<string, string>) => header.map((h) => cells[h] ?? null);
    const first17 = '50010319440404123';
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('服务对象');
    ws.addRow(header);
    ws.addRow(
      row({ 姓名: '导入甲', 身份证号码: first17 + idCheckChar(first17), 所属社区: '兴隆街社区', 对象类别: '低保、独居老人、低保' }),
    );
    ws.addRow(row({ 姓名: '导入乙', 性别: '女', 出生日期: '1960-02-02', 所属社区: '兴隆街社区' }));
    ws.addRow(row({ 姓名: '导入丁', 性别: '男', 出生日期: '1950-01-01', 所属社区: '兴隆街社区', 对象类别: '低保、特困' }));
    const boundary = `----wushe${randomBytes(8).toString('hex')}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.xlsx"\r\nContent-Type: ${XLSX_MIME}\r\n\r\n`),
      Buffer.from(await wb.xlsx.writeBuffer()),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await sw.request({
      method: 'POST',
      url: '/api/clients/import?commit=true',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toMatchObject({ new: 2, updated: 1, rejected: 0 });
    const byName = async (name: string) =>
      (await queryOne<{ id: string }>(ctx.db, sql`select id from clients where name = ${name} and status = 'active'`))?.id as string;
    expect((await codes(await byName('导入甲')))?.codes).toEqual(['dibao', 'living_alone_elderly']);
    expect((await codes(await byName('导入乙')))?.codes).toEqual([]);
    expect((await listed('category=living_alone_elderly')).ids).toContain(await byName('导入甲'));
    expect((await codes(existing.id))?.codes).toEqual(['dibao', 'tekun']);
    expect((await listed('category=tekun')).ids).toContain(existing.id);
    await expectInStep();
  });

  it('moves with the categories on a duplicate merge and back on unmerge', async () => {
    const first17 = '50010319410808333';
    const withId = await make({ name: '合并戊', idNumber: first17 + idCheckChar(first17), categories: [] });
    const noId = await make({
      name: '合并戊',
      birthDate: '1941-08-08',
      categories: [{ category: 'childless_elderly', startDate: '2024-01-01' }],
    });
    const pair = (await sw.get('/api/client-duplicates?status=open'))
      .json()
      .items.find((d: { a: { name: string } }) => d.a.name === '合并戊');
    expect(pair).toBeTruthy();
    const merged = await sw.post(`/api/client-duplicates/${pair.id}/merge`, { keepId: withId.id, reason: '同一人' });
    expect(merged.statusCode, merged.body).toBe(200);
    expect((await codes(withId.id))?.codes).toEqual(['childless_elderly']);
    expect((await codes(noId.id))?.codes).toEqual([]);
    expect((await listed('category=childless_elderly')).ids).toEqual([withId.id]);
    const undone = await sw.post(`/api/client-duplicates/${pair.id}/unmerge`, { reason: '合并错了' });
    expect(undone.statusCode, undone.body).toBe(200);
    expect((await codes(withId.id))?.codes).toEqual([]);
    expect((await codes(noId.id))?.codes).toEqual(['childless_elderly']);
    expect((await listed('category=childless_elderly')).ids).toEqual([noId.id]);
    await expectInStep();
  });
  it('property: after any writes to clients and their categories, a category filter in list order lists exactly what client_categories says (postings in step)', async () => {
    const units = (await sw.get(`/api/units?q=${encodeURIComponent('华一坡')}`)).json().items as { id: string }[];
    const unitId = units[0].id;
    const paths = await query<{ id: string; path: string }>(
      ctx.db,
      sql`select id, path::text as path from units where id in (${unitId}, ${officeId})`,
    );
    const pathOf = (id: string) => paths.find((u) => u.id === id)?.path as string;
    const pool: string[] = [];
    for (const name of ['性质甲', '性质乙', '性质丙']) {
      const res = await sw.post('/api/clients', { unitId, name, categories: [] });
      expect(res.statusCode, res.body).toBe(201);
      pool.push(res.json().id);
    }
    const cats = ['left_behind_child', 'tekun'] as const;
    const who = fc.integer({ min: 0, max: pool.length - 1 });
    const cat = fc.constantFrom(...cats);
    const op = fc.oneof(
      fc.record({ t: fc.constant('risk' as const), i: who, v: fc.constantFrom('high', 'key', 'general') }),
      fc.record({ t: fc.constant('status' as const), i: who, v: fc.constantFrom('active', 'moved', 'exited') }),
      fc.record({ t: fc.constant('move' as const), i: who, v: fc.constantFrom(unitId, officeId) }),
      fc.record({ t: fc.constant('add' as const), i: who, c: cat, end: fc.option(fc.integer({ min: -5, max: 5 })) }),
      fc.record({ t: fc.constant('end' as const), i: who, c: cat, end: fc.integer({ min: -5, max: 5 }) }),
      fc.record({ t: fc.constant('drop' as const), i: who, c: cat }),
      // What the row looks like some days after a period ended with no write since: the code still in the array.
      fc.record({ t: fc.constant('stale' as const), i: who, c: cat, end: fc.integer({ min: -20, max: -1 }) }),
    );
    const apply = async (o: typeof op extends fc.Arbitrary<infer T> ? T : never) => {
      const id = pool[o.i];
      const touch = sql`updated_at = clock_timestamp()`;
      if (o.t === 'risk') await ctx.db.execute(sql`update clients set risk_level = ${o.v}, ${touch} where id = ${id}`);
      else if (o.t === 'status') await ctx.db.execute(sql`update clients set status = ${o.v}, ${touch} where id = ${id}`);
      else if (o.t === 'move')
        await ctx.db.execute(sql`update clients set unit_id = ${o.v}, unit_path = ${pathOf(o.v)}::ltree, ${touch} where id = ${id}`);
      else if (o.t === 'add')
        await ctx.db.execute(sql`insert into client_categories (id, client_id, category, start_date, end_date, unit_path)
          select gen_random_uuid(), id, ${o.c}, '2024-01-01', ${o.end === null ? null : day(o.end)}::date, unit_path from clients where id = ${id}`);
      else if (o.t === 'end')
        await ctx.db.execute(sql`update client_categories set end_date = ${day(o.end)} where client_id = ${id} and category = ${o.c}`);
      else if (o.t === 'drop') await ctx.db.execute(sql`delete from client_categories where client_id = ${id} and category = ${o.c}`);
      else
        await ctx.db.execute(sql`update clients set category_codes = array(select distinct x from unnest(category_codes || array[${o.c}]) x order by x),
          category_codes_until = ${day(o.end)} where id = ${id}`);
    };
    const check = async () => {
      for (const c of cats) {
        for (const [risk, status, sort] of [
          [null, null, '-updatedAt'],
          ['high', null, '-updatedAt'],
          [null, 'active', 'updatedAt'],
        ] as const) {
          const expected = await query<{ id: string }>(
            ctx.db,
            sql`select c.id from clients c where c.unit_path <@ ${pathOf(unitId)}::ltree
              and exists (select 1 from client_categories cc where cc.client_id = c.id and cc.category = ${c}
                          and (cc.end_date is null or cc.end_date >= current_date))
              and (${risk}::text is null or c.risk_level = ${risk}) and (${status}::text is null or c.status = ${status})
              order by c.updated_at ${sort === 'updatedAt' ? sql`asc` : sql`desc`}, c.id ${sort === 'updatedAt' ? sql`asc` : sql`desc`}`,
          );
          const qs = new URLSearchParams({ category: c, unitId, sort, limit: '100' });
          if (risk) qs.set('riskLevel', risk);
          if (status) qs.set('status', status);
          const res = await sw.get(`/api/clients?${qs}`);
          expect(res.statusCode, res.body).toBe(200);
          expect(res.json().items.map((x: { id: string }) => x.id)).toEqual(expected.map((r) => r.id));
          expect(res.json().total).toBe(expected.length);
        }
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        for (const o of ops) await apply(o);
        await check();
        await expectInStep();
      }),
      { numRuns: 25 },
    );
  });
});
