import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';

/** Assessed needs of a client (需求评估), followed from open to met, referred or cannot be met. */
export const needs = pgTable(
  'needs',
  {
    id: uuid().primaryKey(),
    clientId: uuid().notNull(),
    unitPath: ltree().notNull(),
    needType: text().notNull(),
    severity: text().notNull(),
    description: text(),
    status: text().notNull().default('open'),
    statusReason: text(),
    visitId: uuid(),
    assessedBy: uuid(),
    assessedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('needs_client_id_idx').on(t.clientId),
    index('needs_unit_path_idx').using('gist', t.unitPath),
    index('needs_status_idx').on(t.status),
  ],
);

/**
 * Nominations (发现报告): a worker reports a person not yet in the ledger; the station checks and
 * accepts (the client is created and linked) or rejects with a reason.
 */
export const nominations = pgTable(
  'nominations',
  {
    id: uuid().primaryKey(),
    unitPath: ltree().notNull(),
    reportedBy: uuid(),
    name: text().notNull(),
    idNumberEnc: text(),
    idNumberMasked: text(),
    phoneEnc: text(),
    phoneMasked: text(),
    address: text(),
    regionCode: text().notNull(),
    situation: text().notNull(),
    suggestedCategories: text().array().notNull().default(sql`'{}'::text[]`),
    status: text().notNull().default('pending'),
    decidedBy: uuid(),
    decidedAt: timestamp({ withTimezone: true }),
    decisionReason: text(),
    clientId: uuid(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [index('nominations_unit_path_idx').using('gist', t.unitPath), index('nominations_status_idx').on(t.status)],
);
