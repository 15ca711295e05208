import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { recomputeCadence } from '../visits/visits.cadence.js';

interface Card {
  id: string;
  name: string;
  birthDate: string | null;
  idNumber: string | null;
  sex: string | null;
  address: string | null;
  unitName: string | null;
  status: string;
  createdAt: string;
}

export interface DuplicateRow {
  id: string;
  unitPath: string;
  reason: string;
  status: 'open' | 'merged' | 'dismissed';
  a: Card;
  b: Card;
  keptId: string | null;
  mergedId: string | null;
  moved: Moved | null;
  resolvedByName: string | null;
  resolvedAt: Date | string | null;
  resolveReason: string | null;
  version: number;
  createdAt: Date | string;
}

interface Moved {
  visits: string[];
  needs: string[];
  categories: string[];
  flags: string[];
  identity: { enc: string; index: string; tail: string | null; masked: string | null } | null;
  mergedBefore: { status: string; statusDate: string | null; statusReason: string | null; lastVisitAt: string | null };
  keptLastVisitAt: string | null;
}

const card = (alias: string) =>
  sql.raw(`json_build_object('id', ${alias}.id, 'name', ${alias}.name, 'birthDate', ${alias}.birth_date::text,
  'idNumber', ${alias}.id_number_masked, 'sex', ${alias}.sex, 'address', ${alias}.address, 'unitName', ${alias}u.name, 'status', ${alias}.status,
  'createdAt', ${alias}.created_at)`);
const DUP_COLUMNS = sql`d.id, d.unit_path::text as "unitPath", d.reason, d.status, ${card('ca')} as a, ${card('cb')} as b, d.kept_id as "keptId",
  d.merged_id as "mergedId", d.moved, r.display_name as "resolvedByName", d.resolved_at as "resolvedAt", d.resolve_reason as "resolveReason",
  d.version, d.created_at as "createdAt"`;
const DUP_FROM = sql`client_duplicates d join clients ca on ca.id = d.client_a join clients cb on cb.id = d.client_b
  left join units cau on cau.id = ca.unit_id left join units cbu on cbu.id = cb.unit_id left join users r on r.id = d.resolved_by`;

export async function findDuplicates(db: Db, actor: Actor, f: { status?: string; limit: number; cursor?: string }) {
  const conds: SQL[] = [scopeWhere(actor, sql`d.unit_path`)];
  if (f.status) conds.push(sql`d.status = ${f.status}`);
  const where = sql.join(conds, sql` and `);
  return newestFirstPage<DuplicateRow>(db, {
    select: sql`select ${DUP_COLUMNS} from ${DUP_FROM}`,
    countFrom: sql`from client_duplicates d`,
    where,
    timeColumn: sql`d.created_at`,
    idColumn: sql`d.id`,
    timeOf: (r) => r.createdAt,
    limit: f.limit,
    cursor: f.cursor,
  });
}

async function getDuplicate(db: Db, actor: Actor, id: string): Promise<DuplicateRow> {
  const row = await queryOne<DuplicateRow>(db, sql`select ${DUP_COLUMNS} from ${DUP_FROM} where d.id = ${id}`);
  if (!row) throw notFound('duplicate');
  assertInScope(actor, row.unitPath, 'duplicate_not_found');
  return row;
}

/** Claims the pair for a state change exactly once (two workers cannot merge it twice). */
async function transition(db: Db, id: string, from: string, set: SQL): Promise<void> {
  const done = await queryOne<{ id: string }>(
    db,
    sql`update client_duplicates set ${set}, version = version + 1, updated_at = now() where id = ${id} and status = ${from} returning id`,
  );
  if (!done)
    throw new AppError('conflict', {
      status: 409,
      message: `the pair is no longer ${from}`,
      details: [{ path: 'status', code: 'not_' + from }],
    });
}

const ids = async (db: Db, q: SQL) => (await query<{ id: string }>(db, q)).map((r) => r.id);

