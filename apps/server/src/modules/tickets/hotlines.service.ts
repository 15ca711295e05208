import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';

// ------------------------------------------------------------------------------------------- hotlines

export interface HotlineRow {
  id: string;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  number: string;
  name: string;
  hours: string;
  active: boolean;
  version: number;
  createdAt: Date | string;
}

const HOTLINE_COLUMNS = sql`h.id, h.unit_id as "unitId", u.name as "unitName", h.unit_path::text as "unitPath", h.number, h.name, h.hours,
  h.active, h.version, h.created_at as "createdAt"`;
const HOTLINE_FROM = sql`hotlines h left join units u on u.id = h.unit_id`;

export async function getHotline(db: Db, actor: Actor, id: string, forUpdate = false): Promise<HotlineRow> {
  if (forUpdate) await db.execute(sql`select 1 from hotlines where id = ${id} for update`);
  const row = await queryOne<HotlineRow>(db, sql`select ${HOTLINE_COLUMNS} from ${HOTLINE_FROM} where h.id = ${id}`);
  if (!row) throw notFound('hotline');
  assertInScope(actor, row.unitPath, 'hotline_not_found');
  return { ...row, version: Number(row.version) };
}

export async function findHotlines(
  db: Db,
  actor: Actor,
  f: { unitId?: string; active?: 'true' | 'false'; limit: number; cursor?: string },
) {
  const conds: SQL[] = [scopeWhere(actor, sql`h.unit_path`)];
  if (f.unitId) conds.push(sql`h.unit_path <@ (select path from units where id = ${f.unitId})`);
  if (f.active) conds.push(sql`h.active = ${f.active === 'true'}`);
  const page = await newestFirstPage<HotlineRow>(db, {
    select: sql`select ${HOTLINE_COLUMNS} from ${HOTLINE_FROM}`,
    countFrom: sql`from hotlines h`,
    where: sql.join(conds, sql` and `),
    timeColumn: sql`h.created_at`,
    idColumn: sql`h.id`,
    timeOf: (r) => r.createdAt,
    limit: f.limit,
    cursor: f.cursor,
  });
  return { ...page, items: page.items.map((r) => ({ ...r, version: Number(r.version) })) };
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

export async function createHotline(opts: {
  db: Db;
  actor: Actor;
  input: { unitId: string; number: string; name: string; hours: string };
}) {
  const { db, actor, input } = opts;
  const unit = await queryOne<{ id: string; path: string }>(db, sql`select id, path::text as path from units where id = ${input.unitId}`);
  if (!unit || !inScope(actor, unit.path)) throw invalid('unitId', 'unknown_unit', 'no such unit in your part of the network');
  const dup = await queryOne<{ id: string }>(db, sql`select id from hotlines where unit_id = ${unit.id} and number = ${input.number}`);
  if (dup) throw new AppError('duplicate_hotline', { status: 409, message: 'the unit already has this number' });
  const id = newId();
  await db.execute(sql`insert into hotlines (id, unit_id, unit_path, number, name, hours)
    values (${id}, ${unit.id}, ${unit.path}::ltree, ${input.number}, ${input.name}, ${input.hours})`);
  const row = await getHotline(db, actor, id);
  await writeAudit(db, { actor, action: 'hotline.created', entityType: 'hotline', entityId: id, unitPath: unit.path, after: row });
  return row;
}

export async function updateHotline(opts: {
  db: Db;
  actor: Actor;
  id: string;
  input: { version: number; number?: string; name?: string; hours?: string; active?: boolean };
}) {
  const { db, actor, id, input } = opts;
  const before = await getHotline(db, actor, id, true);
  if (before.version !== input.version) throw stale('hotline');
  try {
    await db.execute(sql`update hotlines set number = ${input.number ?? before.number}, name = ${input.name ?? before.name},
        hours = ${input.hours ?? before.hours}, active = ${input.active ?? before.active}, version = version + 1, updated_at = now()
      where id = ${id}`);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('duplicate_hotline', { status: 409, message: 'the unit already has this number' });
    throw err;
  }
  const after = await getHotline(db, actor, id);
  await writeAudit(db, { actor, action: 'hotline.updated', entityType: 'hotline', entityId: id, unitPath: after.unitPath, before, after });
  return after;
}

// ------------------------------------------------------------------------------------------- duty shifts

export interface ShiftRow {
  id: string;
  hotlineId: string;
  hotlineName: string | null;
  hotlineNumber: string | null;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  userId: string;
  userName: string | null;
  startsAt: Date | string;
  endsAt: Date | string;
  calls: number;
  peopleServed: number;
  notes: string | null;
  version: number;
}

const SHIFT_COLUMNS = sql`s.id, s.hotline_id as "hotlineId", h.name as "hotlineName", h.number as "hotlineNumber", s.unit_id as "unitId",
  u.name as "unitName", s.unit_path::text as "unitPath", s.user_id as "userId", us.display_name as "userName", s.starts_at as "startsAt",
  s.ends_at as "endsAt", s.calls, s.people_served as "peopleServed", s.notes, s.version`;
const SHIFT_FROM = sql`duty_shifts s left join hotlines h on h.id = s.hotline_id left join units u on u.id = s.unit_id
  left join users us on us.id = s.user_id`;

const num = (r: ShiftRow): ShiftRow => ({ ...r, calls: Number(r.calls), peopleServed: Number(r.peopleServed), version: Number(r.version) });

export async function getShift(db: Db, actor: Actor, id: string, forUpdate = false): Promise<ShiftRow> {
  if (forUpdate) await db.execute(sql`select 1 from duty_shifts where id = ${id} for update`);
  const row = await queryOne<ShiftRow>(db, sql`select ${SHIFT_COLUMNS} from ${SHIFT_FROM} where s.id = ${id}`);
  if (!row) throw notFound('shift');
  assertInScope(actor, row.unitPath, 'shift_not_found');
  return num(row);
}

/** Start of a day in Asia/Shanghai (YYYY-MM-DD) as a timestamptz expression. */
const dayStart = (d: string) => sql`(${d}::date::timestamp at time zone 'Asia/Shanghai')`;

export async function findShifts(
  db: Db,
  actor: Actor,
  f: { hotlineId?: string; unitId?: string; userId?: string; from?: string; to?: string; limit: number; cursor?: string },
) {
  const conds: SQL[] = [scopeWhere(actor, sql`s.unit_path`)];
  if (f.hotlineId) conds.push(sql`s.hotline_id = ${f.hotlineId}`);
  if (f.unitId) conds.push(sql`s.unit_path <@ (select path from units where id = ${f.unitId})`);
  if (f.userId) conds.push(sql`s.user_id = ${f.userId}`);
  if (f.from) conds.push(sql`s.starts_at >= ${dayStart(f.from)}`);
  if (f.to) conds.push(sql`s.starts_at < ${dayStart(f.to)} + interval '1 day'`);
  const page = await newestFirstPage<ShiftRow>(db, {
    select: sql`select ${SHIFT_COLUMNS} from ${SHIFT_FROM}`,
    countFrom: sql`from duty_shifts s`,
    where: sql.join(conds, sql` and `),
    timeColumn: sql`s.starts_at`,
    idColumn: sql`s.id`,
    timeOf: (r) => r.startsAt,
    limit: f.limit,
    cursor: f.cursor,
  });
  return { ...page, items: page.items.map(num) };
}

export async function createShift(opts: {
  db: Db;
  actor: Actor;
  input: {
    hotlineId: string;
    userId: string;
    startsAt: string;
    endsAt: string;
    calls: number;
    peopleServed: number;
    notes?: string | null;
  };
}) {
  const { db, actor, input } = opts;
  const hotline = await queryOne<{ id: string; unit_id: string; unit_path: string }>(
    db,
    sql`select id, unit_id, unit_path::text as unit_path from hotlines where id = ${input.hotlineId}`,
  );
  if (!hotline || !inScope(actor, hotline.unit_path))
    throw invalid('hotlineId', 'unknown_hotline', 'no such hotline in your part of the network');
  const user = await queryOne<{ id: string; unit_path: string | null }>(
    db,
    sql`select id, unit_path::text as unit_path from users where id = ${input.userId} and status = 'active'`,
  );
  if (!user?.unit_path || !inScope(actor, user.unit_path))
    throw invalid('userId', 'unknown_user', 'the worker on duty must be an active user of your part of the network');
  const overlap = await queryOne<{ id: string }>(
    db,
    sql`select id from duty_shifts where user_id = ${user.id} and starts_at < ${input.endsAt}::timestamptz and ends_at > ${input.startsAt}::timestamptz limit 1`,
  );
  if (overlap) throw new AppError('shift_overlap', { status: 409, message: 'the worker already has a shift at that time' });
  const id = newId();
  await db.execute(sql`insert into duty_shifts (id, hotline_id, unit_id, unit_path, user_id, starts_at, ends_at, calls, people_served, notes, created_by)
    values (${id}, ${hotline.id}, ${hotline.unit_id}, ${hotline.unit_path}::ltree, ${user.id}, ${input.startsAt}::timestamptz,
      ${input.endsAt}::timestamptz, ${input.calls}, ${input.peopleServed}, ${input.notes ?? null}, ${actor.userId})`);
  const row = await getShift(db, actor, id);
  await writeAudit(db, { actor, action: 'duty_shift.created', entityType: 'duty_shift', entityId: id, unitPath: row.unitPath, after: row });
  return row;
}

export async function updateShift(opts: {
  db: Db;
  actor: Actor;
  id: string;
  input: { version: number; calls?: number; peopleServed?: number; notes?: string | null };
}) {
  const { db, actor, id, input } = opts;
  const before = await getShift(db, actor, id, true);
  if (before.version !== input.version) throw stale('shift');
  await db.execute(sql`update duty_shifts set calls = ${input.calls ?? before.calls}, people_served = ${input.peopleServed ?? before.peopleServed},
      notes = ${input.notes === undefined ? before.notes : input.notes}, version = version + 1, updated_at = now() where id = ${id}`);
  const after = await getShift(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'duty_shift.updated',
    entityType: 'duty_shift',
    entityId: id,
    unitPath: after.unitPath,
    before,
    after,
  });
  return after;
}

