import {
  COUNT_FIGURES,
  type CountFigure,
  completeness,
  type DailyFigures,
  type DailyReportStatus,
  emptyFigures,
  problemsSolved,
  ROLE_PERMISSIONS,
  ROLES,
  SOLVED_CATEGORIES,
  type SolvedCategory,
  type UnitKind,
} from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { publish } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { notify } from '../notifications/notifications.service.js';

// ------------------------------------------------------------------------------------------- days

const DAY_MS = 86_400_000;

/** Today's calendar day in Asia/Shanghai (UTC+8 all year, no daylight saving). */
export function shanghaiToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Minutes since midnight in Asia/Shanghai. */
export function shanghaiMinutes(now: Date = new Date()): number {
  const d = new Date(now.getTime() + 8 * 3_600_000);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** `column` (timestamptz) falls on `day` in Asia/Shanghai: a range on the column, so its index is usable. */
function onDay(column: SQL, day: string): SQL {
  return sql`${column} >= (${day}::date)::timestamp at time zone 'Asia/Shanghai'
    and ${column} < (${day}::date + 1)::timestamp at time zone 'Asia/Shanghai'`;
}

function notFuture(day: string, path = 'day') {
  if (day > shanghaiToday()) throw invalid(path, 'future_day', 'a daily report cannot be filed for a day that has not come yet');
}

// ------------------------------------------------------------------------------------------- columns

const COUNT_COLUMNS: Record<CountFigure, string> = {
  peopleServed: 'people_served',
  visits: 'visits',
  needsMet: 'needs_met',
  ticketsReceived: 'tickets_received',
  shifts: 'shifts',
  calls: 'calls',
};
const solvedColumn = (c: SolvedCategory) => `solved_${c}`;
/** Every figure column of daily_reports (constants: safe for sql.raw). */
const FIGURE_COLUMNS = [...COUNT_FIGURES.map((f) => COUNT_COLUMNS[f]), 'volunteer_hours', ...SOLVED_CATEGORIES.map(solvedColumn)];

/** `r.people_served as people_served, …` */
const figureSelect = (alias: string) => sql.raw(FIGURE_COLUMNS.map((c) => `${alias}.${c} as ${c}`).join(', '));
/** `coalesce(sum(r.people_served), 0)::int as people_served, …` */
const figureSums = (alias: string) =>
  sql.raw(
    FIGURE_COLUMNS.map((c) =>
      c === 'volunteer_hours' ? `coalesce(sum(${alias}.${c}), 0)::float8 as ${c}` : `coalesce(sum(${alias}.${c}), 0)::int as ${c}`,
    ).join(', '),
  );

type FigureRow = Record<string, number | string | null>;

export function figuresOf(row: FigureRow): DailyFigures {
  const f = emptyFigures();
  for (const k of COUNT_FIGURES) f[k] = Number(row[COUNT_COLUMNS[k]] ?? 0);
  f.volunteerHours = Math.round(Number(row.volunteer_hours ?? 0) * 100) / 100;
  for (const c of SOLVED_CATEGORIES) f.solved[c] = Number(row[solvedColumn(c)] ?? 0);
  return f;
}

export function addFigures(a: DailyFigures, b: DailyFigures): DailyFigures {
  const f = emptyFigures();
  for (const k of COUNT_FIGURES) f[k] = a[k] + b[k];
  f.volunteerHours = Math.round((a.volunteerHours + b.volunteerHours) * 100) / 100;
  for (const c of SOLVED_CATEGORIES) f.solved[c] = a.solved[c] + b.solved[c];
  return f;
}

/** `people_served = 3, …` (update) */
function figureAssignments(f: DailyFigures): SQL {
  return sql.join(
    [
      ...COUNT_FIGURES.map((k) => sql`${sql.raw(COUNT_COLUMNS[k])} = ${f[k]}`),
      sql`volunteer_hours = ${f.volunteerHours}`,
      ...SOLVED_CATEGORIES.map((c) => sql`${sql.raw(solvedColumn(c))} = ${f.solved[c]}`),
    ],
    sql`, `,
  );
}

function figureValues(f: DailyFigures): SQL {
  return sql.join(
    [...COUNT_FIGURES.map((k) => sql`${f[k]}`), sql`${f.volunteerHours}`, ...SOLVED_CATEGORIES.map((c) => sql`${f.solved[c]}`)],
    sql`, `,
  );
}

// ------------------------------------------------------------------------------------------- settings

export interface DailyReportSettings {
  unitKinds: UnitKind[];
  /** HH:MM, Asia/Shanghai. */
  reminderTime: string;
  remindersEnabled: boolean;
  lastReminderDay: string | null;
  version: number;
}

const DEFAULT_SETTINGS: DailyReportSettings = {
  unitKinds: ['station'],
  reminderTime: '17:00',
  remindersEnabled: true,
  lastReminderDay: null,
  version: 1,
};

export async function getSettings(db: Db, forUpdate = false): Promise<DailyReportSettings> {
  const row = await queryOne<DailyReportSettings>(
    db,
    sql`select unit_kinds as "unitKinds", reminder_time as "reminderTime", reminders_enabled as "remindersEnabled",
          last_reminder_day::text as "lastReminderDay", version
        from daily_report_settings where id = 1 ${forUpdate ? sql`for update` : sql``}`,
  );
  return row ? { ...row, version: Number(row.version) } : DEFAULT_SETTINGS;
}

export async function updateSettings(opts: {
  db: Db;
  actor: Actor;
  input: { version: number; unitKinds: UnitKind[]; reminderTime: string; remindersEnabled: boolean };
}): Promise<DailyReportSettings> {
  const { db, actor, input } = opts;
  await db.execute(sql`select pg_advisory_xact_lock(727201)`);
  const before = await getSettings(db, true);
  if (before.version !== input.version) throw stale('settings');
  await db.execute(sql`insert into daily_report_settings (id, unit_kinds, reminder_time, reminders_enabled, version)
    values (1, ${sql.param(input.unitKinds)}::text[], ${input.reminderTime}, ${input.remindersEnabled}, ${before.version + 1})
    on conflict (id) do update set unit_kinds = excluded.unit_kinds, reminder_time = excluded.reminder_time,
      reminders_enabled = excluded.reminders_enabled, version = excluded.version, updated_at = now()`);
  const after = await getSettings(db);
  await writeAudit(db, {
    actor,
    action: 'daily_report.settings_updated',
    entityType: 'daily_report_settings',
    entityId: null,
    before,
    after,
  });
  return after;
}

// ------------------------------------------------------------------------------------------- pre-fill

export interface ReportingUnit {
  id: string;
  name: string;
  kind: string;
  path: string;
  parentId: string | null;
}

/**
 * One source of pre-filled figures: what the records of `unit` (and the offices and points below it) say
 * about `day`. The pre-fill is the sum of all sources; people served adds up per source (visited clients,
 * people a hotline shift served, people who came with a ticket by another channel).
 */
export interface PrefillSource {
  name: string;
  collect(
    db: Db,
    unit: ReportingUnit,
    day: string,
  ): Promise<Partial<Omit<DailyFigures, 'solved'>> & { solved?: Partial<Record<SolvedCategory, number>> }>;
}

const under = (column: SQL, unit: ReportingUnit) => sql`${column} <@ ${unit.path}::ltree`;

/** Visits made that day: visits and distinct clients visited. */
export const visitsSource: PrefillSource = {
  name: 'visits',
  async collect(db, unit, day) {
    const r = await queryOne<{ visits: number; people: number }>(
      db,
      sql`select count(*)::int as visits, count(distinct client_id)::int as people from visits v
          where ${under(sql`v.unit_path`, unit)} and ${onDay(sql`v.visited_at`, day)}`,
    );
    return { visits: Number(r?.visits ?? 0), peopleServed: Number(r?.people ?? 0) };
  },
};

/** Needs marked met that day. */
export const needsSource: PrefillSource = {
  name: 'needs',
  async collect(db, unit, day) {
    const r = await queryOne<{ n: number }>(
      db,
      sql`select count(*)::int as n from needs n where ${under(sql`n.unit_path`, unit)} and n.status = 'met' and ${onDay(sql`n.closed_at`, day)}`,
    );
    return { needsMet: Number(r?.n ?? 0) };
  },
};

/** Volunteer hours confirmed in the time bank that day (earn postings that were not corrected). */
export const timebankSource: PrefillSource = {
  name: 'timebank',
  async collect(db, unit, day) {
    const r = await queryOne<{ h: number }>(
      db,
      sql`select coalesce(sum(p.hours), 0)::int as h from timebank_postings p
          where ${under(sql`p.unit_path`, unit)} and p.kind = 'earn' and ${onDay(sql`p.created_at`, day)}
            and not exists (select 1 from timebank_postings c where c.corrects_posting_id = p.id)`,
    );
    return { volunteerHours: Number(r?.h ?? 0) / 100 };
  },
};

/**
 * Tickets: received that day (not cancelled), problems solved that day by category, and the people who came
 * by a channel other than the hotline (hotline callers are counted by the duty shifts).
 */
export const ticketsSource: PrefillSource = {
  name: 'tickets',
  async collect(db, unit, day) {
    const received = await queryOne<{ n: number; people: number }>(
      db,
      sql`select count(*)::int as n,
            count(distinct coalesce(t.client_id::text, t.id::text)) filter (where t.channel <> 'hotline')::int as people
          from tickets t where ${under(sql`t.unit_path`, unit)} and t.status <> 'cancelled' and ${onDay(sql`t.received_at`, day)}`,
    );
    const solved = await query<{ category: string; n: number }>(
      db,
      sql`select t.category, count(*)::int as n from tickets t
          where ${under(sql`t.unit_path`, unit)} and t.status in ('solved', 'closed') and ${onDay(sql`t.solved_at`, day)}
          group by t.category`,
    );
    const byCategory: Partial<Record<SolvedCategory, number>> = {};
    for (const s of solved) {
      const c = (SOLVED_CATEGORIES as readonly string[]).includes(s.category) ? (s.category as SolvedCategory) : 'other';
      byCategory[c] = (byCategory[c] ?? 0) + Number(s.n);
    }
    return { ticketsReceived: Number(received?.n ?? 0), peopleServed: Number(received?.people ?? 0), solved: byCategory };
  },
};

/** Hotline duty shifts that started that day: shifts, calls and people served. */
export const shiftsSource: PrefillSource = {
  name: 'shifts',
  async collect(db, unit, day) {
    const r = await queryOne<{ shifts: number; calls: number; people: number }>(
      db,
      sql`select count(*)::int as shifts, coalesce(sum(s.calls), 0)::int as calls, coalesce(sum(s.people_served), 0)::int as people
          from duty_shifts s where ${under(sql`s.unit_path`, unit)} and ${onDay(sql`s.starts_at`, day)}`,
    );
    return { shifts: Number(r?.shifts ?? 0), calls: Number(r?.calls ?? 0), peopleServed: Number(r?.people ?? 0) };
  },
};

/**
 * Casework (个案 and 小组): the distinct clients of the unit's cases who got a service record that day, and the
 * distinct clients who attended a group session held that day. People served.
 */
export const casesSource: PrefillSource = {
  name: 'cases',
  async collect(db, unit, day) {
    const r = await queryOne<{ people: number }>(
      db,
      sql`select (
            (select count(distinct k.client_id) from case_services s join cases k on k.id = s.case_id
              where ${under(sql`k.unit_path`, unit)} and s.service_date = ${day}::date)
          + (select count(distinct a.client_id) from case_group_attendance a
              join case_group_sessions gs on gs.id = a.session_id join case_groups g on g.id = gs.group_id
              where ${under(sql`g.unit_path`, unit)} and gs.session_date = ${day}::date)
          )::int as people`,
    );
    return { peopleServed: Number(r?.people ?? 0) };
  },
};

/** Volunteer activities of the unit held that day (not cancelled): the residents they served. */
export const activitiesSource: PrefillSource = {
  name: 'activities',
  async collect(db, unit, day) {
    const r = await queryOne<{ people: number }>(
      db,
      sql`select coalesce(sum(a.residents_served), 0)::int as people from activities a
          where ${under(sql`a.unit_path`, unit)} and a.status <> 'cancelled' and ${onDay(sql`a.starts_at`, day)}`,
    );
    return { peopleServed: Number(r?.people ?? 0) };
  },
};

export const PREFILL_SOURCES: PrefillSource[] = [
  visitsSource,
  needsSource,
  timebankSource,
  ticketsSource,
  shiftsSource,
  casesSource,
  activitiesSource,
];

/** The figures the records give for `unit` on `day`: the sum of every source. */
export async function prefillFigures(db: Db, unit: ReportingUnit, day: string, sources = PREFILL_SOURCES): Promise<DailyFigures> {
  const f = emptyFigures();
  for (const source of sources) {
    const part = await source.collect(db, unit, day);
    for (const k of COUNT_FIGURES) f[k] += part[k] ?? 0;
    f.volunteerHours = Math.round((f.volunteerHours + (part.volunteerHours ?? 0)) * 100) / 100;
    for (const c of SOLVED_CATEGORIES) f.solved[c] += part.solved?.[c] ?? 0;
  }
  return f;
}

// ------------------------------------------------------------------------------------------- reports

export interface ReportRow {
  id: string;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  day: string;
  status: DailyReportStatus;
  late: boolean;
  figures: DailyFigures;
  highlights: string | null;
  prefill: DailyFigures | null;
  returnReason: string | null;
  submittedAt: Date | string | null;
  submittedByName: string | null;
  returnedAt: Date | string | null;
  returnedByName: string | null;
  version: number;
  createdAt: Date | string;
  updatedAt: Date | string;
}

const REPORT_SELECT = sql`select r.id, r.unit_id as "unitId", u.name as "unitName", r.unit_path::text as "unitPath", r.day::text as day,
    r.status, r.late, ${figureSelect('r')}, r.highlights, r.prefill, r.return_reason as "returnReason",
    r.submitted_at as "submittedAt", sb.display_name as "submittedByName", r.returned_at as "returnedAt",
    rb.display_name as "returnedByName", r.version, r.created_at as "createdAt", r.updated_at as "updatedAt"
  from daily_reports r left join units u on u.id = r.unit_id
    left join users sb on sb.id = r.submitted_by left join users rb on rb.id = r.returned_by`;

type RawReport = Omit<ReportRow, 'figures'> & FigureRow;

function toReport(raw: RawReport): ReportRow {
  return {
    id: raw.id,
    unitId: raw.unitId,
    unitName: raw.unitName,
    unitPath: raw.unitPath,
    day: raw.day,
    status: raw.status,
    late: raw.late,
    figures: figuresOf(raw),
    highlights: raw.highlights,
    prefill: (raw.prefill as DailyFigures | null) ?? null,
    returnReason: raw.returnReason,
    submittedAt: raw.submittedAt,
    submittedByName: raw.submittedByName,
    returnedAt: raw.returnedAt,
    returnedByName: raw.returnedByName,
    version: Number(raw.version),
    createdAt: raw.createdAt,
    updatedAt: raw.updatedAt,
  };
}

async function loadReport(db: Db, actor: Actor, id: string, forUpdate = false): Promise<ReportRow> {
  if (forUpdate) await db.execute(sql`select 1 from daily_reports where id = ${id} for update`);
  const raw = await queryOne<RawReport>(db, sql`${REPORT_SELECT} where r.id = ${id}`);
  if (!raw) throw notFound('daily_report');
  assertInScope(actor, raw.unitPath, 'daily_report_not_found');
  return toReport(raw);
}

export const getReport = (db: Db, actor: Actor, id: string) => loadReport(db, actor, id);

/** A unit of the actor's scope that files daily reports (404 outside the scope, 400 for a kind that does not report). */
export async function reportingUnit(db: Db, actor: Actor, unitId: string, settings?: DailyReportSettings): Promise<ReportingUnit> {
  const unit = await queryOne<ReportingUnit>(
    db,
    sql`select id, name, kind, path::text as path, parent_id as "parentId" from units where id = ${unitId}`,
  );
  if (!unit) throw notFound('unit');
  assertInScope(actor, unit.path, 'unit_not_found');
  const s = settings ?? (await getSettings(db));
  if (!(s.unitKinds as string[]).includes(unit.kind))
    throw invalid(
      'unitId',
      'not_a_reporting_unit',
      `a ${unit.kind} does not file daily reports (this deployment: ${s.unitKinds.join(', ')})`,
    );
  return unit;
}

/** The form of a unit's day: its report (if started), and what the records say now. */
export async function getForm(db: Db, actor: Actor, unitId: string, day: string) {
  notFuture(day);
  const unit = await reportingUnit(db, actor, unitId);
  const raw = await queryOne<RawReport>(db, sql`${REPORT_SELECT} where r.unit_id = ${unit.id} and r.day = ${day}::date`);
  const prefill = await prefillFigures(db, unit, day);
  return { unit, day, report: raw ? toReport(raw) : null, prefill, lateIfSubmittedNow: day < shanghaiToday() };
}

const auditView = (r: ReportRow) => ({
  unitId: r.unitId,
  day: r.day,
  status: r.status,
  late: r.late,
  figures: r.figures,
  highlights: r.highlights,
  returnReason: r.returnReason,
  version: r.version,
});

async function published(db: Db, r: ReportRow) {
  await publish(db, {
    channel: 'daily_reports',
    unitPath: r.unitPath,
    permission: 'daily_reports.read',
    type: 'daily_report.changed',
    data: { id: r.id, status: r.status, day: r.day },
  });
}

/** Starts the unit's report of `day` as a draft (figures default to the pre-fill). 409 when it exists. */
export async function createReport(opts: {
  db: Db;
  actor: Actor;
  input: { unitId: string; day: string; figures?: DailyFigures; highlights?: string | null };
}): Promise<ReportRow> {
  const { db, actor, input } = opts;
  notFuture(input.day);
  const unit = await reportingUnit(db, actor, input.unitId);
  const prefill = await prefillFigures(db, unit, input.day);
  const figures = input.figures ?? prefill;
  const id = newId();
  const inserted = await queryOne<{ id: string }>(
    db,
    sql`insert into daily_reports (id, unit_id, unit_path, day, status, ${sql.raw(FIGURE_COLUMNS.join(', '))}, highlights, prefill, created_by)
        values (${id}, ${unit.id}, ${unit.path}::ltree, ${input.day}::date, 'draft', ${figureValues(figures)}, ${input.highlights ?? null},
          ${JSON.stringify(prefill)}::jsonb, ${actor.userId})
        on conflict (unit_id, day) do nothing returning id`,
  );
  if (!inserted)
    throw new AppError('report_exists', {
      status: 409,
      message: 'this unit already has a report for that day; open it instead',
      details: [{ path: 'day', code: 'report_exists' }],
    });
  const report = await loadReport(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'daily_report.created',
    entityType: 'daily_report',
    entityId: id,
    unitPath: unit.path,
    after: auditView(report),
  });
  await published(db, report);
  return report;
}