/**
 * Merges the pair into `keepId`: visits, needs, categories and flags move to the kept record (and the
 * ID number, when only the merged one had it); the other record leaves the ledger as merged. Everything
 * moved is recorded on the pair so that `unmergeDuplicate` restores it exactly. Audited.
 */
export async function mergeDuplicate(opts: { db: Db; actor: Actor; id: string; keepId: string; reason?: string | null }) {
  const { db, actor, id, keepId } = opts;
  const pair = await getDuplicate(db, actor, id);
  if (keepId !== pair.a.id && keepId !== pair.b.id) throw invalid('keepId', 'not_in_pair', 'keep one of the two records');
  const mergedId = keepId === pair.a.id ? pair.b.id : pair.a.id;
  const both = await query<{
    id: string;
    id_number_enc: string | null;
    id_number_index: string | null;
    id_tail_index: string | null;
    id_number_masked: string | null;
    status: string;
    status_date: string | null;
    status_reason: string | null;
    last_visit_at: string | null;
  }>(
    db,
    sql`select id, id_number_enc, id_number_index, id_tail_index, id_number_masked, status, status_date::text as status_date, status_reason,
          last_visit_at::text as last_visit_at from clients where id in (${keepId}, ${mergedId}) order by id for update`,
  );
  const kept = both.find((c) => c.id === keepId);
  const merged = both.find((c) => c.id === mergedId);
  if (!kept || !merged) throw notFound('client');
  if (merged.status !== 'active' && merged.status_reason === 'merged')
    throw new AppError('conflict', { status: 409, message: 'that record was already merged' });
  const moved: Moved = {
    visits: await ids(db, sql`select id from visits where client_id = ${mergedId}`),
    needs: await ids(db, sql`select id from needs where client_id = ${mergedId}`),
    categories: await ids(db, sql`select id from client_categories where client_id = ${mergedId}`),
    flags: await ids(db, sql`select id from client_flags where client_id = ${mergedId}`),
    identity:
      !kept.id_number_index && merged.id_number_index && merged.id_number_enc
        ? { enc: merged.id_number_enc, index: merged.id_number_index, tail: merged.id_tail_index, masked: merged.id_number_masked }
        : null,
    mergedBefore: {
      status: merged.status,
      statusDate: merged.status_date,
      statusReason: merged.status_reason,
      lastVisitAt: merged.last_visit_at,
    },
    keptLastVisitAt: kept.last_visit_at,
  };
  await transition(
    db,
    id,
    'open',
    sql`status = 'merged', kept_id = ${keepId}, merged_id = ${mergedId}, moved = ${JSON.stringify(moved)}::jsonb,
    resolved_by = ${actor.userId}, resolved_at = now(), resolve_reason = ${opts.reason ?? null}`,
  );
  const keptPath = (await queryOne<{ p: string }>(db, sql`select unit_path::text as p from clients where id = ${keepId}`))?.p as string;
  await db.execute(sql`update visits set client_id = ${keepId} where client_id = ${mergedId}`);
  await db.execute(sql`update needs set client_id = ${keepId}, unit_path = ${keptPath}::ltree where client_id = ${mergedId}`);
  await db.execute(sql`update client_categories set client_id = ${keepId} where client_id = ${mergedId}`);
  await db.execute(sql`update client_flags set client_id = ${keepId} where client_id = ${mergedId}`);
  if (moved.identity) {
    await db.execute(
      sql`update clients set id_number_enc = null, id_number_index = null, id_tail_index = null, id_number_masked = null where id = ${mergedId}`,
    );
    await db.execute(sql`update clients set id_number_enc = ${moved.identity.enc}, id_number_index = ${moved.identity.index},
      id_tail_index = ${moved.identity.tail}, id_number_masked = ${moved.identity.masked} where id = ${keepId}`);
  }
  await db.execute(sql`update clients set status = 'exited', status_date = (now() at time zone 'Asia/Shanghai')::date, status_reason = 'merged',
    merged_into = ${keepId}, updated_at = now(), version = version + 1 where id = ${mergedId}`);
  await db.execute(sql`update clients set last_visit_at = (select max(visited_at) from visits where client_id = ${keepId}), updated_at = now(),
    version = version + 1 where id = ${keepId}`);
  await recomputeCadence(db, [keepId, mergedId]);
  const after = await getDuplicate(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'client.merged',
    entityType: 'client',
    entityId: keepId,
    unitPath: pair.unitPath,
    before: { pair: id, mergedId },
    after: { pair: id, keepId, moved: { ...moved, identity: moved.identity ? 'moved' : null } },
  });
  return after;
}

