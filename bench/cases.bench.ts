/**
 * cases: the case list and the overdue summary over 200,000 cases in 1,000 stations of a synthetic network
 * (paths `99.dDD.sSSSS`, 200 cases per station, every stage, ~15 % of the open ones overdue), inserted with
 * set-based SQL. Measured as a service (`findCases`, `overdueSummary`): a station head's overdue list sorted by
 * due date, their default list (latest change first, second page through the cursor) and a district's
 * overdue-by-worker summary. Baseline: the bare statement a hand-written list would send for the same rows
 * (ids only, same predicate and order, no joins, no count), timed in the same iterations.
 */
import { findCases, overdueSummary } from '../apps/server/src/modules/cases/cases.service.js';
import type { Actor } from '../apps/server/src/platform/actor.js';
import { type Db, query, sql } from '../apps/server/src/platform/db.js';
import { benchDatabase, fmt, note, percentiles, report } from './lib/common.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const WARMUP = 10;
const STATIONS = 1000;
const PER_STATION = 200;
const TARGET_P95_MS = 50;

const actor = (path: string): Actor => ({
  userId: null,
  username: 'bench',
  displayName: 'bench',
  role: 'station_head',
  unitId: null,
  scopePath: path,
});

async function insertCases(db: Db) {
  await db.execute(sql`
    with s as (select i, 'd' || lpad(((i - 1) / 25 + 1)::text, 2, '0') as d, 's' || lpad(i::text, 4, '0') as s from generate_series(1, ${STATIONS}) i),
    k as (select s.*, j, gen_random_uuid() as id from s, generate_series(1, ${PER_STATION}) j)
    insert into cases (id, client_id, unit_id, unit_path, owner_id, title, source, stage, plan_status, stage_entered_at, due_date,
      opened_at, created_at, updated_at)
    select id, gen_random_uuid(), md5('unit' || i)::uuid, ('99.' || d || '.' || s)::ltree, md5('owner' || i || '-' || (j % 4))::uuid,
      '个案 ' || i || '-' || j, (array['visit', 'ticket', 'referral', 'walk_in'])[1 + j % 4],
      (array['intake', 'assessment', 'plan', 'intervention', 'evaluation', 'closure', 'closed', 'closed'])[1 + j % 8],
      case when j % 8 in (2, 3, 4) then 'approved' else 'none' end,
      now() - (j % 60) * interval '1 day',
      case when j % 8 >= 6 then null else (now() at time zone 'Asia/Shanghai')::date + (j % 40) - 6 end,
      now() - (j % 300) * interval '1 day', now() - (j % 300) * interval '1 day', now() - (j * 7 % 500) * interval '1 hour'
    from k`);
  await db.execute(sql`update cases set due_date = null, closed_at = now() where stage = 'closed'`);
  await db.execute(sql`analyze cases`);
}

async function main() {
  const { database, drop } = await benchDatabase(10);
  try {
    const db = database.db;
    const t0 = Date.now();
    await insertCases(db);
    note(`${STATIONS * PER_STATION} cases inserted in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const station = '99.d07.s0157';
    const district = '99.d07';
    const first = await findCases(db, actor(station), { limit: 50, sort: 'updated' });
    const checks = await findCases(db, actor(station), { limit: 50, sort: 'due', open: 'true', overdue: 'true' });
    if (first.total !== PER_STATION || !first.nextCursor) throw new Error(`unexpected station list: total ${first.total}`);
    note(`station: ${first.total} cases, ${checks.total} overdue and open`);

    const cases: Record<string, { service: () => Promise<unknown>; baseline: () => Promise<unknown> }> = {
      'station-overdue-by-due': {
        service: () => findCases(db, actor(station), { limit: 50, sort: 'due', open: 'true', overdue: 'true' }),
        baseline: () =>
          query(
            db,
            sql`select id from cases where unit_path <@ ${station}::ltree and stage <> 'closed'
                and due_date < (now() at time zone 'Asia/Shanghai')::date order by due_date, id limit 51`,
          ),
      },
      'station-list-page2': {
        service: () => findCases(db, actor(station), { limit: 50, sort: 'updated', cursor: first.nextCursor ?? undefined }),
        baseline: () =>
          query(db, sql`select id from cases where unit_path <@ ${station}::ltree order by updated_at desc, id desc offset 50 limit 51`),
      },
      'district-overdue-summary': {
        service: () => overdueSummary(db, actor(district), 'owner'),
        baseline: () =>
          query(
            db,
            sql`select owner_id, count(*) from cases where unit_path <@ ${district}::ltree and stage <> 'closed'
                and due_date < (now() at time zone 'Asia/Shanghai')::date group by 1`,
          ),
      },
    };
    for (const [name, fns] of Object.entries(cases)) {
      const samples = { service: [] as number[], baseline: [] as number[] };
      for (let i = 0; i < ITERATIONS + WARMUP; i++) {
        for (const k of ['baseline', 'service'] as const) {
          const t = performance.now();
          await fns[k]();
          if (i >= WARMUP) samples[k].push(performance.now() - t);
        }
      }
      const s = percentiles(samples.service);
      const b = percentiles(samples.baseline);
      report(
        `cases-${name} p95: ${fmt(s.p95)} ms (${(s.p95 / b.p95).toFixed(1)}x vs bare statement ${fmt(b.p95)} ms; p50 ${fmt(s.p50)} ms)`,
        { text: `< ${TARGET_P95_MS} ms`, met: s.p95 < TARGET_P95_MS },
      );
    }
  } finally {
    await drop();
  }
}

await main();
