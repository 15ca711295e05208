import { emptyFigures, SOLVED_CATEGORIES } from '@wushe/domain';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { query, queryOne, sql } from '../../platform/db.js';
import { runExclusive } from '../../platform/jobs.js';
import { makeUnit } from '../../seed/factories.js';
import { addDays, rebuildRollups, rollup, runReminders, shanghaiToday } from './daily-reports.service.js';

let ctx: TestContext;
let head: Client;
let sw: Client;
let jfbHead: Client;
let centre: Client;
let auditor: Client;
let qxgId: string;
let jfbId: string;
let officeId: string;
const today = shanghaiToday();

beforeAll(async () => {
  ctx = await testApp();
  head = await signIn(ctx.app, 'qxg_head');
  sw = await signIn(ctx.app, 'qxg_sw');
  jfbHead = await signIn(ctx.app, 'jfb_head');
  centre = await signIn(ctx.app, 'yz_centre');
  auditor = await signIn(ctx.app, 'yz_auditor');
  const unit = async (name: string) =>
    (await queryOne<{ id: string }>(ctx.db, sql`select id from units where name = ${name}`))?.id as string;
  qxgId = await unit('七星岗街道社会工作服务站');
  jfbId = await unit('解放碑街道社会工作服务站');
  officeId = await unit('兴隆街社区社会工作室');
});
afterAll(async () => ctx?.close());

const form = async (c: Client, unitId: string, day = today) => c.get(`/api/daily-reports/form?unitId=${unitId}&day=${day}`);

