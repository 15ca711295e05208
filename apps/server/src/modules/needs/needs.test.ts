import { idCheckChar } from '@wushe/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';

let ctx: TestContext;
let sw: Client;
let cw: Client;
let jfb: Client;
let officeId: string;

beforeAll(async () => {
  ctx = await testApp();
  sw = await signIn(ctx.app, 'qxg_sw');
  cw = await signIn(ctx.app, 'qxg_cw');
  jfb = await signIn(ctx.app, 'jfb_sw');
  officeId = (await sw.get(`/api/units?q=${encodeURIComponent('兴隆街')}`)).json().items[0].id;
});
afterAll(async () => ctx?.close());

describe('needs assessment', () => {
  it('follows a need from open to met, refusing invalid transitions and stale versions', async () => {
    const client = (await sw.post('/api/clients', { unitId: officeId, name: '需求甲' })).json();
    const res = await sw.post('/api/needs', { clientId: client.id, needType: 'medicine', severity: 'high', description: '降压药快吃完了' });
    expect(res.statusCode, res.body).toBe(201);
    const need = res.json();
    expect(need.status).toBe('open');
    const open = (await sw.get('/api/needs?status=unresolved')).json().items.map((n: { id: string }) => n.id);
    expect(open).toContain(need.id);
    const progress = await sw.patch(`/api/needs/${need.id}`, { version: need.version, status: 'in_progress' });
    expect(progress.statusCode).toBe(200);
    const stale = await sw.patch(`/api/needs/${need.id}`, { version: need.version, status: 'met' });
    expect(stale.statusCode).toBe(409);
    const met = await sw.patch(`/api/needs/${need.id}`, { version: progress.json().version, status: 'met' });
    expect(met.json()).toMatchObject({ status: 'met' });
    expect(met.json().closedAt).not.toBeNull();
    const back = await sw.patch(`/api/needs/${need.id}`, { version: met.json().version, status: 'open' });
    expect(back.statusCode).toBe(409);
    expect(errorOf(back).code).toBe('invalid_transition');
    const referNoReason = await sw.post('/api/needs', { clientId: client.id, needType: 'policy' });
    const r = await sw.patch(`/api/needs/${referNoReason.json().id}`, { version: 1, status: 'referred' });
    expect(r.statusCode).toBe(400);
    expect((await jfb.get(`/api/needs?clientId=${client.id}`)).json().items).toEqual([]);
  });

  it('turns needs found on a visit into open needs linked to it', async () => {
    const client = (await sw.post('/api/clients', { unitId: officeId, name: '需求乙' })).json();
    const visit = (
      await sw.post('/api/visits', {
        clientId: client.id,
        visitedAt: new Date().toISOString(),
        kind: 'home',
        needsFound: ['food', 'emotional_support'],
      })
    ).json();
    const needs = (await sw.get(`/api/needs?clientId=${client.id}`)).json().items;
    expect(needs.map((n: { needType: string }) => n.needType).sort()).toEqual(['emotional_support', 'food']);
    expect(needs.every((n: { visitId: string }) => n.visitId === visit.id)).toBe(true);
  });
});

describe('nominations (发现报告)', () => {
  const first17 = '50010319400101223';
  const id = first17 + idCheckChar(first17);

  it('a community worker reports, the station accepts and the client is created and linked', async () => {
    const res = await cw.post('/api/nominations', {
      name: '新发现丙',
      idNumber: id,
      phone: '13600001234',
      address: '兴隆街 3 号',
      regionCode: '500103001013',
      situation: '独居，腿脚不便，无人照料',
      suggestedCategories: ['living_alone_elderly'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const n = res.json();
    expect(n).toMatchObject({ status: 'pending', idNumber: `5001${'*'.repeat(10)}${id.slice(-4)}` });
    expect(res.body).not.toContain(id);
    // Community workers report; deciding is the station's.
    expect((await cw.post(`/api/nominations/${n.id}/accept`, { unitId: officeId })).statusCode).toBe(403);
    expect((await jfb.get('/api/nominations')).json().items).toEqual([]);
    const accepted = await sw.post(`/api/nominations/${n.id}/accept`, {
      unitId: officeId,
      riskLevel: 'key',
      categories: [{ category: 'living_alone_elderly', startDate: '2026-11-01' }],
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().status).toBe('accepted');
    const client = (await sw.get(`/api/clients/${accepted.json().clientId}`)).json();
    expect(client).toMatchObject({ name: '新发现丙', riskLevel: 'key', categories: ['living_alone_elderly'], birthDate: '1940-01-01' });
    const again = await sw.post(`/api/nominations/${n.id}/reject`, { reason: '重复' });
    expect(again.statusCode).toBe(409);
    // A person already in the ledger cannot be nominated again.
    const dup = await cw.post('/api/nominations', { name: '新发现丙', idNumber: id, regionCode: '500103001013', situation: '再次上报' });
    expect(dup.statusCode).toBe(409);
  });

  it('suggested categories must be categories of the deployment, and active', async () => {
    const res = await cw.post('/api/nominations', {
      name: '新发现戊',
      regionCode: '500103001013',
      situation: '邻居反映生活困难',
      suggestedCategories: ['low_income', 'no_such_category'],
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).details).toEqual([expect.objectContaining({ path: 'suggestedCategories.1', code: 'unknown_category' })]);
  });

  it('rejects with a reason, and reports only for communities in scope', async () => {
    const n = (await cw.post('/api/nominations', { name: '新发现丁', regionCode: '500103001013', situation: '邻居反映生活困难' })).json();
    expect((await sw.post(`/api/nominations/${n.id}/reject`, {})).statusCode).toBe(400);
    const rejected = await sw.post(`/api/nominations/${n.id}/reject`, { reason: '经核查家庭收入超标' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionReason: '经核查家庭收入超标' });
    const outside = await cw.post('/api/nominations', { name: '越界', regionCode: '500103003001', situation: '外街道' });
    expect(outside.statusCode).toBe(400);
    expect(errorOf(outside).details[0]).toMatchObject({ path: 'regionCode', code: 'outside_scope' });
  });
});
