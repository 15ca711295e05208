import { idCheckChar, maskName, REFERRAL_TRANSITIONS, referralTransition } from '@wushe/domain';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, TEST_PASSWORD, type TestContext, testApp } from '../../../test/helpers.js';
import { query, queryOne, sql } from '../../platform/db.js';
import { makeUser } from '../../seed/factories.js';
import { runReferralOverdueScan } from './referrals.service.js';

let ctx: TestContext;
let sw: Client; // 七星岗 station worker (owns the clients, at 兴隆街's office)
let jfb: Client; // 解放碑 station worker (the receiver, outside 七星岗)
let centre: Client; // district centre staff (holds both)
let auditor: Client;
let outsider: Client; // a community worker of another 七星岗 office: outside both ends
let officeId: string;
let jfbStationId: string;
let jfbOfficeId: string;
let operatorId: string;
const users: Record<string, string> = {};

const CONSENT = { method: 'verbal', recordedBy: '李社工' };

let serial = 100;
/** A valid 18-character ID number (渝中区, 1950s birth dates, the check character computed). */
function idNumber(male = true): string {
  serial += 1;
  const seq = String(serial).padStart(3, '0');
  const body = `500103195${serial % 10}0${(serial % 9) + 1}1${serial % 10}${seq.slice(0, 2)}${male ? 1 : 2}`;
  return body + idCheckChar(body);
}