function checkVersion(report: ReportRow, version: number) {
  if (report.version !== version) throw stale('report');
}

function checkEditable(report: ReportRow) {
  if (report.status === 'submitted')
    throw new AppError('report_locked', {
      status: 409,
      message: 'the report is submitted and locked; the parent unit may return it for correction',
      details: [{ path: 'status', code: 'report_locked' }],
    });
}

/** Changes a draft or returned report (figures and/or highlights). Stale version → 409; submitted → 409 report_locked. */
export async function updateReport(opts: {
  db: Db;
  actor: Actor;
  id: string;
  input: { version: number; figures?: DailyFigures; highlights?: string | null };
}): Promise<ReportRow> {
  const { db, actor, id, input } = opts;
  const before = await loadReport(db, actor, id, true);
  checkEditable(before);
  checkVersion(before, input.version);
  const unit = await reportingUnit(db, actor, before.unitId);
  const prefill = await prefillFigures(db, unit, before.day);
  const sets: SQL[] = [sql`prefill = ${JSON.stringify(prefill)}::jsonb`, sql`version = version + 1`, sql`updated_at = now()`];
  if (input.figures) sets.push(figureAssignments(input.figures));
  if (input.highlights !== undefined) sets.push(sql`highlights = ${input.highlights}`);
  await db.execute(sql`update daily_reports set ${sql.join(sets, sql`, `)} where id = ${id}`);
  const after = await loadReport(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'daily_report.updated',
    entityType: 'daily_report',
    entityId: id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: auditView(after),
  });
  await published(db, after);
  return after;
}

