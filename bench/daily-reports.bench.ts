/**
 * daily-reports: the 每日一报 roll-up on a synthetic province '99' (40 districts, 1,000 streets, a station in
 * every street, an office in ~30 % of the communities) holding 1,000 stations × 365 days of reports (~97 %
 * filed, ~95 % of those submitted), generated with set-based SQL. Measured: `rollup()` (totals, per child
 * unit, per day, completeness and the missing units) for a district and the province, of a random day and
 * of a random month of the year, as a service and through HTTP. Baseline: a naive GROUP BY over the same raw
 * report rows (the figure sums per child unit, nothing else), timed in the same iterations.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../apps/server/src/app.js';
import { addDays, rebuildRollups, rollup, shanghaiToday } from '../apps/server/src/modules/daily-reports/daily-reports.service.js';
import type { Actor } from '../apps/server/src/platform/actor.js';
import { loadConfig } from '../apps/server/src/platform/config.js';
import { type Db, query, queryOne, sql } from '../apps/server/src/platform/db.js';
import { makeUser } from '../apps/server/src/seed/factories.js';
import { benchDatabase, fmt, note, percentiles, report } from './lib/common.js';

const PASSWORD = 'Bench#Passw0rd';
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const WARMUP = 10;
const TARGET_P95_MS = 200;
const DAYS = 365;

/** Regions of province 99: 4 cities × 10 districts × 25 streets × 10 communities (as in coverage.bench.ts). */
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

/** A bureau, a centre per district, a station in every street (1,000), an office in ~30 % of the communities. */
async function insertUnits(db: Db) {
  const cols = sql`(id, code, name, kind, region_code, region_path, parent_id, path, depth, status)`;
  await db.execute(sql`insert into units ${cols}
    select gen_random_uuid(), '99', '基准省民政厅', 'bureau', '99', '99'::ltree, null, '99'::ltree, 1, 'operating'`);
  await db.execute(sql`insert into units ${cols}
    select gen_random_uuid(), r.code, r.name || '社会工作指导中心', 'centre', r.code, r.path, b.id, ('99.' || r.code)::ltree, 2, 'operating'
    from regions r, units b where r.level = 3 and r.path <@ '99' and b.code = '99'`);
  await db.execute(sql`insert into units ${cols}
    select gen_random_uuid(), r.code, r.name || '社会工作服务站', 'station', r.code, r.path, c.id, (c.path::text || '.' || r.code)::ltree, 3, 'operating'
    from regions r join units c on c.code = r.parent_code where r.level = 4 and r.path <@ '99'`);
  await db.execute(sql`insert into units ${cols}
    select gen_random_uuid(), r.code, r.name || '社会工作室', 'office', r.code, r.path, s.id, (s.path::text || '.' || r.code)::ltree, 4, 'operating'
    from regions r join units s on s.code = r.parent_code and s.kind = 'station'
    where r.level = 5 and r.path <@ '99' and abs(hashtext(r.code)) % 100 < 30`);
}

/** 1,000 stations × 365 days: ~3 % of the (station, day) pairs never filed, ~5 % of the rest left as drafts. */
async function insertReports(db: Db, today: string) {
  await db.execute(sql`insert into daily_reports (id, unit_id, unit_path, day, status, late, people_served, visits, needs_met,
      tickets_received, shifts, calls, volunteer_hours, solved_grain, solved_oil, solved_vegetables, solved_medicine, solved_urgent_medical,
      solved_policy, solved_counselling, solved_emotional, solved_other, highlights, submitted_at)
    select gen_random_uuid(), u.id, u.path, dd.d, case when h % 100 < 95 then 'submitted' else 'draft' end, h % 50 = 0,
      h % 40, h % 17, h % 5, h % 9, h % 3, h % 23, (h % 700) / 100.0, h % 4, h % 3, h % 2, h % 5, h % 2, h % 6, h % 3, h % 4, h % 2,
      case when h % 10 = 0 then '走访独居老人，链接爱心粮油' end, dd.d + interval '17 hours'
    from units u cross join lateral (select ${today}::date - i as d from generate_series(0, ${DAYS - 1}::int) i) dd
      cross join lateral (select abs(hashtext(u.code || dd.d::text)) as h) x
    where u.kind = 'station' and u.path <@ '99' and x.h % 100 >= 3`);
}

