import { createHash } from 'node:crypto';
import { and, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';
import { scopeWhere } from '../../platform/scope.js';

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_LOCK_KEY = 727002;

export interface AuditInput {
  actor: Partial<Actor> | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  unitPath?: string | null;
  before?: unknown;
  after?: unknown;
}

interface ChainFields {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  actorUnitId: string | null;
  ip: string | null;
  userAgent: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  unitPath: string | null;
  before: unknown;
  after: unknown;
}

/** JSON with object keys sorted at every level: the same value always hashes the same. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What JSONB keeps of a value (dates become strings, undefined disappears). */
function asJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

export function chainHash(prevHash: string, f: ChainFields): string {
  return createHash('sha256').update(prevHash).update('|').update(canonical(f)).digest('hex');
}

/**
 * Appends one entry to the hash-chained audit log. Runs inside the caller's transaction, so the entry
 * exists exactly when the change it describes does; the advisory lock serialises writers so that the
 * chain never forks.
 */
export async function writeAudit(tx: Db, input: AuditInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const last = await queryOne<{ seq: number; hash: string }>(tx, sql`select seq, hash from audit_log order by seq desc limit 1`);
  const a = input.actor;
  const fields: ChainFields = {
    seq: Number(last?.seq ?? 0) + 1,
    at: new Date().toISOString(),
    actorId: a?.userId ?? null,
    actorName: a?.username ?? null,
    actorRole: a?.role ?? null,
    actorUnitId: a?.unitId ?? null,
    ip: a?.ip ?? null,
    userAgent: a?.userAgent ?? null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    unitPath: input.unitPath ?? null,
    before: asJson(input.before),
    after: asJson(input.after),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = chainHash(prevHash, fields);
  await tx.execute(sql`insert into audit_log
    (id, seq, at, actor_id, actor_name, actor_role, actor_unit_id, ip, user_agent, action, entity_type, entity_id,
     unit_path, before, after, prev_hash, hash)
    values (${newId()}, ${fields.seq}, ${fields.at}, ${fields.actorId}, ${fields.actorName}, ${fields.actorRole},
     ${fields.actorUnitId}, ${fields.ip}, ${fields.userAgent}, ${fields.action}, ${fields.entityType}, ${fields.entityId},
     ${fields.unitPath}::ltree, ${JSON.stringify(fields.before)}::jsonb, ${JSON.stringify(fields.after)}::jsonb,
     ${prevHash}, ${hash})`);
}

/**
 * Appends many entries in one go (bulk imports): the same chain, lock and columns as `writeAudit`, computed
 * in memory and inserted in chunks of `unnest` arrays instead of three statements per entry.
 */
export async function writeAuditBatch(tx: Db, inputs: AuditInput[], chunkSize = 2000): Promise<void> {
  if (inputs.length === 0) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
  const last = await queryOne<{ seq: number; hash: string }>(tx, sql`select seq, hash from audit_log order by seq desc limit 1`);
  let seq = Number(last?.seq ?? 0);
  let prevHash = last?.hash ?? GENESIS_HASH;
  for (let i = 0; i < inputs.length; i += chunkSize) {
    const cols = {
      id: [] as string[],
      seq: [] as number[],
      at: [] as string[],
      actorId: [] as (string | null)[],
      actorName: [] as (string | null)[],
      actorRole: [] as (string | null)[],
      actorUnitId: [] as (string | null)[],
      ip: [] as (string | null)[],
      userAgent: [] as (string | null)[],
      action: [] as string[],
      entityType: [] as string[],
      entityId: [] as (string | null)[],
      unitPath: [] as (string | null)[],
      before: [] as string[],
      after: [] as string[],
      prevHash: [] as string[],
      hash: [] as string[],
    };
    for (const input of inputs.slice(i, i + chunkSize)) {
      const a = input.actor;
      const fields: ChainFields = {
        seq: ++seq,
        at: new Date().toISOString(),
        actorId: a?.userId ?? null,
        actorName: a?.username ?? null,
        actorRole: a?.role ?? null,
        actorUnitId: a?.unitId ?? null,
        ip: a?.ip ?? null,
        userAgent: a?.userAgent ?? null,
        action: input.action,
        entityType: input.entityType,
        entityId: input.entityId ?? null,
        unitPath: input.unitPath ?? null,
        before: asJson(input.before),
        after: asJson(input.after),
      };
      const hash = chainHash(prevHash, fields);
      cols.id.push(newId());
      cols.seq.push(fields.seq);
      cols.at.push(fields.at);
      cols.actorId.push(fields.actorId);
      cols.actorName.push(fields.actorName);
      cols.actorRole.push(fields.actorRole);
      cols.actorUnitId.push(fields.actorUnitId);
      cols.ip.push(fields.ip);
      cols.userAgent.push(fields.userAgent);
      cols.action.push(fields.action);
      cols.entityType.push(fields.entityType);
      cols.entityId.push(fields.entityId);
      cols.unitPath.push(fields.unitPath);
      cols.before.push(JSON.stringify(fields.before));
      cols.after.push(JSON.stringify(fields.after));
      cols.prevHash.push(prevHash);
      cols.hash.push(hash);
      prevHash = hash;
    }
    const p = (v: unknown[]) => sql.param(v);
    await tx.execute(sql`insert into audit_log
      (id, seq, at, actor_id, actor_name, actor_role, actor_unit_id, ip, user_agent, action, entity_type, entity_id,
       unit_path, before, after, prev_hash, hash)
      select id, seq, at, actor_id, actor_name, actor_role, actor_unit_id, ip, user_agent, action, entity_type, entity_id,
        unit_path::ltree, before::jsonb, after::jsonb, prev_hash, hash
      from unnest(${p(cols.id)}::uuid[], ${p(cols.seq)}::bigint[], ${p(cols.at)}::timestamptz[], ${p(cols.actorId)}::uuid[],
        ${p(cols.actorName)}::text[], ${p(cols.actorRole)}::text[], ${p(cols.actorUnitId)}::uuid[], ${p(cols.ip)}::text[],
        ${p(cols.userAgent)}::text[], ${p(cols.action)}::text[], ${p(cols.entityType)}::text[], ${p(cols.entityId)}::text[],
        ${p(cols.unitPath)}::text[], ${p(cols.before)}::text[], ${p(cols.after)}::text[], ${p(cols.prevHash)}::text[],
        ${p(cols.hash)}::text[])
        as x(id, seq, at, actor_id, actor_name, actor_role, actor_unit_id, ip, user_agent, action, entity_type, entity_id,
             unit_path, before, after, prev_hash, hash)`);
  }
}

/** Audit outside any running transaction (sign-in events). */
export async function writeAuditNow(db: Db, input: AuditInput): Promise<void> {
  await db.transaction(async (tx) => writeAudit(tx as unknown as Db, input));
}

interface AuditRow {
  id: string;
  seq: number;
  at: Date | string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  actor_unit_id: string | null;
  ip: string | null;
  user_agent: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  unit_path: string | null;
  before: unknown;
  after: unknown;
  prev_hash: string;
  hash: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  brokenAt?: { seq: number; id: string; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'seq_gap' };
}

/** Walks the chain in order and reports the first broken link. Streams in pages to bound memory. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await query<AuditRow>(db, sql`select * from audit_log where seq >= ${expectedSeq} order by seq limit ${pageSize}`);
    if (rows.length === 0) return { ok: true, checked };
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, checked, brokenAt: { seq, id: r.id, reason: 'seq_gap' } };
      if (r.prev_hash !== prevHash) return { ok: false, checked, brokenAt: { seq, id: r.id, reason: 'prev_hash_mismatch' } };
      const fields: ChainFields = {
        seq,
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorName: r.actor_name,
        actorRole: r.actor_role,
        actorUnitId: r.actor_unit_id,
        ip: r.ip,
        userAgent: r.user_agent,
        action: r.action,
        entityType: r.entity_type,
        entityId: r.entity_id,
        unitPath: r.unit_path,
        before: r.before ?? null,
        after: r.after ?? null,
      };
      if (chainHash(prevHash, fields) !== r.hash) return { ok: false, checked, brokenAt: { seq, id: r.id, reason: 'hash_mismatch' } };
      prevHash = r.hash;
      expectedSeq++;
      checked++;
    }
  }
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  actorId?: string;
  from?: string;
  to?: string;
  limit: number;
  /** seq of the last entry of the previous page (entries come newest first). */
  before?: number;
}

/** Audit entries the actor may read: those of units in scope (entries without a unit only for global users). */
export async function findAuditEntries(db: Db, actor: Actor, f: AuditFilter) {
  const conds: SQL[] = [actor.scopePath === null ? sql`true` : sql`unit_path is not null and ${scopeWhere(actor, sql`unit_path`)}`];
  if (f.action) conds.push(sql`action = ${f.action}`);
  if (f.entityType) conds.push(sql`entity_type = ${f.entityType}`);
  if (f.entityId) conds.push(sql`entity_id = ${f.entityId}`);
  if (f.actorId) conds.push(sql`actor_id = ${f.actorId}`);
  if (f.from) conds.push(sql`at >= ${f.from}`);
  if (f.to) conds.push(sql`at < ${f.to}`);
  const where = and(...conds) as SQL;
  const pageWhere = f.before ? sql`${where} and seq < ${f.before}` : where;
  const rows = await query<AuditRow>(db, sql`select * from audit_log where ${pageWhere} order by seq desc limit ${f.limit + 1}`);
  const totalRow = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from audit_log where ${where}`);
  const hasMore = rows.length > f.limit;
  const items = rows.slice(0, f.limit);
  return { items, hasMore, total: Number(totalRow?.n ?? 0) };
}

export type { AuditRow };