/** Submits (locks) a draft or returned report; late when the day it reports on has ended in Asia/Shanghai. */
export async function submitReport(opts: { db: Db; actor: Actor; id: string; version: number }): Promise<ReportRow> {
  const { db, actor, id, version } = opts;
  const before = await loadReport(db, actor, id, true);
  checkEditable(before);
  checkVersion(before, version);
  await reportingUnit(db, actor, before.unitId);
  const late = before.day < shanghaiToday();
  await db.execute(sql`update daily_reports set status = 'submitted', late = ${late}, submitted_at = now(), submitted_by = ${actor.userId},
      version = version + 1, updated_at = now() where id = ${id}`);
  const after = await loadReport(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'daily_report.submitted',
    entityType: 'daily_report',
    entityId: id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: auditView(after),
  });
  await published(db, after);
  return after;
}

/** Roles that file a unit's report: the people told when it is returned or missing. */
const FILING_ROLES = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes('daily_reports.write') && r !== 'system_admin');

async function filersOf(db: Db, unitIds: string[]): Promise<{ id: string; unitId: string }[]> {
  if (unitIds.length === 0) return [];
  return query<{ id: string; unitId: string }>(
    db,
    sql`select id, unit_id as "unitId" from users where unit_id = any(${sql.param(unitIds)}::uuid[]) and status = 'active'
        and role = any(${sql.param(FILING_ROLES)}::text[])`,
  );
}

