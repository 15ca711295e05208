import { Cron } from 'croner';
import { sql } from 'drizzle-orm';
import type { Database, Db } from './db.js';
import { queryOne } from './db.js';

export interface Job {
  name: string;
  /** Cron pattern, evaluated in Asia/Shanghai. */
  schedule: string;
  run(db: Db): Promise<unknown>;
}

/**
 * The one job interface: scheduled in-process with croner. Several servers on one PostgreSQL each
 * schedule the job, and a transaction-level advisory lock lets only one of them run it at a time.
 */
export function startJobs(database: Database, jobs: Job[], log: (msg: string) => void = () => {}): { stop(): void } {
  const crons = jobs.map(
    (job) =>
      new Cron(job.schedule, { timezone: 'Asia/Shanghai', protect: true }, async () => {
        try {
          await runExclusive(database.db, job);
          log(`job ${job.name} done`);
        } catch (err) {
          log(`job ${job.name} failed: ${(err as Error).message}`);
        }
      }),
  );
  return {
    stop: () => {
      for (const c of crons) c.stop();
    },
  };
}

/** Runs a job in one transaction under an advisory lock named after it; false when another runner holds it. */
export async function runExclusive(db: Db, job: Job): Promise<boolean> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const got = await queryOne<{ ok: boolean }>(t, sql`select pg_try_advisory_xact_lock(hashtext(${`wushe.job.${job.name}`})) as ok`);
    if (!got?.ok) return false;
    await job.run(t);
    return true;
  });
}
