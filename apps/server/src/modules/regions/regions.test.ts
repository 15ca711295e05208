import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { countRegions, loadRegions } from './regions.service.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await testApp({ seed: true });
});
afterAll(async () => ctx?.close());

describe('regions (GB/T 2260)', () => {
  it('finds 七星岗 by pinyin initials, name and code prefix', async () => {
    const c = await signIn(ctx.app, 'qxg_sw');
    const byInitials = (await c.get('/api/regions?q=qxg')).json().items;
    expect(byInitials.map((r: { code: string }) => r.code)).toContain('500103001');
    const byName = (await c.get(`/api/regions?q=${encodeURIComponent('七星岗')}`)).json().items;
    expect(byName[0]).toMatchObject({ code: '500103001', name: '七星岗街道', level: 4, parentCode: '500103' });
    const byCode = (await c.get('/api/regions?q=500103001&level=5')).json().items;
    expect(byCode).toHaveLength(8);
  });

  it('lists the children of a region and the path of a region', async () => {
    const c = await signIn(ctx.app, 'qxg_sw');
    const children = (await c.get('/api/regions?parentCode=500103&limit=500')).json().items;
    expect(children.length).toBe(11);
    const one = (await c.get('/api/regions/500103001013')).json();
    expect(one.name).toBe('兴隆街社区居民委员会');
    expect(one.ancestors.map((a: { code: string }) => a.code)).toEqual(['50', '5001', '500103', '500103001']);
  });

  it('answers 404 and 400 with the uniform body', async () => {
    const c = await signIn(ctx.app, 'qxg_sw');
    expect((await c.get('/api/regions/999999')).statusCode).toBe(404);
    const bad = await c.get('/api/regions/abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });

  it('loading again is idempotent', async () => {
    const before = await countRegions(ctx.db);
    await loadRegions(ctx.db, ['500103']);
    expect(await countRegions(ctx.db)).toBe(before);
  });
});
