/**
 * errands-grab: grabs per second on the errand board (跑腿抢单) — through the whole application over HTTP
 * (`POST /api/errands/:id/grab` as courier volunteers), through the service alone (`grabErrand` in a
 * transaction, no HTTP), and a bare conditional `UPDATE … WHERE status = 'open' AND version = 1 RETURNING`
 * on a plain pg pool of the same size — all in the same run, alternating in rounds. Then the contended case:
 * 500 grabs thrown at once at 50 open errands (10 in flight), app vs bare.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.js';
import { writeAudit } from '../apps/server/src/modules/audit/audit.service.js';
import { grabErrand } from '../apps/server/src/modules/errands/errands.service.js';
import { loadRegions } from '../apps/server/src/modules/regions/regions.service.js';
import type { Actor } from '../apps/server/src/platform/actor.js';
import { loadConfig } from '../apps/server/src/platform/config.js';
import { type Db, query, queryOne, sql } from '../apps/server/src/platform/db.js';
import { seedDemo } from '../apps/server/src/seed/demo.js';
import { makeUser } from '../apps/server/src/seed/factories.js';
import { benchDatabase, fmt, note, report } from './lib/common.js';

const PASSWORD = 'Bench#Passw0rd';
const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PER_ROUND = Number(process.env.BENCH_GRABS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COURIERS = 10;
const POOL = 10;
/** Against the audited floor (UPDATE + audit entry): the rest of the request may cost at most half. */
const TARGET = 0.5;

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

/** `n` open errands of 兴隆街 (inserted with SQL, as the post route would leave them), their ids. */
async function openErrands(db: Db, n: number, ctx: { unitId: string; unitPath: string; poolId: string; cwId: string }) {
  const rows = await query<{ id: string }>(
    db,
    sql`insert into errands (id, kind, title, place, unit_id, unit_path, window_from, window_to, reward, funding_account_id, requested_by)
        select gen_random_uuid(), 'shopping', '压测代购 ' || g, '兴隆街 ' || g || ' 号', ${ctx.unitId}, ${ctx.unitPath}::ltree,
          now(), now() + interval '1 day', 100, ${ctx.poolId}, ${ctx.cwId}
        from generate_series(1, ${n}) g returning id`,
  );
  return rows.map((r) => r.id);
}

/** Runs `work(i)` for i in 0…n-1 with `concurrency` in flight; answers the elapsed seconds and the results. */
async function drive<T>(
  n: number,
  concurrency: number,
  work: (i: number, lane: number) => Promise<T>,
): Promise<{ seconds: number; results: T[] }> {
  const results: T[] = new Array(n);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      while (next < n) {
        const i = next++;
        results[i] = await work(i, lane);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, results };
}

