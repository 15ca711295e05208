import { canTransition, TICKET_TRANSITIONS, type TicketAction, type TicketStatus } from '@wushe/domain';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, errorOf, signIn, type TestContext, testApp } from '../../../test/helpers.js';
import { type Db, query, queryOne, sql } from '../../platform/db.js';
import { runTicketEscalation } from './tickets.service.js';

const XINGLONGJIE = '500103001013'; // 兴隆街, 七星岗街道
const PUBLIC_LIMIT = 8;

let ctx: TestContext;
let sw: Client;
let head: Client;
let cw: Client;
let centre: Client;
let auditor: Client;
let jfbSw: Client;
let stationId: string;
let centreId: string;
let jfbStationId: string;
let cwId: string;
let publicCalls = 0;

beforeAll(async () => {
  ctx = await testApp({ config: { publicRateLimitPerMinute: PUBLIC_LIMIT } });
  [sw, head, cw, centre, auditor, jfbSw] = await Promise.all(
    ['qxg_sw', 'qxg_head', 'qxg_cw', 'yz_centre', 'yz_auditor', 'jfb_sw'].map((u) => signIn(ctx.app, u)),
  );
  const unit = async (name: string) =>
    (await queryOne<{ id: string }>(ctx.db, sql`select id from units where name = ${name}`))?.id as string;
  stationId = await unit('七星岗街道社会工作服务站');
  jfbStationId = await unit('解放碑街道社会工作服务站');
  centreId = await unit('渝中区社会工作指导中心');
  cwId = (await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = 'qxg_cw'`))?.id as string;
});
afterAll(async () => ctx?.close());

const call = (over: Record<string, unknown> = {}) => ({
  channel: 'hotline',
  category: 'medicine',
  urgency: 'normal',
  summary: '独居老人降压药快吃完了，行动不便',
  regionCode: XINGLONGJIE,
  address: '兴隆街 12 号 3-1',
  callerName: '王大爷',
  callerPhone: '138 0000 1234',
  ...over,
});

async function newTicket(c: Client = sw, over: Record<string, unknown> = {}) {
  const res = await c.post('/api/tickets', call(over));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

function publicPost(payload: unknown) {
  publicCalls++;
  return ctx.app.inject({ method: 'POST', url: '/api/public/tickets', payload: payload as Record<string, string> });
}

const countTickets = async () => Number((await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from tickets`))?.n);

