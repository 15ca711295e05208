import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { getClient } from '../clients/clients.service.js';
import { createNeed } from '../needs/needs.service.js';
import { notify } from '../notifications/notifications.service.js';
import { unknownCategoryCodes } from '../settings/settings.service.js';
import { recomputeCadence, TODAY_SHANGHAI } from './visits.cadence.js';
import type { CreateVisitBody } from './visits.schemas.js';

export interface VisitRow {
  id: string;
  clientId: string;
  clientName: string;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  visitedAt: Date | string;
  kind: string;
  workers: { id: string; name: string }[];
  partners: string[];
  findings: string | null;
  needsFound: string[];
  followUp: string | null;
  latitude: string | number | null;
  longitude: string | number | null;
  createdAt: Date | string;
}

const VISIT_COLUMNS = sql`v.id, v.client_id as "clientId", c.name as "clientName", v.unit_id as "unitId", u.name as "unitName",
  v.unit_path::text as "unitPath", v.visited_at as "visitedAt", v.kind,
  coalesce((select json_agg(json_build_object('id', w.id, 'name', w.display_name) order by w.display_name)
            from users w where w.id = any(v.worker_ids)), '[]'::json) as workers,
  v.partners, v.findings, v.needs_found as "needsFound", v.follow_up as "followUp", v.latitude, v.longitude, v.created_at as "createdAt"`;
const VISIT_FROM = sql`visits v join clients c on c.id = v.client_id left join units u on u.id = v.unit_id`;

/**
 * Records a visit to a client in the actor's scope. The client's last visit and next due date follow;
 * the visit keeps the owning unit's path so that roll-ups need no joins up the tree.
 */
export async function createVisit(opts: { db: Db; actor: Actor; input: CreateVisitBody }): Promise<VisitRow> {
  const { db, actor, input } = opts;
  const client = await getClient(db, actor, input.clientId, true);
  const at = new Date(input.visitedAt);
  if (at.getTime() > Date.now() + 5 * 60_000) throw invalid('visitedAt', 'in_future', 'a visit cannot be recorded before it happens');
  if (at.getTime() < Date.now() - 366 * 86_400_000) throw invalid('visitedAt', 'too_old', 'visits older than a year are entered by import');
  const workerIds = input.workerIds?.length ? [...new Set(input.workerIds)] : actor.userId ? [actor.userId] : [];
  if (workerIds.length) {
    const found = await query<{ id: string }>(
      db,
      sql`select id from users u where u.id = any(${sql.param(workerIds)}::uuid[]) and u.status = 'active'
          and ${actor.scopePath === null ? sql`true` : sql`u.unit_path is not null and ${scopeWhere(actor, sql`u.unit_path`)}`}`,
    );
    const ok = new Set(found.map((f) => f.id));
    const bad = workerIds.filter((w) => !ok.has(w));
    if (bad.length) throw invalid('workerIds', 'unknown_worker', 'every worker must be an active user of your part of the network');
  }
  const id = newId();
  await db.execute(sql`insert into visits (id, client_id, unit_id, unit_path, visited_at, kind, worker_ids, partners, findings, needs_found,
      follow_up, latitude, longitude, created_by)
    values (${id}, ${client.id}, ${client.unitId}, ${client.unitPath}::ltree, ${at.toISOString()}, ${input.kind}, ${sql.param(workerIds)}::uuid[],
      ${sql.param(input.partners)}::text[], ${input.findings ?? null}, ${sql.param(input.needsFound)}::text[], ${input.followUp ?? null},
      ${input.latitude ?? null}, ${input.longitude ?? null}, ${actor.userId})`);
  await db.execute(sql`update clients set last_visit_at = greatest(coalesce(last_visit_at, ${at.toISOString()}::timestamptz), ${at.toISOString()}::timestamptz)
    where id = ${client.id}`);
  await recomputeCadence(db, [client.id]);
  // Needs found on the visit become needs to follow, linked to it.
  for (const needType of new Set(input.needsFound)) {
    await createNeed({
      db,
      actor,
      input: { clientId: client.id, needType, severity: 'medium', description: input.findings ?? null, visitId: id },
    });
  }
  const visit = await getVisit(db, actor, id);
  const { workers: _w, clientName: _n, unitName: _u, ...auditable } = visit;
  await writeAudit(db, { actor, action: 'visit.created', entityType: 'visit', entityId: id, unitPath: client.unitPath, after: auditable });
  return visit;
}

