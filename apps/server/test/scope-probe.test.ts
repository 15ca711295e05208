/**
 * The cross-street probe: every GET route of the app, found from the router and the OpenAPI document (so a
 * new module is probed without editing this file), called by users of 解放碑 with 七星岗's ids, names and
 * region codes — and the reverse. A leak across streets is the worst bug this system can have.
 */

import { idCheckChar } from '@wushe/domain';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, queryOne, sql } from '../src/platform/db.js';
import { makeUser } from '../src/seed/factories.js';
import { type Client, errorOf, signIn, TEST_PASSWORD, type TestContext, testApp } from './helpers.js';
import { type ApiRoute, documentedRoutes, fillPath, type JsonSchema, registeredRoutes } from './routes.js';

/**
 * GET routes deliberately not probed, each with its reason. A route that is neither probed (it is in the
 * OpenAPI document) nor listed here fails the first test; so does an entry here whose route is gone.
 */
const EXCLUDED: Record<string, string> = {
  '/api/regions': 'public reference data (GB/T 2260 codes and names of every province … village): it names 七星岗街道 to anyone',
  '/api/openapi.json': 'the static API description: no data, but its field descriptions use 七星岗 as an example name',
  '/api/docs*': 'Swagger UI pages and assets (static, the same for everyone)',
  '/api/referrals/receivers':
    'the directory a referral is addressed from (转介 goes to any unit of any tier or a social organization): names of units and organizations as on their doors, nothing of their clients',
  '/api/public/ticket-areas':
    'public reference data for the online help form (no login): the communities served and their street names, like /api/regions',
  '/api/public/volunteer-units':
    'public list (no login) of the operating stations and community offices a resident may register with as a volunteer: names on their doors',
};

const excludedBy = (path: string) => Object.keys(EXCLUDED).find((k) => k === path || (k.endsWith('*') && path.startsWith(k.slice(0, -1))));

interface Street {
  word: string;
  station: string;
  office: string;
  users: string[];
  /** Filled in beforeAll from the database. */
  ids: string[];
  secrets: string[];
  regionCodes: string[];
  stationId: string;
}

const QXG: Street = {
  word: '七星岗',
  station: '七星岗街道社会工作服务站',
  office: '兴隆街社区社会工作室',
  users: ['qxg_sw', 'qxg_head', 'qxg_aud'],
  ids: [],
  secrets: [],
  regionCodes: [],
  stationId: '',
};
const JFB: Street = {
  word: '解放碑',
  station: '解放碑街道社会工作服务站',
  office: '',
  users: ['jfb_sw', 'jfb_head', 'jfb_aud'],
  ids: [],
  secrets: [],
  regionCodes: [],
  stationId: '',
};

let ctx: TestContext;
let routes: ApiRoute[];