describe('tickets: the full path', () => {
  it('a hotline call is routed to the station of the community, accepted, assigned, progressed, solved and closed with feedback', async () => {
    const t = await newTicket();
    expect(t).toMatchObject({ unitId: stationId, status: 'new', channel: 'hotline', callerPhone: '138****1234', version: 1 });
    expect(t.code).toMatch(/^GD-\d{6}-[2-9A-Z]{5}$/);
    // Default deadlines of a normal ticket: respond in 4 h, solve in 3 days.
    expect(Date.parse(t.respondDueAt) - Date.parse(t.receivedAt)).toBe(4 * 3600_000);
    expect(Date.parse(t.solveDueAt) - Date.parse(t.receivedAt)).toBe(72 * 3600_000);
    // The phone is stored encrypted only.
    const raw = await queryOne<{ caller_phone_enc: string }>(ctx.db, sql`select caller_phone_enc from tickets where id = ${t.id}`);
    expect(raw?.caller_phone_enc).not.toContain('13800001234');

    let v = t.version;
    const step = async (action: string, body: Record<string, unknown>, status: string) => {
      const res = await sw.post(`/api/tickets/${t.id}/${action}`, { version: v, ...body });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      expect(res.json().status).toBe(status);
      expect(res.json().version).toBe(v + 1);
      v = res.json().version;
      return res.json();
    };
    await step('accept', { note: '已电话确认' }, 'accepted');
    const assigned = await step('assign', { userId: cwId, note: '请社区上门' }, 'assigned');
    expect(assigned.assignedUserName).toContain('张丽');
    // The community worker is told and works on it.
    const notes = await cw.get('/api/notifications');
    expect(notes.json().items.some((n: { kind: string; entityId: string }) => n.kind === 'ticket_assigned' && n.entityId === t.id)).toBe(
      true,
    );
    const progressed = await cw.post(`/api/tickets/${t.id}/progress`, { version: v, note: '已联系社区卫生服务中心' });
    expect(progressed.statusCode, progressed.body).toBe(200);
    v = progressed.json().version;
    await step('progress', { note: '药已配好' }, 'in_progress');
    const solved = await step('solve', { solution: '送药上门 30 天用量' }, 'solved');
    expect(solved.solvedAt).not.toBeNull();
    const closed = await step('close', { callbackResult: 'reached', satisfaction: 5, feedback: '很满意' }, 'closed');
    expect(closed).toMatchObject({ satisfaction: 5, callbackResult: 'reached', feedback: '很满意' });
    expect(closed.closedAt).not.toBeNull();

    const detail = (await sw.get(`/api/tickets/${t.id}`)).json();
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'accepted',
      'assigned',
      'progress',
      'progress',
      'solved',
      'closed',
    ]);
    expect(detail.events[3]).toMatchObject({ note: '已联系社区卫生服务中心', userName: expect.stringContaining('张丽') });
    expect(detail.actions).not.toContain('close');
    const found = (await sw.get(`/api/tickets?status=closed&q=${encodeURIComponent('降压药快吃完')}`)).json();
    expect(found.items.map((x: { id: string }) => x.id)).toEqual([t.id]);
    expect((await sw.get(`/api/tickets?q=${t.code}`)).json().items.map((x: { id: string }) => x.id)).toEqual([t.id]);
    const audits = await query<{ action: string }>(ctx.db, sql`select action from audit_log where entity_id = ${t.id} order by seq`);
    expect(audits.map((a) => a.action)).toEqual([
      'ticket.created',
      'ticket.accepted',
      'ticket.assigned',
      'ticket.progress',
      'ticket.progress',
      'ticket.solved',
      'ticket.closed',
    ]);
    // The daily report reads these columns with raw SQL.
    const row = await queryOne<Record<string, unknown>>(
      ctx.db,
      sql`select unit_id, unit_path::text as unit_path, channel, category, urgency, status, received_at, solved_at, closed_at, client_id,
            escalated_to_unit_id, version from tickets where id = ${t.id}`,
    );
    expect(row).toMatchObject({ unit_id: stationId, status: 'closed', category: 'medicine', escalated_to_unit_id: null, version: 7 });
  });

  it('reveals the caller’s phone for the callback (audited), and matches and registers the caller as a client', async () => {
    const t = await newTicket(sw, { callerName: '赵阿姨', callerPhone: '139-1111-2222' });
    const rev = await sw.post(`/api/tickets/${t.id}/reveal-phone`);
    expect(rev.statusCode, rev.body).toBe(200);
    expect(rev.json().phone).toBe('13911112222');
    expect(
      await queryOne(ctx.db, sql`select 1 from audit_log where entity_id = ${t.id} and action = 'ticket.phone_revealed'`),
    ).toBeTruthy();
    expect((await auditor.post(`/api/tickets/${t.id}/reveal-phone`)).statusCode).toBe(403);

    expect((await sw.get(`/api/tickets/${t.id}/caller-matches`)).json().items).toEqual([]);
    const linked = await sw.post(`/api/tickets/${t.id}/client`, { version: t.version, create: true });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ clientName: '赵阿姨', version: t.version + 1 });
    const client = (await sw.get(`/api/clients/${linked.json().clientId}`)).json();
    expect(client).toMatchObject({ name: '赵阿姨', regionCode: XINGLONGJIE });
    // A second call from the same phone finds that client by the blind index.
    const again = await newTicket(sw, { callerName: '赵女士', callerPhone: '13911112222' });
    const matches = (await sw.get(`/api/tickets/${again.id}/caller-matches`)).json().items;
    expect(matches).toEqual([expect.objectContaining({ id: client.id, matchedBy: 'phone' })]);
    // 解放碑 does not see the client nor the ticket.
    expect((await jfbSw.get(`/api/tickets/${again.id}/caller-matches`)).statusCode).toBe(404);
    const link = await sw.post(`/api/tickets/${again.id}/client`, { version: again.version, clientId: client.id });
    expect(link.statusCode, link.body).toBe(200);
    expect(link.json().clientId).toBe(client.id);
  });
});

