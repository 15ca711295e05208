/**
 * The cross-street probe: every GET route of the app, found from the router and the OpenAPI document (so a
 * new module is probed without editing this file), called by users of 解放碑 with 七星岗's ids, names and
 * region codes — and the reverse. A leak across streets is the worst bug this system can have.
 */
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
  if (!street.office) street.office = units.find((u) => u.id !== station.id)?.name ?? '';
  street.ids = [...units, ...zones, ...users, ...operators, ...timebank].map((r) => r.id);
  street.regionCodes = units.map((u) => u.region_code);
  street.secrets = [
    street.word,
    ...units.flatMap((u) => [u.id, u.name, u.code, u.path]),
    ...zones.flatMap((z) => [z.id, z.name]),
    ...users.flatMap((u) => [u.id, u.username, u.display_name]),
    ...operators.flatMap((o) => [o.id, o.name]),
    ...timebank.flatMap((a) => [a.id, a.name]),
  ];
  expect(units.length).toBeGreaterThan(1);
  expect(users.length).toBeGreaterThanOrEqual(3);
  expect(operators.length).toBe(1);
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
    if (street === JFB)
      expect((await head.post('/api/zones', { stationId: unit?.id, name: `${street.word}片区`, regionCodes: [] })).statusCode).toBe(201);
    const offices = (await head.get(`/api/units?parentId=${unit?.id}`)).json().items;
    const office = (await head.get(`/api/units/${offices[0].id}`)).json();
    expect((await head.patch(`/api/units/${office.id}`, { version: office.version, phone: '023-6300 1234' })).statusCode).toBe(200);
  }
  await collect(QXG);
  await collect(JFB);
  routes = await documentedRoutes(ctx.app);
});
afterAll(async () => ctx?.close());

/** Secrets of `street` found in a response, leaving out what the request itself carried. */
function leaks(res: LightMyRequestResponse, street: Street, url: string): string[] {
  const sent = decodeURIComponent(url);
  return street.secrets.filter((s) => res.body.includes(s) && !sent.includes(s));
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
      expect(leaks(res, other, url), where).toEqual([]);
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
    expect(leaks(res, other, url), where).toEqual([]);
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
    const auditor = await signIn(ctx.app, 'yz_auditor');
    const audit = await auditor.get('/api/audit?limit=200');
    expect(leaks(audit, QXG, '').length).toBeGreaterThan(0);
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
    });
  }
});