export async function getVisit(db: Db, actor: Actor, id: string): Promise<VisitRow> {
  const row = await queryOne<VisitRow>(db, sql`select ${VISIT_COLUMNS} from ${VISIT_FROM} where v.id = ${id}`);
  if (!row) throw notFound('visit');
  assertInScope(actor, row.unitPath, 'visit_not_found');
  return row;
}

/** Visits in scope, newest first, keyset-paged. */
export async function findVisits(
  db: Db,
  actor: Actor,
  f: { clientId?: string; unitId?: string; from?: string; to?: string; limit: number; cursor?: string },
) {
  const conds: SQL[] = [scopeWhere(actor, sql`v.unit_path`)];
  if (f.clientId) conds.push(sql`v.client_id = ${f.clientId}`);
  if (f.unitId) conds.push(sql`v.unit_path <@ (select path from units where id = ${f.unitId})`);
  if (f.from) conds.push(sql`v.visited_at >= (${f.from}::date)::timestamp at time zone 'Asia/Shanghai'`);
  if (f.to) conds.push(sql`v.visited_at < (${f.to}::date + 1)::timestamp at time zone 'Asia/Shanghai'`);
  const where = sql.join(conds, sql` and `);
  return newestFirstPage<VisitRow>(db, {
    select: sql`select ${VISIT_COLUMNS} from ${VISIT_FROM}`,
    countFrom: sql`from visits v`,
    where,
    timeColumn: sql`v.visited_at`,
    idColumn: sql`v.id`,
    timeOf: (r) => r.visitedAt,
    limit: f.limit,
    cursor: f.cursor,
  });
}

async function unitScope(db: Db, actor: Actor, unitId?: string): Promise<{ id: string | null; name: string; path: string | null }> {
  if (!unitId) {
    if (actor.scopePath === null) return { id: null, name: '', path: null };
    const own = await queryOne<{ id: string; name: string; path: string }>(
      db,
      sql`select id, name, path::text as path from units where path = ${actor.scopePath}::ltree`,
    );
    if (!own) throw notFound('unit');
    return own;
  }
  const unit = await queryOne<{ id: string; name: string; path: string }>(
    db,
    sql`select id, name, path::text as path from units where id = ${unitId}`,
  );
  if (!unit) throw notFound('unit');
  assertInScope(actor, unit.path, 'unit_not_found');
  return unit;
}

/** Overdue visits counted per worker, community, zone or station, within the actor's scope (and a unit's subtree). */
export async function overdueSummary(db: Db, actor: Actor, f: { groupBy: 'worker' | 'community' | 'zone' | 'station'; unitId?: string }) {
  const root = await unitScope(db, actor, f.unitId);
  const base = sql`c.status = 'active' and c.next_visit_due is not null and ${scopeWhere(actor, sql`c.unit_path`)}
    ${root.path ? sql`and c.unit_path <@ ${root.path}::ltree` : sql``}`;
  const counts = sql`count(*)::int as active, count(*) filter (where c.next_visit_due < ${TODAY_SHANGHAI})::int as overdue`;
  const groups: Record<typeof f.groupBy, SQL> = {
    worker: sql`select c.responsible_user_id::text as key, w.display_name as name, ${counts}
      from clients c left join users w on w.id = c.responsible_user_id where ${base} group by 1, 2`,
    community: sql`select c.region_code as key, r.name as name, ${counts}
      from clients c left join regions r on r.code = c.region_code where ${base} group by 1, 2`,
    zone: sql`select z.id::text as key, z.name as name, ${counts}
      from clients c left join units o on o.id = c.unit_id
      left join zones z on z.id = coalesce(o.zone_id,
        (select z2.id from zones z2 where c.region_code = any(z2.region_codes) and c.unit_path <@ z2.unit_path order by z2.name limit 1))
      where ${base} group by 1, 2`,
    station: sql`select s.id::text as key, s.name as name, ${counts}
      from clients c left join units s on s.kind = 'station' and c.unit_path <@ s.path where ${base} group by 1, 2`,
  };
  const rows = await query<{ key: string | null; name: string | null; active: number; overdue: number }>(
    db,
    sql`${groups[f.groupBy]} order by 4 desc, 2`,
  );
  return rows.map((r) => ({ ...r, active: Number(r.active), overdue: Number(r.overdue) }));
}