/** Undoes a merge exactly as recorded; the pair is open again. Audited. */
export async function unmergeDuplicate(opts: { db: Db; actor: Actor; id: string; reason: string }) {
  const { db, actor, id } = opts;
  const pair = await getDuplicate(db, actor, id);
  if (pair.status !== 'merged' || !pair.moved || !pair.keptId || !pair.mergedId)
    throw new AppError('conflict', { status: 409, message: 'the pair is not merged' });
  const { moved, keptId, mergedId } = pair;
  await transition(
    db,
    id,
    'merged',
    sql`status = 'open', kept_id = null, merged_id = null, moved = null, resolved_by = ${actor.userId},
    resolved_at = now(), resolve_reason = ${opts.reason}`,
  );
  const mergedPath = (await queryOne<{ p: string }>(db, sql`select unit_path::text as p from clients where id = ${mergedId}`))?.p as string;
  const back = (table: string, list: string[]) =>
    list.length
      ? db.execute(sql`update ${sql.identifier(table)} set client_id = ${mergedId} where id = any(${sql.param(list)}::uuid[])`)
      : Promise.resolve();
  await back('visits', moved.visits);
  await back('client_categories', moved.categories);
  await back('client_flags', moved.flags);
  if (moved.needs.length)
    await db.execute(
      sql`update needs set client_id = ${mergedId}, unit_path = ${mergedPath}::ltree where id = any(${sql.param(moved.needs)}::uuid[])`,
    );
  if (moved.identity) {
    await db.execute(
      sql`update clients set id_number_enc = null, id_number_index = null, id_tail_index = null, id_number_masked = null where id = ${keptId}`,
    );
    await db.execute(sql`update clients set id_number_enc = ${moved.identity.enc}, id_number_index = ${moved.identity.index},
      id_tail_index = ${moved.identity.tail}, id_number_masked = ${moved.identity.masked} where id = ${mergedId}`);
  }
  const mb = moved.mergedBefore;
  await db.execute(sql`update clients set status = ${mb.status}, status_date = ${mb.statusDate}, status_reason = ${mb.statusReason},
    last_visit_at = ${mb.lastVisitAt}::timestamptz, merged_into = null, updated_at = now(), version = version + 1 where id = ${mergedId}`);
  await db.execute(
    sql`update clients set last_visit_at = ${moved.keptLastVisitAt}::timestamptz, updated_at = now(), version = version + 1 where id = ${keptId}`,
  );
  await recomputeCadence(db, [keptId, mergedId]);
  const after = await getDuplicate(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'client.unmerged',
    entityType: 'client',
    entityId: keptId,
    unitPath: pair.unitPath,
    before: { pair: id, keptId, mergedId },
    after: { pair: id, reason: opts.reason },
  });
  return after;
}

export async function dismissDuplicate(opts: { db: Db; actor: Actor; id: string; reason: string }) {
  const { db, actor, id, reason } = opts;
  const pair = await getDuplicate(db, actor, id);
  await transition(
    db,
    id,
    'open',
    sql`status = 'dismissed', resolved_by = ${actor.userId}, resolved_at = now(), resolve_reason = ${reason}`,
  );
  await writeAudit(db, {
    actor,
    action: 'client.duplicate_dismissed',
    entityType: 'client_duplicate',
    entityId: id,
    unitPath: pair.unitPath,
    after: { reason },
  });
  return getDuplicate(db, actor, id);
}
