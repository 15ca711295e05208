/**
 * coverage: latency of coverageReport on a synthetic province '99' (4 cities, 40 districts, 1,000
 * streets, 10,000 communities; a centre per district, an operating station in ~80 % of the streets and
 * an office in ~60 % of the communities), called as a service and through HTTP as a global admin, for
 * the province and for one district. Baseline: a bare `count(*)` of the same region subtree.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../apps/server/src/app.js';
import { coverageReport } from '../apps/server/src/modules/network/coverage.service.js';
import type { Actor } from '../apps/server/src/platform/actor.js';
import { loadConfig } from '../apps/server/src/platform/config.js';
import { type Db, query, queryOne, sql } from '../apps/server/src/platform/db.js';
import { makeUser } from '../apps/server/src/seed/factories.js';
import { benchDatabase, fmt, note, percentiles, report } from './lib/common.js';

const PASSWORD = 'Bench#Passw0rd';
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const WARMUP = 20;
const TARGET_P95_MS = 50;
const PROVINCE = '99';
const DISTRICT = '990101';

/** Regions of province 99: cities 9901–9904, 10 districts each, 25 streets per district, 10 communities per street. */
async function insertRegions(db: Db) {
  await db.execute(sql`insert into regions (code, name, level, parent_code, path, pinyin, initials)
    values ('99', '基准省', 1, null, '99'::ltree, 'jizhunsheng', 'jzs')`);
  await db.execute(sql`
    with c as (select '99' || lpad(i::text, 2, '0') as code from generate_series(1, 4) i),
    d as (select c.code as city, c.code || lpad(i::text, 2, '0') as code from c, generate_series(1, 10) i),
    s as (select d.city, d.code as district, d.code || lpad(i::text, 3, '0') as code from d, generate_series(1, 25) i),
    v as (select s.city, s.district, s.code as street, s.code || lpad(i::text, 3, '0') as code from s, generate_series(1, 10) i),
    rows as (
      select code, 2 as level, '99' as parent, '99.' || code as path from c
      union all select code, 3, city, '99.' || city || '.' || code from d
      union all select code, 4, district, '99.' || city || '.' || district || '.' || code from s
      union all select code, 5, street, '99.' || city || '.' || district || '.' || street || '.' || code from v
    )
    insert into regions (code, name, level, parent_code, path, pinyin, initials)
    select code, '区划' || code, level, parent, path::ltree, 'quhua' || code, 'qh' || code from rows`);
}

/** A bureau for the province, a centre per district, stations in ~80 % of streets, offices in ~75 % of their communities. */
async function insertUnits(db: Db) {
  const cols = sql`(id, code, name, kind, region_code, region_path, parent_id, path, depth, status)`;
  await db.execute(sql`insert into units ${cols}
    select gen_random_uuid(), '99', '基准省民政厅', 'bureau', '99', '99'::ltree, null, '99'::ltree, 1, 'operating'`);
  await db.execute(sql`insert into units ${cols}
    select gen_random_uuid(), r.code, r.name || '社会工作指导中心', 'centre', r.code, r.path, b.id, ('99.' || r.code)::ltree, 2, 'operating'
    from regions r, units b where r.level = 3 and r.path <@ '99' and b.code = '99'`);
  await db.execute(sql`insert into units ${cols}
    select gen_random_uuid(), r.code, r.name || '社会工作服务站', 'station', r.code, r.path, c.id, (c.path::text || '.' || r.code)::ltree, 3, 'operating'
    from regions r join units c on c.code = r.parent_code
    where r.level = 4 and r.path <@ '99' and abs(hashtext(r.code)) % 100 < 80`);
  await db.execute(sql`insert into units ${cols}
    select gen_random_uuid(), r.code, r.name || '社会工作室', 'office', r.code, r.path, s.id, (s.path::text || '.' || r.code)::ltree, 4, 'operating'
    from regions r join units s on s.code = r.parent_code and s.kind = 'station'
    where r.level = 5 and r.path <@ '99' and abs(hashtext(r.code)) % 100 < 75`);
}