/**
 * Visit compliance of a month, per child unit of `unitId` and in total: of the active clients whose
 * cadence made a visit due by the end of the month (last visit before the month, or registration,
 * plus their interval), how many were visited during the month. Uses the clients' current interval.
 */
export async function visitCompliance(db: Db, actor: Actor, f: { unitId?: string; month?: string }) {
  const root = await unitScope(db, actor, f.unitId);
  const month =
    f.month ??
    (await queryOne<{ m: string }>(db, sql`select to_char(${TODAY_SHANGHAI}, 'YYYY-MM') as m`))?.m ??
    new Date().toISOString().slice(0, 7);
  const start = `${month}-01`;
  const depth = root.path ? root.path.split('.').length : 0;
  const rows = await query<{ child: string | null; due: number; visited: number }>(
    db,
    sql`with m as (select ${start}::date as s, (${start}::date + interval '1 month')::date - 1 as e),
      cl as (
        select ${depth > 0 ? sql`case when nlevel(c.unit_path) > ${depth} then subpath(c.unit_path, 0, ${depth + 1})::text end` : sql`subpath(c.unit_path, 0, 1)::text`} as child,
          coalesce((select max((v.visited_at at time zone 'Asia/Shanghai')::date) from visits v
                    where v.client_id = c.id and (v.visited_at at time zone 'Asia/Shanghai')::date < m.s),
                   (c.created_at at time zone 'Asia/Shanghai')::date) + c.visit_interval_days as due_date,
          exists (select 1 from visits v where v.client_id = c.id
                  and (v.visited_at at time zone 'Asia/Shanghai')::date between m.s and m.e) as visited
        from clients c, m
        where c.status = 'active' and c.visit_interval_days is not null and ${scopeWhere(actor, sql`c.unit_path`)}
          ${root.path ? sql`and c.unit_path <@ ${root.path}::ltree` : sql``}
      )
      select cl.child, count(*) filter (where cl.due_date <= m.e)::int as due,
             count(*) filter (where cl.due_date <= m.e and cl.visited)::int as visited
      from cl, m group by cl.child`,
  );
  const childUnits = await query<{ id: string; name: string; kind: string; path: string }>(
    db,
    root.path
      ? sql`select id, name, kind, path::text as path from units where parent_id = ${root.id} order by path`
      : sql`select id, name, kind, path::text as path from units where parent_id is null order by path`,
  );
  const ratio = (due: number, visited: number) => ({ due, visited, rate: due === 0 ? 1 : visited / due });
  const byChild = new Map(rows.map((r) => [r.child, r]));
  let due = 0;
  let visited = 0;
  for (const r of rows) {
    due += Number(r.due);
    visited += Number(r.visited);
  }
  const children = childUnits.map((u) => {
    const r = byChild.get(u.path);
    return { unit: { id: u.id, name: u.name, kind: u.kind }, ...ratio(Number(r?.due ?? 0), Number(r?.visited ?? 0)) };
  });
  // Clients owned by the unit itself (not by a unit below it) get a row of their own, so that rows add up.
  const own = byChild.get(null);
  if (own && root.id && (Number(own.due) > 0 || Number(own.visited) > 0)) {
    const kind = (await queryOne<{ kind: string }>(db, sql`select kind from units where id = ${root.id}`))?.kind ?? '';
    children.unshift({ unit: { id: root.id, name: root.name, kind }, ...ratio(Number(own.due), Number(own.visited)) });
  }
  return { month, unit: { id: root.id, name: root.name }, total: ratio(due, visited), children };
}