/**
 * A parent unit returns a submitted report for correction, with the reason: it becomes editable again and the
 * unit's filers are notified. Only a unit above the report's unit may do it (not the unit itself).
 */
export async function returnReport(opts: { db: Db; actor: Actor; id: string; version: number; reason: string }): Promise<ReportRow> {
  const { db, actor, id, version, reason } = opts;
  const before = await loadReport(db, actor, id, true);
  if (actor.scopePath !== null && before.unitPath === actor.scopePath)
    throw new AppError('forbidden', { status: 403, message: 'a unit cannot return its own report; the parent unit reviews it' });
  checkVersion(before, version);
  if (before.status !== 'submitted')
    throw new AppError('not_submitted', {
      status: 409,
      message: 'only a submitted report can be returned',
      details: [{ path: 'status', code: 'not_submitted' }],
    });
  await db.execute(sql`update daily_reports set status = 'returned', return_reason = ${reason}, returned_at = now(),
      returned_by = ${actor.userId}, version = version + 1, updated_at = now() where id = ${id}`);
  const after = await loadReport(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'daily_report.returned',
    entityType: 'daily_report',
    entityId: id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: auditView(after),
  });
  const users = await filersOf(db, [after.unitId]);
  await notify(db, {
    userIds: users.map((u) => u.id),
    kind: 'daily_report.returned',
    title: `每日一报（${after.day}）已被退回：${reason.slice(0, 60)}`,
    body: reason,
    entityType: 'daily_report',
    entityId: id,
  });
  await published(db, after);
  return after;
}

