import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { assertInScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { getClient } from './clients.service.js';

export interface HouseholdMember {
  id: string;
  name: string;
  relation: string | null;
  idNumber: string | null;
  birthDate: string | null;
  status: string;
}

/** A household (户) with its members in the actor's scope; the head is the member related as 'head'. */
export async function getHousehold(db: Db, actor: Actor, id: string) {
  const h = await queryOne<{ id: string; address: string | null; unit_path: string; version: number }>(
    db,
    sql`select id, address, unit_path::text as unit_path, version from households where id = ${id}`,
  );
  if (!h) throw notFound('household');
  assertInScope(actor, h.unit_path, 'household_not_found');
  const members = await query<HouseholdMember>(
    db,
    sql`select c.id, c.name, c.household_relation as relation, c.id_number_masked as "idNumber", c.birth_date::text as "birthDate", c.status
        from clients c where c.household_id = ${id} and ${scopeWhere(actor, sql`c.unit_path`)}
        order by (c.household_relation = 'head') desc, c.birth_date nulls last, c.name`,
  );
  return { id: h.id, address: h.address, version: Number(h.version), members };
}

/** Households are counted exactly up to this many; beyond it the total is a lower bound (`totalCapped`). */
export const HOUSEHOLD_TOTAL_CAP = 10_000;

export interface HouseholdListRow {
  id: string;
  address: string | null;
  unitName: string | null;
  memberCount: number;
  headId: string | null;
  headName: string | null;
  createdAt: Date | string;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, (c) => `\\${c}`);

/**
 * Households in the actor's scope, newest first and keyset-paged; `q` matches the address or the name of a
 * member (members outside the scope are neither counted, shown nor searched).
 */
export async function findHouseholds(db: Db, actor: Actor, f: { q?: string; limit: number; cursor?: string }) {
  const inScope = scopeWhere(actor, sql`c.unit_path`);
  const conds: SQL[] = [scopeWhere(actor, sql`h.unit_path`)];
  const q = f.q?.trim();
  if (q) {
    const like = `%${escapeLike(q)}%`;
    conds.push(
      sql`(h.address like ${like} or exists (select 1 from clients c where c.household_id = h.id and ${inScope} and c.name like ${like}))`,
    );
  }
  const where = sql.join(conds, sql` and `);
  const cursor = decodeCursor(f.cursor, 2);
  const page = cursor ? sql`${where} and (h.created_at, h.id) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)` : where;
  const rows = await query<HouseholdListRow>(
    db,
    sql`select h.id, h.address, u.name as "unitName", h.created_at as "createdAt",
          (select count(*)::int from clients c where c.household_id = h.id and ${inScope}) as "memberCount",
          hd.id as "headId", hd.name as "headName"
        from households h
        left join units u on u.path = h.unit_path
        left join lateral (select c.id, c.name from clients c where c.household_id = h.id and c.household_relation = 'head' and ${inScope}
          order by c.created_at limit 1) hd on true
        where ${page} order by h.created_at desc, h.id desc limit ${f.limit + 1}`,
  );
  const counted = await queryOne<{ n: number }>(
    db,
    sql`select count(*)::int as n from (select 1 from households h where ${where} limit ${HOUSEHOLD_TOTAL_CAP + 1}) x`,
  );
  const n = Number(counted?.n ?? 0);
  const items = rows.slice(0, f.limit).map((r) => ({ ...r, memberCount: Number(r.memberCount) }));
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > f.limit && last ? encodeCursor([new Date(last.createdAt).toISOString(), last.id]) : null,
    total: Math.min(n, HOUSEHOLD_TOTAL_CAP),
    totalCapped: n > HOUSEHOLD_TOTAL_CAP,
  };
}

async function attach(db: Db, actor: Actor, householdId: string, member: { clientId: string; relation: string }, move: boolean) {
  const client = await getClient(db, actor, member.clientId, true);
  if (client.householdId && client.householdId !== householdId && !move) {
    throw new AppError('conflict', {
      status: 409,
      message: `${client.name} already belongs to another household`,
      details: [{ path: 'clientId', code: 'in_other_household', message: member.clientId }],
    });
  }
  await db.execute(sql`update clients set household_id = ${householdId}, household_relation = ${member.relation}, updated_at = now(),
    version = version + 1 where id = ${client.id}`);
  return client;
}

async function assertOneHead(db: Db, householdId: string) {
  const heads = await queryOne<{ n: number }>(
    db,
    sql`select count(*)::int as n from clients where household_id = ${householdId} and household_relation = 'head'`,
  );
  if (Number(heads?.n) > 1) throw invalid('relation', 'two_heads', 'a household has one head');
}

