import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ltree } from '../../db/types.js';

/**
 * Append-only, hash-chained audit log. `seq` is assigned under an advisory lock as the previous
 * row's seq + 1, so the chain cannot fork; a trigger refuses UPDATE and DELETE.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid().primaryKey(),
    seq: bigint({ mode: 'number' }).notNull(),
    at: timestamp({ withTimezone: true }).notNull(),
    actorId: uuid(),
    actorName: text(),
    actorRole: text(),
    actorUnitId: uuid(),
    ip: text(),
    userAgent: text(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    /** Path of the unit the entity belongs to: who may read this entry. */
    unitPath: ltree(),
    before: jsonb(),
    after: jsonb(),
    prevHash: text().notNull(),
    hash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('audit_log_seq_idx').on(t.seq),
    index('audit_log_unit_path_idx').using('gist', t.unitPath),
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
    index('audit_log_at_idx').on(t.at),
  ],
);