describe('tickets: xlsx export', () => {
  it('exports the filtered list with masked phones and neutralised formulas; an export with rows is audited, an empty one not', async () => {
    const word = `导出测试${Date.now() % 100_000}`;
    await newTicket(sw, { summary: `=HYPERLINK("http://x") ${word}`, callerName: '导出甲', callerPhone: '13500005678' });
    await newTicket(sw, { summary: `${word} 第二件`, callerName: '导出乙' });
    const audits = async () =>
      Number((await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from audit_log where action = 'ticket.exported'`))?.n);
    const before = await audits();
    const res = await sw.get(`/api/tickets/export?q=${encodeURIComponent(word)}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('工单');
    const rows = (ws?.getSheetValues() ?? [])
      .filter(Boolean)
      .map((r) => (r as unknown[]).slice(1).map((v) => (v == null ? null : String(v))));
    expect(rows[0]?.slice(0, 7)).toEqual(['工单编号', '渠道', '类别', '紧急程度', '状态', '诉求内容', '来电人']);
    expect(rows).toHaveLength(3);
    const first = rows.find((r) => r[6] === '导出甲') as (string | null)[];
    expect(first[5]).toBe(`'=HYPERLINK("http://x") ${word}`);
    expect(first[7]).toBe('135****5678');
    expect(first.slice(1, 5)).toEqual(['热线来电', '缺药', '一般', '待受理']);
    expect(res.rawPayload.includes(Buffer.from('13500005678'))).toBe(false);
    expect(await audits()).toBe(before + 1);
    // Nothing matches: an empty sheet, no audit entry; a bad filter is a 400.
    const empty = await sw.get(`/api/tickets/export?q=${encodeURIComponent(`${word}不存在`)}`);
    expect(empty.statusCode).toBe(200);
    expect(await audits()).toBe(before + 1);
    expect(errorOf(await sw.get('/api/tickets/export?status=lost')).code).toBe('validation_failed');
    expect((await ctx.app.inject({ method: 'GET', url: '/api/tickets/export' })).statusCode).toBe(401);
  });
});

describe('tickets: reopen (重办)', () => {
  it('a closed ticket is reopened with a reason: back in progress, no longer counted solved, a new solution deadline, the assignee told', async () => {
    const t = await newTicket();
    let v = t.version;
    const step = async (action: string, body: Record<string, unknown>) => {
      const res = await head.post(`/api/tickets/${t.id}/${action}`, { version: v, ...body });
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      v = res.json().version;
      return res.json();
    };
    await step('accept', {});
    await step('assign', { userId: cwId });
    await step('solve', { solution: '送去两袋米' });
    await step('close', { callbackResult: 'reached', satisfaction: 2, feedback: '只送了一次' });
    const actionsOf = async () => (await head.get(`/api/tickets/${t.id}`)).json().actions as string[];
    expect(await actionsOf()).toContain('reopen');
    const solvedBefore = await queryOne<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from tickets where id = ${t.id} and status in ('solved', 'closed') and solved_at is not null`,
    );
    expect(Number(solvedBefore?.n)).toBe(1);

    // No reason, a stale version: refused, nothing changes.
    const noReason = await head.post(`/api/tickets/${t.id}/reopen`, { version: v });
    expect(errorOf(noReason)).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'reason' })] });
    expect(errorOf(await head.post(`/api/tickets/${t.id}/reopen`, { version: v - 1, reason: '没解决' })).code).toBe('stale_version');

    const reopened = await step('reopen', { reason: '老人说米吃完了，需要长期帮扶' });
    expect(reopened).toMatchObject({ status: 'in_progress', solution: null, solvedAt: null, closedAt: null, satisfaction: null });
    expect(new Date(reopened.solveDueAt).getTime()).toBeGreaterThan(Date.now());
    const events = (await head.get(`/api/tickets/${t.id}`)).json().events as { kind: string; note: string | null }[];
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['solved', 'closed', 'reopened']));
    expect(events.find((e) => e.kind === 'reopened')?.note).toBe('老人说米吃完了，需要长期帮扶');
    const note = await queryOne<{ n: number }>(
      ctx.db,
      sql`select count(*)::int as n from notifications where kind = 'ticket_reopened' and entity_id = ${t.id} and user_id = ${cwId}`,
    );
    expect(Number(note?.n)).toBe(1);
    // Reopening an open ticket is not a move the table allows; solving again works and asks the callback anew.
    expect(errorOf(await head.post(`/api/tickets/${t.id}/reopen`, { version: v, reason: '再次' })).code).toBe('invalid_transition');
    await step('solve', { solution: '链接慈善超市每月配送粮油' });
    expect(await actionsOf()).toEqual(expect.arrayContaining(['close', 'reopen']));
  });
});

describe('tickets: refusals', () => {
  it('invalid transitions, stale versions and bad input answer 409/400 with the uniform body and change nothing', async () => {
    const t = await newTicket();
    const before = await queryOne(ctx.db, sql`select * from tickets where id = ${t.id}`);
    const close = await sw.post(`/api/tickets/${t.id}/close`, { version: 1, callbackResult: 'reached', satisfaction: 4 });
    expect(close.statusCode).toBe(409);
    expect(errorOf(close).code).toBe('invalid_transition');
    const solveNew = await sw.post(`/api/tickets/${t.id}/solve`, { version: 1, solution: '已处理' });
    expect(errorOf(solveNew).code).toBe('invalid_transition');
    const stale = await sw.post(`/api/tickets/${t.id}/accept`, { version: 7 });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale).code).toBe('stale_version');
    const badAssign = await sw.post(`/api/tickets/${t.id}/accept`, { version: 'x' });
    expect(badAssign.statusCode).toBe(400);
    expect(errorOf(badAssign).code).toBe('validation_failed');
    expect(await queryOne(ctx.db, sql`select * from tickets where id = ${t.id}`)).toEqual(before);

    // Two workers accept the same version: the second gets 409.
    const a = await sw.post(`/api/tickets/${t.id}/accept`, { version: 1 });
    const b = await head.post(`/api/tickets/${t.id}/accept`, { version: 1 });
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(409);
    // Assigning to someone of another street, or without satisfaction when the caller was reached.
    const jfbUser = await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = 'jfb_sw'`);
    const wrong = await sw.post(`/api/tickets/${t.id}/assign`, { version: 2, userId: jfbUser?.id });
    expect(errorOf(wrong)).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: 'userId' })] });
    await sw.post(`/api/tickets/${t.id}/solve`, { version: 2, solution: '已处理' });
    const noScore = await sw.post(`/api/tickets/${t.id}/close`, { version: 3, callbackResult: 'reached' });
    expect(noScore.statusCode).toBe(400);
    expect(errorOf(noScore).details[0].path).toBe('satisfaction');
    const unreachable = await sw.post(`/api/tickets/${t.id}/close`, { version: 3, callbackResult: 'unreachable' });
    expect(unreachable.statusCode, unreachable.body).toBe(200);
    const reopen = await sw.post(`/api/tickets/${t.id}/cancel`, { version: 4, reason: '重复' });
    expect(errorOf(reopen).code).toBe('invalid_transition');
  });

  it('creating: a community outside the scope, an unknown code, a time in the future, no place at all', async () => {
    const jfbCommunity = await queryOne<{ code: string }>(ctx.db, sql`select code from regions where parent_code = '500103003' limit 1`);
    const outside = await sw.post('/api/tickets', call({ regionCode: jfbCommunity?.code }));
    expect(errorOf(outside)).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ code: 'outside_scope' })] });
    expect(outside.body).not.toContain('解放碑');
    expect(errorOf(await sw.post('/api/tickets', call({ regionCode: '500103999999' }))).details[0].code).toBe('unknown_region');
    const future = await sw.post('/api/tickets', call({ receivedAt: new Date(Date.now() + 86400_000).toISOString() }));
    expect(errorOf(future).details[0].code).toBe('in_future');
    const nowhere = await sw.post('/api/tickets', call({ regionCode: undefined }));
    expect(errorOf(nowhere).details[0].path).toBe('regionCode');
    expect(errorOf(await sw.post('/api/tickets', call({ channel: 'online_form' }))).code).toBe('validation_failed');
    expect((await auditor.post('/api/tickets', call())).statusCode).toBe(403);
  });

  it('property: any sequence of actions follows the transition table; refused ones change nothing', async () => {
    const ACTIONS = Object.keys(TICKET_TRANSITIONS) as TicketAction[];
    const bodyOf = (a: TicketAction, version: number) =>
      ({
        accept: { version },
        assign: { version, userId: cwId },
        progress: { version, note: '进展' },
        solve: { version, solution: '办结' },
        close: { version, callbackResult: 'reached', satisfaction: 3 },
        cancel: { version, reason: '撤销' },
        reopen: { version, reason: '问题没解决' },
      })[a];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 8 }), async (seq) => {
        const t = await newTicket();
        let status: TicketStatus = 'new';
        let version = 1;
        for (const a of seq) {
          const res = await sw.post(`/api/tickets/${t.id}/${a}`, bodyOf(a, version));
          if (canTransition(a, status)) {
            expect(res.statusCode, res.body).toBe(200);
            status = TICKET_TRANSITIONS[a].to;
            version++;
          } else {
            expect(res.statusCode).toBe(409);
            expect(errorOf(res).code).toBe('invalid_transition');
          }
          const row = await queryOne<{ status: string; version: number }>(
            ctx.db,
            sql`select status, version from tickets where id = ${t.id}`,
          );
          expect(row).toEqual({ status, version });
        }
        const events = await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from ticket_events where ticket_id = ${t.id}`);
        expect(Number(events?.n)).toBe(version); // created + one per accepted change
      }),
      { numRuns: 12 },
    );
  });
});

describe('tickets: scope and escalation', () => {
  it('the other street’s tickets answer 404 and never show in its lists; the centre sees both; readers cannot write', async () => {
    const t = await newTicket();
    const jfbCommunity = await queryOne<{ code: string }>(ctx.db, sql`select code from regions where parent_code = '500103003' limit 1`);
    const jfbTicket = await newTicket(jfbSw, { regionCode: jfbCommunity?.code, callerName: '钱先生' });
    expect(jfbTicket.unitId).toBe(jfbStationId);
    for (const path of ['', '/caller-matches']) {
      const res = await jfbSw.get(`/api/tickets/${t.id}${path}`);
      expect(res.statusCode).toBe(404);
      expect(errorOf(res).code).toBe('ticket_not_found');
    }
    expect((await jfbSw.post(`/api/tickets/${t.id}/accept`, { version: 1 })).statusCode).toBe(404);
    const jfbList = (await jfbSw.get('/api/tickets?limit=200')).json();
    expect(jfbList.items.map((x: { id: string }) => x.id)).toEqual([jfbTicket.id]);
    expect((await jfbSw.get(`/api/tickets?unitId=${stationId}`)).json().items).toEqual([]);
    const centreList = (await centre.get('/api/tickets?limit=200')).json().items.map((x: { id: string }) => x.id);
    expect(centreList).toEqual(expect.arrayContaining([t.id, jfbTicket.id]));
    expect((await centre.post(`/api/tickets/${t.id}/accept`, { version: 1 })).statusCode).toBe(403);
    expect((await auditor.get(`/api/tickets/${t.id}`)).json().actions).toEqual([]);
  });

  it('an overdue ticket is escalated to the parent unit once; the parent is told and sees it among the escalated', async () => {
    const t = await newTicket(sw, { urgency: 'urgent', receivedAt: new Date(Date.now() - 45 * 60_000).toISOString() });
    expect(t.overdue).toBe('response');
    const fresh = await newTicket(sw, { urgency: 'urgent' });
    const overdueList = (await sw.get('/api/tickets?overdue=true&limit=200')).json().items.map((x: { id: string }) => x.id);
    expect(overdueList).toContain(t.id);
    expect(overdueList).not.toContain(fresh.id);

    const run = () => ctx.db.transaction((tx) => runTicketEscalation(tx as unknown as Db));
    const first = await run();
    expect(first.escalated).toBeGreaterThanOrEqual(1);
    const after = (await centre.get(`/api/tickets/${t.id}`)).json();
    expect(after).toMatchObject({ escalatedToUnitId: centreId, escalationReason: 'response', version: 2 });
    expect(after.escalatedToUnitName).toBe('渝中区社会工作指导中心');
    expect(after.events.map((e: { kind: string }) => e.kind)).toContain('escalated');
    const escalated = (await centre.get('/api/tickets?escalated=true&limit=200')).json().items.map((x: { id: string }) => x.id);
    expect(escalated).toContain(t.id);
    expect(escalated).not.toContain(fresh.id);
    const notes = (await centre.get('/api/notifications')).json().items;
    expect(notes.some((n: { kind: string; entityId: string }) => n.kind === 'ticket_overdue' && n.entityId === t.id)).toBe(true);
    // Once only; a fresh ticket is left alone; the other street sees none of it.
    expect((await run()).escalated).toBe(0);
    expect((await sw.get(`/api/tickets/${fresh.id}`)).json().escalatedToUnitId).toBeNull();
    expect((await jfbSw.get(`/api/tickets/${t.id}`)).statusCode).toBe(404);
    expect((await jfbSw.get('/api/tickets?escalated=true')).json().items).toEqual([]);
  });

  it('deadlines follow the settings (settings.write only; stale → 409)', async () => {
    const admin = await signIn(ctx.app, 'admin');
    const s = (await sw.get('/api/tickets/settings')).json();
    expect(s.deadlines.urgent).toEqual({ respondMinutes: 30, solveMinutes: 1440 });
    const deadlines = { ...s.deadlines, low: { respondMinutes: 60, solveMinutes: 120 } };
    expect(
      (await head.request({ method: 'PUT', url: '/api/tickets/settings', payload: { version: s.version, deadlines } })).statusCode,
    ).toBe(403);
    const put = await admin.request({ method: 'PUT', url: '/api/tickets/settings', payload: { version: s.version, deadlines } });
    expect(put.statusCode, put.body).toBe(200);
    const stale = await admin.request({ method: 'PUT', url: '/api/tickets/settings', payload: { version: s.version, deadlines } });
    expect(errorOf(stale).code).toBe('stale_version');
    const t = await newTicket(sw, { urgency: 'low' });
    expect(Date.parse(t.solveDueAt) - Date.parse(t.receivedAt)).toBe(120 * 60_000);
  });
});

describe('hotlines and duty shifts', () => {
  it('the demo seed gives 七星岗 its hotline, last night’s shift and three calls (closed with feedback, in progress, new)', async () => {
    const lines = (await head.get('/api/hotlines')).json().items;
    const demoLine = lines.find((h: { name: string }) => h.name === '七星岗街道为民服务热线');
    expect(demoLine).toMatchObject({ unitId: stationId, hours: '24小时', active: true });
    const shifts = (await head.get(`/api/duty-shifts?hotlineId=${demoLine.id}`)).json().items;
    expect(shifts).toEqual([expect.objectContaining({ calls: 14, peopleServed: 11 })]);
    const demo = await query<{ status: string; satisfaction: number | null }>(
      ctx.db,
      sql`select status, satisfaction from tickets where hotline_id = ${demoLine.id} order by received_at`,
    );
    expect(demo).toEqual([
      { status: 'closed', satisfaction: 5 },
      { status: 'in_progress', satisfaction: null },
      { status: 'new', satisfaction: null },
    ]);
    expect((await jfbSw.get('/api/hotlines')).json().items.map((h: { id: string }) => h.id)).not.toContain(demoLine.id);
  });

  it('a hotline, shifts of its workers and the counts per day and unit', async () => {
    const line = await head.post('/api/hotlines', { unitId: stationId, number: '023-6380 1234', name: '七星岗为民热线', hours: '24小时' });
    expect(line.statusCode, line.body).toBe(201);
    expect((await head.post('/api/hotlines', { unitId: stationId, number: '023-6380 1234', name: 'x', hours: 'x' })).statusCode).toBe(409);
    expect((await jfbSw.get(`/api/hotlines/${line.json().id}`)).statusCode).toBe(404);
    const swId = (await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = 'qxg_sw'`))?.id;
    const shift = (startsAt: string, endsAt: string, calls: number, peopleServed: number) =>
      head.post('/api/duty-shifts', { hotlineId: line.json().id, userId: swId, startsAt, endsAt, calls, peopleServed });
    const s1 = await shift('2026-03-01T00:00:00+08:00', '2026-03-01T08:00:00+08:00', 12, 9);
    expect(s1.statusCode, s1.body).toBe(201);
    expect((await shift('2026-03-01T20:00:00+08:00', '2026-03-02T08:00:00+08:00', 5, 5)).statusCode).toBe(201);
    expect((await shift('2026-03-02T07:00:00+08:00', '2026-03-02T09:00:00+08:00', 1, 1)).statusCode).toBe(409);
    const backwards = await shift('2026-03-03T09:00:00+08:00', '2026-03-03T08:00:00+08:00', 1, 1);
    expect(errorOf(backwards).details[0].path).toBe('endsAt');
    const jfbHotline = await jfbSw.post('/api/duty-shifts', {
      hotlineId: line.json().id,
      userId: swId,
      startsAt: '2026-03-05T00:00:00+08:00',
      endsAt: '2026-03-05T08:00:00+08:00',
    });
    expect(errorOf(jfbHotline).details[0].code).toBe('unknown_hotline');

    const stats = (await centre.get('/api/duty-shifts/stats?from=2026-03-01&to=2026-03-31&groupBy=day')).json();
    expect(stats.rows.filter((r: { shifts: number }) => r.shifts > 0)).toEqual([
      expect.objectContaining({ key: '2026-03-01', shifts: 2, calls: 17, peopleServed: 14 }),
    ]);
    const byUnit = (await centre.get('/api/duty-shifts/stats?from=2026-03-01&to=2026-03-31&groupBy=unit')).json();
    expect(byUnit.rows).toEqual([expect.objectContaining({ key: stationId, label: '七星岗街道社会工作服务站', shifts: 2 })]);
    expect((await jfbSw.get('/api/duty-shifts/stats?from=2026-03-01&to=2026-03-31')).json().totals.shifts).toBe(0);
    expect((await jfbSw.get(`/api/duty-shifts/stats?from=2026-03-01&to=2026-03-31&unitId=${stationId}`)).statusCode).toBe(404);

    const patched = await head.patch(`/api/duty-shifts/${s1.json().id}`, { version: 1, calls: 13 });
    expect(patched.json()).toMatchObject({ calls: 13, version: 2 });
    expect(errorOf(await head.patch(`/api/duty-shifts/${s1.json().id}`, { version: 1, calls: 14 })).code).toBe('stale_version');
    const retired = await head.patch(`/api/hotlines/${line.json().id}`, { version: 1, active: false });
    expect(retired.json()).toMatchObject({ active: false, version: 2 });
  });
});