/** Creates a household from clients in scope, one of them its head. */
export async function createHousehold(opts: {
  db: Db;
  actor: Actor;
  input: { address?: string | null; members: { clientId: string; relation: string }[]; move: boolean };
}) {
  const { db, actor, input } = opts;
  if (input.members.filter((m) => m.relation === 'head').length !== 1)
    throw invalid('members', 'one_head', 'name exactly one head of household');
  if (new Set(input.members.map((m) => m.clientId)).size !== input.members.length)
    throw invalid('members', 'duplicate', 'a member is listed twice');
  const head = await getClient(db, actor, input.members.find((m) => m.relation === 'head')?.clientId as string);
  const id = newId();
  await db.execute(
    sql`insert into households (id, address, unit_path) values (${id}, ${input.address ?? head.address}, ${head.unitPath}::ltree)`,
  );
  for (const m of input.members) await attach(db, actor, id, m, input.move);
  const household = await getHousehold(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'household.created',
    entityType: 'household',
    entityId: id,
    unitPath: head.unitPath,
    after: household,
  });
  return household;
}

export async function addHouseholdMember(opts: {
  db: Db;
  actor: Actor;
  id: string;
  member: { clientId: string; relation: string };
  move: boolean;
}) {
  const { db, actor, id, member, move } = opts;
  const before = await getHousehold(db, actor, id);
  await attach(db, actor, id, member, move);
  await assertOneHead(db, id);
  const after = await getHousehold(db, actor, id);
  const path = (await getClient(db, actor, member.clientId)).unitPath;
  await writeAudit(db, { actor, action: 'household.member_added', entityType: 'household', entityId: id, unitPath: path, before, after });
  return after;
}

export async function removeHouseholdMember(opts: { db: Db; actor: Actor; id: string; clientId: string }) {
  const { db, actor, id, clientId } = opts;
  const before = await getHousehold(db, actor, id);
  const client = await getClient(db, actor, clientId, true);
  if (client.householdId !== id) throw notFound('member');
  await db.execute(
    sql`update clients set household_id = null, household_relation = null, updated_at = now(), version = version + 1 where id = ${clientId}`,
  );
  const after = await getHousehold(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'household.member_removed',
    entityType: 'household',
    entityId: id,
    unitPath: client.unitPath,
    before,
    after,
  });
  return after;
}

/**
 * Makes `clientId` (a member) the head in one step; the former head keeps membership with
 * `formerHeadRelation`. Audited.
 */
export async function changeHouseholdHead(opts: { db: Db; actor: Actor; id: string; clientId: string; formerHeadRelation: string }) {
  const { db, actor, id, clientId, formerHeadRelation } = opts;
  if (formerHeadRelation === 'head') throw invalid('formerHeadRelation', 'one_head', 'a household has one head');
  const before = await getHousehold(db, actor, id);
  const client = await getClient(db, actor, clientId, true);
  if (client.householdId !== id) throw notFound('member');
  // Former heads out of the actor's scope are demoted too: a household never has two heads.
  await db.execute(sql`update clients set household_relation = ${formerHeadRelation}, updated_at = now(), version = version + 1
    where household_id = ${id} and household_relation = 'head' and id <> ${clientId}`);
  await db.execute(sql`update clients set household_relation = 'head', updated_at = now(), version = version + 1 where id = ${clientId}`);
  await db.execute(sql`update households set version = version + 1, updated_at = now() where id = ${id}`);
  const after = await getHousehold(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'household.head_changed',
    entityType: 'household',
    entityId: id,
    unitPath: client.unitPath,
    before,
    after,
  });
  return after;
}

/** Changes the household's address (optimistic: `version` must be the one read). Audited. */
export async function updateHousehold(opts: { db: Db; actor: Actor; id: string; patch: { version: number; address: string | null } }) {
  const { db, actor, id, patch } = opts;
  const before = await getHousehold(db, actor, id);
  const h = await queryOne<{ unit_path: string }>(db, sql`select unit_path::text as unit_path from households where id = ${id}`);
  const done = await queryOne<{ id: string }>(
    db,
    sql`update households set address = ${patch.address || null}, version = version + 1, updated_at = now()
        where id = ${id} and version = ${patch.version} returning id`,
  );
  if (!done) throw stale('household');
  const after = await getHousehold(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'household.updated',
    entityType: 'household',
    entityId: id,
    unitPath: h?.unit_path,
    before: { address: before.address },
    after: { address: after.address },
  });
  return after;
}
