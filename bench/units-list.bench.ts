/**
 * units-list: requests/s of an authenticated, scoped `GET /api/units?limit=50` (station head of 七星岗)
 * through the whole application, against a bare Fastify + pg route that runs the very same two SQL
 * statements (page + count) that findUnits sends for that actor and query, and returns the rows as JSON.
 */
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.js';
import { UnitListQuerySchema } from '../apps/server/src/modules/network/network.schemas.js';
import { findUnits } from '../apps/server/src/modules/network/network.service.js';
import { loadRegions } from '../apps/server/src/modules/regions/regions.service.js';
import type { Actor } from '../apps/server/src/platform/actor.js';
import { loadConfig } from '../apps/server/src/platform/config.js';
import { type Db, query, sql } from '../apps/server/src/platform/db.js';
import { seedDemo } from '../apps/server/src/seed/demo.js';
import { makeUnit, unitByName } from '../apps/server/src/seed/factories.js';
import { benchDatabase, type CannonResult, cannon, fmt, note, report } from './lib/common.js';

const PASSWORD = 'Bench#Passw0rd';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const POOL = 10;
const TARGET = 0.5;

/** Points under each community of 七星岗 and four more stations of 渝中区 with their offices and points. */
async function addUnits(db: Db) {
  const qxg = await unitByName(db, '七星岗街道社会工作服务站');
  const centre = await unitByName(db, '渝中区社会工作指导中心');
  if (!qxg || !centre) throw new Error('demo seed is missing 七星岗 or the 渝中区 centre');
  const communities = await query<{ code: string; name: string }>(
    db,
    sql`select code, name from regions where parent_code = '500103001' order by code`,
  );
  for (const c of communities) {
    for (let i = 1; i <= 8; i++) {
      await makeUnit(db, { name: `${c.name}服务点${i}`, kind: 'point', regionCode: c.code, parentId: qxg.id });
    }
  }
  for (const street of ['500103004', '500103005', '500103007', '500103008']) {
    const region = await query<{ name: string }>(db, sql`select name from regions where code = ${street}`);
    const station = await makeUnit(db, {
      name: `${region[0].name}社会工作服务站`,
      kind: 'station',
      regionCode: street,
      parentId: centre.id,
    });
    const cs = await query<{ code: string; name: string }>(
      db,
      sql`select code, name from regions where parent_code = ${street} order by code`,
    );
    for (const c of cs) {
      await makeUnit(db, { name: `${c.name}社会工作室`, kind: 'office', regionCode: c.code, parentId: station.id });
      await makeUnit(db, { name: `${c.name}服务点`, kind: 'point', regionCode: c.code, parentId: station.id });
    }
  }
}