describe('daily report: pre-fill, submit, return', () => {
  let reportId: string;
  let version: number;

  it('pre-fills the visits and people served of a visit made today', async () => {
    const before = (await form(sw, qxgId)).json();
    expect(before.report).toBeNull();
    const client = await sw.post('/api/clients', { unitId: officeId, name: '日报测试甲' });
    expect(client.statusCode, client.body).toBe(201);
    const visit = await sw.post('/api/visits', { clientId: client.json().id, visitedAt: new Date().toISOString(), kind: 'home' });
    expect(visit.statusCode, visit.body).toBe(201);
    const after = (await form(sw, qxgId)).json();
    expect(after.prefill.visits).toBe(before.prefill.visits + 1);
    expect(after.prefill.peopleServed).toBe(before.prefill.peopleServed + 1);
    expect(after.lateIfSubmittedNow).toBe(false);
    // Another street's visit is not in 七星岗's pre-fill (and 解放碑 sees its own, untouched).
    expect((await form(jfbHead, jfbId)).json().prefill.visits).toBe(0);
  });

  it('pre-fills tickets received and solved by category, hotline shifts, calls and people served', async () => {
    const before = (await form(sw, qxgId)).json().prefill;
    const station = await queryOne<{ path: string }>(ctx.db, sql`select path::text as path from units where id = ${qxgId}`);
    const user = await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = 'qxg_sw'`);
    const now = new Date();
    const ticket = (code: string, channel: string, category: string, solved: boolean) =>
      ctx.db.execute(sql`insert into tickets (id, code, unit_id, unit_path, channel, category, urgency, status, summary, received_at,
          respond_due_at, solve_due_at, solved_at)
        values (gen_random_uuid(), ${code}, ${qxgId}, ${station?.path}::ltree, ${channel}, ${category}, 'normal',
          ${solved ? 'solved' : 'new'}, '日报测试诉求', ${now}, ${now}, ${now}, ${solved ? now : null})`);
    await ticket('DR-T-1', 'walk_in', 'grain', true);
    await ticket('DR-T-2', 'hotline', 'counselling', true);
    await ticket('DR-T-3', 'hotline', 'policy', false);
    await ctx.db.execute(sql`insert into duty_shifts (id, hotline_id, unit_id, unit_path, user_id, starts_at, ends_at, calls, people_served)
      values (gen_random_uuid(), gen_random_uuid(), ${qxgId}, ${station?.path}::ltree, ${user?.id}, ${now}, ${new Date(now.getTime() + 3_600_000)}, 5, 4)`);
    const after = (await form(sw, qxgId)).json().prefill;
    expect(after.ticketsReceived).toBe(before.ticketsReceived + 3);
    expect(after.solved.grain).toBe(before.solved.grain + 1);
    expect(after.solved.counselling).toBe(before.solved.counselling + 1);
    expect(after.solved.policy).toBe(before.solved.policy);
    expect(after.shifts).toBe(before.shifts + 1);
    expect(after.calls).toBe(before.calls + 5);
    // the walk-in caller (1) and the shift's people (4); hotline callers are counted by the shift
    expect(after.peopleServed).toBe(before.peopleServed + 5);
    expect((await form(jfbHead, jfbId)).json().prefill.shifts).toBe(0);
  });

  it('pre-fills the people served by casework (a service record, a group session) and by a volunteer activity held today', async () => {
    const before = (await form(sw, qxgId)).json().prefill;
    const station = await queryOne<{ path: string }>(ctx.db, sql`select path::text as path from units where id = ${qxgId}`);
    const user = await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = 'qxg_sw'`);
    const clients = [];
    for (const name of ['日报个案乙', '日报小组丙']) {
      const c = await sw.post('/api/clients', { unitId: officeId, name });
      expect(c.statusCode, c.body).toBe(201);
      clients.push(c.json().id as string);
    }
    const [caseId, groupId, sessionId] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await ctx.db.execute(sql`insert into cases (id, client_id, unit_id, unit_path, owner_id, title, source)
      values (${caseId}, ${clients[0]}, ${qxgId}, ${station?.path}::ltree, ${user?.id}, '日报个案', 'walk_in')`);
    // Two service records of the same client today count one person; one of yesterday counts none.
    for (const d of [today, today, addDays(today, -1)])
      await ctx.db.execute(sql`insert into case_services (id, case_id, service_date, kind, duration_minutes)
        values (gen_random_uuid(), ${caseId}, ${d}::date, 'home_visit', 30)`);
    await ctx.db.execute(sql`insert into case_groups (id, kind, name, unit_id, unit_path, owner_id)
      values (${groupId}, 'group', '日报小组', ${qxgId}, ${station?.path}::ltree, ${user?.id})`);
    await ctx.db.execute(
      sql`insert into case_group_sessions (id, group_id, session_date, topic) values (${sessionId}, ${groupId}, ${today}::date, '第一节')`,
    );
    for (const clientId of clients)
      await ctx.db.execute(sql`insert into case_group_attendance (session_id, client_id) values (${sessionId}, ${clientId})`);
    const now = new Date();
    await ctx.db.execute(sql`insert into activities (id, title, starts_at, ends_at, place, unit_id, unit_path, capacity, residents_served, checkin_token)
      values (gen_random_uuid(), '日报测试活动', ${now}, ${new Date(now.getTime() + 3_600_000)}, '站内', ${qxgId}, ${station?.path}::ltree, 10, 12, 'dr-test-token')`);
    const after = (await form(sw, qxgId)).json().prefill;
    // the case's client (1), the session's two attendants (2), the activity's residents (12)
    expect(after.peopleServed).toBe(before.peopleServed + 15);
    expect((await form(jfbHead, jfbId)).json().prefill.peopleServed).toBe(0);
  });

  it('starts a draft from the pre-fill, edits it, and a stale version answers 409', async () => {
    const res = await sw.post('/api/daily-reports', { unitId: qxgId, day: today, highlights: '走访独居老人' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ status: 'draft', day: today, unitId: qxgId, highlights: '走访独居老人' });
    expect(r.figures.visits).toBeGreaterThanOrEqual(1);
    expect(r.prefill.visits).toBe(r.figures.visits);
    const again = await sw.post('/api/daily-reports', { unitId: qxgId, day: today });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('report_exists');
    const figures = { ...r.figures, calls: 7, solved: { ...r.figures.solved, grain: 2, policy: 1 } };
    const edited = await head.patch(`/api/daily-reports/${r.id}`, { version: r.version, figures });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ figures: { calls: 7 }, version: r.version + 1 });
    expect(edited.json().problemsSolved).toBe(Object.values(figures.solved as Record<string, number>).reduce((a, b) => a + b, 0));
    const stale = await sw.patch(`/api/daily-reports/${r.id}`, { version: r.version, highlights: 'x' });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_version');
    reportId = r.id;
    version = edited.json().version;
  });

  it('refuses bad figures, future days and units that do not report', async () => {
    const bad = await sw.patch(`/api/daily-reports/${reportId}`, { version, figures: { ...emptyFigures(), visits: -1 } });
    expect(bad.statusCode).toBe(400);
    errorOf(bad);
    const future = await sw.post('/api/daily-reports', { unitId: qxgId, day: addDays(today, 1) });
    expect(future.statusCode).toBe(400);
    expect(errorOf(future).details[0].code).toBe('future_day');
    const office = await sw.post('/api/daily-reports', { unitId: officeId, day: today });
    expect(office.statusCode).toBe(400);
    expect(errorOf(office).details[0].code).toBe('not_a_reporting_unit');
    const notADay = await sw.get(`/api/daily-reports/form?unitId=${qxgId}&day=2026-02-30`);
    expect(notADay.statusCode).toBe(400);
  });

  it('submitting locks the report: edits and a second submit answer 409', async () => {
    const res = await sw.post(`/api/daily-reports/${reportId}/submit`, { version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'submitted', late: false, submittedByName: expect.any(String) });
    version = res.json().version;
    const edit = await head.patch(`/api/daily-reports/${reportId}`, { version, highlights: '改一下' });
    expect(edit.statusCode).toBe(409);
    expect(errorOf(edit).code).toBe('report_locked');
    const twice = await sw.post(`/api/daily-reports/${reportId}/submit`, { version });
    expect(twice.statusCode).toBe(409);
    expect((await sw.get(`/api/daily-reports/${reportId}`)).json().highlights).toBe('走访独居老人');
  });

  it('the district centre returns it with a reason: editable again, the station is notified, then resubmitted', async () => {
    // The station cannot return its own report (no permission), nor can an auditor.
    expect((await head.post(`/api/daily-reports/${reportId}/return`, { version, reason: '自己退回' })).statusCode).toBe(403);
    expect((await auditor.post(`/api/daily-reports/${reportId}/return`, { version, reason: '审计退回' })).statusCode).toBe(403);
    const short = await centre.post(`/api/daily-reports/${reportId}/return`, { version, reason: '' });
    expect(short.statusCode).toBe(400);
    const ret = await centre.post(`/api/daily-reports/${reportId}/return`, { version, reason: '来电数与值班记录不符' });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json()).toMatchObject({ status: 'returned', returnReason: '来电数与值班记录不符', returnedByName: expect.any(String) });
    version = ret.json().version;
    const again = await centre.post(`/api/daily-reports/${reportId}/return`, { version, reason: '再退一次' });
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('not_submitted');
    const notes = (await head.get('/api/notifications?limit=50')).json().items;
    expect(notes.some((n: { kind: string; entityId: string }) => n.kind === 'daily_report.returned' && n.entityId === reportId)).toBe(true);
    const edit = await head.patch(`/api/daily-reports/${reportId}`, { version, highlights: '已核对来电数' });
    expect(edit.statusCode, edit.body).toBe(200);
    const resubmit = await head.post(`/api/daily-reports/${reportId}/submit`, { version: edit.json().version });
    expect(resubmit.statusCode).toBe(200);
    expect(resubmit.json()).toMatchObject({ status: 'submitted', highlights: '已核对来电数', late: false });
    const audit = await query<{ action: string }>(ctx.db, sql`select action from audit_log where entity_id = ${reportId} order by seq`);
    expect(audit.map((a) => a.action)).toEqual([
      'daily_report.created',
      'daily_report.updated',
      'daily_report.submitted',
      'daily_report.returned',
      'daily_report.updated',
      'daily_report.submitted',
    ]);
  });

  it('a unit outside the scope answers 404 like one that does not exist', async () => {
    for (const res of [
      await jfbHead.get(`/api/daily-reports/${reportId}`),
      await jfbHead.patch(`/api/daily-reports/${reportId}`, { version: 99, highlights: 'x' }),
      await jfbHead.post(`/api/daily-reports/${reportId}/submit`, { version: 99 }),
      await form(jfbHead, qxgId),
      await jfbHead.post('/api/daily-reports', { unitId: qxgId, day: today }),
      await jfbHead.get(`/api/daily-reports/rollup?unitId=${qxgId}&day=${today}`),
      await jfbHead.get(`/api/daily-reports/${crypto.randomUUID()}`),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toContain('七星岗');
    }
    const list = (await jfbHead.get('/api/daily-reports?limit=200')).json();
    expect(list.items.map((r: { id: string }) => r.id)).not.toContain(reportId);
  });

  it('a late filing is allowed and flagged late', async () => {
    const day = addDays(today, -20);
    const r = (await jfbHead.post('/api/daily-reports', { unitId: jfbId, day })).json();
    expect(r.status).toBe('draft');
    const s = await jfbHead.post(`/api/daily-reports/${r.id}/submit`, { version: r.version });
    expect(s.json()).toMatchObject({ status: 'submitted', late: true });
  });
});

