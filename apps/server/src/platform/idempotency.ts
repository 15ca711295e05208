import { sql } from 'drizzle-orm';
import type { Actor } from './actor.js';
import { type Db, queryOne } from './db.js';
import { AppError } from './errors.js';
import { newId } from './ids.js';

/**
 * Idempotency keys of bulk writes (the `idempotency_keys` table of modules/network/import.table.ts): the
 * `Idempotency-Key` header of a committed request, a hash of what was sent and the answer given, so that a
 * retried request is answered again instead of written twice. Keys are per user and per purpose.
 */

export interface IdempotencyRecord<T> {
  requestHash: string;
  response: T | null;
}

/** Checks the header value; keys are opaque printable ASCII, at most 200 characters. */
export function parseIdempotencyKey(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[\x21-\x7e]{1,200}$/.test(key ?? '')) {
    throw new AppError('validation_failed', {
      message: 'invalid Idempotency-Key header',
      details: [{ path: 'Idempotency-Key', code: 'invalid', message: '1 to 200 printable ASCII characters' }],
    });
  }
  return key;
}

export async function findIdempotencyKey<T>(db: Db, actor: Actor, purpose: string, key: string): Promise<IdempotencyRecord<T> | undefined> {
  return queryOne<IdempotencyRecord<T>>(
    db,
    sql`select request_hash as "requestHash", response from idempotency_keys
        where actor_id = ${actor.userId} and purpose = ${purpose} and key = ${key}`,
  );
}

/** The stored answer of a earlier request with this key, or a 409 when the key came with another request. */
export function replayIdempotent<T>(prior: IdempotencyRecord<T>, hash: string): { report: T; replayed: true } {
  if (prior.requestHash !== hash || !prior.response) {
    throw new AppError('conflict', {
      status: 409,
      message: 'this Idempotency-Key was already used for another file',
      details: [{ path: 'Idempotency-Key', code: 'key_reused', message: 'use a new key for a different file' }],
    });
  }
  return { report: prior.response, replayed: true };
}

/**
 * Claims the key inside the caller's transaction. Returns the earlier answer when a concurrent request with
 * the same key committed first, undefined when the claim is ours.
 */
export async function claimIdempotencyKey<T>(
  tx: Db,
  actor: Actor,
  purpose: string,
  key: string,
  hash: string,
): Promise<{ report: T; replayed: true } | undefined> {
  const inserted = await queryOne<{ id: string }>(
    tx,
    sql`insert into idempotency_keys (id, actor_id, purpose, key, request_hash)
        values (${newId()}, ${actor.userId}, ${purpose}, ${key}, ${hash})
        on conflict (actor_id, purpose, key) do nothing returning id`,
  );
  if (inserted) return undefined;
  const prior = await findIdempotencyKey<T>(tx, actor, purpose, key);
  return prior ? replayIdempotent(prior, hash) : undefined;
}

/** Stores the answer of a committed request under its key (in the same transaction as the writes). */
export async function saveIdempotentResponse(tx: Db, actor: Actor, purpose: string, key: string, response: unknown): Promise<void> {
  await tx.execute(
    sql`update idempotency_keys set response = ${JSON.stringify(response)}::jsonb, updated_at = now()
        where actor_id = ${actor.userId} and purpose = ${purpose} and key = ${key}`,
  );
}
