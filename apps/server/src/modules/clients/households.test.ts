import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';

let ctx: TestContext;
let sw: Client;
let officeId: string;

beforeAll(async () => {
  ctx = await testApp();
  sw = await signIn(ctx.app, 'qxg_sw');
  officeId = (await sw.get(`/api/units?q=${encodeURIComponent('兴隆街')}`)).json().items[0].id;
});
afterAll(async () => ctx?.close());

const make = async (name: string) => (await sw.post('/api/clients', { unitId: officeId, name, address: '兴隆街 9 号' })).json();

describe('households (户)', () => {
  it('groups clients under one head and shows members on each client', async () => {
    const grandma = await make('户主奶奶');
    const child = await make('孙子小明');
    const res = await sw.post('/api/households', {
      members: [
        { clientId: grandma.id, relation: 'head' },
        { clientId: child.id, relation: 'grandchild' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json();
    expect(h.address).toBe('兴隆街 9 号');
    expect(h.members.map((m: { name: string; relation: string }) => [m.name, m.relation])).toEqual([
      ['户主奶奶', 'head'],
      ['孙子小明', 'grandchild'],
    ]);
    const detail = (await sw.get(`/api/clients/${child.id}`)).json();
    expect(detail.household).toEqual([{ id: grandma.id, name: '户主奶奶', relation: 'head' }]);

    const other = await make('另一位');
    const second = await sw.post(`/api/households/${h.id}/members`, { clientId: other.id, relation: 'head' });
    expect(second.statusCode).toBe(400);
    expect(errorOf(second).details[0].code).toBe('two_heads');
    const taken = await sw.post('/api/households', { members: [{ clientId: child.id, relation: 'head' }] });
    expect(taken.statusCode).toBe(409);
    const removed = await sw.request({ method: 'DELETE', url: `/api/households/${h.id}/members/${child.id}` });
    expect(removed.json().members).toHaveLength(1);
    const jfb = await signIn(ctx.app, 'jfb_sw');
    expect((await jfb.get(`/api/households/${h.id}`)).statusCode).toBe(404);
  });

  it('needs exactly one head', async () => {
    const a = await make('甲');
    const res = await sw.post('/api/households', { members: [{ clientId: a.id, relation: 'spouse' }] });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).details[0]).toMatchObject({ path: 'members', code: 'one_head' });
  });

  it('lists households in scope with head and member count, searched by address or member name, paged', async () => {
    const tag = `户${Date.now() % 100_000}`;
    const head = await make(`${tag}户主`);
    const wife = await make(`${tag}妻子`);
    const h = (
      await sw.post('/api/households', {
        address: `${tag} 民生路 3 号`,
        members: [
          { clientId: head.id, relation: 'head' },
          { clientId: wife.id, relation: 'spouse' },
        ],
      })
    ).json();
    const lone = await make(`${tag}独居`);
    await sw.post('/api/households', { address: '别处 1 号', members: [{ clientId: lone.id, relation: 'head' }] });

    const byAddress = (await sw.get(`/api/households?q=${encodeURIComponent(`${tag} 民生路`)}`)).json();
    expect(byAddress.items).toEqual([
      expect.objectContaining({ id: h.id, memberCount: 2, headId: head.id, headName: `${tag}户主`, address: `${tag} 民生路 3 号` }),
    ]);
    expect(byAddress).toMatchObject({ total: 1, totalCapped: false });
    const byMember = (await sw.get(`/api/households?q=${encodeURIComponent(`${tag}妻子`)}`)).json();
    expect(byMember.items.map((x: { id: string }) => x.id)).toEqual([h.id]);
    const byTag = (await sw.get(`/api/households?q=${encodeURIComponent(tag)}`)).json();
    expect(byTag.total).toBe(2);
    // a wildcard in q is a character, not a pattern
    expect((await sw.get(`/api/households?q=${encodeURIComponent('%')}`)).json().total).toBe(0);

    // keyset paging walks every household once
    const seen: string[] = [];
    let url = '/api/households?limit=1';
    for (let i = 0; i < 50; i++) {
      const page = (await sw.get(url)).json();
      seen.push(...page.items.map((x: { id: string }) => x.id));
      if (!page.nextCursor) break;
      url = `/api/households?limit=1&cursor=${page.nextCursor}`;
    }
    const all = (await sw.get('/api/households?limit=200')).json();
    expect(seen).toEqual(all.items.map((x: { id: string }) => x.id));
    expect(seen.length).toBe(all.total);

    const jfb = await signIn(ctx.app, 'jfb_sw');
    const theirs = (await jfb.get(`/api/households?q=${encodeURIComponent(tag)}`)).json();
    expect(theirs).toMatchObject({ items: [], total: 0 });
  });

  it('changes the head in one step and the address with its version', async () => {
    const a = await make('换户主甲');
    const b = await make('换户主乙');
    const h = (
      await sw.post('/api/households', {
        members: [
          { clientId: a.id, relation: 'head' },
          { clientId: b.id, relation: 'child' },
        ],
      })
    ).json();
    const changed = await sw.post(`/api/households/${h.id}/head`, { clientId: b.id, formerHeadRelation: 'parent' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().members.map((m: { id: string; relation: string }) => [m.id, m.relation])).toEqual([
      [b.id, 'head'],
      [a.id, 'parent'],
    ]);
    const stranger = await make('不是成员');
    expect((await sw.post(`/api/households/${h.id}/head`, { clientId: stranger.id })).statusCode).toBe(404);
    const twoHeads = await sw.post(`/api/households/${h.id}/head`, { clientId: a.id, formerHeadRelation: 'head' });
    expect(twoHeads.statusCode).toBe(400);

    const current = (await sw.get(`/api/households/${h.id}`)).json();
    const moved = await sw.patch(`/api/households/${h.id}`, { version: current.version, address: '新地址 6 号' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ address: '新地址 6 号', version: current.version + 1 });
    const stale = await sw.patch(`/api/households/${h.id}`, { version: current.version, address: '旧版本' });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_version');

    const jfb = await signIn(ctx.app, 'jfb_head');
    expect((await jfb.post(`/api/households/${h.id}/head`, { clientId: a.id })).statusCode).toBe(404);
    expect((await jfb.patch(`/api/households/${h.id}`, { version: current.version + 1, address: 'x' })).statusCode).toBe(404);
    const sup = await signIn(ctx.app, 'yz_sup');
    expect((await sup.post(`/api/households/${h.id}/head`, { clientId: a.id })).statusCode).toBe(403);
  });
});
