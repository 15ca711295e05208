import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, signIn, type TestContext, testApp } from '../../../test/helpers.js';

let ctx: TestContext;
let sw: Client;

beforeAll(async () => {
  ctx = await testApp();
  sw = await signIn(ctx.app, 'qxg_sw');
});
afterAll(async () => ctx?.close());

describe('client timeline', () => {
  it('merges visits, needs, categories, flags and changes newest first, paging without gaps or repeats', async () => {
    const officeId = (await sw.get(`/api/units?q=${encodeURIComponent('兴隆街')}`)).json().items[0].id;
    const c = (
      await sw.post('/api/clients', { unitId: officeId, name: '时间线甲', categories: [{ category: 'dibao', startDate: '2024-03-01' }] })
    ).json();
    // 25 visits over the last 50 days, inserted directly (the API path is tested elsewhere); one with a need.
    await ctx.db.execute(sql`insert into visits (id, client_id, unit_id, unit_path, visited_at, kind)
      select gen_random_uuid(), ${c.id}, ${officeId}, (select path from units where id = ${officeId}), now() - (g * interval '2 days'), 'phone'
      from generate_series(1, 25) g`);
    await sw.post('/api/visits', { clientId: c.id, visitedAt: new Date().toISOString(), kind: 'home', needsFound: ['medicine'] });
    await sw.post(`/api/clients/${c.id}/flags`, { flag: 'lost_contact', reason: '电话未接' });
    const seen: { at: string; kind: string; ref: string }[] = [];
    let cursor: string | null = null;
    do {
      const res = await sw.get(`/api/clients/${c.id}/timeline?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      seen.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    const count = (kind: string) => seen.filter((e) => e.kind === kind).length;
    expect(count('visit')).toBe(26);
    expect(count('need')).toBe(1);
    expect(count('category_started')).toBe(1);
    expect(count('flag_set')).toBe(1);
    expect(count('change')).toBe(1); // client.created
    expect(new Set(seen.map((e) => `${e.kind}:${e.ref}`)).size).toBe(seen.length);
    const times = seen.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(seen[seen.length - 1]).toMatchObject({ kind: 'category_started', title: 'dibao' });
    const jfb = await signIn(ctx.app, 'jfb_sw');
    expect((await jfb.get(`/api/clients/${c.id}/timeline`)).statusCode).toBe(404);
  });
});