/** Reports of the actor's scope (or below `unitId`), newest day first. */
export async function findReports(
  db: Db,
  actor: Actor,
  f: { unitId?: string; from?: string; to?: string; status?: DailyReportStatus; late?: boolean; limit: number; cursor?: string },
) {
  const conds: SQL[] = [scopeWhere(actor, sql`r.unit_path`)];
  if (f.unitId) conds.push(sql`r.unit_path <@ (select path from units where id = ${f.unitId})`);
  if (f.from) conds.push(sql`r.day >= ${f.from}::date`);
  if (f.to) conds.push(sql`r.day <= ${f.to}::date`);
  if (f.status) conds.push(sql`r.status = ${f.status}`);
  if (f.late !== undefined) conds.push(sql`r.late = ${f.late}`);
  const page = await newestFirstPage<RawReport>(db, {
    select: REPORT_SELECT,
    countFrom: sql`from daily_reports r`,
    where: sql.join(conds, sql` and `),
    timeColumn: sql`(r.day::timestamp at time zone 'UTC')`,
    idColumn: sql`r.id`,
    timeOf: (r) => `${r.day}T00:00:00Z`,
    limit: f.limit,
    cursor: f.cursor,
  });
  return { ...page, items: page.items.map(toReport) };
}

// ------------------------------------------------------------------------------------------- roll-up

