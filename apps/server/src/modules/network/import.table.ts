import { jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from '../../db/types.js';

/**
 * Idempotency keys of bulk writes (imports): the `Idempotency-Key` header of a committed request, who sent
 * it, a hash of what was sent and the answer given, so that a retried request is answered again instead of
 * written twice. Keys are per user and per purpose ('units.import', …).
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    id: uuid().primaryKey(),
    actorId: uuid(),
    purpose: text().notNull(),
    key: text().notNull(),
    /** SHA-256 (hex) of the request body: the same key with another body is refused. */
    requestHash: text().notNull(),
    response: jsonb(),
    ...timestamps,
  },
  (t) => [uniqueIndex('idempotency_keys_actor_id_purpose_key_idx').on(t.actorId, t.purpose, t.key)],
);
