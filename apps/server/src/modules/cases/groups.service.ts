import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';

/** Group work (小组) and community activities (社区活动): sessions and the clients who attended. */
export interface GroupRow {
  id: string;
  kind: 'group' | 'activity';
  name: string;
  goals: string | null;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  ownerId: string;
  ownerName: string | null;
  startsOn: string | null;
  endsOn: string | null;
  sessions: number;
  attendance: number;
  createdAt: Date | string;
}

const GROUP_COLUMNS = sql`g.id, g.kind, g.name, g.goals, g.unit_id as "unitId", u.name as "unitName", g.unit_path::text as "unitPath",
  g.owner_id as "ownerId", o.display_name as "ownerName", g.starts_on::text as "startsOn", g.ends_on::text as "endsOn",
  (select count(*)::int from case_group_sessions s where s.group_id = g.id) as sessions,
  (select count(*)::int from case_group_sessions s join case_group_attendance a on a.session_id = s.id where s.group_id = g.id) as attendance,
  g.created_at as "createdAt"`;
const GROUP_FROM = sql`case_groups g left join units u on u.id = g.unit_id left join users o on o.id = g.owner_id`;

const norm = (r: GroupRow): GroupRow => ({ ...r, sessions: Number(r.sessions), attendance: Number(r.attendance) });

export async function getGroup(db: Db, actor: Actor, id: string): Promise<GroupRow> {
  const row = await queryOne<GroupRow>(db, sql`select ${GROUP_COLUMNS} from ${GROUP_FROM} where g.id = ${id}`);
  if (!row) throw notFound('group');
  assertInScope(actor, row.unitPath, 'group_not_found');
  return norm(row);
}

export async function groupDetail(db: Db, actor: Actor, id: string) {
  const g = await getGroup(db, actor, id);
  const sessions = await query<{
    id: string;
    sessionDate: string;
    topic: string;
    durationMinutes: number | null;
    notes: string | null;
    attendees: { clientId: string; name: string }[];
  }>(
    db,
    sql`select s.id, s.session_date::text as "sessionDate", s.topic, s.duration_minutes as "durationMinutes", s.notes,
          coalesce((select json_agg(json_build_object('clientId', a.client_id, 'name', c.name) order by c.name)
            from case_group_attendance a join clients c on c.id = a.client_id
            where a.session_id = s.id and ${scopeWhere(actor, sql`c.unit_path`)}), '[]'::json) as attendees
        from case_group_sessions s where s.group_id = ${g.id} order by s.session_date desc, s.created_at desc`,
  );
  return { ...g, sessionList: sessions };
}

export async function findGroups(
  db: Db,
  actor: Actor,
  f: { kind?: 'group' | 'activity'; clientId?: string; limit: number; cursor?: string },
) {
  const conds: SQL[] = [scopeWhere(actor, sql`g.unit_path`)];
  if (f.kind) conds.push(sql`g.kind = ${f.kind}`);
  if (f.clientId)
    conds.push(sql`exists (select 1 from case_group_sessions s join case_group_attendance a on a.session_id = s.id
      where s.group_id = g.id and a.client_id = ${f.clientId})`);
  const page = await newestFirstPage<GroupRow>(db, {
    select: sql`select ${GROUP_COLUMNS} from ${GROUP_FROM}`,
    countFrom: sql`from case_groups g`,
    where: sql.join(conds, sql` and `),
    timeColumn: sql`g.created_at`,
    idColumn: sql`g.id`,
    timeOf: (r) => r.createdAt,
    limit: f.limit,
    cursor: f.cursor,
  });
  return { ...page, items: page.items.map(norm) };
}

export async function createGroup(opts: {
  db: Db;
  actor: Actor;
  input: {
    kind: 'group' | 'activity';
    name: string;
    goals?: string | null;
    unitId: string;
    startsOn?: string | null;
    endsOn?: string | null;
  };
}): Promise<GroupRow> {
  const { db, actor, input } = opts;
  const unit = await queryOne<{ id: string; path: string }>(db, sql`select id, path::text as path from units where id = ${input.unitId}`);
  if (!unit || !inScope(actor, unit.path)) throw invalid('unitId', 'unknown_unit', 'no such unit in your part of the network');
  if (input.startsOn && input.endsOn && input.endsOn < input.startsOn) throw invalid('endsOn', 'before_start', 'ends before it starts');
  if (!actor.userId) throw invalid('ownerId', 'required', 'a group is run by a user');
  const id = newId();
  await db.execute(sql`insert into case_groups (id, kind, name, goals, unit_id, unit_path, owner_id, starts_on, ends_on)
    values (${id}, ${input.kind}, ${input.name}, ${input.goals ?? null}, ${unit.id}, ${unit.path}::ltree, ${actor.userId},
      ${input.startsOn ?? null}, ${input.endsOn ?? null})`);
  const g = await getGroup(db, actor, id);
  await writeAudit(db, { actor, action: 'case_group.created', entityType: 'case_group', entityId: id, unitPath: g.unitPath, after: input });
  return g;
}

/** A session with its attendance: clients of the ledger in the actor's scope (and the group's unit tree). */
export async function addSession(opts: {
  db: Db;
  actor: Actor;
  id: string;
  input: { sessionDate: string; topic: string; durationMinutes?: number | null; notes?: string | null; clientIds: string[] };
}) {
  const { db, actor, id, input } = opts;
  const g = await getGroup(db, actor, id);
  const clientIds = [...new Set(input.clientIds)];
  if (clientIds.length) {
    const found = await query<{ id: string; unit_path: string }>(
      db,
      sql`select id, unit_path::text as unit_path from clients where id = any(${sql.param(clientIds)}::uuid[])`,
    );
    clientIds.forEach((c, i) => {
      const row = found.find((f) => f.id === c);
      if (!row || !inScope(actor, row.unit_path))
        throw invalid(`clientIds.${i}`, 'unknown_client', 'no such client in your part of the network');
    });
  }
  const sid = newId();
  await db.execute(sql`insert into case_group_sessions (id, group_id, session_date, topic, duration_minutes, notes, created_by)
    values (${sid}, ${g.id}, ${input.sessionDate}, ${input.topic}, ${input.durationMinutes ?? null}, ${input.notes ?? null}, ${actor.userId})`);
  if (clientIds.length)
    await db.execute(sql`insert into case_group_attendance (session_id, client_id)
      select ${sid}, x from unnest(${sql.param(clientIds)}::uuid[]) x`);
  await db.execute(sql`update case_groups set updated_at = now() where id = ${g.id}`);
  await writeAudit(db, {
    actor,
    action: 'case_group.session_recorded',
    entityType: 'case_group',
    entityId: g.id,
    unitPath: g.unitPath,
    after: { sessionId: sid, ...input, clientIds },
  });
  return groupDetail(db, actor, g.id);
}
