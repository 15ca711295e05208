import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * Background import jobs (big client sheets): the uploaded file is kept here until the job ends, so that any
 * server of several may run it; progress is written as the job goes. A job runs in one transaction: when its
 * server dies half-way, nothing of it is in the ledger and the next start marks it `interrupted`.
 */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid().primaryKey(),
    /** What is imported: 'clients'. */
    kind: text().notNull(),
    /** queued → running → succeeded | failed | interrupted. */
    status: text().notNull().default('queued'),
    commit: boolean().notNull().default(false),
    mode: text().notNull().default('all'),
    mapping: jsonb(),
    fileName: text(),
    fileSize: integer().notNull(),
    fileSha256: text().notNull(),
    /** The upload; cleared when the job ends. */
    file: bytea(),
    /** reading → checking → writing → done. */
    phase: text(),
    processed: integer().notNull().default(0),
    total: integer(),
    report: jsonb(),
    error: jsonb(),
    userId: uuid().notNull(),
    unitPath: ltree().notNull(),
    /** The server process that runs the job (host:pid:start), to tell a live job from an orphan. */
    runner: text(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    heartbeatAt: timestamp({ withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    index('import_jobs_user_id_created_at_idx').on(t.userId, t.createdAt),
    index('import_jobs_unit_path_idx').using('gist', t.unitPath),
    index('import_jobs_open_idx').on(t.status).where(sql`status in ('queued', 'running')`),
  ],
);