async function main() {
  note('creating the database and the synthetic province 99');
  const { database, url, drop } = await benchDatabase(10);
  let app: FastifyInstance | undefined;
  try {
    const db = database.db;
    const today = shanghaiToday();
    await insertRegions(db);
    await insertUnits(db);
    // Bulk load with the roll-up trigger off, then the roll-up tables rebuilt set-based (as after an import).
    await db.execute(sql`alter table daily_reports disable trigger daily_reports_rollup`);
    let t0 = performance.now();
    await insertReports(db, today);
    const loadMs = performance.now() - t0;
    await db.execute(sql`alter table daily_reports enable trigger daily_reports_rollup`);
    t0 = performance.now();
    await rebuildRollups(db);
    const rebuildMs = performance.now() - t0;
    t0 = performance.now();
    await db.execute(sql`analyze`);
    const admin = await makeUser(db, { username: 'bench_admin', password: PASSWORD, role: 'system_admin', unit: null });
    const counts = await queryOne<{ reports: number; submitted: number; stations: number }>(
      db,
      sql`select count(*)::int as reports, count(*) filter (where status = 'submitted')::int as submitted,
            (select count(*)::int from units where kind = 'station') as stations from daily_reports`,
    );
    note(
      `${counts?.stations} stations, ${counts?.reports} reports (${counts?.submitted} submitted) inserted in ${fmt(loadMs / 1000)} s; analyze ${fmt((performance.now() - t0) / 1000)} s`,
    );
    if (counts?.stations !== 1000 || (counts?.reports ?? 0) < 340_000) throw new Error('unexpected synthetic province');
    const rollupRows = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from daily_report_rollups`);
    report(`daily-reports load: ${counts.reports} reports in ${fmt(loadMs / 1000)} s (set-based insert)`);
    report(`daily-reports rollup rebuild: ${rollupRows?.n} roll-up rows in ${fmt(rebuildMs / 1000)} s`);

    const actor: Actor = {
      userId: admin.id,
      username: 'bench_admin',
      displayName: 'bench_admin',
      role: 'system_admin',
      unitId: null,
      scopePath: null,
    };
    const province = await queryOne<{ id: string; path: string }>(db, sql`select id, path::text as path from units where code = '99'`);
    const district = await queryOne<{ id: string; path: string }>(db, sql`select id, path::text as path from units where code = '990101'`);
    if (!province || !district) throw new Error('no province or district unit');

    // A sanity check: the roll-up agrees with the baseline's sums.
    const check = await rollup(db, actor, { unitId: province.id, from: addDays(today, -30), to: today });
    const sums = await queryOne<{ people: number; filed: number }>(
      db,
      sql`select sum(people_served)::int as people, count(*)::int as filed from daily_reports
          where status = 'submitted' and day between ${addDays(today, -30)}::date and ${today}::date`,
    );
    if (check.totals.figures.peopleServed !== sums?.people || check.totals.filed !== sums?.filed)
      throw new Error(`roll-up disagrees with the raw sums: ${check.totals.figures.peopleServed} vs ${sums?.people}`);
    note(`province, last 31 days: completeness ${fmt(check.totals.completeness * 100, 1)} %, ${check.missingTotal} stations missing a day`);

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

    // Months wholly inside the year of data, and any day of it.
    const first = addDays(today, -(DAYS - 1));
    const months: string[] = [];
    for (let m = `${first.slice(0, 7)}-01`; m <= today; ) {
      if (m >= first) months.push(m.slice(0, 7));
      const [y, mo] = m.split('-').map(Number);
      m = mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
    }
    const monthRange = (month: string) => {
      const [y, mo] = month.split('-').map(Number);
      const next = mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
      const to = addDays(next, -1);
      return { from: `${month}-01`, to: to > today ? today : to };
    };
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];

    note(`${ITERATIONS} sequential iterations after ${WARMUP} warm-up calls each; a random day / month per iteration`);
    const results: string[] = [];
    for (const [label, unit] of [
      ['district', district],
      ['province', province],
    ] as const) {
      for (const period of ['day', 'month'] as const) {
        const samples = { baseline: [] as number[], service: [] as number[], http: [] as number[] };
        const level = unit.path.split('.').length;
        for (let i = 0; i < WARMUP + ITERATIONS; i++) {
          const day = addDays(today, -Math.floor(Math.random() * DAYS));
          const month = pick(months);
          const range = period === 'day' ? { from: day, to: day } : monthRange(month);
          const fns = {
            // Naive: the figure sums per child unit straight from the raw rows, one GROUP BY.
            baseline: () =>
              query(
                db,
                sql`select subpath(unit_path, 0, ${level + 1}) as child, count(*), sum(people_served), sum(visits), sum(needs_met),
                      sum(tickets_received), sum(shifts), sum(calls), sum(volunteer_hours), sum(solved_grain), sum(solved_oil),
                      sum(solved_vegetables), sum(solved_medicine), sum(solved_urgent_medical), sum(solved_policy), sum(solved_counselling),
                      sum(solved_emotional), sum(solved_other)
                    from daily_reports where unit_path <@ ${unit.path}::ltree and day between ${range.from}::date and ${range.to}::date
                      and status = 'submitted' group by 1`,
              ),
            service: () => rollup(db, actor, { unitId: unit.id, ...range }),
            http: async () => {
              const qs = period === 'day' ? `day=${day}` : `month=${month}`;
              const res = await fetch(`${base}/api/daily-reports/rollup?unitId=${unit.id}&${qs}`, { headers: { cookie } });
              if (res.status !== 200) throw new Error(`GET rollup ${qs}: ${res.status} ${await res.text()}`);
              await res.arrayBuffer();
            },
          };
          for (const k of ['baseline', 'service', 'http'] as const) {
            const t = performance.now();
            await fns[k]();
            if (i >= WARMUP) samples[k].push(performance.now() - t);
          }
        }
        const baseline = percentiles(samples.baseline);
        const service = percentiles(samples.service);
        const viaHttp = percentiles(samples.http);
        const vs = (p: number) => `${(p / baseline.p95).toFixed(1)}x vs naive GROUP BY ${fmt(baseline.p95)} ms`;
        const target = (p: number) => ({ text: `< ${TARGET_P95_MS} ms`, met: p < TARGET_P95_MS });
        report(`daily-reports-${label}-${period} p95: ${fmt(service.p95)} ms (${vs(service.p95)})`, target(service.p95));
        report(
          `daily-reports-${label}-${period} p50/p99: ${fmt(service.p50)} / ${fmt(service.p99)} ms (baseline p50 ${fmt(baseline.p50)} ms)`,
        );
        report(`daily-reports-${label}-${period}-http p95: ${fmt(viaHttp.p95)} ms (${vs(viaHttp.p95)})`, target(viaHttp.p95));
        results.push(label);
      }
    }
  } finally {
    await app?.close();
    await drop();
  }
}

await main();