export interface RollupUnit {
  id: string;
  name: string;
  kind: string;
  path: string;
}

/** The unit a roll-up is about: `unitId` in scope, else the actor's own unit, else (system admin) the whole network. */
async function rollupRoot(db: Db, actor: Actor, unitId?: string): Promise<RollupUnit | null> {
  const id = unitId ?? actor.unitId;
  if (!id) return null;
  const unit = await queryOne<RollupUnit>(db, sql`select id, name, kind, path::text as path from units where id = ${id}`);
  if (!unit) throw notFound('unit');
  assertInScope(actor, unit.path, 'unit_not_found');
  return unit;
}

export interface ChildRollup {
  unitId: string | null;
  name: string;
  kind: string | null;
  filed: number;
  due: number;
  late: number;
  completeness: number;
  figures: DailyFigures;
}

export interface DayRollup {
  day: string;
  filed: number;
  due: number;
  completeness: number;
  figures: DailyFigures;
}

export interface MissingUnit {
  unitId: string;
  name: string;
  parentName: string | null;
  /** Days of the period without a submitted report. */
  missingDays: number;
  /** For a single day: draft | returned when started but not submitted, null when not started. */
  status: DailyReportStatus | null;
}

export interface Rollup {
  unit: RollupUnit | null;
  from: string;
  to: string;
  days: number;
  totals: { filed: number; due: number; late: number; completeness: number; figures: DailyFigures };
  children: ChildRollup[];
  series: DayRollup[];
  missing: MissingUnit[];
  missingTotal: number;
}

const MISSING_LIMIT = 500;

/**
 * The roll-up of the submitted reports below `unit` (or the whole network) over [from, to] (days after today
 * are not due): totals, per child unit, per day, completeness (filed ÷ due, where due = reporting units ×
 * days and filed counts only their submitted reports, so it never exceeds 1), and the units still missing.
 */
