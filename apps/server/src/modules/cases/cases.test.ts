import { CASE_TRANSITIONS, type CaseAction, type CaseState, refusal } from '@wushe/domain';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { query, queryOne, sql } from '../../platform/db.js';
import { seedDemoCasework } from '../../seed/demo.js';
import { runCaseOverdueScan } from './cases.service.js';

let ctx: TestContext;
let sw: Client; // 七星岗 station worker
let cw: Client; // 兴隆街 community worker
let sup: Client; // supervisor at the district centre
let auditor: Client;
let jfb: Client;
let admin: Client;
let officeId: string;
let jfbStationId: string;
let clientId: string;
let jfbClientId: string;
const users: Record<string, string> = {};

beforeAll(async () => {
  ctx = await testApp();
  [sw, cw, sup, auditor, jfb, admin] = await Promise.all(
    ['qxg_sw', 'qxg_cw', 'yz_sup', 'yz_auditor', 'jfb_sw', 'admin'].map((u) => signIn(ctx.app, u)),
  );
  officeId = (await queryOne<{ id: string }>(ctx.db, sql`select id from units where name = '兴隆街社区社会工作室'`))?.id as string;
  jfbStationId = (await queryOne<{ id: string }>(ctx.db, sql`select id from units where name = '解放碑街道社会工作服务站'`))?.id as string;
  for (const u of await query<{ id: string; username: string }>(ctx.db, sql`select id, username from users`)) users[u.username] = u.id;
  const c = await sw.post('/api/clients', { unitId: officeId, name: '个案测试 王奶奶' });
  expect(c.statusCode, c.body).toBe(201);
  clientId = c.json().id;
  const jfbOffice = (await queryOne<{ id: string }>(ctx.db, sql`select id from units where parent_id = ${jfbStationId} limit 1`))?.id;
  const j = await jfb.post('/api/clients', { unitId: jfbOffice, name: '解放碑 个案对象' });
  expect(j.statusCode, j.body).toBe(201);
  jfbClientId = j.json().id;
});
afterAll(async () => ctx?.close());

