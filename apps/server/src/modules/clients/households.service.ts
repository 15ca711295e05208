import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
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
