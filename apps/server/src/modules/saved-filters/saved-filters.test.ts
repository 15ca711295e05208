import { SAVED_FILTER_LIMITS } from '@wushe/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { queryOne, sql } from '../../platform/db.js';
import { normaliseQuery } from './saved-filters.service.js';

let ctx: TestContext;
let sw: Client;
let jfb: Client;

beforeAll(async () => {
  ctx = await testApp();
  sw = await signIn(ctx.app, 'qxg_sw');
  jfb = await signIn(ctx.app, 'jfb_sw');
});
afterAll(async () => ctx?.close());

const save = (c: Client, body: Record<string, unknown>) => c.post('/api/saved-filters', { page: 'clients', ...body });

describe('saved filters (我的筛选)', () => {
  it('saves, lists, renames and deletes a filter of the ledger, audited', async () => {
    const res = await save(sw, { name: '逾期高风险', query: '?riskLevel=high&overdue=true&cursor=abc' });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    // a leading "?" and the paging cursor are dropped
    expect(f).toMatchObject({ page: 'clients', name: '逾期高风险', query: 'riskLevel=high&overdue=true' });
    await save(sw, { page: 'needs', name: '未解决', query: 'status=unresolved' });

    const mine = (await sw.get('/api/saved-filters?page=clients')).json().items;
    expect(mine.map((x: { name: string }) => x.name)).toEqual(['逾期高风险']);
    const all = (await sw.get('/api/saved-filters')).json().items;
    expect(all.map((x: { page: string }) => x.page).sort()).toEqual(['clients', 'needs']);

    const renamed = await sw.patch(`/api/saved-filters/${f.id}`, { name: '  我的逾期  ' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '我的逾期', query: 'riskLevel=high&overdue=true' });
    const requeried = await sw.patch(`/api/saved-filters/${f.id}`, { query: `q=${encodeURIComponent('张 三')}` });
    expect(requeried.json().query).toBe('q=%E5%BC%A0+%E4%B8%89');

    const audit = await queryOne<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from audit_log where entity_type = 'saved_filter' and entity_id = ${f.id}`,
    );
    expect(audit?.n).toBe(3);

    expect((await sw.del(`/api/saved-filters/${f.id}`)).statusCode).toBe(200);
    expect((await sw.get('/api/saved-filters?page=clients')).json().items).toEqual([]);
    expect((await sw.del(`/api/saved-filters/${f.id}`)).statusCode).toBe(404);
  });

  it("another user's filter does not exist for you", async () => {
    const f = (await save(sw, { name: '七星岗的筛选', query: 'status=active' })).json();
    expect((await jfb.get('/api/saved-filters')).body).not.toContain('七星岗的筛选');
    const renamed = await jfb.patch(`/api/saved-filters/${f.id}`, { name: '偷改' });
    expect(renamed.statusCode).toBe(404);
    expect(errorOf(renamed).code).toBe('saved_filter_not_found');
    expect((await jfb.del(`/api/saved-filters/${f.id}`)).statusCode).toBe(404);
    expect((await sw.get('/api/saved-filters?page=clients')).json().items.map((x: { name: string }) => x.name)).toContain('七星岗的筛选');
    // the same name is free for someone else, and on another page
    expect((await save(jfb, { name: '七星岗的筛选', query: '' })).statusCode).toBe(201);
    expect((await save(sw, { page: 'overdue', name: '七星岗的筛选', query: '' })).statusCode).toBe(201);
  });

  it('refuses a name taken on the same page, on create and on rename', async () => {
    const a = (await save(sw, { name: '甲', query: 'status=active' })).json();
    await save(sw, { name: '乙', query: 'status=exited' });
    const again = await save(sw, { name: '甲', query: 'status=exited' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).details[0]).toMatchObject({ path: 'name', code: 'name_taken' });
    const rename = await sw.patch(`/api/saved-filters/${a.id}`, { name: '乙' });
    expect(rename.statusCode).toBe(409);
    expect(errorOf(rename).details[0].code).toBe('name_taken');
  });

  it('validates the page, the name and the query', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '', query: '' }, 'name'],
      [{ name: '   ', query: '' }, 'name'],
      [{ name: '名'.repeat(SAVED_FILTER_LIMITS.nameMax + 1), query: '' }, 'name'],
      [{ name: 'a\u0000b', query: '' }, 'name'],
      [{ page: 'audit', name: 'x', query: '' }, 'page'],
      [{ name: 'x', query: `q=${'a'.repeat(SAVED_FILTER_LIMITS.queryMax)}` }, 'query'],
      [{ name: 'x', query: 'q=%zz' }, 'query'],
      [{ name: 'x', query: 'q=张三' }, 'query'],
      [{ name: 'x', query: 'a=1#frag' }, 'query'],
      [{ name: 'x', query: '=1' }, 'query'],
      [{ name: 'x', query: 'a=1 b=2' }, 'query'],
    ];
    for (const [body, path] of cases) {
      const res = await save(sw, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(
        errorOf(res)
          .details.map((d) => d.path)
          .join(' '),
        JSON.stringify(body),
      ).toContain(path);
    }
    const f = (await save(sw, { name: '校验', query: 'a=1' })).json();
    expect((await sw.patch(`/api/saved-filters/${f.id}`, {})).statusCode).toBe(400);
    expect((await sw.patch(`/api/saved-filters/${f.id}`, { query: 'a=%' })).statusCode).toBe(400);
    expect(normaliseQuery('a=1&&b=%E4%B8%AD&flag')).toBe('a=1&b=%E4%B8%AD&flag=');
  });

  it(`keeps at most ${SAVED_FILTER_LIMITS.perPage} per user and page`, async () => {
    const head = await signIn(ctx.app, 'qxg_head');
    for (let i = 0; i < SAVED_FILTER_LIMITS.perPage; i++)
      expect((await save(head, { page: 'needs', name: `筛选${i}`, query: `n=${i}` })).statusCode).toBe(201);
    const over = await save(head, { page: 'needs', name: '再多一个', query: '' });
    expect(over.statusCode).toBe(409);
    expect(errorOf(over).details[0].code).toBe('too_many_saved_filters');
    // other pages keep their own allowance
    expect((await save(head, { page: 'clients', name: '再多一个', query: '' })).statusCode).toBe(201);
  });

  it('is open to every signed-in user (a volunteer too), not to anyone else', async () => {
    const vol = await signIn(ctx.app, 'qxg_vol');
    const res = await save(vol, { page: 'nominations', name: '志愿者的', query: 'status=pending' });
    expect(res.statusCode, res.body).toBe(201);
    expect((await vol.get('/api/saved-filters')).json().items).toHaveLength(1);
    const anon = await ctx.app.inject({ method: 'GET', url: '/api/saved-filters' });
    expect(anon.statusCode).toBe(401);
    const noCsrf = await vol.request({
      method: 'POST',
      url: '/api/saved-filters',
      payload: { page: 'clients', name: 'x', query: '' },
      headers: { 'x-csrf-token': 'wrong' },
    });
    expect(noCsrf.statusCode).toBe(403);
  });
});