async function main() {
  note('creating the database and the synthetic province 99');
  const { database, url, drop } = await benchDatabase(10);
  let app: FastifyInstance | undefined;
  try {
    const db = database.db;
    await insertRegions(db);
    await insertUnits(db);
    const admin = await makeUser(db, { username: 'bench_admin', password: PASSWORD, role: 'system_admin', unit: null });
    await db.execute(sql`analyze`);
    const counts = await query<{ level: number; n: number }>(
      db,
      sql`select level, count(*)::int as n from regions where path <@ '99' group by level order by level`,
    );
    const kinds = await query<{ kind: string; n: number }>(db, sql`select kind, count(*)::int as n from units group by kind order by kind`);
    note(`regions by level ${counts.map((c) => `${c.level}:${c.n}`).join(' ')}; units ${kinds.map((k) => `${k.kind}:${k.n}`).join(' ')}`);

    const actor: Actor = {
      userId: admin.id,
      username: 'bench_admin',
      displayName: 'bench_admin',
      role: 'system_admin',
      unitId: null,
      scopePath: null,
    };
    const province = await coverageReport(db, actor, PROVINCE);
    note(
      `province: streets ${province.streets.covered}/${province.streets.total}, communities ${province.villages.covered}/${province.villages.total}, ${province.children.length} children`,
    );
    if (province.streets.total !== 1000 || province.villages.total !== 10000) throw new Error('unexpected synthetic province');

    const config = loadConfig({}, { databaseUrl: url, dataDir: 'memory://', webDist: undefined, loginRateLimitPerMinute: 1000 });
    app = await buildApp(config, database);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench_admin', password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const http = async (code: string) => {
      const res = await fetch(`${base}/api/coverage?regionCode=${code}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`GET /api/coverage?regionCode=${code}: ${res.status}`);
      await res.arrayBuffer();
    };

    note(`${ITERATIONS} sequential iterations after ${WARMUP} warm-up calls each`);
    for (const [label, code] of [
      ['province', PROVINCE],
      ['district', DISTRICT],
    ] as const) {
      const region = await queryOne<{ path: string }>(db, sql`select path::text as path from regions where code = ${code}`);
      if (!region) throw new Error(`no region ${code}`);
      // The three are timed in turn within each iteration, so that they see the same background load.
      const samples = { baseline: [] as number[], service: [] as number[], http: [] as number[] };
      const fns = {
        baseline: () => db.execute(sql`select count(*) from regions where path <@ ${region.path}::ltree`),
        service: () => coverageReport(db, actor, code),
        http: () => http(code),
      };
      for (let i = 0; i < WARMUP + ITERATIONS; i++) {
        for (const k of ['baseline', 'service', 'http'] as const) {
          const t0 = performance.now();
          await fns[k]();
          if (i >= WARMUP) samples[k].push(performance.now() - t0);
        }
      }
      const baseline = percentiles(samples.baseline);
      const service = percentiles(samples.service);
      const viaHttp = percentiles(samples.http);
      const vs = (p: number) => `${(p / baseline.p95).toFixed(1)}x vs bare count(*) of the subtree ${fmt(baseline.p95)} ms`;
      const target = (p: number) => (label === 'province' ? { text: `< ${TARGET_P95_MS} ms`, met: p < TARGET_P95_MS } : undefined);
      report(`coverage-${label} p95: ${fmt(service.p95)} ms (${vs(service.p95)})`, target(service.p95));
      report(`coverage-${label} p50/p99: ${fmt(service.p50)} / ${fmt(service.p99)} ms (min ${fmt(service.min)} ms)`);
      report(`coverage-${label}-http p95: ${fmt(viaHttp.p95)} ms (${vs(viaHttp.p95)})`, target(viaHttp.p95));
      report(`coverage-${label}-http p50/p99: ${fmt(viaHttp.p50)} / ${fmt(viaHttp.p99)} ms (min ${fmt(viaHttp.min)} ms)`);
    }
  } finally {
    await app?.close();
    await drop();
  }
}

await main();