/**
 * Shifts, calls, people served, tickets received and solved in a period, per day, month or unit (the
 * units directly holding the shifts and tickets). Days are calendar days in Asia/Shanghai.
 */
export async function shiftStats(
  db: Db,
  actor: Actor,
  f: { from: string; to: string; groupBy: 'unit' | 'day' | 'month'; unitId?: string },
) {
  if (f.to < f.from) throw invalid('to', 'before_from', 'the period ends before it starts');
  if ((Date.parse(f.to) - Date.parse(f.from)) / 86400_000 > 400) throw invalid('to', 'too_long', 'a period of 400 days at most');
  let under: SQL = sql``;
  if (f.unitId) {
    const unit = await queryOne<{ path: string }>(db, sql`select path::text as path from units where id = ${f.unitId}`);
    if (!unit || !inScope(actor, unit.path)) throw notFound('unit');
    under = sql`and x.unit_path <@ ${unit.path}::ltree`;
  }
  const key = (col: SQL) =>
    f.groupBy === 'unit'
      ? sql`x.unit_id::text`
      : sql`to_char(${col} at time zone 'Asia/Shanghai', ${f.groupBy === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM'})`;
  const start = dayStart(f.from);
  const end = sql`${dayStart(f.to)} + interval '1 day'`;
  const scope = scopeWhere(actor, sql`x.unit_path`);
  const rows = await query<{ key: string; shifts: number; calls: number; people_served: number; tickets: number; solved: number }>(
    db,
    sql`with s as (
          select ${key(sql`x.starts_at`)} as key, count(*)::int as shifts, coalesce(sum(x.calls), 0)::int as calls,
            coalesce(sum(x.people_served), 0)::int as people_served
          from duty_shifts x where ${scope} ${under} and x.starts_at >= ${start} and x.starts_at < ${end} group by 1),
        r as (
          select ${key(sql`x.received_at`)} as key, count(*)::int as tickets from tickets x
          where ${scope} ${under} and x.received_at >= ${start} and x.received_at < ${end} group by 1),
        v as (
          select ${key(sql`x.solved_at`)} as key, count(*)::int as solved from tickets x
          where ${scope} ${under} and x.solved_at >= ${start} and x.solved_at < ${end} group by 1)
        select k.key, coalesce(s.shifts, 0) as shifts, coalesce(s.calls, 0) as calls, coalesce(s.people_served, 0) as people_served,
          coalesce(r.tickets, 0) as tickets, coalesce(v.solved, 0) as solved
        from (select key from s union select key from r union select key from v) k
          left join s on s.key = k.key left join r on r.key = k.key left join v on v.key = k.key
        order by k.key`,
  );
  const names =
    f.groupBy === 'unit' && rows.length
      ? new Map(
          (
            await query<{ id: string; name: string }>(
              db,
              sql`select id::text as id, name from units where id::text in (${sql.join(
                rows.map((r) => sql`${r.key}`),
                sql`, `,
              )})`,
            )
          ).map((u) => [u.id, u.name]),
        )
      : null;
  const out = rows.map((r) => ({
    key: r.key,
    label: names?.get(r.key) ?? r.key,
    shifts: Number(r.shifts),
    calls: Number(r.calls),
    peopleServed: Number(r.people_served),
    tickets: Number(r.tickets),
    solved: Number(r.solved),
  }));
  const totals = out.reduce(
    (a, r) => ({
      shifts: a.shifts + r.shifts,
      calls: a.calls + r.calls,
      peopleServed: a.peopleServed + r.peopleServed,
      tickets: a.tickets + r.tickets,
      solved: a.solved + r.solved,
    }),
    { shifts: 0, calls: 0, peopleServed: 0, tickets: 0, solved: 0 },
  );
  return { rows: out, totals };
}