export async function rollup(db: Db, actor: Actor, q: { unitId?: string; from: string; to: string }): Promise<Rollup> {
  const [settings, root] = await Promise.all([getSettings(db), rollupRoot(db, actor, q.unitId)]);
  const today = shanghaiToday();
  if (q.from > today) throw invalid('day', 'future_day', 'that period has not begun yet');
  const to = q.to > today ? today : q.to;
  const from = q.from;
  const days = daysBetween(from, to);
  // System admin without a unit: the whole network; otherwise the root's subtree (always inside the actor's scope).
  const rootPath = root?.path ?? null;
  const rootWhere = (col: SQL) => (rootPath ? sql`${col} <@ ${rootPath}::ltree` : scopeWhere(actor, col));
  const level = rootPath ? rootPath.split('.').length : 0;
  const childOf = (col: SQL) => sql`subpath(${col}, 0, least(nlevel(${col}), ${level + 1}))::text`;
  const kinds = sql`${sql.param(settings.unitKinds)}::text[]`;
  const dueUnit = (alias: string) => sql`${sql.raw(alias)}.kind = any(${kinds}) and ${sql.raw(alias)}.status = 'operating'`;

  type Group = FigureRow & { child: string; day: string; filed: number; late: number };
  const wholeMonth = days > 1 && from.endsWith('-01') && from.slice(0, 7) === to.slice(0, 7);
  // Independent reads, sent together (a pool runs them side by side):
  const [groups, own, dueRows, names, missingRows] = await Promise.all([
    // the pre-summed rows of the roll-up table (kept by a trigger) per child node and day…
    query<Group>(
      db,
      sql`select x.node_path::text as child, x.day::text as day, x.filed, x.late, ${figureSelect('x')}
          from daily_report_rollups x
          where x.parent_path = ${rootPath ?? ''}::ltree and x.day between ${from}::date and ${to}::date`,
    ),
    // …and the root's own rows, whose difference with the children is what was filed at the root unit itself;
    rootPath
      ? query<Omit<Group, 'child'>>(
          db,
          sql`select x.day::text as day, x.filed, x.late, ${figureSelect('x')} from daily_report_rollups x
              where x.node_path = ${rootPath}::ltree and x.day between ${from}::date and ${to}::date`,
        )
      : Promise.resolve([] as Omit<Group, 'child'>[]),
    // reporting units per child;
    query<{ child: string; n: number }>(
      db,
      sql`select ${childOf(sql`u.path`)} as child, count(*)::int as n from units u where ${rootWhere(sql`u.path`)} and ${dueUnit('u')} group by 1`,
    ),
    // the children (and the root) by name;
    query<{ id: string; name: string; kind: string; path: string }>(
      db,
      root
        ? sql`select id, name, kind, path::text as path from units where parent_id = ${root.id} or id = ${root.id}`
        : sql`select id, name, kind, path::text as path from units where parent_id is null and ${scopeWhere(actor, sql`path`)}`,
    ),
    // units with days not filed: for one day, with the state of their report; for a period, the number of days
    // missing (a calendar month from its first day: the per-unit month counts of the trigger, one lookup per unit).
    query<{
      unitId: string;
      name: string;
      parentName: string | null;
      missingDays: number;
      status: DailyReportStatus | null;
      total: number;
    }>(
      db,
      sql`select u.id as "unitId", u.name, p.name as "parentName", ${days} - coalesce(f.n, 0) as "missingDays",
            ${days === 1 ? sql`(select status from daily_reports x where x.unit_id = u.id and x.day = ${from}::date)` : sql`null`} as status,
            count(*) over ()::int as total
          from units u left join units p on p.id = u.parent_id
          left join lateral (${
            wholeMonth
              ? sql`select m.filed as n from daily_report_unit_months m where m.unit_id = u.id and m.month = ${from}::date`
              : sql`select count(*)::int as n from daily_reports r
                    where r.unit_id = u.id and r.day between ${from}::date and ${to}::date and r.status = 'submitted'`
          }) f on true
          where ${rootWhere(sql`u.path`)} and ${dueUnit('u')} and coalesce(f.n, 0) < ${days}
          order by "missingDays" desc, u.path limit ${MISSING_LIMIT}`,
    ),
  ]);
  if (rootPath) {
    for (const o of own) {
      const below = groups.filter((g) => g.day === String(o.day));
      const self: Group = {
        child: rootPath,
        day: String(o.day),
        filed: Number(o.filed) - below.reduce((n, g) => n + Number(g.filed), 0),
        late: Number(o.late) - below.reduce((n, g) => n + Number(g.late), 0),
      };
      for (const c of FIGURE_COLUMNS) self[c] = Number(o[c] ?? 0) - below.reduce((n, g) => n + Number(g[c] ?? 0), 0);
      if (Number(self.filed) !== 0 || FIGURE_COLUMNS.some((c) => Math.abs(Number(self[c])) > 1e-9)) groups.push(self);
    }
  }
  const childPaths = [...new Set([...dueRows.map((d) => d.child), ...groups.map((g) => g.child)])];
  const nameOf = new Map(names.map((n) => [n.path, n]));
  const dueOf = new Map(dueRows.map((d) => [d.child, Number(d.n)]));
  const unitsDue = dueRows.reduce((s, d) => s + Number(d.n), 0);

  const children = new Map<string, ChildRollup>();
  for (const path of childPaths) {
    const u = nameOf.get(path);
    const due = (dueOf.get(path) ?? 0) * days;
    children.set(path, {
      unitId: u?.id ?? null,
      name: u?.name ?? path,
      kind: u?.kind ?? null,
      filed: 0,
      due,
      late: 0,
      completeness: 0,
      figures: emptyFigures(),
    });
  }
  const series = new Map<string, DayRollup>();
  for (let i = 0; i < days; i++) {
    const day = addDays(from, i);
    series.set(day, { day, filed: 0, due: unitsDue, completeness: 0, figures: emptyFigures() });
  }
  for (const g of groups) {
    const f = figuresOf(g);
    const c = children.get(g.child);
    if (c) {
      c.filed += Number(g.filed);
      c.late += Number(g.late);
      c.figures = addFigures(c.figures, f);
    }
    const s = series.get(g.day);
    if (s) {
      s.filed += Number(g.filed);
      s.figures = addFigures(s.figures, f);
    }
  }
  for (const c of children.values()) c.completeness = completeness(c.filed, c.due);
  for (const s of series.values()) s.completeness = completeness(s.filed, s.due);
  const childList = [...children.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh'));
  const totals = childList.reduce(
    (t, c) => ({
      filed: t.filed + c.filed,
      due: t.due + c.due,
      late: t.late + c.late,
      completeness: 0,
      figures: addFigures(t.figures, c.figures),
    }),
    { filed: 0, due: 0, late: 0, completeness: 0, figures: emptyFigures() },
  );
  totals.completeness = completeness(totals.filed, totals.due);

  return {
    unit: root,
    from,
    to,
    days,
    totals,
    children: childList,
    series: [...series.values()],
    missing: missingRows.map((m) => ({
      unitId: m.unitId,
      name: m.name,
      parentName: m.parentName,
      missingDays: Number(m.missingDays),
      status: m.status,
    })),
    missingTotal: Number(missingRows[0]?.total ?? 0),
  };
}

/**
 * Rebuilds the roll-up tables from the submitted reports, set-based (after a bulk load with the trigger
 * disabled, or to repair them). The trigger keeps them otherwise.
 */
export async function rebuildRollups(db: Db): Promise<void> {
  await db.execute(sql`delete from daily_report_rollups`);
  await db.execute(sql`insert into daily_report_rollups (node_path, parent_path, day, filed, late, ${sql.raw(FIGURE_COLUMNS.join(', '))})
    select subpath(r.unit_path, 0, i), case when i = 1 then ''::ltree else subpath(r.unit_path, 0, i - 1) end, r.day,
      count(*)::int, count(*) filter (where r.late)::int, ${figureSums('r')}
    from daily_reports r cross join lateral generate_series(1, nlevel(r.unit_path)) as i
    where r.status = 'submitted' group by 1, 2, 3 order by 1, 3`);
  await db.execute(sql`delete from daily_report_unit_months`);
  await db.execute(sql`insert into daily_report_unit_months (unit_id, month, filed)
    select unit_id, date_trunc('month', day)::date, count(*)::int from daily_reports where status = 'submitted' group by 1, 2`);
}

/** Every report of the period below the roll-up's unit, for the export (in unit and day order). */
export async function reportsOfPeriod(db: Db, actor: Actor, q: { unitId?: string; from: string; to: string }): Promise<ReportRow[]> {
  const root = await rollupRoot(db, actor, q.unitId);
  const where = root ? sql`r.unit_path <@ ${root.path}::ltree` : scopeWhere(actor, sql`r.unit_path`);
  const rows = await query<RawReport>(
    db,
    sql`${REPORT_SELECT} where ${where} and r.day between ${q.from}::date and ${q.to}::date order by r.unit_path, r.day limit 200000`,
  );
  return rows.map(toReport);
}

// ------------------------------------------------------------------------------------------- reminders

/**
 * The reminder job: once a day, from the configured time on (Asia/Shanghai), tells the filers of every
 * reporting unit without a submitted report for today. Returns how many units were reminded, or null when it
 * is not yet time, reminders are off, or today's reminders already went out.
 */
export async function runReminders(db: Db, now: Date = new Date()): Promise<number | null> {
  const settings = await getSettings(db, true);
  if (!settings.remindersEnabled) return null;
  const [hh, mm] = settings.reminderTime.split(':').map(Number);
  if (shanghaiMinutes(now) < hh * 60 + mm) return null;
  const today = shanghaiToday(now);
  if (settings.lastReminderDay && settings.lastReminderDay >= today) return null;
  await db.execute(sql`insert into daily_report_settings (id, last_reminder_day) values (1, ${today}::date)
    on conflict (id) do update set last_reminder_day = excluded.last_reminder_day`);
  const units = await query<{ id: string; name: string }>(
    db,
    sql`select u.id, u.name from units u where u.kind = any(${sql.param(settings.unitKinds)}::text[]) and u.status = 'operating'
        and not exists (select 1 from daily_reports r where r.unit_id = u.id and r.day = ${today}::date and r.status = 'submitted')`,
  );
  const users = await filersOf(
    db,
    units.map((u) => u.id),
  );
  for (const u of units) {
    const ids = users.filter((x) => x.unitId === u.id).map((x) => x.id);
    if (ids.length === 0) continue;
    await notify(db, {
      userIds: ids,
      kind: 'daily_report.reminder',
      title: `${u.name}：今天（${today}）的每日一报还未报送`,
      body: `请在今天内填报并提交每日一报。`,
      entityType: 'unit',
      entityId: u.id,
    });
  }
  return units.length;
}

export { problemsSolved };