async function newClient(name: string, extra: Record<string, unknown> = {}) {
  const res = await sw.post('/api/clients', { unitId: officeId, name, phone: '13800138000', address: '兴隆街 12 号', ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}

async function refer(body: Record<string, unknown>, c: Client = sw) {
  const res = await c.post('/api/referrals', { kind: 'referral', summary: '独居老人需要助餐服务', consent: CONSENT, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function act(c: Client, id: string, body: Record<string, unknown>) {
  return c.post(`/api/referrals/${id}/actions`, body);
}
async function ok(c: Client, id: string, body: Record<string, unknown>) {
  const res = await act(c, id, body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

beforeAll(async () => {
  ctx = await testApp();
  officeId = (await queryOne<{ id: string }>(ctx.db, sql`select id from units where name = '兴隆街社区社会工作室'`))?.id as string;
  jfbStationId = (await queryOne<{ id: string }>(ctx.db, sql`select id from units where name = '解放碑街道社会工作服务站'`))?.id as string;
  jfbOfficeId = (await queryOne<{ id: string }>(ctx.db, sql`select id from units where parent_id = ${jfbStationId} order by code limit 1`))
    ?.id as string;
  operatorId = (await queryOne<{ id: string }>(ctx.db, sql`select id from operators order by name limit 1`))?.id as string;
  const other = await queryOne<{ id: string; path: string }>(
    ctx.db,
    sql`select u.id, u.path::text as path from units u join units s on s.id = u.parent_id
        where s.name = '七星岗街道社会工作服务站' and u.id <> ${officeId} and u.kind = 'office' order by u.code limit 1`,
  );
  await makeUser(ctx.db, { username: 'ref_outsider', password: TEST_PASSWORD, role: 'community_worker', unit: other ?? null });
  [sw, jfb, centre, auditor, outsider] = await Promise.all(
    ['qxg_sw', 'jfb_sw', 'yz_centre', 'yz_auditor', 'ref_outsider'].map((u) => signIn(ctx.app, u)),
  );
  for (const u of await query<{ id: string; username: string }>(ctx.db, sql`select id, username from users`)) users[u.username] = u.id;
});
afterAll(async () => ctx?.close());

describe('referrals: the life cycle and the access it grants', () => {
  it('sent → accepted → in progress → feedback → closed; the receiver reads the card (audited) while it is open, never the client; then 404', async () => {
    const client = await newClient('转介 测试丰', { idNumber: idNumber() });
    const need = await sw.post('/api/needs', { clientId: client.id, needType: 'food', severity: 'high', description: '每天午餐' });
    expect(need.statusCode, need.body).toBe(201);
    let r = await refer({ clientId: client.id, needId: need.json().id, to: { kind: 'unit', unitId: jfbStationId } });
    expect(r).toMatchObject({
      kind: 'referral',
      status: 'sent',
      clientId: client.id,
      clientLabel: '转介 测试丰',
      toName: '解放碑街道社会工作服务站',
    });
    expect(r.consent).toMatchObject({ method: 'verbal', recordedBy: '李社工' });
    expect(r.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(r.allowedActions).toEqual(['close']);
    expect(r.sides).toEqual(['sender']);
    // The receiving station's workers were told.
    expect(await queryOne(ctx.db, sql`select 1 from notifications where user_id = ${users.jfb_head} and entity_id = ${r.id}`)).toBeTruthy();

    // The receiver: the list masks the name, the detail shows the card (audited), the client itself stays 404.
    const list = await jfb.get('/api/referrals?box=received');
    const row = list.json().items.find((x: { id: string }) => x.id === r.id);
    expect(row).toMatchObject({ clientId: null, clientLabel: maskName('转介 测试丰'), sides: ['receiver'] });
    const before = await query(ctx.db, sql`select 1 from audit_log where action = 'referral.card_read' and entity_id = ${r.id}`);
    const seen = await jfb.get(`/api/referrals/${r.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().card).toMatchObject({
      clientName: '转介 测试丰',
      sex: 'male',
      phoneMasked: expect.stringContaining('*'),
      address: '兴隆街 12 号',
    });
    expect(seen.json().card.need).toMatchObject({ needType: 'food', description: '每天午餐' });
    expect(seen.body).not.toContain('13800138000');
    expect(seen.body).not.toMatch(/500103195\d{8}[\dX]/);
    expect(seen.json().allowedActions.sort()).toEqual(['accept', 'decline']);
    const after = await query(ctx.db, sql`select 1 from audit_log where action = 'referral.card_read' and entity_id = ${r.id}`);
    expect(after.length).toBe(before.length + 1);
    expect((await jfb.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
    // The owner's reads are not "reads under a referral".
    await sw.get(`/api/referrals/${r.id}`);
    expect((await query(ctx.db, sql`select 1 from audit_log where action = 'referral.card_read' and entity_id = ${r.id}`)).length).toBe(
      after.length,
    );

    r = await ok(jfb, r.id, { action: 'accept', version: r.version });
    expect(r).toMatchObject({ status: 'accepted', allowedActions: ['start'] });
    r = await ok(jfb, r.id, { action: 'start', version: r.version, note: '已安排助餐点' });
    expect(r.status).toBe('in_progress');
    r = await ok(jfb, r.id, { action: 'feedback', version: r.version, feedback: '已连续送餐两周，老人满意' });
    expect(r).toMatchObject({ status: 'feedback', feedback: '已连续送餐两周，老人满意', dueDate: null });
    expect(
      await queryOne(
        ctx.db,
        sql`select 1 from notifications where user_id = ${users.qxg_sw} and kind = 'referral_feedback' and entity_id = ${r.id}`,
      ),
    ).toBeTruthy();
    // Still open: the receiver reads it; the sender closes it.
    expect((await jfb.get(`/api/referrals/${r.id}`)).statusCode).toBe(200);
    expect((await act(jfb, r.id, { action: 'close', version: r.version })).statusCode).toBe(403);
    const fresh = (await sw.get(`/api/referrals/${r.id}`)).json();
    r = await ok(sw, r.id, { action: 'close', version: fresh.version });
    expect(r.status).toBe('closed');

    // Closed: the receiver's access has ended; the sender and the centre still see it.
    expect(errorOf(await jfb.get(`/api/referrals/${r.id}`)).code).toBe('referral_not_found');
    expect((await jfb.get(`/api/referrals/${r.id}`)).statusCode).toBe(404);
    expect((await jfb.get('/api/referrals')).json().items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    expect((await sw.get(`/api/referrals/${r.id}`)).statusCode).toBe(200);
    expect((await centre.get(`/api/referrals/${r.id}`)).statusCode).toBe(200);
    const actions = await query<{ action: string }>(ctx.db, sql`select action from audit_log where entity_id = ${r.id} order by seq`);
    expect(actions.map((a) => a.action).filter((a) => a !== 'referral.card_read')).toEqual([
      'referral.sent',
      'referral.accept',
      'referral.start',
      'referral.feedback',
      'referral.close',
    ]);
  });

  it('a declined referral: the reason is required, and the receiver loses access at once', async () => {
    const client = await newClient('拒绝 测试');
    const r = await refer({ clientId: client.id, to: { kind: 'unit', unitId: jfbOfficeId } });
    const noReason = await act(jfb, r.id, { action: 'decline', version: r.version });
    expect(noReason.statusCode).toBe(400);
    expect(errorOf(noReason).details[0]).toMatchObject({ path: 'reason', code: 'required' });
    const declined = await ok(jfb, r.id, { action: 'decline', version: r.version, reason: '不在服务范围' });
    expect(declined).toMatchObject({ status: 'declined', card: null, allowedActions: [] });
    expect((await jfb.get(`/api/referrals/${r.id}`)).statusCode).toBe(404);
    const mine = (await sw.get(`/api/referrals/${r.id}`)).json();
    expect(mine).toMatchObject({ status: 'declined', declineReason: '不在服务范围' });
  });

  it('consent is required before anything leaves the owning unit (400 consent_required, nothing written)', async () => {
    const client = await newClient('同意 测试');
    const count = async () => (await query(ctx.db, sql`select 1 from referrals where client_id = ${client.id}`)).length;
    const base = { kind: 'referral', clientId: client.id, summary: '需要心理疏导', to: { kind: 'unit', unitId: jfbStationId } };
    const none = await sw.post('/api/referrals', base);
    expect(none.statusCode).toBe(400);
    expect(errorOf(none)).toMatchObject({ code: 'consent_required', details: [{ path: 'consent', code: 'required' }] });
    const noReason = await sw.post('/api/referrals', { ...base, consent: { method: 'not_needed', recordedBy: '李社工' } });
    expect(errorOf(noReason)).toMatchObject({ code: 'consent_required', details: [{ path: 'consent.exemption' }] });
    const other = await sw.post('/api/referrals', { ...base, consent: { method: 'not_needed', exemption: 'other', recordedBy: '李社工' } });
    expect(errorOf(other)).toMatchObject({ code: 'consent_required', details: [{ path: 'consent.note' }] });
    const transfer = await sw.post('/api/referrals', { ...base, kind: 'transfer', to: { kind: 'unit', unitId: jfbOfficeId } });
    expect(errorOf(transfer).code).toBe('consent_required');
    expect(await count()).toBe(0);
    // An emergency is a documented reason.
    const emergency = await sw.post('/api/referrals', {
      ...base,
      consent: { method: 'not_needed', exemption: 'emergency', recordedBy: '李社工', note: '老人昏迷送医' },
    });
    expect(emergency.statusCode, emergency.body).toBe(201);
    expect(emergency.json().consent).toMatchObject({ method: 'not_needed', exemption: 'emergency' });
    expect(await count()).toBe(1);
  });

  it('invalid transitions and stale versions answer 409; the wrong side 403; bad receivers 400', async () => {
    const client = await newClient('状态 测试');
    const r = await refer({ clientId: client.id, to: { kind: 'unit', unitId: jfbStationId } });
    const early = await act(jfb, r.id, { action: 'feedback', version: r.version, feedback: 'x' });
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('invalid_transition');
    expect(errorOf(await act(jfb, r.id, { action: 'start', version: r.version })).code).toBe('invalid_transition');
    expect((await act(sw, r.id, { action: 'accept', version: r.version })).statusCode).toBe(403);
    const accepted = await ok(jfb, r.id, { action: 'accept', version: r.version });
    // A second worker answering from the version they read: stale.
    const stale = await act(jfb, r.id, { action: 'decline', version: r.version, reason: '晚了' });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_version');
    expect(errorOf(await act(jfb, r.id, { action: 'accept', version: accepted.version })).code).toBe('invalid_transition');
    // Closing before the feedback needs a reason.
    expect((await act(sw, r.id, { action: 'close', version: accepted.version })).statusCode).toBe(400);
    const closed = await ok(sw, r.id, { action: 'close', version: accepted.version, reason: '对象已入住养老院' });
    expect(errorOf(await act(sw, r.id, { action: 'close', version: closed.version, reason: 'x' })).code).toBe('invalid_transition');
    // Receivers: the client's own unit, an unknown unit, an operator as transfer target.
    const own = await sw.post('/api/referrals', {
      kind: 'referral',
      clientId: client.id,
      summary: 'x',
      consent: CONSENT,
      to: { kind: 'unit', unitId: officeId },
    });
    expect(errorOf(own).details[0]).toMatchObject({ path: 'to.unitId', code: 'same_unit' });
    const op = await sw.post('/api/referrals', {
      kind: 'transfer',
      clientId: client.id,
      summary: 'x',
      consent: CONSENT,
      to: { kind: 'operator', operatorId },
    });
    expect(errorOf(op).details[0]).toMatchObject({ code: 'unit_required' });
    const station = await sw.post('/api/referrals', {
      kind: 'transfer',
      clientId: client.id,
      summary: 'x',
      consent: CONSENT,
      to: { kind: 'unit', unitId: (await queryOne<{ id: string }>(ctx.db, sql`select id from units where kind = 'centre' limit 1`))?.id },
    });
    expect(errorOf(station).details[0]).toMatchObject({ code: 'wrong_unit_kind' });
  });

  it('a unit outside both ends sees nothing (404), nor does the receiver refer clients it does not hold', async () => {
    const client = await newClient('外人 测试');
    const r = await refer({ clientId: client.id, to: { kind: 'unit', unitId: jfbOfficeId } });
    expect((await outsider.get(`/api/referrals/${r.id}`)).statusCode).toBe(404);
    expect((await outsider.get('/api/referrals')).json().items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    expect((await act(outsider, r.id, { action: 'accept', version: r.version })).statusCode).toBe(404);
    // The auditor of the district reads it (no actions); the receiver cannot refer the client onwards.
    const seen = await auditor.get(`/api/referrals/${r.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().allowedActions).toEqual([]);
    expect(
      (
        await auditor.post('/api/referrals', {
          kind: 'referral',
          clientId: client.id,
          summary: 'x',
          consent: CONSENT,
          to: { kind: 'unit', unitId: officeId },
        })
      ).statusCode,
    ).toBe(403);
    const onward = await jfb.post('/api/referrals', {
      kind: 'referral',
      clientId: client.id,
      summary: 'x',
      consent: CONSENT,
      to: { kind: 'unit', unitId: officeId },
    });
    expect(onward.statusCode).toBe(404);
  });

  it('the receivers directory lists units of any tier and organizations across the network, by name or initials', async () => {
    const found = await jfb.get(`/api/referrals/receivers?q=${encodeURIComponent('兴隆街')}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().units.map((u: { id: string }) => u.id)).toContain(officeId);
    const initials = (await jfb.get('/api/referrals/receivers?q=qxg')).json();
    expect(initials.units.map((u: { name: string }) => u.name)).toContain('七星岗街道社会工作服务站');
    expect(JSON.stringify(initials)).not.toMatch(/clientName|phone|address/);
    expect((await auditor.get('/api/referrals/receivers')).statusCode).toBe(403);
  });

  it('a referral to a social organization or a department: the sender records its answers', async () => {
    const client = await newClient('外部 测试');
    let r = await refer({ clientId: client.id, to: { kind: 'operator', operatorId } });
    expect(r.toKind).toBe('operator');
    expect(r.allowedActions.sort()).toEqual(['accept', 'close', 'decline']);
    r = await ok(sw, r.id, { action: 'accept', version: r.version });
    r = await ok(sw, r.id, { action: 'start', version: r.version });
    r = await ok(sw, r.id, { action: 'feedback', version: r.version, feedback: '机构已上门评估' });
    expect(r.status).toBe('feedback');
    const dept = await refer({ clientId: client.id, to: { kind: 'department', name: '渝中区医疗保障局' } });
    expect(dept).toMatchObject({ toKind: 'department', toName: '渝中区医疗保障局' });
    expect((await jfb.get(`/api/referrals/${dept.id}`)).statusCode).toBe(404);
  });
});

describe('transfers: ownership moves on accept, in one transaction', () => {
  it('the receiving unit accepts: the client, its open need and case move; the old owner gets 404; audited', async () => {
    const client = await newClient('移交 测试');
    const need = (await sw.post('/api/needs', { clientId: client.id, needType: 'medicine', severity: 'medium' })).json();
    const kase = await sw.post('/api/cases', { clientId: client.id, title: '用药管理', source: 'walk_in' });
    expect(kase.statusCode, kase.body).toBe(201);
    const t = await refer({
      kind: 'transfer',
      clientId: client.id,
      summary: '老人搬到解放碑女儿家',
      to: { kind: 'unit', unitId: jfbOfficeId },
    });
    expect(t).toMatchObject({ kind: 'transfer', status: 'sent' });
    // A second transfer while one waits: 409.
    const again = await sw.post('/api/referrals', {
      kind: 'transfer',
      clientId: client.id,
      summary: 'x',
      consent: CONSENT,
      to: { kind: 'unit', unitId: jfbStationId },
    });
    expect(errorOf(again).code).toBe('transfer_pending');
    // Before the answer nothing has moved.
    expect((await sw.get(`/api/clients/${client.id}`)).statusCode).toBe(200);
    expect((await jfb.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
    const done = await ok(jfb, t.id, { action: 'accept', version: t.version });
    expect(done).toMatchObject({ status: 'accepted', clientId: client.id });
    expect(done.card.clientName).toBe('移交 测试');

    expect(errorOf(await sw.get(`/api/clients/${client.id}`)).code).toBe('client_not_found');
    const moved = await jfb.get(`/api/clients/${client.id}`);
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ unitId: jfbOfficeId, responsibleUserId: users.jfb_sw });
    expect((await jfb.get(`/api/needs?clientId=${client.id}`)).json().items.map((n: { id: string }) => n.id)).toContain(need.id);
    const k = await jfb.get(`/api/cases/${kase.json().id}`);
    expect(k.statusCode, k.body).toBe(200);
    expect(k.json().ownerId).toBe(users.jfb_sw);
    expect((await sw.get(`/api/cases/${kase.json().id}`)).statusCode).toBe(404);
    const audit = await queryOne<{ before: { unitId: string }; after: { unitId: string; caseIds: string[] } }>(
      ctx.db,
      sql`select before, after from audit_log where action = 'client.transferred' and entity_id = ${client.id}`,
    );
    expect(audit?.before.unitId).toBe(officeId);
    expect(audit?.after).toMatchObject({ unitId: jfbOfficeId, caseIds: [kase.json().id] });
    // The old owner still sees its transfer record, with the masked name only.
    const record = (await sw.get(`/api/referrals/${t.id}`)).json();
    expect(record).toMatchObject({ status: 'accepted', clientId: null, card: null, clientLabel: maskName('移交 测试') });
  });

  it('a declined transfer leaves the client where it was', async () => {
    const client = await newClient('移交拒绝 测试');
    const t = await refer({ kind: 'transfer', clientId: client.id, to: { kind: 'unit', unitId: jfbOfficeId } });
    await ok(jfb, t.id, { action: 'decline', version: t.version, reason: '地址核实不符' });
    expect((await sw.get(`/api/clients/${client.id}`)).json().unitId).toBe(officeId);
    expect((await jfb.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
  });

  it('into a station, the community must lie in its street: the answer names it (400 regionCode), then the client moves', async () => {
    const client = await newClient('移交站点 测试');
    const t = await refer({ kind: 'transfer', clientId: client.id, to: { kind: 'unit', unitId: jfbStationId } });
    expect(t.toUnitKind).toBe('station');
    const missing = await act(jfb, t.id, { action: 'accept', version: t.version });
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing).details[0]).toMatchObject({ path: 'regionCode', code: 'required' });
    expect((await sw.get(`/api/clients/${client.id}`)).statusCode).toBe(200);
    const outside = await act(jfb, t.id, { action: 'accept', version: t.version, regionCode: '500103001013' });
    expect(errorOf(outside).details[0]).toMatchObject({ path: 'regionCode', code: 'outside_unit' });
    const community = (await queryOne<{ code: string }>(ctx.db, sql`select region_code as code from units where id = ${jfbOfficeId}`))
      ?.code;
    await ok(jfb, t.id, { action: 'accept', version: t.version, regionCode: community });
    expect((await jfb.get(`/api/clients/${client.id}`)).json()).toMatchObject({ unitId: jfbStationId, regionCode: community });
  });

  it('a transfer request: the minimal card only (no name, no ID number), the owner accepts with consent, the client moves', async () => {
    const id = idNumber(false);
    const client = await newClient('欧阳 秀丰', { idNumber: id });
    const look = await jfb.post('/api/referrals/lookup', { idNumber: id });
    expect(look.statusCode, look.body).toBe(200);
    expect(look.json()).toMatchObject({
      found: true,
      inScope: false,
      clientId: null,
      card: { maskedName: maskName('欧阳 秀丰'), sex: 'female', unitName: '兴隆街社区社会工作室' },
    });
    expect(look.json().card.birthYear).toBe(Number(id.slice(6, 10)));
    expect(look.body).not.toContain('欧阳 秀丰');
    expect(look.body).not.toContain(id);
    expect(look.body).not.toContain(client.id);
    expect((await sw.post('/api/referrals/lookup', { idNumber: id })).json()).toMatchObject({ inScope: true, clientId: client.id });
    expect((await jfb.post('/api/referrals/lookup', { idNumber: idNumber() })).json()).toMatchObject({ found: false });

    const req = await jfb.post('/api/referrals/transfer-requests', { idNumber: id, unitId: jfbOfficeId, summary: '老人已搬来本社区居住' });
    expect(req.statusCode, req.body).toBe(201);
    expect(req.body).not.toContain('欧阳 秀丰');
    expect(req.body).not.toContain(id);
    expect(req.json()).toMatchObject({
      kind: 'transfer_request',
      clientId: null,
      card: null,
      minimalCard: { maskedName: maskName('欧阳 秀丰') },
      allowedActions: [],
      sides: ['sender'],
    });
    expect(errorOf(await jfb.post('/api/referrals/transfer-requests', { idNumber: id, unitId: jfbOfficeId, summary: 'x' })).code).toBe(
      'transfer_pending',
    );
    expect(errorOf(await sw.post('/api/referrals/transfer-requests', { idNumber: id, unitId: officeId, summary: 'x' })).code).toBe(
      'client_in_scope',
    );

    const owner = (await sw.get(`/api/referrals/${req.json().id}`)).json();
    expect(owner).toMatchObject({ sides: ['receiver'], allowedActions: ['accept', 'decline'], card: { clientName: '欧阳 秀丰' } });
    const noConsent = await act(sw, owner.id, { action: 'accept', version: owner.version });
    expect(errorOf(noConsent).code).toBe('consent_required');
    expect((await jfb.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
    const done = await ok(sw, owner.id, { action: 'accept', version: owner.version, consent: { method: 'written', recordedBy: '李社工' } });
    expect(done.status).toBe('accepted');
    expect((await jfb.get(`/api/clients/${client.id}`)).json()).toMatchObject({ unitId: jfbOfficeId, responsibleUserId: users.jfb_sw });
    expect((await sw.get(`/api/clients/${client.id}`)).statusCode).toBe(404);
  });
});

describe('follow-up: overdue list and the reminder job', () => {
  it('lists overdue answers and feedback, and reminds the receiver and the sender once per stage', async () => {
    const client = await newClient('逾期 测试');
    const r = await refer({ clientId: client.id, to: { kind: 'unit', unitId: jfbStationId } });
    expect((await sw.get('/api/referrals?overdue=true')).json().items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    await ctx.db.execute(sql`update referrals set sent_at = now() - interval '5 days' where id = ${r.id}`);
    // Settings: recompute the due days from the new answer days.
    const s = (await sw.get('/api/referrals/settings')).json();
    expect(s).toMatchObject({ answerDays: 3, feedbackDays: 14 });
    const admin = await signIn(ctx.app, 'admin');
    const put = await admin.request({
      method: 'PUT',
      url: '/api/referrals/settings',
      payload: { answerDays: 2, feedbackDays: 10, version: s.version },
    });
    expect(put.statusCode, put.body).toBe(200);
    const stalePut = await admin.request({
      method: 'PUT',
      url: '/api/referrals/settings',
      payload: { answerDays: 2, feedbackDays: 10, version: s.version },
    });
    expect(errorOf(stalePut).code).toBe('stale_version');
    const overdue = (await sw.get('/api/referrals?overdue=true')).json().items;
    expect(overdue.find((x: { id: string }) => x.id === r.id)).toMatchObject({ overdue: true });
    expect((await jfb.get('/api/referrals?overdue=true&box=received')).json().items.map((x: { id: string }) => x.id)).toContain(r.id);

    const first = await ctx.db.transaction(async (tx) => runReferralOverdueScan(tx as never));
    expect(first.referrals).toBeGreaterThanOrEqual(1);
    const notes = async (user: string, kind: string) =>
      (await query(ctx.db, sql`select 1 from notifications where user_id = ${users[user]} and kind = ${kind} and entity_id = ${r.id}`))
        .length;
    expect(await notes('jfb_sw', 'referral_overdue_answer')).toBe(1);
    expect(await notes('jfb_head', 'referral_overdue_answer')).toBe(1);
    expect(await notes('qxg_sw', 'referral_late_answer')).toBe(1);
    const second = await ctx.db.transaction(async (tx) => runReferralOverdueScan(tx as never));
    expect(second.referrals).toBe(0);
    expect((await queryOne<{ reminded: string[] }>(ctx.db, sql`select reminded from referrals where id = ${r.id}`))?.reminded).toEqual([
      'answer',
    ]);

    // Accepted: the feedback is now awaited, not overdue until its own due day.
    const fresh = (await jfb.get(`/api/referrals/${r.id}`)).json();
    const accepted = await ok(jfb, r.id, { action: 'accept', version: fresh.version });
    expect(accepted.overdue).toBe(false);
    await ctx.db.execute(sql`update referrals set due_date = current_date - 1 where id = ${r.id}`);
    const third = await ctx.db.transaction(async (tx) => runReferralOverdueScan(tx as never));
    expect(third.referrals).toBe(1);
    expect(await notes('jfb_sw', 'referral_overdue_feedback')).toBe(1);
    expect(await notes('qxg_sw', 'referral_late_feedback')).toBe(1);
    await ctx.db.execute(sql`update referral_settings set answer_days = 3, feedback_days = 14`);
  });
});

describe('the transition table', () => {
  it('every action outside the table is refused; closed and declined are final (property)', () => {
    const kinds = ['referral', 'transfer', 'transfer_request'] as const;
    const statuses = ['sent', 'accepted', 'declined', 'in_progress', 'feedback', 'closed'] as const;
    const actions = ['accept', 'decline', 'start', 'feedback', 'close'] as const;
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.constantFrom(...statuses), fc.constantFrom(...actions), (k, s, a) => {
        const t = referralTransition(k, s, a);
        if (s === 'closed' || s === 'declined') return t === null;
        if (k !== 'referral' && s !== 'sent') return t === null;
        return t === null || REFERRAL_TRANSITIONS.includes(t);
      }),
    );
  });
});