async function collect(street: Street) {
  const station = await queryOne<{ id: string; path: string }>(
    ctx.db,
    sql`select id, path::text as path from units where name = ${street.station}`,
  );
  if (!station) throw new Error(`no ${street.station}`);
  street.stationId = station.id;
  const units = await query<{ id: string; name: string; code: string; path: string; region_code: string }>(
    ctx.db,
    sql`select id, name, code, path::text as path, region_code from units where path <@ ${station.path}::ltree order by path`,
  );
  const zones = await query<{ id: string; name: string }>(
    ctx.db,
    sql`select id, name from zones where unit_path <@ ${station.path}::ltree`,
  );
  const users = await query<{ id: string; username: string; display_name: string }>(
    ctx.db,
    sql`select id, username, display_name from users where unit_path <@ ${station.path}::ltree`,
  );
  const operators = await query<{ id: string; name: string }>(
    ctx.db,
    sql`select id, name from operators where owner_path <@ ${station.path}::ltree`,
  );
  const timebank = await query<{ id: string; name: string }>(
    ctx.db,
    sql`select id, name from timebank_accounts where unit_path <@ ${station.path}::ltree`,
  );
  expect(timebank.length).toBeGreaterThanOrEqual(2);
  const dailyReports = await query<{ id: string; highlights: string }>(
    ctx.db,
    sql`select id, highlights from daily_reports where unit_path <@ ${station.path}::ltree`,
  );
  expect(dailyReports.length).toBeGreaterThanOrEqual(1);
  if (!street.office) street.office = units.find((u) => u.id !== station.id)?.name ?? '';
  street.ids = [...units, ...zones, ...users, ...operators, ...timebank, ...dailyReports].map((r) => r.id);
  street.regionCodes = units.map((u) => u.region_code);
  street.secrets = [
    street.word,
    ...units.flatMap((u) => [u.id, u.name, u.code, u.path]),
    ...zones.flatMap((z) => [z.id, z.name]),
    ...users.flatMap((u) => [u.id, u.username, u.display_name]),
    ...operators.flatMap((o) => [o.id, o.name]),
    ...timebank.flatMap((a) => [a.id, a.name]),
    ...dailyReports.flatMap((r) => [r.id, r.highlights]),
  ];
  expect(units.length).toBeGreaterThan(1);
  expect(users.length).toBeGreaterThanOrEqual(3);
  expect(operators.length).toBe(1);
  // Errands of the street (the demo's and the one posted in beforeAll): ids, titles and places.
  const errands = await query<{ id: string; title: string; place: string }>(
    ctx.db,
    sql`select id, title, place from errands where unit_path <@ ${station.path}::ltree`,
  );
  expect(errands.length).toBeGreaterThanOrEqual(1);
  street.ids.push(...errands.map((e) => e.id));
  street.secrets.push(...errands.flatMap((e) => [e.id, e.title, e.place]));
  // Volunteers (with their logins and time-bank accounts), teams, activities and sign-ups (made in beforeAll).
  const volunteers = await query<{ id: string; name: string; id_number_masked: string }>(
    ctx.db,
    sql`select id, name, id_number_masked from volunteers where unit_path <@ ${station.path}::ltree`,
  );
  const teams = await query<{ id: string; name: string }>(
    ctx.db,
    sql`select id, name from volunteer_teams where unit_path <@ ${station.path}::ltree`,
  );
  const activities = await query<{ id: string; title: string; place: string; checkin_token: string }>(
    ctx.db,
    sql`select id, title, place, checkin_token from activities where unit_path <@ ${station.path}::ltree`,
  );
  const signups = await query<{ id: string }>(ctx.db, sql`select id from activity_signups where unit_path <@ ${station.path}::ltree`);
  expect(Math.min(volunteers.length, teams.length, activities.length, signups.length)).toBeGreaterThan(0);
  street.ids.push(...[...volunteers, ...teams, ...activities, ...signups].map((r) => r.id));
  street.secrets.push(
    ...volunteers.flatMap((v) => [v.id, v.name, v.id_number_masked]),
    ...teams.flatMap((t) => [t.id, t.name]),
    ...activities.flatMap((a) => [a.id, a.title, a.place, a.checkin_token]),
    ...signups.map((x) => x.id),
  );
  // Cases, their clients, threads and groups (made in beforeAll).
  const cases = await query<{ id: string; title: string; client_id: string; client_name: string }>(
    ctx.db,
    sql`select k.id, k.title, k.client_id, c.name as client_name from cases k join clients c on c.id = k.client_id
        where k.unit_path <@ ${station.path}::ltree`,
  );
  const caseGroups = await query<{ id: string; name: string }>(
    ctx.db,
    sql`select id, name from case_groups where unit_path <@ ${station.path}::ltree`,
  );
  expect([cases.length, caseGroups.length]).toEqual([1, 1]);
  street.ids.push(...cases.flatMap((k) => [k.id, k.client_id]), ...caseGroups.map((g) => g.id));
  street.secrets.push(
    ...cases.flatMap((k) => [k.id, k.title, k.client_id, k.client_name, `${street.word}个案督导留言`]),
    ...caseGroups.flatMap((g) => [g.id, g.name, `${street.word}小组第一节`]),
  );
  // Referrals of the street (made in beforeAll): ids and summaries.
  const referrals = await query<{ id: string; summary: string }>(
    ctx.db,
    sql`select id, summary from referrals where from_unit_path <@ ${station.path}::ltree`,
  );
  expect(referrals.length).toBe(1);
  street.ids.push(...referrals.map((r) => r.id));
  street.secrets.push(...referrals.flatMap((r) => [r.id, r.summary]));
  // Tickets, hotlines and duty shifts of the street (made in beforeAll): their ids, references, summaries and names.
  const tickets = await query<{ id: string; code: string; summary: string; caller_name: string }>(
    ctx.db,
    sql`select id, code, summary, caller_name from tickets where unit_path <@ ${station.path}::ltree`,
  );
  const hotlines = await query<{ id: string; name: string; number: string }>(
    ctx.db,
    sql`select id, name, number from hotlines where unit_path <@ ${station.path}::ltree`,
  );
  const shifts = await query<{ id: string; notes: string }>(
    ctx.db,
    sql`select id, notes from duty_shifts where unit_path <@ ${station.path}::ltree`,
  );
  const problems = await query<{ id: string; description: string; place: string }>(
    ctx.db,
    sql`select id, description, place from problem_reports where unit_path <@ ${station.path}::ltree`,
  );
  expect(problems.length).toBe(1);
  street.ids.push(...problems.map((r) => r.id));
  street.secrets.push(...problems.flatMap((r) => [r.id, r.description, r.place]));
  expect(Math.min(tickets.length, hotlines.length, shifts.length)).toBeGreaterThanOrEqual(1);
  street.ids.push(...[...tickets, ...hotlines, ...shifts].map((r) => r.id));
  street.secrets.push(
    ...tickets.flatMap((t) => [t.id, t.code, t.summary, t.caller_name]),
    ...hotlines.flatMap((h) => [h.id, h.name, h.number]),
    ...shifts.flatMap((s) => [s.id, s.notes]),
  );
  // Optional columns (a problem report's ticket has no caller name) are no secrets: "null" is in every body.
  street.secrets = street.secrets.filter((s) => typeof s === 'string' && s.length > 0);
}