/** The SQL statements (text and parameters) that `fn` sends through `db`, while still running them. */
async function captureSql(db: Db, fn: (db: Db) => Promise<unknown>): Promise<{ sql: string; params: unknown[] }[]> {
  const dialect = (db as unknown as { dialect: { sqlToQuery(q: unknown): { sql: string; params: unknown[] } } }).dialect;
  const captured: { sql: string; params: unknown[] }[] = [];
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute') {
        return (q: unknown) => {
          captured.push(dialect.sqlToQuery(q));
          return target.execute(q as Parameters<Db['execute']>[0]);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  await fn(proxy);
  return captured;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

async function main() {
  note('creating the database, loading the regions of 重庆市 and seeding the demo');
  const { database, url, drop } = await benchDatabase(POOL);
  let app: FastifyInstance | undefined;
  let bare: FastifyInstance | undefined;
  let pool: pg.Pool | undefined;
  try {
    const db = database.db;
    await loadRegions(db, ['50']);
    await seedDemo(db, PASSWORD);
    await addUnits(db);
    await db.execute(sql`analyze`);

    const config = loadConfig({}, { databaseUrl: url, dataDir: 'memory://', webDist: undefined, loginRateLimitPerMinute: 1000 });
    app = await buildApp(config, database);
    const appUrl = await listen(app);

    const login = await fetch(`${appUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'qxg_head', password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const path = '/api/units?limit=50';
    const check = await fetch(`${appUrl}${path}`, { headers: { cookie } });
    const page = (await check.json()) as { items: unknown[]; total: number };
    if (check.status !== 200 || page.items.length !== 50 || page.total <= 50) {
      throw new Error(`unexpected list: ${check.status} ${page.items?.length} of ${page.total}`);
    }

    // The actor as the onRequest hook builds it, and the statements findUnits sends for it.
    const [user] = await query<{ id: string; unit_id: string; unit_path: string; display_name: string }>(
      db,
      sql`select id, unit_id, unit_path::text as unit_path, display_name from users where username = 'qxg_head'`,
    );
    const actor: Actor = {
      userId: user.id,
      username: 'qxg_head',
      displayName: user.display_name,
      role: 'station_head',
      unitId: user.unit_id,
      scopePath: user.unit_path,
    };
    const statements = await captureSql(db, (d) => findUnits(d, actor, UnitListQuerySchema.parse({ limit: '50' })));
    if (statements.length !== 2) throw new Error(`expected findUnits to send 2 statements, saw ${statements.length}`);
    const [pageSql, countSql] = statements;
    note(`captured findUnits SQL: ${pageSql.sql.replace(/\s+/g, ' ').slice(0, 160)}… params ${JSON.stringify(pageSql.params)}`);

    // Baseline: the same statements on a plain pg pool of the same size, rows returned as JSON.
    pool = new pg.Pool({ connectionString: url, max: POOL });
    const p = pool;
    bare = Fastify({ logger: false });
    bare.get('/bare/units', async () => {
      const rows = await p.query(pageSql.sql, pageSql.params);
      const total = await p.query(countSql.sql, countSql.params);
      return { items: rows.rows.slice(0, 50), total: Number(total.rows[0].n) };
    });
    const bareUrl = await listen(bare);
    const bareCheck = (await (await fetch(`${bareUrl}/bare/units`)).json()) as { items: unknown[]; total: number };
    if (bareCheck.items.length !== 50 || bareCheck.total !== page.total) throw new Error('baseline does not return the same page');

    // Baseline and app alternate in rounds, so that both see the same background load.
    note(
      `warm-up ${WARMUP} s each, then ${ROUNDS} rounds of ${DURATION} s × ${CONNECTIONS} connections each (list of ${page.total} units, page of 50)`,
    );
    const bareTarget = { url: `${bareUrl}/bare/units`, connections: CONNECTIONS };
    const appTarget = { url: `${appUrl}${path}`, connections: CONNECTIONS, headers: { cookie } };
    await cannon({ ...bareTarget, duration: WARMUP });
    await cannon({ ...appTarget, duration: WARMUP });
    const base: CannonResult[] = [];
    const real: CannonResult[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      base.push(await cannon({ ...bareTarget, duration: DURATION }));
      real.push(await cannon({ ...appTarget, duration: DURATION }));
      note(`round ${i + 1}: app ${fmt(real[i].requests.average)} req/s, bare ${fmt(base[i].requests.average)} req/s`);
    }
    for (const r of [...base, ...real]) {
      if (r.errors || r.timeouts || r.non2xx) throw new Error(`${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx`);
    }
    const mean = (rs: CannonResult[], f: (r: CannonResult) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
    const rps = (rs: CannonResult[]) => mean(rs, (r) => r.requests.average);
    const ratios = real.map((r, i) => r.requests.average / base[i].requests.average);
    const ratio = rps(real) / rps(base);
    report(
      `units-list: ${fmt(rps(real))} req/s (${ratio.toFixed(2)}x vs bare fastify+pg ${fmt(rps(base))} req/s; rounds ${ratios.map((r) => r.toFixed(2)).join(' ')})`,
      { text: `>= ${TARGET}x`, met: ratio >= TARGET },
    );
    for (const p of ['p50', 'p99'] as const) {
      const a = mean(real, (r) => r.latency[p]);
      const b = mean(base, (r) => r.latency[p]);
      report(`units-list latency ${p}: ${fmt(a)} ms (${(a / b).toFixed(2)}x vs bare fastify+pg ${fmt(b)} ms)`);
    }
  } finally {
    await app?.close();
    await bare?.close();
    await pool?.end();
    await drop();
  }
}

await main();
