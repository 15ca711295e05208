import { sql } from 'drizzle-orm';
import { index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';

/** Visits (走访/探访): who went, how, with whom (five societies), what was found. */
export const visits = pgTable(
  'visits',
  {
    id: uuid().primaryKey(),
    clientId: uuid().notNull(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    visitedAt: timestamp({ withTimezone: true }).notNull(),
    kind: text().notNull(),
    workerIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    /** Five-societies tags of who took part: community, social_org, social_worker, volunteer, charity. */
    partners: text().array().notNull().default(sql`'{}'::text[]`),
    findings: text(),
    needsFound: text().array().notNull().default(sql`'{}'::text[]`),
    followUp: text(),
    latitude: numeric({ precision: 9, scale: 6 }),
    longitude: numeric({ precision: 9, scale: 6 }),
    createdBy: uuid(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('visits_client_id_visited_at_idx').on(t.clientId, t.visitedAt),
    index('visits_unit_path_idx').using('gist', t.unitPath),
    index('visits_visited_at_idx').on(t.visitedAt),
  ],
);

/**
 * Visit cadence rules of the deployment: a risk level or a category and its interval in days.
 * A client's interval is the shortest of the rules that apply to it.
 */
export const visitCadenceRules = pgTable(
  'visit_cadence_rules',
  {
    id: uuid().primaryKey(),
    kind: text().notNull(),
    key: text().notNull(),
    intervalDays: integer().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('visit_cadence_rules_kind_key_idx').on(t.kind, t.key)],
);