beforeAll(async () => {
  ctx = await testApp();
  // Each street gets a little more than the seed: an auditor bound to the station (reads every GET route),
  // an operator of its own, a zone, an edited office and a time-bank account with credits, so that users,
  // operators, zones, the time bank and the audit log all hold street-only data.
  for (const [street, name] of [
    [QXG, 'qxg'],
    [JFB, 'jfb'],
  ] as const) {
    const unit = await queryOne<{ id: string; path: string }>(
      ctx.db,
      sql`select id, path::text as path from units where name = ${street.station}`,
    );
    await makeUser(ctx.db, {
      username: `${name}_aud`,
      displayName: `${street.word}审计员`,
      role: 'auditor',
      unit,
      password: TEST_PASSWORD,
    });
    const head = await signIn(ctx.app, `${name}_head`);
    expect((await head.post('/api/operators', { name: `${street.word}邻里互助中心` })).statusCode).toBe(201);
    // A time-bank account with credits (and so the station's issuing account, named after the station).
    const account = await head.post('/api/timebank/accounts', { kind: 'person', unitId: unit?.id, name: `${street.word}志愿者 时间账户` });
    expect(account.statusCode).toBe(201);
    const earn = await head.request({
      method: 'POST',
      url: '/api/timebank/postings',
      headers: { 'idempotency-key': `probe-${name}` },
      payload: { kind: 'earn', toAccountId: account.json().id, hours: 2, memo: `${street.word}助老服务` },
    });
    expect(earn.statusCode).toBe(201);
    // An open errand of the street, paid from a pool of its station (跑腿抢单).
    const pool = await head.post('/api/timebank/accounts', { kind: 'unit_pool', unitId: unit?.id, name: `${street.word}跑腿互助池` });
    expect(pool.statusCode).toBe(201);
    const grant = await head.request({
      method: 'POST',
      url: '/api/timebank/postings',
      headers: { 'idempotency-key': `probe-errands-${name}` },
      payload: { kind: 'grant', toAccountId: pool.json().id, amount: 10 },
    });
    expect(grant.statusCode).toBe(201);
    const errand = await head.post('/api/errands', {
      kind: 'delivery',
      title: `${street.word}送药上门`,
      place: `${street.word}路 1 号`,
      unitId: unit?.id,
      reward: 1,
      windowFrom: new Date(Date.now() + 3_600_000).toISOString(),
      windowTo: new Date(Date.now() + 5 * 3_600_000).toISOString(),
    });
    expect(errand.statusCode, errand.body).toBe(201);
    // A volunteer (approved: a login and a time-bank account) leading a team and signed up for an activity.
    const first17 = name === 'qxg' ? '50010319850101123' : '50010319860202456';
    const vol = await head.post('/api/volunteers', {
      name: `${street.word}王志愿`,
      idNumber: first17 + idCheckChar(first17),
      phone: name === 'qxg' ? '13900001111' : '13900002222',
      unitId: unit?.id,
      skills: ['助老'],
    });
    expect(vol.statusCode, vol.body).toBe(201);
    const approved = await head.post(`/api/volunteers/${vol.json().id}/approve`, {
      version: vol.json().version,
      username: `${name}_probe_vol`,
      password: TEST_PASSWORD,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const team = await head.post('/api/volunteer-teams', { name: `${street.word}探访服务队`, unitId: unit?.id, leaderId: vol.json().id });
    expect(team.statusCode, team.body).toBe(201);
    const activity = await head.post('/api/activities', {
      title: `${street.word}重阳敬老活动`,
      place: `${street.word}社区活动室`,
      unitId: unit?.id,
      startsAt: new Date(Date.now() + 86400_000).toISOString(),
      endsAt: new Date(Date.now() + 90000_000).toISOString(),
      capacity: 10,
      teamId: team.json().id,
      leaderId: vol.json().id,
    });
    expect(activity.statusCode, activity.body).toBe(201);
    const signup = await head.post(`/api/activities/${activity.json().id}/signups`, { volunteerId: vol.json().id });
    expect(signup.statusCode, signup.body).toBe(201);
    // A submitted daily report (每日一报) of today with the street's name in its highlights.
    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const report = await head.post('/api/daily-reports', { unitId: unit?.id, day, highlights: `${street.word}日报：走访独居老人` });
    expect(report.statusCode, report.body).toBe(201);
    expect((await head.post(`/api/daily-reports/${report.json().id}/submit`, { version: report.json().version })).statusCode).toBe(200);
    if (street === JFB)
      expect((await head.post('/api/zones', { stationId: unit?.id, name: `${street.word}片区`, regionCodes: [] })).statusCode).toBe(201);
    const offices = (await head.get(`/api/units?parentId=${unit?.id}`)).json().items;
    const office = (await head.get(`/api/units/${offices[0].id}`)).json();
    expect((await head.patch(`/api/units/${office.id}`, { version: office.version, phone: '023-6300 1234' })).statusCode).toBe(200);
    // A ticket (a call from the office's community, routed to the station), a hotline and a duty shift on it.
    const ticket = await head.post('/api/tickets', {
      channel: 'hotline',
      category: 'medicine',
      summary: `${street.word}居民来电：缺药`,
      regionCode: office.regionCode,
      callerName: `${street.word}来电人`,
      callerPhone: street === QXG ? '13800000001' : '13800000002',
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    expect(ticket.json().unitId).toBe(unit?.id);
    // A problem report (随手拍, a multipart form) from the office's community: it becomes a second ticket.
    const boundary = `----wushe-probe-${street === QXG ? 'qxg' : 'jfb'}`;
    const fields = {
      category: 'other',
      description: `${street.word}随手拍：楼道堆物`,
      place: `${street.word}社区3栋`,
      regionCode: office.regionCode,
    };
    const payload = [
      ...Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
      `--${boundary}--\r\n`,
    ].join('');
    const problem = await head.request({
      method: 'POST',
      url: '/api/problem-reports',
      payload: Buffer.from(payload),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(problem.statusCode, problem.body).toBe(201);
    const hotline = await head.post('/api/hotlines', {
      unitId: unit?.id,
      number: street === QXG ? '023-6380 0101' : '023-6380 0202',
      name: `${street.word}为民热线`,
      hours: '24小时',
    });
    expect(hotline.statusCode, hotline.body).toBe(201);
    const me = await queryOne<{ id: string }>(ctx.db, sql`select id from users where username = ${`${name}_head`}`);
    const shift = await head.post('/api/duty-shifts', {
      hotlineId: hotline.json().id,
      userId: me?.id,
      startsAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      endsAt: new Date(Date.now() - 3_600_000).toISOString(),
      calls: 3,
      peopleServed: 2,
      notes: `${street.word}值班记录`,
    });
    expect(shift.statusCode, shift.body).toBe(201);
    // A client of the office with a case (个案) and a group session: the street's name in title, comment and group.
    const client = await head.post('/api/clients', {
      unitId: office.id,
      name: `${street.word}个案对象`,
      riskLevel: 'high',
      // In a category, so that the list's category filter (client_category_postings) is probed with a match.
      categories: [{ category: 'dibao', startDate: '2024-01-01' }],
    });
    expect(client.statusCode, client.body).toBe(201);
    const kase = await head.post('/api/cases', {
      clientId: client.json().id,
      title: `${street.word}个案：独居老人照料`,
      source: 'walk_in',
    });
    expect(kase.statusCode, kase.body).toBe(201);
    expect((await head.post(`/api/cases/${kase.json().id}/comments`, { body: `${street.word}个案督导留言` })).statusCode).toBe(201);
    const group = await head.post('/api/case-groups', { kind: 'group', name: `${street.word}长者互助小组`, unitId: office.id });
    expect(group.statusCode, group.body).toBe(201);
    const session = await head.post(`/api/case-groups/${group.json().id}/sessions`, {
      sessionDate: '2026-01-10',
      topic: `${street.word}小组第一节`,
      clientIds: [client.json().id],
    });
    expect(session.statusCode, session.body).toBe(201);
    // A referral (转介) of that client from the office to its own station, with the street's name in the summary.
    const referral = await head.post('/api/referrals', {
      kind: 'referral',
      clientId: client.json().id,
      to: { kind: 'unit', unitId: unit?.id },
      summary: `${street.word}转介：助餐需求`,
      consent: { method: 'verbal', recordedBy: `${street.word}站长` },
    });
    expect(referral.statusCode, referral.body).toBe(201);
  }
  await collect(QXG);
  await collect(JFB);
  routes = await documentedRoutes(ctx.app);
});
afterAll(async () => ctx?.close());

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What a response says: its body, or for an xlsx export the sheet names and the text of every cell. */
async function bodyText(res: LightMyRequestResponse): Promise<string> {
  if (!String(res.headers['content-type'] ?? '').startsWith(XLSX_MIME) || res.statusCode !== 200) return res.body;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const parts: string[] = [];
  wb.eachSheet((ws) => {
    parts.push(ws.name);
    ws.eachRow((row) => {
      row.eachCell((cell) => {
        parts.push(cell.text);
      });
    });
  });
  return parts.join('\n');
}

/** Secrets of `street` found in a response (a body, or what bodyText read), leaving out what the request itself carried. */
function leaks(res: LightMyRequestResponse | string, street: Street, url: string): string[] {
  const sent = decodeURIComponent(url);
  const body = typeof res === 'string' ? res : res.body;
  return street.secrets.filter((s) => body.includes(s) && !sent.includes(s));
}

function cursorOf(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The values a list parameter is probed with: the other street's ids, names, codes and crafted cursors. */
function probeValues(name: string, schema: JsonSchema, other: Street): string[] {
  const types = [schema.type, ...(schema.anyOf ?? []).map((s) => s.type)].flat();
  const enums = [...(schema.enum ?? []), ...(schema.anyOf ?? []).flatMap((s) => s.enum ?? [])];
  if (name === 'limit') return ['200'];
  if (name === 'cursor') {
    return [
      cursorOf([other.secrets[3], other.stationId]),
      cursorOf([other.word, other.stationId]),
      cursorOf([1e12]),
      cursorOf(['', other.ids[1]]),
      // Hand-made cursors whose values PostgreSQL cannot cast (not a uuid, not a time): refused, never a 500.
      cursorOf(['not-a-time', 'not-a-uuid']),
      cursorOf([other.regionCodes[0], other.stationId]),
    ];
  }
  if (enums.length) return enums.map(String);
  // A free-text category (the client ledger's) with a code every street uses.
  if (name === 'category') return ['dibao', other.word];
  if (name === 'q')
    return [other.word, other.office.slice(0, 3), other.station, other.regionCodes[0], other.regionCodes[1], other.word.slice(0, 1)];
  if (schema.format === 'uuid' || /id$/i.test(name) || name === 'under') return other.ids;
  if (/code/i.test(name)) return [...new Set([...other.regionCodes, '500103'])];
  if (types.includes('integer') || types.includes('number')) return ['1', '5'];
  return [other.word, other.regionCodes[0], other.ids[0]];
}

interface ProbeStats {
  ok: number;
  probed: Set<string>;
}

async function probeList(c: Client, r: ApiRoute, other: Street, stats: ProbeStats) {
  const base: Record<string, string> = r.query.some((q) => q.name === 'limit') ? { limit: '200' } : {};
  const variants: Record<string, string>[] = [base];
  for (const p of r.query) for (const v of probeValues(p.name, p.schema, other)) variants.push({ ...base, [p.name]: v });
  for (const v of variants) {
    let url = `${r.path}?${new URLSearchParams(v)}`;
    for (let page = 0; page < 5; page++) {
      const res = await c.get(url);
      const where = `${c.username} GET ${url}`;
      expect(res.statusCode, `${where}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
      if (res.statusCode >= 400) errorOf(res);
      expect(leaks(await bodyText(res), other, url), where).toEqual([]);
      if (res.statusCode !== 200) break;
      stats.ok++;
      const next = String(res.headers['content-type'] ?? '').includes('json') ? res.json()?.nextCursor : null;
      if (!next) break;
      url = `${r.path}?${new URLSearchParams({ ...v, cursor: next })}`;
    }
  }
  stats.probed.add(r.path);
}

async function probeById(c: Client, r: ApiRoute, other: Street, stats: ProbeStats) {
  const qs = r.query.some((q) => q.name === 'limit') ? '?limit=200' : '';
  for (const id of other.ids) {
    const url = fillPath(r.path, () => id) + qs;
    const res = await c.get(url);
    const where = `${c.username} GET ${url}`;
    // An id of the other street is as unknown as one that never existed; a parameter that is not an id
    // (a region code) may refuse the uuid as malformed instead.
    const allowed = r.pathParams.every((p) => /id$/i.test(p)) ? [403, 404] : [400, 403, 404];
    expect(allowed, `${where}: ${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
    errorOf(res);
    expect(leaks(await bodyText(res), other, url), where).toEqual([]);
  }
  stats.probed.add(r.path);
}

async function probe(username: string, other: Street): Promise<ProbeStats> {
  const c = await signIn(ctx.app, username);
  const stats: ProbeStats = { ok: 0, probed: new Set() };
  for (const r of routes.filter((x) => x.method === 'GET' && !excludedBy(x.path))) {
    if (r.pathParams.length === 0) await probeList(c, r, other, stats);
    else await probeById(c, r, other, stats);
  }
  return stats;
}

describe('scope probe', () => {
  it('knows every GET route: documented (and so probed) or excluded with a reason', () => {
    const documented = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.path));
    const registered = registeredRoutes(ctx.app).filter((r) => r.method === 'GET' && r.path.startsWith('/api/'));
    expect(registered.length).toBeGreaterThan(10);
    const unknown = registered.filter((r) => !documented.has(r.path) && !excludedBy(r.path)).map((r) => r.path);
    expect(unknown, 'GET routes neither in the OpenAPI document (probed) nor excluded with a reason').toEqual([]);
    for (const [key, reason] of Object.entries(EXCLUDED)) {
      expect(reason.length, key).toBeGreaterThan(20);
      const exists = registered.some((r) => excludedBy(r.path) === key);
      expect(exists, `excluded route ${key} no longer exists: drop it from EXCLUDED`).toBe(true);
    }
  });

  it('the leak detector finds 七星岗 where it may be seen (the centre sees both streets)', async () => {
    const centre = await signIn(ctx.app, 'yz_centre');
    const url = '/api/units?limit=200';
    const res = await centre.get(url);
    expect(leaks(res, QXG, url)).toEqual(expect.arrayContaining(['七星岗', QXG.station, QXG.stationId]));
    expect(leaks(res, JFB, url)).toEqual(expect.arrayContaining(['解放碑', JFB.station, JFB.stationId]));
    const tbUrl = '/api/timebank/accounts?limit=200';
    const tb = await centre.get(tbUrl);
    expect(leaks(tb, QXG, tbUrl)).toEqual(expect.arrayContaining(['七星岗志愿者 时间账户']));
    expect(leaks(tb, JFB, tbUrl)).toEqual(expect.arrayContaining(['解放碑志愿者 时间账户']));
    const erUrl = '/api/errands?limit=200';
    const er = await centre.get(erUrl);
    expect(leaks(er, QXG, erUrl)).toEqual(expect.arrayContaining(['七星岗送药上门']));
    expect(leaks(er, JFB, erUrl)).toEqual(expect.arrayContaining(['解放碑送药上门']));
    const csUrl = '/api/cases?limit=200';
    const cs = await centre.get(csUrl);
    expect(leaks(cs, QXG, csUrl)).toEqual(expect.arrayContaining(['七星岗个案：独居老人照料']));
    expect(leaks(cs, JFB, csUrl)).toEqual(expect.arrayContaining(['解放碑个案：独居老人照料']));
    const drUrl = '/api/daily-reports?limit=200';
    const dr = await centre.get(drUrl);
    expect(leaks(dr, QXG, drUrl)).toEqual(expect.arrayContaining(['七星岗日报：走访独居老人']));
    expect(leaks(dr, JFB, drUrl)).toEqual(expect.arrayContaining(['解放碑日报：走访独居老人']));
    const auditor = await signIn(ctx.app, 'yz_auditor');
    const audit = await auditor.get('/api/audit?limit=200');
    expect(leaks(audit, QXG, '').length).toBeGreaterThan(0);
    const tkUrl = '/api/tickets?limit=200';
    const tk = await centre.get(tkUrl);
    expect(leaks(tk, QXG, tkUrl)).toEqual(expect.arrayContaining(['七星岗居民来电：缺药']));
    expect(leaks(tk, JFB, tkUrl)).toEqual(expect.arrayContaining(['解放碑居民来电：缺药']));
    // Exports are read inside (an xlsx is a zip: its text is not in the raw body).
    const exUrl = '/api/tickets/export';
    const ex = await bodyText(await centre.get(exUrl));
    expect(leaks(ex, QXG, exUrl)).toEqual(expect.arrayContaining(['七星岗居民来电：缺药']));
    expect(leaks(ex, JFB, exUrl)).toEqual(expect.arrayContaining(['解放碑居民来电：缺药']));
    const prUrl = '/api/problem-reports?limit=200';
    const pr = await centre.get(prUrl);
    expect(leaks(pr, QXG, prUrl)).toEqual(expect.arrayContaining(['七星岗随手拍：楼道堆物']));
    expect(leaks(pr, JFB, prUrl)).toEqual(expect.arrayContaining(['解放碑随手拍：楼道堆物']));
  });

  it('a station head edits their own station (its parent above their scope stays), but cannot move it', async () => {
    const head = await signIn(ctx.app, 'jfb_head');
    const station = (await head.get(`/api/units/${JFB.stationId}`)).json();
    const ok = await head.patch(`/api/units/${JFB.stationId}`, { version: station.version, openingHours: '周一至周六 9:00-18:00' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ openingHours: '周一至周六 9:00-18:00', parentId: station.parentId });
    const moved = await head.patch(`/api/units/${JFB.stationId}`, { version: station.version + 1, parentId: QXG.stationId });
    expect([400, 403]).toContain(moved.statusCode);
    expect(moved.body).not.toContain('七星岗');
    expect((await head.get(`/api/units/${JFB.stationId}`)).json().parentId).toBe(station.parentId);
  });

  for (const [username, own, other] of [
    ['jfb_sw', JFB, QXG],
    ['jfb_head', JFB, QXG],
    ['jfb_aud', JFB, QXG],
    ['qxg_sw', QXG, JFB],
    ['qxg_head', QXG, JFB],
    ['qxg_aud', QXG, JFB],
  ] as const) {
    it(`${username} sees nothing of ${other.word}, on any GET route`, async () => {
      const stats = await probe(username, other);
      // Not vacuous: the user's own street answers.
      const c = await signIn(ctx.app, username);
      const mine = await c.get(`/api/units/${own.stationId}`);
      expect(mine.statusCode).toBe(200);
      expect(mine.body).toContain(own.word);
      expect(stats.ok).toBeGreaterThan(10);
      const probed = routes.filter((r) => r.method === 'GET' && !excludedBy(r.path)).map((r) => r.path);
      expect([...stats.probed].sort()).toEqual([...new Set(probed)].sort());
      // Every GET route of ~20 modules with the other street's ids, names and region codes: minutes on PGlite
      // under a loaded CI machine, so this test has its own budget.
    }, 300_000);
  }
});