async function openCase(c: Client = sw, body: Record<string, unknown> = {}) {
  const res = await c.post('/api/cases', { clientId, title: '独居老人照料', source: 'visit', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const ASSESSMENT = { problems: ['独居、行动不便', '用药不规律'], strengths: ['邻里关系好'], risk: 'medium' };
const PLAN = {
  goals: [
    { goal: '规律服药', measures: '每周上门核对药盒', targetDate: '2030-03-31' },
    { goal: '建立邻里支持', measures: '链接楼栋志愿者', targetDate: '2030-04-30' },
  ],
};

function act(c: Client, id: string, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return c.post(`/api/cases/${id}/actions`, body);
}
function signOff(c: Client, id: string, body: Record<string, unknown>): Promise<LightMyRequestResponse> {
  return c.post(`/api/cases/${id}/sign-off`, body);
}
async function ok(res: Promise<LightMyRequestResponse>) {
  const r = await res;
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.json();
}

/** Drives a new case to `stage` (plan: submitted, not yet signed off). */
async function caseAt(stage: string) {
  let k = await openCase();
  if (stage === 'intake') return k;
  k = await ok(act(sw, k.id, { action: 'assess', version: k.version, assessment: ASSESSMENT }));
  if (stage === 'assessment') return k;
  k = await ok(act(sw, k.id, { action: 'submit_plan', version: k.version, plan: PLAN }));
  if (stage === 'plan') return k;
  k = await ok(signOff(sup, k.id, { action: 'approve_plan', version: k.version }));
  k = await ok(act(sw, k.id, { action: 'start_intervention', version: k.version }));
  if (stage === 'intervention') return k;
  const results = k.plan.goals.map((g: { id: string }) => ({ goalId: g.id, result: 'met' }));
  k = await ok(act(sw, k.id, { action: 'evaluate', version: k.version, evaluation: { results } }));
  if (stage === 'evaluation') return k;
  k = await ok(act(sw, k.id, { action: 'request_closure', version: k.version, reason: '目标达成' }));
  if (stage === 'closure') return k;
  k = await ok(signOff(sup, k.id, { action: 'approve_closure', version: k.version }));
  return k;
}

async function auditActions(id: string) {
  return (await query<{ action: string }>(ctx.db, sql`select action from audit_log where entity_id = ${id} order by seq`)).map(
    (r) => r.action,
  );
}

describe('cases: the stages', () => {
  it('happy path: intake → assessment → plan (returned, resubmitted, signed off) → services → evaluation → closure signed off', async () => {
    let k = await openCase();
    expect(k).toMatchObject({ stage: 'intake', planStatus: 'none', ownerId: users.qxg_sw, clientName: '个案测试 王奶奶', overdue: false });
    expect(k.allowedActions.sort()).toEqual(['assess', 'request_closure']);
    expect(k.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    k = await ok(act(sw, k.id, { action: 'assess', version: k.version, assessment: ASSESSMENT }));
    expect(k).toMatchObject({ stage: 'assessment', assessment: { risk: 'medium', problems: ASSESSMENT.problems } });

    k = await ok(act(sw, k.id, { action: 'submit_plan', version: k.version, plan: PLAN }));
    expect(k).toMatchObject({ stage: 'plan', planStatus: 'pending' });
    expect(k.plan.goals).toHaveLength(2);
    expect(k.allowedActions).toEqual(['request_closure']);
    // The supervisor was told that a plan waits.
    const supNote = await queryOne(
      ctx.db,
      sql`select 1 from notifications where user_id = ${users.yz_sup} and kind = 'case_submit_plan' and entity_id = ${k.id}`,
    );
    expect(supNote).toBeTruthy();

    // Gate: no intervention before the plan is signed off.
    const early = await act(sw, k.id, { action: 'start_intervention', version: k.version });
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('plan_not_signed_off');

    // Returning needs a comment; the comment stays on the thread and the owner is told.
    const bare = await signOff(sup, k.id, { action: 'return_plan', version: k.version });
    expect(bare.statusCode).toBe(400);
    expect(errorOf(bare).details[0]).toMatchObject({ path: 'comment', code: 'required' });
    k = await ok(signOff(sup, k.id, { action: 'return_plan', version: k.version, comment: '目标二需要更具体的措施' }));
    expect(k.planStatus).toBe('returned');
    expect(k.events.at(-1)).toMatchObject({
      kind: 'transition',
      action: 'return_plan',
      body: '目标二需要更具体的措施',
      authorName: '督导 刘老师',
    });
    expect(
      await queryOne(ctx.db, sql`select 1 from notifications where user_id = ${users.qxg_sw} and kind = 'case_return_plan'`),
    ).toBeTruthy();
    expect((await act(sw, k.id, { action: 'start_intervention', version: k.version })).statusCode).toBe(409);

    const goals = k.plan.goals.map((g: { id: string; goal: string; targetDate: string }) => ({ ...g, measures: '每周两次入户' }));
    k = await ok(act(sw, k.id, { action: 'submit_plan', version: k.version, plan: { goals } }));
    expect(k.plan.goals.map((g: { id: string }) => g.id)).toEqual(goals.map((g: { id: string }) => g.id));
    k = await ok(signOff(sup, k.id, { action: 'approve_plan', version: k.version, comment: '同意' }));
    expect(k.planStatus).toBe('approved');
    expect(k.allowedActions).toEqual([]); // what the supervisor may do now
    expect((await sw.get(`/api/cases/${k.id}`)).json().allowedActions).toEqual(['start_intervention', 'request_closure']);
    // Service records only during the intervention.
    const svc = { serviceDate: '2026-01-05', kind: 'home_visit', durationMinutes: 45, societies: ['social_worker', 'volunteer'] };
    expect((await sw.post(`/api/cases/${k.id}/services`, svc)).statusCode).toBe(409);
    k = await ok(act(sw, k.id, { action: 'start_intervention', version: k.version }));
    expect(k.stage).toBe('intervention');
    expect(k.dueDate).toBe('2030-04-30'); // the plan's latest target date

    const s = await sw.post(`/api/cases/${k.id}/services`, { ...svc, workerIds: [users.qxg_cw], notes: '核对药盒' });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json().services[0]).toMatchObject({ kind: 'home_visit', durationMinutes: 45, workerNames: ['兴隆街社区 社区工作者 张丽'] });
    const foreign = await sw.post(`/api/cases/${k.id}/services`, { ...svc, workerIds: [users.jfb_sw] });
    expect(foreign.statusCode).toBe(400);
    expect((await sw.post(`/api/cases/${k.id}/services`, { ...svc, serviceDate: '2999-01-01' })).statusCode).toBe(400);
    k = s.json();

    // Evaluation: one result for each goal of the plan, no more, no other.
    const [g1, g2] = k.plan.goals;
    const partial = await act(sw, k.id, {
      action: 'evaluate',
      version: k.version,
      evaluation: { results: [{ goalId: g1.id, result: 'met' }] },
    });
    expect(partial.statusCode).toBe(400);
    expect(errorOf(partial).details[0].code).toBe('one_per_goal');
    const stranger = await act(sw, k.id, {
      action: 'evaluate',
      version: k.version,
      evaluation: {
        results: [
          { goalId: g1.id, result: 'met' },
          { goalId: clientId, result: 'met' },
        ],
      },
    });
    expect(errorOf(stranger).details[0].code).toBe('unknown_goal');
    k = await ok(
      act(sw, k.id, {
        action: 'evaluate',
        version: k.version,
        evaluation: {
          results: [
            { goalId: g1.id, result: 'met' },
            { goalId: g2.id, result: 'partly', note: '邻里支持仍在建立' },
          ],
        },
      }),
    );
    expect(k.stage).toBe('evaluation');

    const noReason = await act(sw, k.id, { action: 'request_closure', version: k.version, reason: '' });
    expect(noReason.statusCode).toBe(400);
    k = await ok(act(sw, k.id, { action: 'request_closure', version: k.version, reason: '服务目标基本达成' }));
    expect(k).toMatchObject({ stage: 'closure', closureStatus: 'pending', closureReason: '服务目标基本达成' });
    // Gate: the worker cannot close it; the supervisor's sign-off can.
    expect((await signOff(sw, k.id, { action: 'approve_closure', version: k.version })).statusCode).toBe(403);
    k = await ok(signOff(sup, k.id, { action: 'approve_closure', version: k.version }));
    expect(k).toMatchObject({ stage: 'closed', closureStatus: 'approved', dueDate: null, overdue: false, allowedActions: [] });
    expect(k.closedAt).toBeTruthy();
    expect((await sw.get(`/api/cases/${k.id}`)).json().allowedActions).toEqual(['reopen']);

    expect(k.events.map((e: { action: string }) => e.action)).toEqual([
      'intake',
      'assess',
      'submit_plan',
      'return_plan',
      'submit_plan',
      'approve_plan',
      'start_intervention',
      'evaluate',
      'request_closure',
      'approve_closure',
    ]);
    expect(await auditActions(k.id)).toEqual([
      'case.created',
      'case.assess',
      'case.submit_plan',
      'case.return_plan',
      'case.submit_plan',
      'case.approve_plan',
      'case.start_intervention',
      'case.service_recorded',
      'case.evaluate',
      'case.request_closure',
      'case.approve_closure',
    ]);
  });

  it('refuses every action the transition table does not allow, with 409 and nothing written', async () => {
    const rules = { requirePlanSignOff: true, requireClosureSignOff: true };
    const worker: CaseAction[] = ['assess', 'submit_plan', 'start_intervention', 'evaluate', 'request_closure', 'reopen'];
    const supervisor: CaseAction[] = ['approve_plan', 'return_plan', 'approve_closure', 'return_closure'];
    const bodies: Record<string, Record<string, unknown>> = {
      assess: { assessment: ASSESSMENT },
      submit_plan: { plan: PLAN },
      evaluate: { evaluation: { results: [{ goalId: clientId, result: 'met' }] } },
      request_closure: { reason: '测试' },
      reopen: { reason: '测试' },
      return_plan: { comment: '测试' },
      return_closure: { comment: '测试' },
    };
    let refused = 0;
    for (const stage of ['intake', 'assessment', 'plan', 'intervention', 'evaluation', 'closure', 'closed']) {
      const k = await caseAt(stage);
      expect(k.stage).toBe(stage);
      const state: CaseState = { stage: k.stage, planStatus: k.planStatus, closureStatus: k.closureStatus };
      for (const a of [...worker, ...supervisor]) {
        const expected = refusal(state, a, rules);
        if (expected === null) continue;
        const c = worker.includes(a) ? sw : sup;
        const res = await (worker.includes(a) ? act : signOff)(c, k.id, { action: a, version: k.version, ...bodies[a] });
        expect(res.statusCode, `${stage} ${a}: ${res.body}`).toBe(409);
        expect(errorOf(res).code).toBe(expected);
        refused++;
      }
      const after = (await sw.get(`/api/cases/${k.id}`)).json();
      expect(after.version).toBe(k.version);
      expect(after.stage).toBe(stage);
    }
    // Every stage refuses something, and the table's sources are all reached.
    expect(refused).toBeGreaterThan(40);
    expect(new Set(CASE_TRANSITIONS.flatMap((t) => t.from)).size).toBe(7);
  });

  it('a worker cannot sign off, a supervisor cannot do the worker’s steps, an auditor only reads', async () => {
    const k = await caseAt('plan');
    expect((await signOff(sw, k.id, { action: 'approve_plan', version: k.version })).statusCode).toBe(403);
    expect((await act(sup, k.id, { action: 'request_closure', version: k.version, reason: 'x y' })).statusCode).toBe(403);
    expect((await auditor.get(`/api/cases/${k.id}`)).json().allowedActions).toEqual([]);
    expect((await sup.get(`/api/cases/${k.id}`)).json().allowedActions).toEqual(['approve_plan', 'return_plan']);
    const comment = await auditor.post(`/api/cases/${k.id}/comments`, { body: '看看' });
    expect(comment.statusCode).toBe(403);
    const c = await sup.post(`/api/cases/${k.id}/comments`, { body: '请补充家属联系方式' });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().items.at(-1)).toMatchObject({ kind: 'comment', body: '请补充家属联系方式', authorName: '督导 刘老师' });
  });

  it('stale version: two workers edit one case, the second gets 409 and nothing of it is written', async () => {
    const k = await openCase();
    const first = await act(sw, k.id, { action: 'assess', version: k.version, assessment: ASSESSMENT });
    expect(first.statusCode).toBe(200);
    const second = await act(cw, k.id, { action: 'request_closure', version: k.version, reason: '家属接回照顾' });
    expect(second.statusCode).toBe(409);
    expect(errorOf(second).code).toBe('stale_version');
    const patch = await cw.patch(`/api/cases/${k.id}`, { version: k.version, title: '改名' });
    expect(errorOf(patch).code).toBe('stale_version');
    const now = (await sw.get(`/api/cases/${k.id}`)).json();
    expect(now).toMatchObject({ stage: 'assessment', title: '独居老人照料', version: k.version + 1, closureReason: null });
    const renamed = await cw.patch(`/api/cases/${k.id}`, { version: now.version, title: '独居老人照料（王）' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().version).toBe(now.version + 1);
  });

  it('reopen: a closed case comes back to intake with a reason; the earlier records stay', async () => {
    const k = await caseAt('closed');
    const noReason = await act(sw, k.id, { action: 'reopen', version: k.version });
    expect(noReason.statusCode).toBe(400);
    const r = await ok(act(sw, k.id, { action: 'reopen', version: k.version, reason: '老人再次跌倒，重新介入' }));
    expect(r).toMatchObject({
      stage: 'intake',
      planStatus: 'none',
      closureStatus: 'none',
      reopenCount: 1,
      evaluation: null,
      closedAt: null,
    });
    expect(r.assessment).toBeTruthy();
    expect(r.plan.goals).toHaveLength(2);
    expect(r.dueDate).not.toBeNull();
    expect(r.events.at(-1)).toMatchObject({ action: 'reopen', fromStage: 'closed', toStage: 'intake', body: '老人再次跌倒，重新介入' });
  });

  it('a returned closure goes back to the stage it was requested from', async () => {
    const k = await caseAt('intervention');
    const c = await ok(act(sw, k.id, { action: 'request_closure', version: k.version, reason: '服务对象搬离本街道' }));
    const back = await ok(signOff(sup, k.id, { action: 'return_closure', version: c.version, comment: '请先转介到新住址的社工站' }));
    expect(back).toMatchObject({ stage: 'intervention', closureStatus: 'returned' });
    expect((await sw.get(`/api/cases/${k.id}`)).json().allowedActions.sort()).toEqual(['evaluate', 'request_closure']);
  });
});

describe('cases: ownership, scope, deadlines', () => {
  it('transfers ownership to another worker of the unit: audited, notified; not to a stranger or a non-worker', async () => {
    const k = await openCase();
    const toJfb = await sw.post(`/api/cases/${k.id}/transfer`, { version: k.version, ownerId: users.jfb_sw, reason: '测试转出' });
    expect(toJfb.statusCode).toBe(400);
    expect(errorOf(toJfb).details[0]).toMatchObject({ path: 'ownerId', code: 'unknown_owner' });
    const toSup = await sw.post(`/api/cases/${k.id}/transfer`, { version: k.version, ownerId: users.yz_sup, reason: '测试转出' });
    expect(errorOf(toSup).details[0].code).toBe('unknown_owner');
    const same = await sw.post(`/api/cases/${k.id}/transfer`, { version: k.version, ownerId: users.qxg_sw, reason: '测试转出' });
    expect(errorOf(same).details[0].code).toBe('same_owner');
    const moved = await ok(
      sw.post(`/api/cases/${k.id}/transfer`, { version: k.version, ownerId: users.qxg_cw, reason: '由社区工作者就近跟进' }),
    );
    expect(moved).toMatchObject({ ownerId: users.qxg_cw, ownerName: '兴隆街社区 社区工作者 张丽', version: k.version + 1 });
    expect(moved.events.at(-1)).toMatchObject({ kind: 'transfer', authorName: '七星岗社工站 社工 李社工' });
    expect(moved.events.at(-1).body).toContain('由社区工作者就近跟进');
    const audit = await queryOne<{ before: { ownerId: string }; after: { ownerId: string; reason: string } }>(
      ctx.db,
      sql`select before, after from audit_log where entity_id = ${k.id} and action = 'case.transferred'`,
    );
    expect(audit?.before.ownerId).toBe(users.qxg_sw);
    expect(audit?.after).toMatchObject({ ownerId: users.qxg_cw, reason: '由社区工作者就近跟进' });
    expect(
      await queryOne(
        ctx.db,
        sql`select 1 from notifications where user_id = ${users.qxg_cw} and kind = 'case_assigned' and entity_id = ${k.id}`,
      ),
    ).toBeTruthy();
    // A station-level case cannot go to a community worker, whose office does not hold it.
    const station = (await queryOne<{ id: string }>(ctx.db, sql`select id from units where name = '七星岗街道社会工作服务站'`))?.id;
    const atStation = await openCase(sw, { unitId: station });
    const down = await sw.post(`/api/cases/${atStation.id}/transfer`, {
      version: atStation.version,
      ownerId: users.qxg_cw,
      reason: '测试',
    });
    expect(errorOf(down).details[0].code).toBe('unknown_owner');
    // Nor be held by a unit that does not hold the client.
    const otherOffice = (
      await queryOne<{ id: string }>(ctx.db, sql`select id from units where parent_id = ${station} and id <> ${officeId} limit 1`)
    )?.id;
    const wrongUnit = await sw.post('/api/cases', { clientId, title: 'x', source: 'walk_in', unitId: otherOffice });
    expect(errorOf(wrongUnit).details[0]).toMatchObject({ path: 'unitId', code: 'unknown_unit' });
  });

  it('scope: another street’s cases answer 404 and never appear in lists; its clients cannot be taken', async () => {
    const k = await openCase();
    const j = await jfb.post('/api/cases', { clientId: jfbClientId, title: '解放碑 个案', source: 'walk_in' });
    expect(j.statusCode, j.body).toBe(201);
    for (const [c, id] of [
      [jfb, k.id],
      [sw, j.json().id],
    ] as const) {
      for (const res of [
        await c.get(`/api/cases/${id}`),
        await c.patch(`/api/cases/${id}`, { version: 1, title: 'x' }),
        await c.post(`/api/cases/${id}/actions`, { action: 'assess', version: 1, assessment: ASSESSMENT }),
        await c.post(`/api/cases/${id}/comments`, { body: 'x' }),
        await c.post(`/api/cases/${id}/services`, { serviceDate: '2026-01-01', kind: 'phone', durationMinutes: 5 }),
        await c.post(`/api/cases/${id}/transfer`, { version: 1, ownerId: users.qxg_cw, reason: '测试' }),
      ]) {
        expect(res.statusCode, res.body).toBe(404);
        expect(errorOf(res).code).toBe('case_not_found');
      }
    }
    const sn = await sup.post(`/api/cases/${k.id}/sign-off`, { action: 'approve_plan', version: 1 });
    expect(sn.statusCode).toBe(409); // the supervisor of the district sees both streets
    const jfbList = (await jfb.get('/api/cases?limit=200')).json();
    expect(jfbList.items.map((i: { id: string }) => i.id)).toEqual([j.json().id]);
    expect(jfbList.total).toBe(1);
    expect((await jfb.get(`/api/cases?clientId=${clientId}`)).json().items).toEqual([]);
    const take = await jfb.post('/api/cases', { clientId, title: '越权', source: 'walk_in' });
    expect(take.statusCode).toBe(404);
    expect(errorOf(take).code).toBe('client_not_found');
    const allSup = (await sup.get('/api/cases?limit=200')).json().items.map((i: { id: string }) => i.id);
    expect(allSup).toEqual(expect.arrayContaining([k.id, j.json().id]));
  });

  it('deadlines: due per stage, overdue filter and summary, the daily job notifies the owner once a day', async () => {
    const k = await openCase(cw);
    const today = (await queryOne<{ d: string }>(ctx.db, sql`select ((now() at time zone 'Asia/Shanghai')::date)::text as d`))?.d as string;
    const plus7 = new Date(`${today}T00:00:00Z`);
    plus7.setUTCDate(plus7.getUTCDate() + 7);
    expect(k.dueDate).toBe(plus7.toISOString().slice(0, 10));
    await ctx.db.execute(sql`update cases set stage_entered_at = now() - interval '10 days', due_date = due_date - 10 where id = ${k.id}`);
    const overdue = (await cw.get(`/api/cases?overdue=true&ownerId=${users.qxg_cw}`)).json();
    expect(overdue.items.map((i: { id: string }) => i.id)).toContain(k.id);
    expect(overdue.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    expect((await cw.get('/api/cases?overdue=false&limit=200')).json().items.map((i: { id: string }) => i.id)).not.toContain(k.id);
    const byOwner = (await sw.get('/api/cases/overdue-summary?groupBy=owner')).json().items;
    expect(byOwner.find((r: { id: string }) => r.id === users.qxg_cw)).toMatchObject({ name: '兴隆街社区 社区工作者 张丽' });
    expect(byOwner.find((r: { id: string }) => r.id === users.qxg_cw).overdue).toBeGreaterThanOrEqual(1);
    const jfbUnits = (await jfb.get('/api/cases/overdue-summary?groupBy=unit')).json().items;
    expect(jfbUnits.length).toBeGreaterThanOrEqual(1);
    expect(jfbUnits.every((r: { name: string }) => !r.name.includes('七星岗') && !r.name.includes('兴隆街'))).toBe(true);
    // Sorted by due date, the overdue one comes first among open ones.
    const byDue = (await cw.get('/api/cases?sort=due&open=true&limit=200')).json().items;
    expect(byDue[0].id).toBe(k.id);

    const n1 = await ctx.db.transaction(async (tx) => runCaseOverdueScan(tx as never));
    expect(n1.notified).toBeGreaterThanOrEqual(1);
    expect(await queryOne(ctx.db, sql`select 1 from notifications where user_id = ${users.qxg_cw} and kind = 'case_overdue'`)).toBeTruthy();
    const n2 = await ctx.db.transaction(async (tx) => runCaseOverdueScan(tx as never));
    expect(n2.notified).toBe(0);
  });

  it('pages with a keyset cursor in both sorts without repeats', async () => {
    for (const sort of ['updated', 'due']) {
      const seen: string[] = [];
      let url = `/api/cases?limit=3&sort=${sort}`;
      const total = (await sw.get(`/api/cases?limit=1&sort=${sort}`)).json().total;
      for (let i = 0; i < 50; i++) {
        const p = (await sw.get(url)).json();
        seen.push(...p.items.map((x: { id: string }) => x.id));
        if (!p.nextCursor) break;
        url = `/api/cases?limit=3&sort=${sort}&cursor=${p.nextCursor}`;
      }
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(total);
    }
  });

  it('settings: deadlines recompute due dates; without sign-off gates the intervention starts and closure closes at once', async () => {
    const s = (await admin.get('/api/cases/settings')).json();
    expect(s).toMatchObject({ deadlines: { intake: 7, assessment: 14 }, requirePlanSignOff: true, requireClosureSignOff: true });
    expect((await sw.request({ method: 'PUT', url: '/api/cases/settings', payload: s })).statusCode).toBe(403);
    const k = await openCase();
    const put = await admin.request({
      method: 'PUT',
      url: '/api/cases/settings',
      payload: { ...s, deadlines: { ...s.deadlines, intake: 3 }, requirePlanSignOff: false, requireClosureSignOff: false },
    });
    expect(put.statusCode, put.body).toBe(200);
    const stale = await admin.request({ method: 'PUT', url: '/api/cases/settings', payload: s });
    expect(errorOf(stale).code).toBe('stale_version');
    const k2 = (await sw.get(`/api/cases/${k.id}`)).json();
    const d = new Date(`${k.dueDate}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 4);
    expect(k2.dueDate).toBe(d.toISOString().slice(0, 10));
    let p = await caseAt('plan');
    expect(p.allowedActions).toContain('start_intervention');
    p = await ok(act(sw, p.id, { action: 'start_intervention', version: p.version }));
    p = await ok(act(sw, p.id, { action: 'request_closure', version: p.version, reason: '服务对象拒绝继续服务' }));
    expect(p).toMatchObject({ stage: 'closed', closureReason: '服务对象拒绝继续服务' });
    const back = await admin.request({ method: 'PUT', url: '/api/cases/settings', payload: { ...s, version: put.json().version } });
    expect(back.statusCode).toBe(200);
  });
});

describe('group work and community activities', () => {
  it('records sessions with the clients who attended; scoped like cases', async () => {
    const g = await sw.post('/api/case-groups', { kind: 'group', name: '长者健康互助小组', goals: '减少孤独感', unitId: officeId });
    expect(g.statusCode, g.body).toBe(201);
    const id = g.json().id;
    const foreign = await sw.post(`/api/case-groups/${id}/sessions`, {
      sessionDate: '2026-01-10',
      topic: '破冰',
      clientIds: [jfbClientId],
    });
    expect(foreign.statusCode).toBe(400);
    expect(errorOf(foreign).details[0]).toMatchObject({ path: 'clientIds.0', code: 'unknown_client' });
    const s = await sw.post(`/api/case-groups/${id}/sessions`, {
      sessionDate: '2026-01-10',
      topic: '破冰',
      durationMinutes: 90,
      clientIds: [clientId, clientId],
    });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json()).toMatchObject({
      sessions: 1,
      attendance: 1,
      sessionList: [{ topic: '破冰', attendees: [{ clientId, name: '个案测试 王奶奶' }] }],
    });
    expect((await sw.get(`/api/case-groups?clientId=${clientId}`)).json().items.map((x: { id: string }) => x.id)).toEqual([id]);
    expect((await jfb.get(`/api/case-groups/${id}`)).statusCode).toBe(404);
    expect((await jfb.get('/api/case-groups')).json().items).toEqual([]);
    expect((await jfb.post(`/api/case-groups/${id}/sessions`, { sessionDate: '2026-01-10', topic: 'x' })).statusCode).toBe(404);
    expect((await jfb.post('/api/case-groups', { kind: 'activity', name: 'x', unitId: officeId })).statusCode).toBe(400);
  });
});

describe('the casework demo', () => {
  it('seeds 七星岗 cases at four stages, one overdue, all in scope of 七星岗 and none of 解放碑', async () => {
    await ctx.db.transaction((tx) => seedDemoCasework(tx as never, ctx.app.fieldCrypto));
    const titles = ['独居高龄老人照料', '困难家庭子女学业支持', '慢病老人用药管理', '术后康复陪护链接'];
    const rows = await query<{ title: string; stage: string; plan_status: string; overdue: boolean }>(
      ctx.db,
      sql`select title, stage, plan_status, due_date < (now() at time zone 'Asia/Shanghai')::date as overdue from cases
          where title = any(${sql.param(titles)}::text[]) order by title`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.title, [r.stage, r.plan_status, Boolean(r.overdue)]]))).toEqual({
      独居高龄老人照料: ['intake', 'none', true],
      困难家庭子女学业支持: ['plan', 'pending', false],
      慢病老人用药管理: ['intervention', 'approved', false],
      术后康复陪护链接: ['closed', 'none', false],
    });
    const seen = (await sw.get('/api/cases?limit=200')).json().items.map((i: { title: string }) => i.title);
    expect(seen).toEqual(expect.arrayContaining(titles));
    expect((await jfb.get('/api/cases?limit=200')).json().items.map((i: { title: string }) => i.title)).not.toContain(titles[0]);
  });
});

describe('cases: property', () => {
  /** The model: what each accepted action does to (stage, plan sign-off, closure sign-off), written out independently. */
  function step(s: CaseState & { from: string | null }, a: CaseAction): CaseState & { from: string | null } {
    switch (a) {
      case 'assess':
        return { ...s, stage: 'assessment' };
      case 'submit_plan':
        return { ...s, stage: 'plan', planStatus: 'pending' };
      case 'approve_plan':
        return { ...s, planStatus: 'approved' };
      case 'return_plan':
        return { ...s, planStatus: 'returned' };
      case 'start_intervention':
        return { ...s, stage: 'intervention' };
      case 'evaluate':
        return { ...s, stage: 'evaluation' };
      case 'request_closure':
        return { ...s, stage: 'closure', closureStatus: 'pending', from: s.stage };
      case 'approve_closure':
        return { ...s, stage: 'closed', closureStatus: 'approved' };
      case 'return_closure':
        return { ...s, stage: (s.from ?? 'intervention') as CaseState['stage'], closureStatus: 'returned', from: null };
      case 'reopen':
        return { stage: 'intake', planStatus: 'none', closureStatus: 'none', from: null };
    }
  }
  const ALL: CaseAction[] = [
    'assess',
    'submit_plan',
    'approve_plan',
    'return_plan',
    'start_intervention',
    'evaluate',
    'request_closure',
    'approve_closure',
    'return_closure',
    'reopen',
  ];
  const SUP = new Set<CaseAction>(['approve_plan', 'return_plan', 'approve_closure', 'return_closure']);

  it('any sequence of actions: the server accepts exactly what the model allows, lands where the model does, and bumps the version once per accepted action', async () => {
    const rules = { requirePlanSignOff: true, requireClosureSignOff: true };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...ALL), { minLength: 1, maxLength: 10 }), async (actions) => {
        let k = await openCase();
        let model: CaseState & { from: string | null } = { stage: 'intake', planStatus: 'none', closureStatus: 'none', from: null };
        for (const a of actions) {
          const body: Record<string, unknown> = { action: a, version: k.version };
          if (a === 'assess') body.assessment = ASSESSMENT;
          if (a === 'submit_plan') body.plan = PLAN;
          if (a === 'evaluate')
            body.evaluation = {
              results: (k.plan?.goals ?? [{ id: clientId }]).map((g: { id: string }) => ({ goalId: g.id, result: 'met' })),
            };
          if (a === 'request_closure' || a === 'reopen') body.reason = '测试原因';
          if (a === 'return_plan' || a === 'return_closure') body.comment = '请修改';
          const res = await (SUP.has(a) ? signOff(sup, k.id, body) : act(sw, k.id, body));
          const allowed = refusal(model, a, rules) === null;
          expect(res.statusCode, `${model.stage}/${model.planStatus} ${a}: ${res.body}`).toBe(allowed ? 200 : 409);
          if (allowed) {
            model = step(model, a);
            const next = res.json();
            expect(next.version).toBe(k.version + 1);
            expect({ stage: next.stage, planStatus: next.planStatus, closureStatus: next.closureStatus }).toEqual({
              stage: model.stage,
              planStatus: model.planStatus,
              closureStatus: model.closureStatus,
            });
            expect(next.dueDate === null).toBe(model.stage === 'closed');
            k = next;
          }
        }
        const thread = (await sw.get(`/api/cases/${k.id}`)).json().events;
        expect(thread.filter((e: { kind: string }) => e.kind === 'transition')).toHaveLength(k.version); // intake + one per accepted action
      }),
      { numRuns: 15 },
    );
  });
});