/**
 * The overdue scan (daily job and the console's button): recompute due dates, then tell each
 * responsible worker how many of their clients are overdue (one notification per worker a day).
 */
export async function runOverdueScan(db: Db, scopePath: string | null): Promise<{ recomputed: number; notified: number }> {
  const ids = await query<{ id: string }>(
    db,
    sql`select id from clients c where ${scopePath === null ? sql`true` : sql`c.unit_path <@ ${scopePath}::ltree`}`,
  );
  const recomputed = ids.length ? await recomputeCadence(db, scopePath === null ? undefined : ids.map((i) => i.id)) : 0;
  const perWorker = await query<{ user_id: string; n: number }>(
    db,
    sql`select c.responsible_user_id as user_id, count(*)::int as n from clients c
        where c.status = 'active' and c.responsible_user_id is not null and c.next_visit_due < ${TODAY_SHANGHAI}
        ${scopePath === null ? sql`` : sql`and c.unit_path <@ ${scopePath}::ltree`}
        group by 1`,
  );
  let notified = 0;
  for (const w of perWorker) {
    notified += await notify(db, {
      userIds: [w.user_id],
      kind: 'visit_overdue',
      title: `${w.n} 位服务对象走访已逾期`,
      body: `You have ${w.n} client(s) past their visit due date.`,
      entityType: 'visit_overdue',
    });
  }
  return { recomputed, notified };
}

export async function getCadenceRules(db: Db) {
  return query<{ kind: 'risk' | 'category'; key: string; intervalDays: number }>(
    db,
    sql`select kind, key, interval_days as "intervalDays" from visit_cadence_rules order by kind desc, interval_days, key`,
  );
}

/** Replaces the deployment's cadence rules and recomputes every due date; audited. */
export async function setCadenceRules(opts: {
  db: Db;
  actor: Actor;
  rules: { kind: 'risk' | 'category'; key: string; intervalDays: number }[];
}) {
  const { db, actor, rules } = opts;
  const keys = new Set(rules.map((r) => `${r.kind}:${r.key}`));
  if (keys.size !== rules.length) throw invalid('rules', 'duplicate', 'each risk level or category may have one rule');
  // Any category of the deployment's list, retired ones too: the clients who keep them are still visited.
  const unknown = await unknownCategoryCodes(
    db,
    rules.filter((r) => r.kind === 'category').map((r) => r.key),
  );
  if (unknown.length) throw invalid('rules', 'unknown_category', `unknown category ${unknown.join(', ')}`);
  for (const level of ['high', 'key', 'general']) {
    if (!keys.has(`risk:${level}`))
      throw new AppError('validation_failed', {
        message: 'every risk level needs a rule',
        details: [{ path: 'rules', code: 'missing_risk_level', message: level }],
      });
  }
  const before = await getCadenceRules(db);
  await db.execute(sql`delete from visit_cadence_rules`);
  for (const r of rules) {
    await db.execute(
      sql`insert into visit_cadence_rules (id, kind, key, interval_days) values (${newId()}, ${r.kind}, ${r.key}, ${r.intervalDays})`,
    );
  }
  await recomputeCadence(db);
  await writeAudit(db, {
    actor,
    action: 'settings.cadence_changed',
    entityType: 'settings',
    entityId: 'visit_cadence',
    unitPath: actor.scopePath,
    before,
    after: rules,
  });
}