describe('daily report: roll-up', () => {
  it("渝中区 sees today's totals, 解放碑 missing, completeness ½", async () => {
    const res = await centre.get(`/api/daily-reports/rollup?day=${today}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.unit.name).toBe('渝中区社会工作指导中心');
    const qxgReport = (await centre.get(`/api/daily-reports?unitId=${qxgId}&from=${today}&to=${today}`)).json().items[0];
    expect(r.totals).toMatchObject({ filed: 1, due: 2, completeness: 0.5 });
    expect(r.totals.figures).toEqual(qxgReport.figures);
    expect(r.missing.map((m: { name: string }) => m.name)).toEqual(['解放碑街道社会工作服务站']);
    expect(r.missing[0]).toMatchObject({ missingDays: 1, status: null, parentName: '渝中区社会工作指导中心' });
    const child = r.children.find((c: { name: string }) => c.name === '七星岗街道社会工作服务站');
    expect(child).toMatchObject({ filed: 1, due: 1, completeness: 1 });
    // A station sees only itself.
    const own = (await head.get(`/api/daily-reports/rollup?day=${today}`)).json();
    expect(own.totals).toMatchObject({ filed: 1, due: 1 });
    expect(JSON.stringify(own)).not.toContain('解放碑');
  });

  it('a month: due counts the days up to today only; an auditor and a supervisor read it', async () => {
    const month = today.slice(0, 7);
    const r = (await auditor.get(`/api/daily-reports/rollup?month=${month}`)).json();
    const days = Number(today.slice(8, 10));
    expect(r.days).toBe(days);
    expect(r.totals.due).toBe(2 * days);
    expect(r.totals.completeness).toBeLessThanOrEqual(1);
    expect(r.series).toHaveLength(days);
    const sup = await signIn(ctx.app, 'yz_sup');
    expect((await sup.get(`/api/daily-reports/rollup?month=${month}`)).statusCode).toBe(200);
    expect((await centre.get(`/api/daily-reports/rollup?month=${month}&day=${today}`)).statusCode).toBe(400);
    expect((await centre.get(`/api/daily-reports/rollup?day=${addDays(today, 2)}`)).statusCode).toBe(400);
  });

  it('the series and the xlsx export of a period', async () => {
    const from = addDays(today, -6);
    const s = (await head.get(`/api/daily-reports/series?from=${from}&to=${today}`)).json();
    expect(s.series.map((d: { day: string }) => d.day)).toEqual([...Array(7)].map((_, i) => addDays(from, i)));
    expect(s.series[6].filed).toBe(1);
    const x = await centre.get(`/api/daily-reports/export?from=${from}&to=${today}`);
    expect(x.statusCode).toBe(200);
    expect(String(x.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '每日', '明细']);
    const rows: string[] = [];
    wb.getWorksheet('汇总')?.eachRow((row) => rows.push(String(row.getCell(1).value)));
    expect(rows).toContain('合计');
    expect(rows).toContain('七星岗街道社会工作服务站');
    const detail: string[] = [];
    wb.getWorksheet('明细')?.eachRow((row) => detail.push(`${row.getCell(1).value} ${row.getCell(2).value}`));
    expect(detail).toContain(`七星岗街道社会工作服务站 ${today}`);
  });

  it('property: completeness ∈ [0, 1] and the rolled-up figures are the sums of the children and of the reports', async () => {
    // Three more stations under the centre, so the roll-up has children of several kinds of history.
    const centreUnit = await queryOne<{ id: string; path: string }>(
      ctx.db,
      sql`select id, path::text as path from units where kind = 'centre'`,
    );
    const extra = [];
    const streets = await query<{ code: string }>(
      ctx.db,
      sql`select code from regions where parent_code = '500103' and code not in ('500103001', '500103003') order by code limit 3`,
    );
    for (const { code } of streets)
      extra.push(await makeUnit(ctx.db, { name: `日报测试站${code}`, kind: 'station', regionCode: code, parentId: centreUnit?.id }));
    const stations = [qxgId, jfbId, ...extra.map((u) => u.id)];
    const month = '2025-03';
    const report = fc.record({
      station: fc.integer({ min: 0, max: stations.length - 1 }),
      day: fc.integer({ min: 1, max: 31 }),
      status: fc.constantFrom('draft', 'submitted', 'returned'),
      people: fc.integer({ min: 0, max: 500 }),
      calls: fc.integer({ min: 0, max: 50 }),
      grain: fc.integer({ min: 0, max: 9 }),
      hours: fc.integer({ min: 0, max: 2000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(report, { maxLength: 60 }), async (reports) => {
        await ctx.db.execute(sql`delete from daily_reports where day between '2025-03-01' and '2025-03-31'`);
        const kept = new Map<string, (typeof reports)[number]>();
        for (const r of reports) kept.set(`${r.station}/${r.day}`, r);
        for (const r of kept.values()) {
          const day = `${month}-${String(r.day).padStart(2, '0')}`;
          await ctx.db.execute(sql`insert into daily_reports (id, unit_id, unit_path, day, status, people_served, calls, solved_grain, volunteer_hours)
            select gen_random_uuid(), u.id, u.path, ${day}::date, ${r.status}, ${r.people}, ${r.calls}, ${r.grain}, ${r.hours / 100}
            from units u where u.id = ${stations[r.station]}`);
        }
        const roll = await rollup(ctx.db, SYSTEM_ACTOR, { unitId: centreUnit?.id, from: `${month}-01`, to: `${month}-31` });
        const submitted = [...kept.values()].filter((r) => r.status === 'submitted');
        expect(roll.totals.completeness).toBeGreaterThanOrEqual(0);
        expect(roll.totals.completeness).toBeLessThanOrEqual(1);
        expect(roll.totals.due).toBe(stations.length * 31);
        expect(roll.totals.filed).toBe(submitted.length);
        expect(roll.totals.completeness).toBeCloseTo(submitted.length / (stations.length * 31), 10);
        for (const c of roll.children) {
          expect(c.completeness).toBeGreaterThanOrEqual(0);
          expect(c.completeness).toBeLessThanOrEqual(1);
        }
        for (const d of roll.series) expect(d.completeness).toBeLessThanOrEqual(1);
        const sum = (f: (x: (typeof roll.children)[number]['figures']) => number, list: { figures: typeof roll.totals.figures }[]) =>
          list.reduce((s, c) => s + f(c.figures), 0);
        for (const pick of [
          (f: typeof roll.totals.figures) => f.peopleServed,
          (f: typeof roll.totals.figures) => f.calls,
          (f: typeof roll.totals.figures) => f.solved.grain,
        ]) {
          expect(sum(pick, roll.children)).toBe(pick(roll.totals.figures));
          expect(sum(pick, roll.series)).toBe(pick(roll.totals.figures));
        }
        expect(roll.totals.figures.peopleServed).toBe(submitted.reduce((s, r) => s + r.people, 0));
        expect(roll.totals.figures.solved.grain).toBe(submitted.reduce((s, r) => s + r.grain, 0));
        expect(roll.totals.figures.volunteerHours).toBeCloseTo(submitted.reduce((s, r) => s + r.hours, 0) / 100, 6);
        for (const c of SOLVED_CATEGORIES.filter((x) => x !== 'grain')) expect(roll.totals.figures.solved[c]).toBe(0);
        expect(roll.missingTotal).toBe(stations.filter((_, i) => submitted.filter((r) => r.station === i).length < 31).length);
      }),
      { numRuns: 25 },
    );
    // The trigger-kept roll-up tables equal a rebuild from scratch.
    const snapshot = async () =>
      JSON.stringify([
        await query(ctx.db, sql`select * from daily_report_rollups where filed <> 0 order by node_path, day`),
        await query(ctx.db, sql`select * from daily_report_unit_months where filed <> 0 order by unit_id, month`),
      ]);
    const kept = await snapshot();
    await rebuildRollups(ctx.db);
    expect(await snapshot()).toBe(kept);
    await ctx.db.execute(sql`delete from daily_reports where day between '2025-03-01' and '2025-03-31'`);
    await ctx.db.execute(sql`update units set status = 'closed' where name like '日报测试站%'`);
  });
});

describe('daily report: settings and reminders', () => {
  it('reminds the filers of units without a submitted report, once a day, from the configured time', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const s = (await admin.get('/api/daily-reports/settings')).json();
    expect(s).toMatchObject({ unitKinds: ['station'], reminderTime: '17:00' });
    const bad = await admin.request({ method: 'PUT', url: '/api/daily-reports/settings', payload: { ...s, reminderTime: '25:00' } });
    expect(bad.statusCode).toBe(400);
    const put = await admin.request({
      method: 'PUT',
      url: '/api/daily-reports/settings',
      payload: { version: s.version, unitKinds: ['station'], reminderTime: '00:00', remindersEnabled: true },
    });
    expect(put.statusCode, put.body).toBe(200);
    const stale = await admin.request({
      method: 'PUT',
      url: '/api/daily-reports/settings',
      payload: { version: s.version, unitKinds: ['station'], reminderTime: '00:00', remindersEnabled: true },
    });
    expect(stale.statusCode).toBe(409);
    expect((await centre.request({ method: 'PUT', url: '/api/daily-reports/settings', payload: put.json() })).statusCode).toBe(403);

    let reminded: number | null = null;
    expect(
      await runExclusive(ctx.db, { name: 'daily-report-reminders', schedule: '', run: async (tx) => (reminded = await runReminders(tx)) }),
    ).toBe(true);
    expect(reminded).toBe(1); // 解放碑 has not filed today; 七星岗 has
    const kinds = async (c: Client) =>
      (await c.get('/api/notifications?limit=50')).json().items.filter((n: { kind: string }) => n.kind === 'daily_report.reminder');
    expect(await kinds(jfbHead)).toHaveLength(1);
    expect(await kinds(head)).toHaveLength(0);
    expect(await ctx.db.transaction(async (tx) => runReminders(tx as never))).toBeNull();
    expect(await kinds(jfbHead)).toHaveLength(1);
  });

  it('reminders wait for the configured time', async () => {
    await ctx.db.execute(sql`update daily_report_settings set reminder_time = '17:00', last_reminder_day = null`);
    const at = (hhmm: string) => new Date(`${today}T${hhmm}:00+08:00`);
    expect(await runReminders(ctx.db, at('16:59'))).toBeNull();
    expect(await runReminders(ctx.db, at('17:01'))).toBe(1);
    expect(await runReminders(ctx.db, at('18:00'))).toBeNull();
  });
});
