import {
  allowedActions,
  CASE_TRANSITIONS,
  type CaseAction,
  type CaseRules,
  type CaseSource,
  type CaseStage,
  DEFAULT_CASE_DEADLINES,
  type FiveSociety,
  refusal,
  type ServiceKind,
  type SignOffState,
} from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import { type Actor, can } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { publish } from '../../platform/events.js';
import { decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { getClient } from '../clients/clients.service.js';
import { notify } from '../notifications/notifications.service.js';
import { TODAY_SHANGHAI } from '../visits/visits.cadence.js';
import type { CaseListQuery, CreateCaseBody, SignOffBody, WorkerActionBody } from './cases.schemas.js';

// ------------------------------------------------------------------------------------------- settings

export type Deadlines = typeof DEFAULT_CASE_DEADLINES;

export interface CaseSettings extends CaseRules {
  deadlines: Deadlines;
  version: number;
}

const DEFAULT_SETTINGS: CaseSettings = {
  deadlines: { ...DEFAULT_CASE_DEADLINES },
  requirePlanSignOff: true,
  requireClosureSignOff: true,
  version: 1,
};

export async function getCaseSettings(db: Db, forUpdate = false): Promise<CaseSettings> {
  const row = await queryOne<CaseSettings>(
    db,
    sql`select deadlines, require_plan_sign_off as "requirePlanSignOff", require_closure_sign_off as "requireClosureSignOff", version
        from case_settings where id = 1 ${forUpdate ? sql`for update` : sql``}`,
  );
  if (!row) return { ...DEFAULT_SETTINGS, deadlines: { ...DEFAULT_SETTINGS.deadlines } };
  return { ...row, deadlines: { ...DEFAULT_CASE_DEADLINES, ...(row.deadlines as Partial<Deadlines>) }, version: Number(row.version) };
}

/**
 * Sets `due_date` of the open cases matching `where` from the stage, the day it was entered (Asia/Shanghai)
 * and the deadlines; an intervention is due at the plan's latest target date when it has one.
 */
async function recomputeDue(db: Db, d: Deadlines, where: SQL): Promise<void> {
  const entered = sql`(stage_entered_at at time zone 'Asia/Shanghai')::date`;
  await db.execute(sql`update cases set due_date = case stage
      when 'intake' then ${entered} + ${d.intake}::int
      when 'assessment' then ${entered} + ${d.assessment}::int
      when 'plan' then ${entered} + ${d.plan}::int
      when 'intervention' then coalesce(
        (select max((g->>'targetDate')::date) from jsonb_array_elements(coalesce(plan->'goals', '[]'::jsonb)) g),
        ${entered} + ${d.intervention}::int)
      when 'evaluation' then ${entered} + ${d.evaluation}::int
      when 'closure' then ${entered} + ${d.closure}::int
      else null end
    where ${where}`);
}

export async function updateCaseSettings(opts: {
  db: Db;
  actor: Actor;
  input: { version: number; deadlines: Deadlines; requirePlanSignOff: boolean; requireClosureSignOff: boolean };
}): Promise<CaseSettings> {
  const { db, actor, input } = opts;
  await db.execute(sql`select pg_advisory_xact_lock(727201)`);
  const before = await getCaseSettings(db, true);
  if (before.version !== input.version) throw stale('settings');
  await db.execute(sql`insert into case_settings (id, deadlines, require_plan_sign_off, require_closure_sign_off, version)
    values (1, ${JSON.stringify(input.deadlines)}::jsonb, ${input.requirePlanSignOff}, ${input.requireClosureSignOff}, ${before.version + 1})
    on conflict (id) do update set deadlines = excluded.deadlines, require_plan_sign_off = excluded.require_plan_sign_off,
      require_closure_sign_off = excluded.require_closure_sign_off, version = excluded.version, updated_at = now()`);
  await recomputeDue(db, input.deadlines, sql`stage <> 'closed'`);
  const after = await getCaseSettings(db);
  await writeAudit(db, { actor, action: 'cases.settings_updated', entityType: 'case_settings', entityId: null, before, after });
  return after;
}

// ------------------------------------------------------------------------------------------- reading

export interface Goal {
  id: string;
  goal: string;
  measures: string;
  targetDate: string;
}

export interface CaseRow {
  id: string;
  title: string;
  clientId: string;
  clientName: string | null;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  ownerId: string;
  ownerName: string | null;
  source: CaseSource;
  sourceRef: string | null;
  stage: CaseStage;
  planStatus: SignOffState;
  closureStatus: SignOffState;
  closureFromStage: CaseStage | null;
  closureReason: string | null;
  assessment: { problems: string[]; strengths: string[]; risk: 'low' | 'medium' | 'high'; summary?: string | null } | null;
  plan: { goals: Goal[]; summary?: string | null } | null;
  evaluation: { results: { goalId: string; result: 'met' | 'partly' | 'not_met'; note?: string | null }[]; summary?: string | null } | null;
  dueDate: string | null;
  overdue: boolean;
  reopenCount: number;
  openedAt: Date | string;
  closedAt: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
  version: number;
}

const CASE_COLUMNS = sql`k.id, k.title, k.client_id as "clientId", c.name as "clientName", k.unit_id as "unitId", u.name as "unitName",
  k.unit_path::text as "unitPath", k.owner_id as "ownerId", o.display_name as "ownerName", k.source, k.source_ref as "sourceRef",
  k.stage, k.plan_status as "planStatus", k.closure_status as "closureStatus", k.closure_from_stage as "closureFromStage",
  k.closure_reason as "closureReason", k.assessment, k.plan, k.evaluation, k.due_date::text as "dueDate",
  coalesce(k.due_date < ${TODAY_SHANGHAI}, false) as overdue, k.reopen_count as "reopenCount", k.opened_at as "openedAt",
  k.closed_at as "closedAt", k.created_at as "createdAt", k.updated_at as "updatedAt", k.version`;
const CASE_FROM = sql`cases k left join clients c on c.id = k.client_id left join units u on u.id = k.unit_id
  left join users o on o.id = k.owner_id`;

const norm = (r: CaseRow): CaseRow => ({ ...r, version: Number(r.version), reopenCount: Number(r.reopenCount) });

export async function getCase(db: Db, actor: Actor, id: string, forUpdate = false): Promise<CaseRow> {
  const row = await queryOne<CaseRow>(
    db,
    sql`select ${CASE_COLUMNS} from ${CASE_FROM} where k.id = ${id} ${forUpdate ? sql`for update of k` : sql``}`,
  );
  if (!row) throw notFound('case');
  assertInScope(actor, row.unitPath, 'case_not_found');
  return norm(row);
}

export interface ServiceRow {
  id: string;
  serviceDate: string;
  kind: ServiceKind;
  durationMinutes: number;
  workerIds: string[];
  workerNames: string[];
  societies: FiveSociety[];
  notes: string | null;
  createdByName: string | null;
  createdAt: Date | string;
}

export interface CaseEventRow {
  id: string;
  kind: 'comment' | 'transition' | 'transfer';
  action: string | null;
  fromStage: string | null;
  toStage: string | null;
  body: string | null;
  authorName: string | null;
  createdAt: Date | string;
}

/** The case with its service records, its thread and what the actor may do with it now. */
export async function caseDetail(db: Db, actor: Actor, id: string) {
  const k = await getCase(db, actor, id);
  const services = await query<ServiceRow>(
    db,
    sql`select s.id, s.service_date::text as "serviceDate", s.kind, s.duration_minutes as "durationMinutes",
          s.worker_ids::text[] as "workerIds",
          array(select coalesce(w.display_name, '') from unnest(s.worker_ids) with ordinality x(wid, n)
                left join users w on w.id = x.wid order by x.n) as "workerNames",
          s.societies, s.notes, cb.display_name as "createdByName", s.created_at as "createdAt"
        from case_services s left join users cb on cb.id = s.created_by
        where s.case_id = ${k.id} order by s.service_date desc, s.created_at desc`,
  );
  const events = await query<CaseEventRow>(
    db,
    sql`select e.id, e.kind, e.action, e.from_stage as "fromStage", e.to_stage as "toStage", e.body,
          a.display_name as "authorName", e.created_at as "createdAt"
        from case_events e left join users a on a.id = e.author_id where e.case_id = ${k.id} order by e.created_at, e.id`,
  );
  const settings = await getCaseSettings(db);
  return { ...k, services, events, allowedActions: actionsFor(actor, k, settings) };
}

export function actionsFor(actor: Actor, k: CaseRow, rules: CaseRules): CaseAction[] {
  return allowedActions(k, rules, { write: can(actor, 'cases.write'), supervise: can(actor, 'cases.supervise') });
}

export async function findCases(db: Db, actor: Actor, q: CaseListQuery) {
  const conds: SQL[] = [scopeWhere(actor, sql`k.unit_path`)];
  if (q.stage) conds.push(sql`k.stage = ${q.stage}`);
  if (q.open === 'true') conds.push(sql`k.stage <> 'closed'`);
  if (q.open === 'false') conds.push(sql`k.stage = 'closed'`);
  if (q.ownerId) conds.push(sql`k.owner_id = ${q.ownerId}`);
  if (q.clientId) conds.push(sql`k.client_id = ${q.clientId}`);
  if (q.unitId) conds.push(sql`k.unit_path <@ (select path from units where id = ${q.unitId})`);
  if (q.overdue === 'true') conds.push(sql`k.stage <> 'closed' and k.due_date < ${TODAY_SHANGHAI}`);
  if (q.overdue === 'false') conds.push(sql`(k.due_date is null or k.due_date >= ${TODAY_SHANGHAI})`);
  const where = sql.join(conds, sql` and `);
  const cursor = decodeCursor(q.cursor, 2);
  let page = where;
  let order: SQL;
  if (q.sort === 'due') {
    // Earliest due first; closed cases (no due date) last, as 9999-12-31.
    const key = sql`coalesce(k.due_date, '9999-12-31'::date)`;
    if (cursor) page = sql`${where} and (${key}, k.id) > (${cursor[0]}::date, ${cursor[1]}::uuid)`;
    order = sql`${key}, k.id`;
  } else {
    if (cursor) page = sql`${where} and (k.updated_at, k.id) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)`;
    order = sql`k.updated_at desc, k.id desc`;
  }
  const rows = await query<CaseRow>(db, sql`select ${CASE_COLUMNS} from ${CASE_FROM} where ${page} order by ${order} limit ${q.limit + 1}`);
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from cases k where ${where}`);
  const items = rows.slice(0, q.limit).map(norm);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > q.limit && last
      ? encodeCursor(q.sort === 'due' ? [last.dueDate ?? '9999-12-31', last.id] : [new Date(last.updatedAt).toISOString(), last.id])
      : null;
  return { items, nextCursor, total: Number(total?.n ?? 0) };
}

/** Open and overdue cases per worker or per unit of the actor's scope (the overdue list's heads). */
export async function overdueSummary(db: Db, actor: Actor, groupBy: 'owner' | 'unit') {
  const key = groupBy === 'owner' ? sql`k.owner_id` : sql`k.unit_id`;
  const name = groupBy === 'owner' ? sql`(select display_name from users where id = g.id)` : sql`(select name from units where id = g.id)`;
  const rows = await query<{ id: string; name: string | null; open: number; overdue: number }>(
    db,
    sql`select g.id, ${name} as name, g.open, g.overdue from (
          select ${key} as id, count(*)::int as open, count(*) filter (where k.due_date < ${TODAY_SHANGHAI})::int as overdue
          from cases k where k.stage <> 'closed' and ${scopeWhere(actor, sql`k.unit_path`)} group by 1) g
        order by g.overdue desc, g.open desc, g.id`,
  );
  return { items: rows.map((r) => ({ ...r, open: Number(r.open), overdue: Number(r.overdue) })) };
}

// ------------------------------------------------------------------------------------------- writing

/** What the audit log keeps of a case (no client personal data beyond the ids). */
function auditView(k: CaseRow) {
  return {
    title: k.title,
    clientId: k.clientId,
    ownerId: k.ownerId,
    unitId: k.unitId,
    stage: k.stage,
    planStatus: k.planStatus,
    closureStatus: k.closureStatus,
    dueDate: k.dueDate,
    version: k.version,
  };
}

async function addEvent(
  db: Db,
  e: {
    caseId: string;
    kind: 'comment' | 'transition' | 'transfer';
    action?: string;
    from?: string;
    to?: string;
    body?: string | null;
    actor: Actor;
  },
) {
  await db.execute(sql`insert into case_events (id, case_id, kind, action, from_stage, to_stage, body, author_id)
    values (${newId()}, ${e.caseId}, ${e.kind}, ${e.action ?? null}, ${e.from ?? null}, ${e.to ?? null}, ${e.body ?? null}, ${e.actor.userId})`);
}

async function changed(db: Db, k: CaseRow) {
  await publish(db, { channel: 'cases', type: 'case.updated', unitPath: k.unitPath, permission: 'cases.read', data: { id: k.id } });
}

/**
 * An owner must be an active user who may work on cases and whose unit holds the case's unit (the unit
 * itself or one above it), so that they can see it. The same 400 for a user that does not exist.
 */
async function checkOwner(db: Db, userId: string, unitPath: string, path = 'ownerId') {
  const u = await queryOne<{ role: string; unit_path: string | null }>(
    db,
    sql`select role, unit_path::text as unit_path from users where id = ${userId} and status = 'active'`,
  );
  const asActor =
    u && ({ role: u.role, scopePath: u.role === 'system_admin' && !u.unit_path ? null : (u.unit_path ?? '__none__') } as Actor);
  if (!u || !asActor || !can(asActor, 'cases.write') || !inScope(asActor, unitPath))
    throw invalid(path, 'unknown_owner', 'the worker must be an active user who works on cases in a unit that holds this case');
}

export async function createCase(opts: { db: Db; actor: Actor; input: CreateCaseBody }): Promise<CaseRow> {
  const { db, actor, input } = opts;
  const client = await getClient(db, actor, input.clientId);
  let unit = await queryOne<{ id: string; path: string }>(db, sql`select id, path::text as path from units where id = ${client.unitId}`);
  if (input.unitId && input.unitId !== client.unitId) {
    const chosen = await queryOne<{ id: string; path: string }>(
      db,
      sql`select id, path::text as path from units where id = ${input.unitId}`,
    );
    const holds = chosen && (client.unitPath === chosen.path || client.unitPath.startsWith(`${chosen.path}.`));
    if (!chosen || !inScope(actor, chosen.path) || !holds)
      throw invalid('unitId', 'unknown_unit', "the case is held by the client's unit or one above it in your part of the network");
    unit = chosen;
  }
  if (!unit) throw notFound('unit');
  const ownerId = input.ownerId ?? actor.userId;
  if (!ownerId) throw invalid('ownerId', 'required', 'choose the worker in charge');
  await checkOwner(db, ownerId, unit.path);
  const id = newId();
  await db.execute(sql`insert into cases (id, client_id, unit_id, unit_path, owner_id, title, source, source_ref, created_by)
    values (${id}, ${client.id}, ${unit.id}, ${unit.path}::ltree, ${ownerId}, ${input.title}, ${input.source},
      ${input.sourceRef ?? null}, ${actor.userId})`);
  const settings = await getCaseSettings(db);
  await recomputeDue(db, settings.deadlines, sql`id = ${id}`);
  await addEvent(db, { caseId: id, kind: 'transition', action: 'intake', to: 'intake', actor });
  const k = await getCase(db, actor, id);
  await writeAudit(db, { actor, action: 'case.created', entityType: 'case', entityId: id, unitPath: k.unitPath, after: auditView(k) });
  if (ownerId !== actor.userId)
    await notify(db, { userIds: [ownerId], kind: 'case_assigned', title: `新个案：${k.title}`, entityType: 'case', entityId: id });
  await changed(db, k);
  return k;
}

function assertVersion(k: CaseRow, version: number) {
  if (k.version !== version) throw stale('case');
}

export async function updateCase(opts: {
  db: Db;
  actor: Actor;
  id: string;
  input: { version: number; title?: string; sourceRef?: string | null };
}): Promise<CaseRow> {
  const { db, actor, id, input } = opts;
  const before = await getCase(db, actor, id, true);
  assertVersion(before, input.version);
  if (before.stage === 'closed')
    throw new AppError('case_closed', { status: 409, message: 'a closed case is reopened before it is changed' });
  await db.execute(sql`update cases set title = ${input.title ?? before.title},
      source_ref = ${input.sourceRef === undefined ? before.sourceRef : input.sourceRef}, version = version + 1, updated_at = now()
    where id = ${id}`);
  const after = await getCase(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'case.updated',
    entityType: 'case',
    entityId: id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: auditView(after),
  });
  await changed(db, after);
  return after;
}

/** Supervisors whose scope holds the case (to tell them a plan or closure waits for sign-off). */
async function supervisorsOf(db: Db, unitPath: string): Promise<string[]> {
  const rows = await query<{ id: string }>(
    db,
    sql`select id from users where role = 'supervisor' and status = 'active' and unit_path is not null and unit_path @> ${unitPath}::ltree`,
  );
  return rows.map((r) => r.id);
}

function transitionRefused(code: string, k: CaseRow, action: string): AppError {
  const messages: Record<string, string> = {
    invalid_transition: `"${action}" is not possible while the case is at "${k.stage}"`,
    plan_not_pending: 'there is no plan waiting for sign-off',
    plan_already_approved: 'the plan is approved; start the intervention',
    plan_already_pending: 'the plan waits for the supervisor',
    plan_not_submitted: 'submit the plan first',
    plan_not_signed_off: 'the plan must be signed off by a supervisor before the intervention starts',
  };
  return new AppError(code, {
    status: 409,
    message: messages[code] ?? code,
    details: [{ path: 'action', code, message: `stage ${k.stage}, plan ${k.planStatus}, closure ${k.closureStatus}` }],
  });
}

/**
 * Applies one action of the transition table (packages/domain/src/cases.ts) to a case: checks the version,
 * the stage and the sign-off gates, writes the stage data, the thread entry and the audit row, recomputes
 * the due date and tells whoever must act next.
 */
export async function applyAction(opts: { db: Db; actor: Actor; id: string; input: WorkerActionBody | SignOffBody }): Promise<CaseRow> {
  const { db, actor, id, input } = opts;
  const before = await getCase(db, actor, id, true);
  assertVersion(before, input.version);
  const settings = await getCaseSettings(db);
  const action = input.action;
  const t = CASE_TRANSITIONS.find((x) => x.action === action);
  if (!t) throw transitionRefused('invalid_transition', before, action);
  if (!can(actor, t.by === 'write' ? 'cases.write' : 'cases.supervise'))
    throw new AppError('forbidden', { status: 403, message: `your role may not ${action.replace(/_/g, ' ')}` });
  const refused = refusal(before, action, settings);
  if (refused) throw transitionRefused(refused, before, action);
  const comment = 'reason' in input ? input.reason : 'comment' in input ? (input.comment ?? null) : null;
  if (t.needsComment && !comment?.trim()) throw invalid('comment', 'required', 'give a reason or comment');

  const set: SQL[] = [];
  let to: CaseStage = t.to === 'back' ? (before.closureFromStage ?? 'intervention') : t.to;
  const tellOwner: string[] = [];
  let tellSupervisors = false;
  switch (input.action) {
    case 'assess':
      set.push(sql`assessment = ${JSON.stringify(input.assessment)}::jsonb`);
      break;
    case 'submit_plan': {
      const goals: Goal[] = input.plan.goals.map((g) => ({ ...g, id: g.id ?? newId() }));
      if (new Set(goals.map((g) => g.id)).size !== goals.length) throw invalid('plan.goals', 'duplicate_goal', 'each goal once');
      set.push(sql`plan = ${JSON.stringify({ goals, summary: input.plan.summary ?? null })}::jsonb, plan_status = 'pending'`);
      tellSupervisors = true;
      break;
    }
    case 'approve_plan':
      set.push(sql`plan_status = 'approved'`);
      tellOwner.push('计划已通过督导审核');
      break;
    case 'return_plan':
      set.push(sql`plan_status = 'returned'`);
      tellOwner.push('计划被督导退回');
      break;
    case 'start_intervention':
      break;
    case 'evaluate': {
      const goals = before.plan?.goals ?? [];
      const results = input.evaluation.results;
      const ids = new Set(goals.map((g) => g.id));
      results.forEach((r, i) => {
        if (!ids.has(r.goalId)) throw invalid(`evaluation.results.${i}.goalId`, 'unknown_goal', 'not a goal of the plan');
      });
      if (new Set(results.map((r) => r.goalId)).size !== results.length || results.length !== goals.length)
        throw invalid('evaluation.results', 'one_per_goal', 'give exactly one result for each goal of the plan');
      set.push(sql`evaluation = ${JSON.stringify(input.evaluation)}::jsonb`);
      break;
    }
    case 'request_closure':
      set.push(sql`closure_reason = ${comment}, closure_from_stage = ${before.stage}`);
      if (settings.requireClosureSignOff) {
        set.push(sql`closure_status = 'pending'`);
        tellSupervisors = true;
      } else {
        to = 'closed';
        set.push(sql`closure_status = 'approved', closed_at = now()`);
      }
      break;
    case 'approve_closure':
      set.push(sql`closure_status = 'approved', closed_at = now()`);
      tellOwner.push('结案已通过督导审核');
      break;
    case 'return_closure':
      set.push(sql`closure_status = 'returned', closure_from_stage = null`);
      tellOwner.push('结案申请被督导退回');
      break;
    case 'reopen':
      set.push(sql`plan_status = 'none', closure_status = 'none', closure_from_stage = null, closure_reason = null,
        evaluation = null, closed_at = null, reopen_count = reopen_count + 1`);
      break;
  }
  if (to !== before.stage) set.push(sql`stage = ${to}, stage_entered_at = now()`);
  set.push(sql`version = version + 1, updated_at = now()`);
  await db.execute(sql`update cases set ${sql.join(set, sql`, `)} where id = ${id}`);
  await recomputeDue(db, settings.deadlines, sql`id = ${id}`);
  await addEvent(db, { caseId: id, kind: 'transition', action, from: before.stage, to, body: comment, actor });
  const after = await getCase(db, actor, id);
  await writeAudit(db, {
    actor,
    action: `case.${action}`,
    entityType: 'case',
    entityId: id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: { ...auditView(after), comment },
  });
  if (tellOwner.length && after.ownerId !== actor.userId)
    await notify(db, {
      userIds: [after.ownerId],
      kind: `case_${action}`,
      title: `${tellOwner[0]}：${after.title}`,
      body: comment,
      entityType: 'case',
      entityId: id,
    });
  if (tellSupervisors) {
    const sups = (await supervisorsOf(db, after.unitPath)).filter((u) => u !== actor.userId);
    const what = action === 'submit_plan' ? '服务计划待审核' : '结案申请待审核';
    if (sups.length)
      await notify(db, { userIds: sups, kind: `case_${action}`, title: `${what}：${after.title}`, entityType: 'case', entityId: id });
  }
  await changed(db, after);
  return after;
}

/** Hands the case to another worker whose unit holds it; the thread, the audit log and the new owner learn of it. */
export async function transferCase(opts: {
  db: Db;
  actor: Actor;
  id: string;
  input: { version: number; ownerId: string; reason: string };
}): Promise<CaseRow> {
  const { db, actor, id, input } = opts;
  const before = await getCase(db, actor, id, true);
  assertVersion(before, input.version);
  if (before.stage === 'closed')
    throw new AppError('case_closed', { status: 409, message: 'a closed case is reopened before it is transferred' });
  if (input.ownerId === before.ownerId) throw invalid('ownerId', 'same_owner', 'the case already belongs to this worker');
  await checkOwner(db, input.ownerId, before.unitPath);
  await db.execute(sql`update cases set owner_id = ${input.ownerId}, version = version + 1, updated_at = now() where id = ${id}`);
  const after = await getCase(db, actor, id);
  await addEvent(db, {
    caseId: id,
    kind: 'transfer',
    action: 'transfer',
    body: `${before.ownerName ?? ''} → ${after.ownerName ?? ''}: ${input.reason}`,
    actor,
  });
  await writeAudit(db, {
    actor,
    action: 'case.transferred',
    entityType: 'case',
    entityId: id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: { ...auditView(after), reason: input.reason },
  });
  await notify(db, {
    userIds: [input.ownerId],
    kind: 'case_assigned',
    title: `个案转给您负责：${after.title}`,
    body: input.reason,
    entityType: 'case',
    entityId: id,
  });
  if (before.ownerId !== actor.userId)
    await notify(db, {
      userIds: [before.ownerId],
      kind: 'case_transferred',
      title: `个案已转出：${after.title}`,
      body: input.reason,
      entityType: 'case',
      entityId: id,
    });
  await changed(db, after);
  return after;
}

/** A comment on the thread: by whoever works on or supervises cases (auditors only read). */
export async function addComment(opts: { db: Db; actor: Actor; id: string; body: string }): Promise<CaseEventRow[]> {
  const { db, actor, id, body } = opts;
  if (!can(actor, 'cases.write') && !can(actor, 'cases.supervise'))
    throw new AppError('forbidden', { status: 403, message: 'your role may only read cases' });
  const k = await getCase(db, actor, id, true);
  await addEvent(db, { caseId: id, kind: 'comment', body, actor });
  await db.execute(sql`update cases set updated_at = now() where id = ${id}`);
  await writeAudit(db, { actor, action: 'case.commented', entityType: 'case', entityId: id, unitPath: k.unitPath, after: { body } });
  if (k.ownerId !== actor.userId)
    await notify(db, { userIds: [k.ownerId], kind: 'case_comment', title: `个案有新留言：${k.title}`, entityType: 'case', entityId: id });
  await changed(db, k);
  return (await caseDetail(db, actor, id)).events;
}

/** A service record of the intervention; only while the case is in the intervention stage. */
export async function addService(opts: {
  db: Db;
  actor: Actor;
  id: string;
  input: {
    serviceDate: string;
    kind: ServiceKind;
    durationMinutes: number;
    workerIds: string[];
    societies: FiveSociety[];
    notes?: string | null;
  };
}) {
  const { db, actor, id, input } = opts;
  const k = await getCase(db, actor, id, true);
  if (k.stage !== 'intervention')
    throw new AppError('invalid_transition', {
      status: 409,
      message: 'service records are added while the case is in the intervention stage',
      details: [{ path: 'stage', code: 'not_intervention' }],
    });
  const today = await queryOne<{ d: string }>(db, sql`select ${TODAY_SHANGHAI}::text as d`);
  if (today && input.serviceDate > today.d) throw invalid('serviceDate', 'in_future', 'a service record is of a day that has come');
  const workers = [...new Set(input.workerIds)];
  if (workers.length) {
    const found = await query<{ id: string; unit_path: string | null }>(
      db,
      sql`select id, unit_path::text as unit_path from users where id = any(${sql.param(workers)}::uuid[])`,
    );
    workers.forEach((w, i) => {
      const u = found.find((f) => f.id === w);
      if (!u || !inScope(actor, u.unit_path)) throw invalid(`workerIds.${i}`, 'unknown_user', 'no such user in your part of the network');
    });
  }
  const sid = newId();
  await db.execute(sql`insert into case_services (id, case_id, service_date, kind, duration_minutes, worker_ids, societies, notes, created_by)
    values (${sid}, ${id}, ${input.serviceDate}, ${input.kind}, ${input.durationMinutes}, ${sql.param(workers)}::uuid[],
      ${sql.param([...new Set(input.societies)])}::text[], ${input.notes ?? null}, ${actor.userId})`);
  await db.execute(sql`update cases set updated_at = now() where id = ${id}`);
  await writeAudit(db, {
    actor,
    action: 'case.service_recorded',
    entityType: 'case',
    entityId: id,
    unitPath: k.unitPath,
    after: { serviceId: sid, ...input, workerIds: workers },
  });
  await changed(db, k);
  return caseDetail(db, actor, id);
}

// ------------------------------------------------------------------------------------------- the job

/** Daily: tell each worker how many of their open cases are past their stage's due date (once a day). */
export async function runCaseOverdueScan(db: Db): Promise<{ notified: number }> {
  const perOwner = await query<{ owner_id: string; n: number }>(
    db,
    sql`select owner_id, count(*)::int as n from cases where stage <> 'closed' and due_date < ${TODAY_SHANGHAI} group by 1`,
  );
  let notified = 0;
  for (const o of perOwner) {
    notified += await notify(db, {
      userIds: [o.owner_id],
      kind: 'case_overdue',
      title: `${o.n} 个个案已逾期`,
      body: `You have ${o.n} case(s) past the due date of their stage.`,
      entityType: 'case_overdue',
    });
  }
  return { notified };
}