describe('the public online form', () => {
  const form = (over: Record<string, unknown> = {}) => ({
    category: 'grain',
    summary: '家里米吃完了，腿脚不便出不了门',
    regionCode: XINGLONGJIE,
    callerName: '孙奶奶',
    callerPhone: '13700001111',
    ...over,
  });

  it('files a ticket routed to the station, tells its staff; lists the communities it serves', async () => {
    const areas = await ctx.app.inject({ method: 'GET', url: `/api/public/ticket-areas?q=${encodeURIComponent('兴隆')}` });
    expect(areas.statusCode, areas.body).toBe(200);
    expect(areas.json().items).toEqual([expect.objectContaining({ code: XINGLONGJIE, streetName: expect.stringContaining('七星岗') })]);
    const res = await publicPost(form({ urgent: true }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ unitName: '七星岗街道社会工作服务站' });
    const row = await queryOne<{ unit_id: string; channel: string; urgency: string; status: string }>(
      ctx.db,
      sql`select unit_id, channel, urgency, status from tickets where code = ${res.json().code}`,
    );
    expect(row).toEqual({ unit_id: stationId, channel: 'online_form', urgency: 'urgent', status: 'new' });
    const notes = (await sw.get('/api/notifications')).json().items;
    expect(notes.some((n: { kind: string; title: string }) => n.kind === 'ticket_new' && n.title.includes(res.json().code))).toBe(true);
  });

  it('a filled honeypot is answered like a success and stores nothing; bad input gets clear errors', async () => {
    const before = await countTickets();
    const bot = await publicPost(form({ website: 'http://spam.example' }));
    expect(bot.statusCode).toBe(201);
    expect(bot.json().code).toMatch(/^GD-/);
    expect(await countTickets()).toBe(before);
    const bad = await publicPost(form({ summary: 'x', callerPhone: 'call me', regionCode: '123' }));
    expect(bad.statusCode).toBe(400);
    expect(
      errorOf(bad)
        .details.map((d) => d.path)
        .sort(),
    ).toEqual(['callerPhone', 'regionCode', 'summary']);
    expect(await countTickets()).toBe(before);
  });

  it('is rate-limited per address (429, the uniform body)', async () => {
    const statuses: number[] = [];
    while (publicCalls < PUBLIC_LIMIT + 1) statuses.push((await publicPost(form({ website: 'x' }))).statusCode);
    const last = await publicPost(form());
    expect(last.statusCode).toBe(429);
    expect(errorOf(last).code).toBe('rate_limited');
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
  });
});
