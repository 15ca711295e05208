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
});