async function main() {
  note('creating the database, loading the regions of 渝中区 and seeding the demo');
  const { database, url, drop } = await benchDatabase(POOL);
  let app: FastifyInstance | undefined;
  let pool: pg.Pool | undefined;
  try {
    const db = database.db;
    await loadRegions(db, ['500103']);
    await seedDemo(db, PASSWORD);
    const office = await queryOne<{ id: string; path: string }>(
      db,
      sql`select id, path::text as path from units where name = '兴隆街社区社会工作室'`,
    );
    const station = await queryOne<{ id: string; path: string }>(
      db,
      sql`select id, path::text as path from units where name = '七星岗街道社会工作服务站'`,
    );
    const cw = await queryOne<{ id: string }>(db, sql`select id from users where username = 'qxg_cw'`);
    const poolAccount = await queryOne<{ id: string }>(
      db,
      sql`select id from timebank_accounts where kind = 'unit_pool' and unit_id = ${office?.id} order by created_at limit 1`,
    );
    if (!office || !station || !cw || !poolAccount) throw new Error('demo seed is missing 兴隆街, 七星岗, qxg_cw or the errand pool');
    const ctx = { unitId: office.id, unitPath: office.path, poolId: poolAccount.id, cwId: cw.id };
    const couriers: { id: string; username: string }[] = [];
    for (let i = 0; i < COURIERS; i++)
      couriers.push(
        await makeUser(db, {
          username: `bench_courier_${i}`,
          displayName: `压测跑腿 ${i}`,
          password: PASSWORD,
          role: 'volunteer',
          unit: station,
        }),
      );

    const config = loadConfig({}, { databaseUrl: url, dataDir: 'memory://', webDist: undefined, loginRateLimitPerMinute: 1000 });
    app = await buildApp(config, database);
    const appUrl = await listen(app);
    const sessions: { cookie: string; csrf: string }[] = [];
    for (const c of couriers) {
      const login = await fetch(`${appUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: c.username, password: PASSWORD }),
      });
      if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      sessions.push({
        cookie: (login.headers.get('set-cookie') ?? '').split(';')[0],
        csrf: ((await login.json()) as { csrfToken: string }).csrfToken,
      });
    }
    const actors: Actor[] = couriers.map((c) => ({
      userId: c.id,
      username: c.username,
      displayName: c.username,
      role: 'volunteer',
      unitId: station.id,
      scopePath: station.path,
    }));

    const viaHttp = (ids: string[]) =>
      drive(ids.length, CONCURRENCY, async (i, lane) => {
        const s = sessions[lane % sessions.length];
        const res = await fetch(`${appUrl}/api/errands/${ids[i]}/grab`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
          body: '{"version":1}',
        });
        await res.arrayBuffer();
        return res.status;
      });
    const viaService = (ids: string[]) =>
      drive(ids.length, CONCURRENCY, async (i, lane) => {
        try {
          await db.transaction((tx) =>
            grabErrand({ db: tx as unknown as Db, actor: actors[lane % actors.length], id: ids[i], version: 1 }),
          );
          return 200;
        } catch (e) {
          return (e as { status?: number }).status ?? 500;
        }
      });
    pool = new pg.Pool({ connectionString: url, max: POOL });
    const p = pool;
    const BARE = `update errands set status = 'assigned', assignee_user_id = $2, assigned_at = now(), version = version + 1, updated_at = now()
      where id = $1 and status = 'open' and version = 1 and window_to > now() returning id`;
    const bare = (ids: string[]) =>
      drive(ids.length, CONCURRENCY, async (i, lane) =>
        (await p.query(BARE, [ids[i], couriers[lane % couriers.length].id])).rowCount === 1 ? 200 : 409,
      );

    // The floor every audited write of the platform shares: the same UPDATE plus one entry of the hash-chained
    // audit log (its advisory lock is held until commit, so audited writes queue there), in one transaction.
    const bareAudited = (ids: string[]) =>
      drive(ids.length, CONCURRENCY, async (i, lane) => {
        const ok = await db.transaction(async (t) => {
          const tx = t as unknown as Db;
          const row = await queryOne<{ id: string }>(
            tx,
            sql`update errands set status = 'assigned', assignee_user_id = ${couriers[lane % couriers.length].id}, assigned_at = now(),
                  version = version + 1, updated_at = now()
                where id = ${ids[i]} and status = 'open' and version = 1 and window_to > now() returning id`,
          );
          if (row)
            await writeAudit(tx, {
              actor: actors[lane % actors.length],
              action: 'errands.grabbed',
              entityType: 'errand',
              entityId: row.id,
            });
          return !!row;
        });
        return ok ? 200 : 409;
      });

    // Warm-up, then rounds alternating the three ways, each on fresh open errands.
    note(`warm-up, then ${ROUNDS} rounds of ${PER_ROUND} grabs each way, ${CONCURRENCY} in flight, ${COURIERS} couriers`);
    for (const way of [viaHttp, viaService, bare, bareAudited]) await way(await openErrands(db, 100, ctx));
    const rates: Record<'http' | 'service' | 'bare' | 'audited', number[]> = { http: [], service: [], bare: [], audited: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, way] of [
        ['bare', bare],
        ['audited', bareAudited],
        ['http', viaHttp],
        ['service', viaService],
      ] as const) {
        const ids = await openErrands(db, PER_ROUND, ctx);
        const { seconds, results } = await way(ids);
        const ok = results.filter((s) => s === 200).length;
        if (ok !== PER_ROUND) throw new Error(`${name}: ${ok} of ${PER_ROUND} grabs succeeded (${[...new Set(results)].join(', ')})`);
        rates[name].push(ok / seconds);
      }
      note(
        `round ${r + 1}: http ${fmt(rates.http[r])}/s, service ${fmt(rates.service[r])}/s, bare ${fmt(rates.bare[r])}/s, bare+audit ${fmt(rates.audited[r])}/s`,
      );
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ratio = (a: number[]) => mean(a) / mean(rates.bare);
    report(
      `errands-grab http: ${fmt(mean(rates.http))} grabs/s (${ratio(rates.http).toFixed(2)}x vs bare UPDATE … RETURNING ${fmt(mean(rates.bare))}/s; rounds ${rates.http.map((x, i) => (x / rates.bare[i]).toFixed(2)).join(' ')})`,
    );
    report(
      `errands-grab http vs bare UPDATE + audit entry: ${(mean(rates.http) / mean(rates.audited)).toFixed(2)}x of ${fmt(mean(rates.audited))}/s`,
      { text: `>= ${TARGET}x`, met: mean(rates.http) / mean(rates.audited) >= TARGET },
    );
    report(
      `errands-grab service: ${fmt(mean(rates.service))} grabs/s (${ratio(rates.service).toFixed(2)}x vs bare ${fmt(mean(rates.bare))}/s)`,
    );

    // Contended: 500 grabs of 50 errands (each errand asked 10 times), 10 in flight: 50 win, 450 get 409.
    const contended = async (way: (ids: string[]) => Promise<{ seconds: number; results: number[] }>) => {
      const ids = await openErrands(db, 50, ctx);
      const order = Array.from({ length: 500 }, (_, i) => ids[(i * 7) % 50]);
      const { seconds, results } = await way(order);
      const wins = results.filter((s) => s === 200).length;
      const lost = results.filter((s) => s === 409).length;
      if (wins !== 50 || lost !== 450) throw new Error(`contended: ${wins} won, ${lost} refused`);
      return 500 / seconds;
    };
    const cBare: number[] = [];
    const cHttp: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      cBare.push(await contended(bare));
      cHttp.push(await contended(viaHttp));
    }
    report(
      `errands-grab contended http: ${fmt(mean(cHttp))} attempts/s, 50 won + 450 × 409 each round (${(mean(cHttp) / mean(cBare)).toFixed(2)}x vs bare ${fmt(mean(cBare))}/s)`,
    );
    const audit = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from audit_log where action = 'errands.grabbed'`);
    note(`audit rows errands.grabbed: ${audit?.n}`);
  } finally {
    await app?.close();
    await pool?.end();
    await drop();
  }
}

await main();
