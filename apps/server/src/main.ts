import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import { sql } from 'drizzle-orm';
import { buildApp } from './app.js';
import { runCaseOverdueScan } from './modules/cases/cases.service.js';
import { runReminders } from './modules/daily-reports/daily-reports.service.js';
import { sweepImportJobs } from './modules/imports/imports.service.js';
import { runReferralOverdueScan } from './modules/referrals/referrals.service.js';
import { countRegions, loadRegions } from './modules/regions/regions.service.js';
import { runTicketEscalation } from './modules/tickets/tickets.service.js';
import { runOverdueScan } from './modules/visits/visits.service.js';
import { loadConfig } from './platform/config.js';
import { type Db, openDatabase } from './platform/db.js';
import { startJobs } from './platform/jobs.js';
import { isSeeded, seedDemo, seedDemoCasework } from './seed/demo.js';
import { seedVolunteersDemo } from './seed/volunteers.js';

// On a machine with much memory V8 lets the old generation grow to up to 4x what survived the last full
// collection before collecting again. A 100,000-row client import keeps its parsed rows (~100 MB) for its one
// transaction and makes garbage that outlives young-generation collections (rows in flight to PostgreSQL), so
// the server reached ~600 MB RSS for ~120 MB live. Growing by half at most keeps the heap near what is live
// (bench/clients-import.bench.ts: ~340 MB peak), for a few more full collections of a few tens of ms each.
v8.setFlagsFromString('--heap-growing-percent=50');

/** Start-up: config → database → migrations → regions and demo (first run only) → listen. */
async function main() {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  const db = database.db;
  // Regions and demo on first start only, under a lock so that servers starting together seed once.
  const firstPassword = await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await t.execute(sql`select pg_advisory_xact_lock(727003)`);
    if ((await countRegions(t)) === 0) {
      const t0 = Date.now();
      const n = await loadRegions(t, ['50']);
      console.log(`Loaded ${n} regions of 重庆市 (Chongqing) in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
    }
    if (await isSeeded(t)) return null;
    const password = config.adminPassword ?? `Ws-${randomBytes(9).toString('base64url')}7a`;
    await seedDemo(t, password);
    return password;
  });
  // Imports that a stopped server left running wrote nothing (one transaction each): say so.
  const interrupted = await sweepImportJobs(database, { atStart: true, staleSeconds: config.importStaleSeconds });
  if (interrupted > 0) console.log(`${interrupted} import job(s) of an earlier run marked interrupted (nothing of them was written).`);
  const app = await buildApp(config, database, { logger: process.env.WUSHE_LOG === 'true', importLog: (m) => console.log(m) });
  // First start: the casework demo (clients of 兴隆街 with cases at different stages), sealed with the app's field key.
  if (firstPassword) await db.transaction((tx) => seedDemoCasework(tx as unknown as Db, app.fieldCrypto));
  // Volunteers of 七星岗 (qxg_vol's record, applications waiting), a team and activities, one past and confirmed.
  if (firstPassword) await db.transaction((tx) => seedVolunteersDemo(tx as unknown as Db, app.fieldCrypto));
  await app.listen({ host: config.host, port: config.port });
  // Daily at 06:00 Asia/Shanghai: recompute visit due dates and tell workers what is overdue.
  // Every 5 minutes: the daily-report reminder goes out once a day, at the configured time (Asia/Shanghai).
  const jobs = startJobs(
    database,
    [
      { name: 'overdue-scan', schedule: '0 6 * * *', run: (tx) => runOverdueScan(tx, null) },
      { name: 'daily-report-reminders', schedule: '*/5 * * * *', run: (tx) => runReminders(tx) },
      // Every 5 minutes: open tickets past their response or solution deadline go to the parent unit.
      { name: 'ticket-escalation', schedule: '*/5 * * * *', run: (tx) => runTicketEscalation(tx) },
      // Daily at 06:15: each worker hears how many of their cases are past their stage's due date.
      { name: 'case-overdue-scan', schedule: '15 6 * * *', run: (tx) => runCaseOverdueScan(tx) },
      // Daily at 06:20: referrals and transfers whose answer or feedback is overdue (once per hand-over and stage).
      { name: 'referral-overdue-scan', schedule: '20 6 * * *', run: (tx) => runReferralOverdueScan(tx) },
    ],
    (m) => app.log.info(m),
  );
  // PORT=0 asks the system for a free port (tests start several servers at once): print the real one.
  const address = app.server.address();
  const url = `http://${config.host}:${typeof address === 'object' && address ? address.port : config.port}`;
  console.log(`Wushe ${config.version} on ${database.kind === 'pglite' ? `PGlite (${config.dataDir})` : 'PostgreSQL'}: ${url}`);
  console.log(`API docs: ${url}/api/docs`);
  if (firstPassword) {
    console.log('First start: demo street 七星岗 loaded. Sign in as "admin" (or any demo user: qxg_head, qxg_sw, jfb_sw, …)');
    console.log(
      config.adminPassword ? 'with the password from WUSHE_ADMIN_PASSWORD.' : `with the password (shown only this once): ${firstPassword}`,
    );
  }
  const stop = async () => {
    jobs.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
