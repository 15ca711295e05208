/**
 * Malformed input against every state-changing endpoint (enumerated from the OpenAPI document, so new
 * modules are fuzzed without editing this file), signed in as the system administrator with a valid CSRF
 * token. Every request is invalid by construction — a wrong path parameter, a body or query that breaks
 * its schema, text that is no JSON, a content type the route does not take, a body over the limit — so
 * the server must refuse each one with a 4xx and the uniform error body, never a 5xx, and write nothing:
 * a digest of every table is the same after each request as before the first.
 */
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, queryOne, sql } from '../src/platform/db.js';
import { type Client, errorOf, signIn, type TestContext, testApp } from './helpers.js';
import { type ApiRoute, documentedRoutes, fillPath, type JsonSchema, MUTATING_METHODS, registeredRoutes } from './routes.js';

let ctx: TestContext;
let admin: Client;
let routes: ApiRoute[];
let realIds: string[];
let tables: string[];
let baseline: Record<string, string>;
const sentPerRoute = new Map<string, number>();
let sentTotal = 0;

/** A digest of every table's rows (sessions by identity only: their last-seen time moves by itself). */
async function digest(): Promise<Record<string, string>> {
  const parts = tables.map((t) =>
    t === 'sessions'
      ? sql.raw(
          `select 'sessions' as t, md5(coalesce(string_agg(id || user_id::text || csrf_token, '|' order by id), '')) as h from sessions`,
        )
      : sql.raw(`select '${t}' as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from "${t}" x`),
  );
  const rows = await query<{ t: string; h: string }>(ctx.db, sql.join(parts, sql.raw(' union all ')));
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

beforeAll(async () => {
  // The login route stays in the fuzz: its limit is raised so that the rate limiter does not answer for it.
  ctx = await testApp({ config: { loginRateLimitPerMinute: 1_000_000 } });
  admin = await signIn(ctx.app, 'admin');
  routes = (await documentedRoutes(ctx.app)).filter((r) => MUTATING_METHODS.includes(r.method));
  const ids = await query<{ id: string }>(
    ctx.db,
    sql`(select id::text from units order by path limit 6) union all (select id::text from users limit 4)
        union all (select id::text from zones limit 2) union all (select id::text from operators limit 1)`,
  );
  realIds = ids.map((r) => r.id);
  tables = (
    await query<{ table_name: string }>(
      ctx.db,
      sql`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
    )
  ).map((r) => r.table_name);
  baseline = await digest();
});
afterAll(async () => ctx?.close());

// ---------------------------------------------------------------------------------------------- values

const BAD_IDS = [
  'not-a-uuid',
  '1',
  '0',
  '-1',
  "' or 1=1 --",
  '../../etc/passwd',
  '%00',
  '七星岗',
  '😀',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5',
  '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b6',
  '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5g',
  '0190a5b27c3d7e4f8a9b0c1d2e3f4a5b',
  '{0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b}',
  'x'.repeat(5000),
];

const unicodeText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 });
const anyJson = fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' });

function nest(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}
const deep = fc.tuple(fc.integer({ min: 20, max: 3000 }), fc.constantFrom('array' as const, 'object' as const)).map(([d, k]) => nest(d, k));

type Category = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
const BY_CATEGORY: Record<Category, fc.Arbitrary<unknown>> = {
  string: fc.oneof(unicodeText, fc.constantFrom('', ' ', '\u0000', '七星岗', '<script>alert(1)</script>', "'; drop table users; --")),
  number: fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(0, -0, 1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 5e-324),
  ),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.oneof(fc.array(anyJson, { maxLength: 5 }), deep.filter(Array.isArray)),
  object: fc.oneof(
    fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 5 }),
    deep.filter((v) => !Array.isArray(v)),
  ),
};

/** JSON types a schema admits (integer counts as number). */
function admitted(s: JsonSchema): Set<Category> | null {
  const out = new Set<Category>();
  const add = (x: JsonSchema): boolean => {
    if (x.anyOf || x.oneOf) return (x.anyOf ?? x.oneOf ?? []).every(add);
    if (x.allOf) return x.allOf.every(add);
    if (x.nullable) out.add('null');
    if (x.enum || x.const !== undefined) {
      for (const v of x.enum ?? [x.const]) out.add(v === null ? 'null' : Array.isArray(v) ? 'array' : (typeof v as Category));
      return true;
    }
    if (!x.type) return false; // unconstrained: anything goes
    for (const t of [x.type].flat()) out.add(t === 'integer' ? 'number' : (t as Category));
    return true;
  };
  return add(s) ? out : null;
}

/** Values that break `s` for sure: of a type it does not admit, or outside its limits. */
function violations(s: JsonSchema): fc.Arbitrary<unknown>[] {
  const ok = admitted(s);
  if (!ok) return [];
  const out: fc.Arbitrary<unknown>[] = (Object.keys(BY_CATEGORY) as Category[]).filter((c) => !ok.has(c)).map((c) => BY_CATEGORY[c]);
  const plain = s.anyOf?.find((x) => x.type) ?? s;
  if (plain.enum) out.push(fc.constantFrom('not_a_value', '七星岗', 'SYSTEM_ADMIN', ' station', '__proto__'));
  if (plain.type === 'string') {
    if (plain.maxLength !== undefined) {
      const max = plain.maxLength;
      out.push(fc.integer({ min: 1, max: 20_000 }).chain((k) => fc.constantFrom('七'.repeat(max + k), 'x'.repeat(max + k))));
    }
    if ((plain.minLength ?? 0) > 0) out.push(fc.constant(''));
    if (plain.format === 'uuid') out.push(fc.constantFrom(...BAD_IDS.filter((x) => x.length < 100)));
    if (plain.pattern || plain.format) out.push(fc.constantFrom('zz\u0000😀 <x>', '七星岗-\u202e', '99999999999999999999x'));
  }
  if (plain.type === 'integer' || plain.type === 'number') {
    if (plain.type === 'integer') out.push(fc.double({ min: 0.001, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)));
    if (typeof plain.minimum === 'number') {
      const min = plain.minimum;
      out.push(fc.integer({ min: 1, max: 1e9 }).map((k) => min - k));
    }
    if (typeof plain.maximum === 'number') {
      const max = plain.maximum;
      out.push(fc.constantFrom(max * 2 + 1, 1e300));
    }
  }
  if (plain.type === 'array') {
    if (plain.maxItems !== undefined) {
      const max = plain.maxItems;
      out.push(fc.constant(Array.from({ length: max + 1 }, () => 'x')));
    }
    if (plain.items) {
      const bad = violations(plain.items);
      if (bad.length) out.push(fc.oneof(...bad).map((v) => [v]));
    }
  }
  return out;
}

/** A plausible value for a property (valid often, not always: the one violation decides the outcome). */
function plausible(s: JsonSchema): fc.Arbitrary<unknown> {
  const plain = s.anyOf?.find((x) => x.type) ?? s;
  const options: fc.Arbitrary<unknown>[] = [anyJson];
  if (plain.enum) options.push(fc.constantFrom(...plain.enum));
  if (plain.format === 'uuid') options.push(fc.constantFrom(...realIds), fc.uuid());
  if (plain.type === 'string' && !plain.format) options.push(fc.constantFrom('测试名称', '500103001013', 'Strong#Passw0rd', '2024-01-01'));
  if (plain.type === 'integer' || plain.type === 'number') options.push(fc.constantFrom(1, 2, 100));
  if (plain.type === 'array') options.push(fc.constant([]));
  if (s.nullable || s.anyOf?.some((x) => x.nullable || x.type === 'null')) options.push(fc.constant(null));
  return fc.oneof(...options);
}

/** An object shaped like the schema with exactly one sure violation (a bad value or a missing field). */
function brokenObject(schema: JsonSchema): fc.Arbitrary<unknown> | null {
  const props = schema.properties ?? {};
  const names = Object.keys(props);
  const base = fc.record(Object.fromEntries(names.map((n) => [n, plausible(props[n])])), { requiredKeys: [] });
  const ways: fc.Arbitrary<unknown>[] = [];
  for (const n of names) {
    const bad = violations(props[n]);
    if (bad.length) ways.push(fc.tuple(base, fc.oneof(...bad)).map(([b, v]) => ({ ...b, [n]: v })));
  }
  for (const n of schema.required ?? []) {
    if (props[n]?.default !== undefined) continue;
    ways.push(
      base.map((b) => {
        const { [n]: _gone, ...rest } = b as Record<string, unknown>;
        return rest;
      }),
    );
  }
  return ways.length ? fc.oneof(...ways) : null;
}

// -------------------------------------------------------------------------------------------- requests

interface Req {
  route: ApiRoute;
  url: string;
  payload?: string;
  contentType?: string;
  why: string;
}

const UNPARSABLE_JSON = [
  '{',
  '{"a":}',
  "{'name':'x'}",
  '[1,2',
  'undefined',
  'NaN',
  '\u0000',
  '{"name":"x"} trailing',
  '{"name":"x",}',
  '',
  '   ',
  '"unterminated',
  '{"a":1e999999}x',
  '['.repeat(20_000),
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"name":"七星岗机构","__proto__":{"role":"system_admin"}}',
  '{"a":{"b":{"__proto__":{"polluted":true}}}}',
];
/** Content types no route parses (415), and a body over the 1 MiB limit (413): refused before any handler. */
const FOREIGN_TYPES = ['application/xml', 'application/x-www-form-urlencoded', 'text/csv', 'image/png', 'application/octet-stream'];

const realOrRandomId = () => fc.oneof(fc.constantFrom(...realIds), fc.uuid());

function pathFor(route: ApiRoute, ids: fc.Arbitrary<string>): fc.Arbitrary<string> {
  if (route.pathParams.length === 0) return fc.constant(route.path);
  return fc.array(ids, { minLength: route.pathParams.length, maxLength: route.pathParams.length }).map((vals) => {
    let i = 0;
    return fillPath(route.path, () => vals[i++]);
  });
}

/** A valid query for the route (random values where needed) or none. */
function queryFor(route: ApiRoute): fc.Arbitrary<string> {
  const required = route.query.filter((q) => q.required);
  if (!required.length) return fc.constant('');
  return fc.constant(`?${required.map((q) => `${q.name}=1`).join('&')}`);
}

function requestsFor(route: ApiRoute): fc.Arbitrary<Req> {
  const ways: fc.Arbitrary<Req>[] = [];
  const hasJsonBody = route.body?.contentType === 'application/json';
  const anyBody = fc.oneof(
    fc.constant(undefined),
    anyJson.map((v) => JSON.stringify(v)),
  );
  // A malformed path parameter: refused before the body counts.
  if (route.pathParams.length) {
    ways.push(
      fc
        .record({
          path: pathFor(
            route,
            fc.oneof(
              fc.constantFrom(...BAD_IDS),
              unicodeText.filter((s) => !/^[0-9a-f-]{36}$/i.test(s)),
            ),
          ),
          q: queryFor(route),
          body: anyBody,
        })
        .map(({ path, q, body }) => ({
          route,
          url: path + q,
          payload: body,
          contentType: body === undefined ? undefined : 'application/json',
          why: 'bad path parameter',
        })),
    );
  }
  // A body that breaks the route's schema: not an object at all, or one field wrong or missing.
  if (hasJsonBody && route.body) {
    const broken = brokenObject(route.body.schema);
    const notObject = fc.oneof(BY_CATEGORY.string, BY_CATEGORY.number, BY_CATEGORY.boolean, BY_CATEGORY.null, BY_CATEGORY.array);
    const bodies = broken ? fc.oneof(notObject, broken, broken) : notObject;
    ways.push(
      fc.record({ path: pathFor(route, realOrRandomId()), q: queryFor(route), body: bodies }).map(({ path, q, body }) => ({
        route,
        url: path + q,
        payload: JSON.stringify(body),
        contentType: 'application/json',
        why: 'body against its schema',
      })),
    );
    // The right shape in a content type the route does not read as JSON.
    ways.push(
      fc
        .record({
          path: pathFor(route, realOrRandomId()),
          q: queryFor(route),
          body: broken ?? notObject,
          type: fc.constantFrom('text/plain', 'multipart/form-data; boundary=x'),
        })
        .map(({ path, q, body, type }) => ({
          route,
          url: path + q,
          payload: JSON.stringify(body),
          contentType: type,
          why: 'JSON as another content type',
        })),
    );
  }
  // A query that breaks its schema (e.g. DELETE …?version=).
  for (const qp of route.query.filter((q) => q.required)) {
    const bad = violations(qp.schema).length
      ? fc.constantFrom('', 'abc', '0', '-1', '1.5', '1e400', ' ', '七', 'NaN', '0x10', '[]', '9'.repeat(400))
      : null;
    if (!bad) continue;
    ways.push(
      fc.record({ path: pathFor(route, realOrRandomId()), v: bad, twice: fc.boolean() }).map(({ path, v, twice }) => ({
        route,
        url: `${path}?${qp.name}=${encodeURIComponent(v)}${twice ? `&${qp.name}=2` : ''}`,
        why: `bad query ${qp.name}`,
      })),
    );
  }
  // Text that is no JSON (or JSON with prototype-pollution keys), and content types nothing parses.
  // Path parameters are random here: for a route without a body schema this is the only thing refused.
  ways.push(
    fc
      .record({ path: pathFor(route, fc.uuid()), q: queryFor(route), text: fc.constantFrom(...UNPARSABLE_JSON) })
      .map(({ path, q, text }) => ({ route, url: path + q, payload: text, contentType: 'application/json', why: 'no JSON' })),
    fc
      .record({ path: pathFor(route, fc.uuid()), q: queryFor(route), type: fc.constantFrom(...FOREIGN_TYPES), text: unicodeText })
      .map(({ path, q, type, text }) => ({ route, url: path + q, payload: text, contentType: type, why: 'foreign content type' })),
  );
  return fc.oneof(...ways);
}

async function send(r: Req): Promise<void> {
  const opts: InjectOptions = { method: r.route.method as 'POST', url: r.url, headers: {} };
  if (r.payload !== undefined) {
    opts.payload = r.payload;
    opts.headers = { 'content-type': r.contentType ?? 'application/json' };
  }
  const res = await admin.request(opts);
  sentTotal++;
  const key = `${r.route.method} ${r.route.path}`;
  sentPerRoute.set(key, (sentPerRoute.get(key) ?? 0) + 1);
  const where = `${r.route.method} ${r.url.slice(0, 200)} (${r.why}) ${String(r.payload).slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, where).toBeLessThan(500);
  const err = errorOf(res);
  expect(Object.keys(res.json()), where).toEqual(['error']);
  expect(err.message, where).not.toMatch(/ at .+\(.+:\d+:\d+\)|node_modules|\/work\//);
  expect(await digest(), where).toEqual(baseline);
}

// ---------------------------------------------------------------------------------------------- tests

describe('fuzzing every mutating endpoint', () => {
  it('enumerates the mutating routes from the OpenAPI document, and the router has no others', () => {
    expect(routes.length).toBeGreaterThanOrEqual(12);
    const documented = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const hidden = registeredRoutes(ctx.app)
      .filter((r) => MUTATING_METHODS.includes(r.method) && !documented.has(`${r.method} ${r.path}`))
      .map((r) => `${r.method} ${r.path}`);
    expect(hidden, 'mutating routes missing from the OpenAPI document are not fuzzed').toEqual([]);
    expect(documented).toContain('POST /api/auth/login');
  });

  it('sends each route each kind of broken JSON and foreign content type', async () => {
    for (const route of routes) {
      const path = fillPath(route.path, () => '0190a5b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b');
      const q = route.query.some((x) => x.required)
        ? `?${route.query
            .filter((x) => x.required)
            .map((x) => `${x.name}=1`)
            .join('&')}`
        : '';
      for (const text of UNPARSABLE_JSON)
        await send({ route, url: path + q, payload: text, contentType: 'application/json', why: 'no JSON' });
      for (const type of FOREIGN_TYPES)
        await send({ route, url: path + q, payload: '<a>七星岗</a>', contentType: type, why: 'foreign content type' });
      await send({
        route,
        url: path + q,
        payload: JSON.stringify({ big: 'x'.repeat(1024 * 1024 + 10) }),
        contentType: 'application/json',
        why: 'over the body limit',
      });
    }
  });

  it('refuses 1,000+ generated malformed requests with a 4xx and the uniform body, and writes nothing', async () => {
    const perRoute = fc.constantFrom(...routes).chain(requestsFor);
    await fc.assert(
      fc.asyncProperty(perRoute, async (r) => send(r)),
      { numRuns: Math.max(1100, routes.length * 60), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: false },
    );
    expect(sentTotal).toBeGreaterThanOrEqual(1000);
    for (const r of routes) expect(sentPerRoute.get(`${r.method} ${r.path}`) ?? 0, `${r.method} ${r.path}`).toBeGreaterThanOrEqual(40);
    // The administrator's session survived it all, and the database is as it was.
    expect((await admin.get('/api/auth/session')).statusCode).toBe(200);
    expect(await digest()).toEqual(baseline);
    const n = await queryOne<{ n: number }>(ctx.db, sql`select count(*)::int as n from sessions`);
    expect(n?.n).toBe(1);
  }, 400_000);

  it('the digest does notice a write (so the checks above are not vacuous)', async () => {
    const unit = (await admin.get('/api/units?limit=1')).json().items[0];
    expect((await admin.patch(`/api/units/${unit.id}`, { version: unit.version, openingHours: '模糊测试之后' })).statusCode).toBe(200);
    const after = await digest();
    expect(after.units).not.toBe(baseline.units);
    expect(after.audit_log).not.toBe(baseline.audit_log);
  });
});
