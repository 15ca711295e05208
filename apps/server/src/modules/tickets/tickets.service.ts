import { randomInt } from 'node:crypto';
import {
  type CallbackResult,
  canTransition,
  DEFAULT_TICKET_DEADLINES,
  maskPhone,
  TICKET_OPEN_STATUSES,
  TICKET_TRANSITIONS,
  type TicketAction,
  type TicketCategory,
  type TicketChannel,
  type TicketStatus,
  type TicketUrgency,
} from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import { type Actor, can, SYSTEM_ACTOR } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { publish } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { createClient } from '../clients/clients.service.js';
import { notify } from '../notifications/notifications.service.js';
import type { CreateTicketInput, Deadlines, PublicTicketInput, TicketListQuery } from './tickets.schemas.js';

const OPEN = sql.raw(`(${TICKET_OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`);
const normalisePhone = (p: string) => p.replace(/[\s\-()]/g, '');

// ------------------------------------------------------------------------------------------- settings

export async function getTicketSettings(db: Db, forUpdate = false): Promise<{ deadlines: Deadlines; version: number }> {
  const row = await queryOne<{ deadlines: Deadlines; version: number }>(
    db,
    sql`select deadlines, version from ticket_settings where id = 1 ${forUpdate ? sql`for update` : sql``}`,
  );
  return row
    ? { deadlines: { ...DEFAULT_TICKET_DEADLINES, ...row.deadlines }, version: Number(row.version) }
    : { deadlines: DEFAULT_TICKET_DEADLINES, version: 1 };
}

/** Replaces the deadlines per urgency (optimistic locking); applies to tickets received from now on. */
export async function updateTicketSettings(opts: { db: Db; actor: Actor; input: { version: number; deadlines: Deadlines } }) {
  const { db, actor, input } = opts;
  await db.execute(sql`select pg_advisory_xact_lock(727201)`);
  const before = await getTicketSettings(db, true);
  if (before.version !== input.version) throw stale('settings');
  await db.execute(sql`insert into ticket_settings (id, deadlines, version) values (1, ${JSON.stringify(input.deadlines)}::jsonb, ${before.version + 1})
    on conflict (id) do update set deadlines = excluded.deadlines, version = excluded.version, updated_at = now()`);
  const after = await getTicketSettings(db);
  await writeAudit(db, { actor, action: 'ticket.settings_updated', entityType: 'ticket_settings', entityId: null, before, after });
  return after;
}

// ------------------------------------------------------------------------------------------- rows

export interface TicketRow {
  id: string;
  code: string;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  unitPhone: string | null;
  channel: TicketChannel;
  category: TicketCategory;
  urgency: TicketUrgency;
  status: TicketStatus;
  summary: string;
  regionCode: string | null;
  regionName: string | null;
  address: string | null;
  callerName: string | null;
  callerPhoneEnc: string | null;
  callerPhoneIndex: string | null;
  callerPhoneMasked: string | null;
  clientId: string | null;
  clientName: string | null;
  hotlineId: string | null;
  assignedUserId: string | null;
  assignedUserName: string | null;
  receivedAt: Date | string;
  respondDueAt: Date | string;
  solveDueAt: Date | string;
  acceptedAt: Date | string | null;
  assignedAt: Date | string | null;
  solvedAt: Date | string | null;
  closedAt: Date | string | null;
  cancelledAt: Date | string | null;
  solution: string | null;
  callbackResult: CallbackResult | null;
  satisfaction: number | null;
  feedback: string | null;
  cancelReason: string | null;
  overdue: 'response' | 'solution' | null;
  escalatedToUnitId: string | null;
  escalatedToUnitName: string | null;
  escalatedAt: Date | string | null;
  escalationReason: 'response' | 'solution' | null;
  version: number;
  createdAt: Date | string;
  updatedAt: Date | string;
}

const OVERDUE = sql`case when t.status = 'new' and t.respond_due_at < now() then 'response'
  when t.status in ${OPEN} and t.solve_due_at < now() then 'solution' end`;

const TICKET_COLUMNS = sql`t.id, t.code, t.unit_id as "unitId", u.name as "unitName", t.unit_path::text as "unitPath", u.phone as "unitPhone",
  t.channel, t.category, t.urgency, t.status, t.summary, t.region_code as "regionCode", r.name as "regionName", t.address,
  t.caller_name as "callerName", t.caller_phone_enc as "callerPhoneEnc", t.caller_phone_index as "callerPhoneIndex",
  t.caller_phone_masked as "callerPhoneMasked", t.client_id as "clientId", c.name as "clientName", t.hotline_id as "hotlineId",
  t.assigned_user_id as "assignedUserId", au.display_name as "assignedUserName", t.received_at as "receivedAt",
  t.respond_due_at as "respondDueAt", t.solve_due_at as "solveDueAt", t.accepted_at as "acceptedAt", t.assigned_at as "assignedAt",
  t.solved_at as "solvedAt", t.closed_at as "closedAt", t.cancelled_at as "cancelledAt", t.solution, t.callback_result as "callbackResult",
  t.satisfaction, t.feedback, t.cancel_reason as "cancelReason", ${OVERDUE} as overdue, t.escalated_to_unit_id as "escalatedToUnitId",
  eu.name as "escalatedToUnitName", t.escalated_at as "escalatedAt", t.escalation_reason as "escalationReason", t.version,
  t.created_at as "createdAt", t.updated_at as "updatedAt"`;
const TICKET_FROM = sql`tickets t left join units u on u.id = t.unit_id left join regions r on r.code = t.region_code
  left join clients c on c.id = t.client_id left join users au on au.id = t.assigned_user_id left join units eu on eu.id = t.escalated_to_unit_id`;

/** A ticket of the actor's part of the network; outside it, 404 like one that does not exist. */
export async function getTicket(db: Db, actor: Actor, id: string, forUpdate = false): Promise<TicketRow> {
  if (forUpdate) await db.execute(sql`select 1 from tickets where id = ${id} for update`);
  const row = await queryOne<TicketRow>(db, sql`select ${TICKET_COLUMNS} from ${TICKET_FROM} where t.id = ${id}`);
  if (!row) throw notFound('ticket');
  // The worker it is assigned to sees it too (a community worker below the station that answers it).
  if (!(actor.userId && row.assignedUserId === actor.userId)) assertInScope(actor, row.unitPath, 'ticket_not_found');
  return { ...row, version: Number(row.version) };
}

/** The conditions of a ticket list (the list and its export): the actor's scope, or assigned to the actor, and the filter. */
function ticketConditions(actor: Actor, f: Omit<TicketListQuery, 'limit' | 'cursor'>): SQL[] {
  const conds: SQL[] = [
    actor.scopePath === null || !actor.userId
      ? scopeWhere(actor, sql`t.unit_path`)
      : sql`(${scopeWhere(actor, sql`t.unit_path`)} or t.assigned_user_id = ${actor.userId})`,
  ];
  if (f.status) conds.push(sql`t.status = ${f.status}`);
  if (f.open === 'true') conds.push(sql`t.status in ${OPEN}`);
  if (f.open === 'false') conds.push(sql`t.status not in ${OPEN}`);
  if (f.category) conds.push(sql`t.category = ${f.category}`);
  if (f.urgency) conds.push(sql`t.urgency = ${f.urgency}`);
  if (f.channel) conds.push(sql`t.channel = ${f.channel}`);
  if (f.overdue === 'true') conds.push(sql`${OVERDUE} is not null`);
  if (f.overdue === 'false') conds.push(sql`${OVERDUE} is null`);
  if (f.escalated === 'true') conds.push(sql`t.escalated_to_unit_id is not null`);
  if (f.escalated === 'false') conds.push(sql`t.escalated_to_unit_id is null`);
  if (f.unitId) conds.push(sql`t.unit_path <@ (select path from units where id = ${f.unitId})`);
  if (f.assignedUserId) conds.push(sql`t.assigned_user_id = ${f.assignedUserId}`);
  if (f.clientId) conds.push(sql`t.client_id = ${f.clientId}`);
  if (f.q) {
    const q = f.q.trim();
    if (/^GD-/i.test(q)) conds.push(sql`t.code = ${q.toUpperCase()}`);
    else conds.push(sql`t.summary ilike ${`%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`}`);
  }
  return conds;
}

export async function findTickets(db: Db, actor: Actor, f: TicketListQuery) {
  const conds = ticketConditions(actor, f);
  const page = await newestFirstPage<TicketRow>(db, {
    select: sql`select ${TICKET_COLUMNS} from ${TICKET_FROM}`,
    countFrom: sql`from tickets t`,
    where: sql.join(conds, sql` and `),
    timeColumn: sql`t.received_at`,
    idColumn: sql`t.id`,
    timeOf: (r) => r.receivedAt,
    limit: f.limit,
    cursor: f.cursor,
  });
  return { ...page, items: page.items.map((r) => ({ ...r, version: Number(r.version) })) };
}

/** At most this many tickets go into one export; more answer 400 (narrow the filter, e.g. by status or unit). */
export const TICKET_EXPORT_LIMIT = 20_000;

/**
 * The tickets of a list filter, newest first, for the xlsx export (phones stay masked). More than
 * TICKET_EXPORT_LIMIT answers 400 too_many_rows; an export with rows is audited with its filter and row count.
 */
export async function ticketsForExport(db: Db, actor: Actor, f: Omit<TicketListQuery, 'limit' | 'cursor'>): Promise<TicketRow[]> {
  const rows = await query<TicketRow>(
    db,
    sql`select ${TICKET_COLUMNS} from ${TICKET_FROM} where ${sql.join(ticketConditions(actor, f), sql` and `)}
        order by t.received_at desc, t.id desc limit ${TICKET_EXPORT_LIMIT + 1}`,
  );
  if (rows.length > TICKET_EXPORT_LIMIT)
    throw new AppError('too_many_rows', {
      status: 400,
      message: `more than ${TICKET_EXPORT_LIMIT} tickets match: narrow the filter (status, unit, category …)`,
      details: [{ path: 'query', code: 'too_many_rows' }],
    });
  // An export that carries tickets is audited with its filter; an empty one discloses nothing.
  if (rows.length > 0)
    await writeAudit(db, {
      actor,
      action: 'ticket.exported',
      entityType: 'ticket',
      entityId: null,
      unitPath: actor.scopePath,
      after: { filter: f, rows: rows.length },
    });
  return rows;
}

export interface TicketEventRow {
  id: string;
  kind: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  userName: string | null;
  createdAt: Date | string;
}

export async function ticketEvents(db: Db, ticketId: string): Promise<TicketEventRow[]> {
  return query<TicketEventRow>(
    db,
    sql`select e.id, e.kind, e.from_status as "fromStatus", e.to_status as "toStatus", e.note, u.display_name as "userName",
          e.created_at as "createdAt"
        from ticket_events e left join users u on u.id = e.user_id where e.ticket_id = ${ticketId} order by e.created_at, e.id`,
  );
}

/** What the actor may do with the ticket now (the console shows these buttons). */
export function ticketActions(actor: Actor, t: TicketRow): string[] {
  if (!can(actor, 'tickets.write')) return [];
  const actions: string[] = (Object.keys(TICKET_TRANSITIONS) as TicketAction[]).filter((a) => canTransition(a, t.status));
  if (TICKET_OPEN_STATUSES.includes(t.status)) actions.push('reroute');
  if (t.status !== 'cancelled' && !t.clientId) actions.push('link_client');
  if (t.callerPhoneEnc) actions.push('reveal_phone');
  return actions;
}

async function addEvent(
  db: Db,
  t: { id: string; unitPath: string },
  actor: Actor | null,
  e: { kind: string; from?: string | null; to?: string | null; note?: string | null },
) {
  await db.execute(sql`insert into ticket_events (id, ticket_id, unit_path, kind, from_status, to_status, note, user_id)
    values (${newId()}, ${t.id}, ${t.unitPath}::ltree, ${e.kind}, ${e.from ?? null}, ${e.to ?? null}, ${e.note ?? null}, ${actor?.userId ?? null})`);
}

/** The live event: ids only; the consoles of the unit's part of the network reload the ticket. */
async function announce(db: Db, t: { id: string; unitPath: string; status: string }, type: string) {
  await publish(db, {
    channel: 'tickets',
    type,
    unitPath: t.unitPath,
    permission: 'tickets.read',
    data: { id: t.id, status: t.status },
  });
}

/** The audit copy: no phone, no ciphertext. */
function auditView(t: TicketRow) {
  const { callerPhoneEnc: _e, callerPhoneIndex: _i, unitPhone: _p, ...rest } = t;
  return rest;
}

// ------------------------------------------------------------------------------------------- routing

interface Routed {
  unitId: string;
  unitPath: string;
  unitName: string;
  unitPhone: string | null;
  regionCode: string | null;
}

/**
 * The unit that answers a ticket: the unit chosen, or the operating station whose street holds the caller's
 * community (failing that, the nearest unit above the community: the district centre…).
 */
export async function routeTicket(db: Db, where: { regionCode?: string | null; unitId?: string | null }): Promise<Routed> {
  if (where.regionCode) {
    const region = await queryOne<{ path: string }>(
      db,
      sql`select path::text as path from regions where code = ${where.regionCode} and level = 5`,
    );
    if (!region) throw invalid('regionCode', 'unknown_region', 'no such village/community');
    if (!where.unitId) {
      const unit = await queryOne<{ id: string; path: string; name: string; phone: string | null }>(
        db,
        sql`select id, path::text as path, name, phone from units
            where region_path @> ${region.path}::ltree and status <> 'closed' and kind not in ('office', 'point')
            order by (kind = 'station' and status = 'operating') desc, depth desc, created_at limit 1`,
      );
      if (!unit) throw invalid('regionCode', 'no_unit', 'no unit of the network serves this community yet');
      return { unitId: unit.id, unitPath: unit.path, unitName: unit.name, unitPhone: unit.phone, regionCode: where.regionCode };
    }
  }
  const unit = await queryOne<{ id: string; path: string; name: string; phone: string | null }>(
    db,
    sql`select id, path::text as path, name, phone from units where id = ${where.unitId ?? null}`,
  );
  if (!unit) throw invalid('unitId', 'unknown_unit', 'no such unit');
  return { unitId: unit.id, unitPath: unit.path, unitName: unit.name, unitPhone: unit.phone, regionCode: where.regionCode ?? null };
}

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
function ticketCode(at: Date): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: '2-digit', month: '2-digit', day: '2-digit' })
    .format(at)
    .replace(/-/g, '');
  let s = '';
  for (let i = 0; i < 5; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `GD-${day}-${s}`;
}

async function insertTicket(
  db: Db,
  crypto: FieldCrypto,
  actor: Actor | null,
  routed: Routed,
  t: {
    channel: TicketChannel;
    category: TicketCategory;
    urgency: TicketUrgency;
    summary: string;
    address?: string | null;
    callerName?: string | null;
    callerPhone?: string | null;
    hotlineId?: string | null;
    clientId?: string | null;
    receivedAt: Date;
  },
): Promise<{ id: string; code: string }> {
  const { deadlines } = await getTicketSettings(db);
  const d = deadlines[t.urgency];
  const phone = t.callerPhone ? normalisePhone(t.callerPhone) : null;
  const id = newId();
  // 32^5 codes a day: a clash is rare, and checked for rather than left to the unique index (no 500).
  let code = ticketCode(t.receivedAt);
  for (let i = 0; i < 5 && (await queryOne(db, sql`select 1 from tickets where code = ${code}`)); i++) code = ticketCode(t.receivedAt);
  await db.execute(sql`insert into tickets (id, code, unit_id, unit_path, channel, category, urgency, status, summary, region_code, address,
      caller_name, caller_phone_enc, caller_phone_index, caller_phone_masked, client_id, hotline_id, received_at, respond_due_at, solve_due_at,
      created_by)
    values (${id}, ${code}, ${routed.unitId}, ${routed.unitPath}::ltree, ${t.channel}, ${t.category}, ${t.urgency}, 'new', ${t.summary},
      ${routed.regionCode}, ${t.address ?? null}, ${t.callerName ?? null}, ${phone ? crypto.encrypt(phone) : null},
      ${phone ? crypto.blindIndex(phone, 'phone') : null}, ${phone ? maskPhone(phone) : null}, ${t.clientId ?? null}, ${t.hotlineId ?? null},
      ${t.receivedAt.toISOString()}::timestamptz, ${new Date(t.receivedAt.getTime() + d.respondMinutes * 60_000).toISOString()}::timestamptz,
      ${new Date(t.receivedAt.getTime() + d.solveMinutes * 60_000).toISOString()}::timestamptz, ${actor?.userId ?? null})`);
  await addEvent(db, { id, unitPath: routed.unitPath }, actor, { kind: 'created', to: 'new' });
  await announce(db, { id, unitPath: routed.unitPath, status: 'new' }, 'ticket.created');
  return { id, code };
}

/** The staff who answer tickets at exactly this unit (not below). */
async function unitWorkers(db: Db, unitId: string, roles = ['station_head', 'station_worker', 'community_worker']) {
  const rows = await query<{ id: string }>(
    db,
    sql`select id from users where unit_id = ${unitId} and status = 'active' and role in ${sql.raw(`(${roles.map((r) => `'${r}'`).join(', ')})`)}`,
  );
  return rows.map((r) => r.id);
}

/** Registers a ticket taken by a worker (a hotline call, a walk-in, a report…), routed to the responsible unit. */
export async function createTicket(opts: { db: Db; actor: Actor; crypto: FieldCrypto; input: CreateTicketInput }): Promise<TicketRow> {
  const { db, actor, crypto, input } = opts;
  const routed = await routeTicket(db, input);
  if (!inScope(actor, routed.unitPath))
    throw invalid(
      input.unitId ? 'unitId' : 'regionCode',
      'outside_scope',
      'the unit that serves this community is outside your part of the network: give the caller its number, or ask the level above',
    );
  if (input.hotlineId) {
    const h = await queryOne<{ unit_path: string }>(
      db,
      sql`select unit_path::text as unit_path from hotlines where id = ${input.hotlineId}`,
    );
    if (!h || !inScope(actor, h.unit_path)) throw invalid('hotlineId', 'unknown_hotline', 'no such hotline in your part of the network');
  }
  if (input.clientId) {
    const c = await queryOne<{ unit_path: string }>(db, sql`select unit_path::text as unit_path from clients where id = ${input.clientId}`);
    if (!c || !inScope(actor, c.unit_path)) throw invalid('clientId', 'unknown_client', 'no such client in your part of the network');
  }
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
  if (receivedAt.getTime() > Date.now() + 5 * 60_000) throw invalid('receivedAt', 'in_future', 'a call cannot be received in the future');
  if (receivedAt.getTime() < Date.now() - 30 * 86400_000)
    throw invalid('receivedAt', 'too_old', 'register tickets within 30 days of the call');
  const { id } = await insertTicket(db, crypto, actor, routed, { ...input, receivedAt });
  const ticket = await getTicket(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'ticket.created',
    entityType: 'ticket',
    entityId: id,
    unitPath: routed.unitPath,
    after: auditView(ticket),
  });
  if (input.urgency === 'urgent') {
    const others = (await unitWorkers(db, routed.unitId)).filter((u) => u !== actor.userId);
    await notify(db, {
      userIds: others,
      kind: 'ticket_new',
      title: `紧急工单 ${ticket.code}`,
      body: `Urgent ticket ${ticket.code}`,
      entityType: 'ticket',
      entityId: id,
    });
  }
  return ticket;
}

/**
 * The public online form: no login. Routed by the community like a call; the unit's staff are told. A filled
 * honeypot (`website`) answers like a success and stores nothing.
 */
export async function submitPublicTicket(opts: {
  db: Db;
  crypto: FieldCrypto;
  input: PublicTicketInput;
  ip?: string;
}): Promise<{ code: string; unitName: string | null; unitPhone: string | null; stored: boolean }> {
  const { db, crypto, input } = opts;
  if (input.website && input.website.trim() !== '') return { code: ticketCode(new Date()), unitName: null, unitPhone: null, stored: false };
  const routed = await routeTicket(db, { regionCode: input.regionCode });
  const { id, code } = await insertTicket(db, crypto, null, routed, {
    channel: 'online_form',
    category: input.category,
    urgency: input.urgent || input.category === 'urgent_medical' ? 'urgent' : 'normal',
    summary: input.summary,
    address: input.address,
    callerName: input.callerName,
    callerPhone: input.callerPhone,
    receivedAt: new Date(),
  });
  await writeAudit(db, {
    actor: { ...SYSTEM_ACTOR, username: 'public_form', displayName: 'Public form', ip: opts.ip },
    action: 'ticket.created',
    entityType: 'ticket',
    entityId: id,
    unitPath: routed.unitPath,
    after: { code, channel: 'online_form', category: input.category, unitId: routed.unitId },
  });
  await notify(db, {
    userIds: await unitWorkers(db, routed.unitId),
    kind: 'ticket_new',
    title: `网上求助 ${code}`,
    body: `A resident asked for help online (${code}).`,
    entityType: 'ticket',
    entityId: id,
  });
  return { code, unitName: routed.unitName, unitPhone: routed.unitPhone, stored: true };
}

/** Communities the public form can route (those with a unit above them), by name. */
export async function publicAreas(db: Db, q: string | undefined) {
  const like = q ? `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
  return query<{ code: string; name: string; streetName: string | null }>(
    db,
    sql`select r.code, r.name, s.name as "streetName" from regions r left join regions s on s.code = r.parent_code
        where r.level = 5 and exists (select 1 from units u where u.kind = 'station' and u.status = 'operating' and u.region_path @> r.path)
        ${like ? sql`and (r.name like ${like} or s.name like ${like})` : sql``}
        order by r.code limit 50`,
  );
}

// ------------------------------------------------------------------------------------------- actions

async function loadForChange(db: Db, actor: Actor, id: string, version: number, action: TicketAction | 'reroute' | 'link') {
  const before = await getTicket(db, actor, id, true);
  if (before.version !== version) throw stale('ticket');
  if (action === 'reroute' || action === 'link') {
    if (before.status === 'cancelled' || (action === 'reroute' && !TICKET_OPEN_STATUSES.includes(before.status)))
      throw new AppError('invalid_transition', { status: 409, message: `a ${before.status} ticket cannot be changed like this` });
  } else if (!canTransition(action, before.status)) {
    throw new AppError('invalid_transition', {
      status: 409,
      message: `cannot ${action} a ticket that is ${before.status.replace('_', ' ')}`,
      details: [{ path: 'status', code: before.status, message: `allowed from: ${TICKET_TRANSITIONS[action].from.join(', ')}` }],
    });
  }
  return before;
}

async function finish(db: Db, actor: Actor, before: TicketRow, action: string, note: string | null) {
  const after = await getTicket(db, actor, before.id);
  await addEvent(db, after, actor, {
    kind: action,
    from: before.status,
    to: after.status,
    note,
  });
  await writeAudit(db, {
    actor,
    action: `ticket.${action}`,
    entityType: 'ticket',
    entityId: after.id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: auditView(after),
  });
  await announce(db, after, 'ticket.updated');
  return after;
}

export type TicketChange =
  | { action: 'accept'; version: number; note?: string | null }
  | { action: 'assign'; version: number; userId: string; note?: string | null }
  | { action: 'progress'; version: number; note: string }
  | { action: 'solve'; version: number; solution: string }
  | { action: 'close'; version: number; callbackResult: CallbackResult; satisfaction?: number | null; feedback?: string | null }
  | { action: 'cancel'; version: number; reason: string }
  | { action: 'reopen'; version: number; reason: string };

/**
 * Moves a ticket along: new → accepted → assigned → in progress → solved → closed (or cancelled); a solved or
 * closed ticket may be reopened (重办) with a reason: it is no longer counted as solved, and its callback is
 * asked again when it is solved anew (the earlier solution and callback stay on the timeline).
 */
export async function changeTicket(opts: { db: Db; actor: Actor; id: string; change: TicketChange }): Promise<TicketRow> {
  const { db, actor, id, change } = opts;
  const before = await loadForChange(db, actor, id, change.version, change.action);
  const set = sql`status = ${TICKET_TRANSITIONS[change.action].to}, version = version + 1, updated_at = now()`;
  let extra: SQL = sql``;
  let note: string | null = null;
  switch (change.action) {
    case 'accept':
      extra = sql`, accepted_at = coalesce(accepted_at, now())`;
      note = change.note ?? null;
      break;
    case 'assign': {
      const user = await queryOne<{ id: string; display_name: string; role: string; unit_path: string | null }>(
        db,
        sql`select id, display_name, role, unit_path::text as unit_path from users where id = ${change.userId} and status = 'active'`,
      );
      const writer = user && ['station_head', 'station_worker', 'community_worker', 'system_admin'].includes(user.role);
      if (!user || !writer || !user.unit_path || !(user.unit_path === before.unitPath || user.unit_path.startsWith(`${before.unitPath}.`)))
        throw invalid('userId', 'unknown_worker', 'assign to an active worker of the ticket’s unit or below');
      extra = sql`, assigned_user_id = ${user.id}, assigned_at = now(), accepted_at = coalesce(accepted_at, now())`;
      note = change.note ?? null;
      if (user.id !== actor.userId)
        await notify(db, {
          userIds: [user.id],
          kind: 'ticket_assigned',
          title: `工单 ${before.code} 派给您办理`,
          body: `Ticket ${before.code} was assigned to you.`,
          entityType: 'ticket',
          entityId: before.id,
        });
      break;
    }
    case 'progress':
      note = change.note;
      break;
    case 'solve':
      extra = sql`, solution = ${change.solution}, solved_at = now(), accepted_at = coalesce(accepted_at, now())`;
      note = change.solution;
      break;
    case 'close':
      extra = sql`, callback_result = ${change.callbackResult}, satisfaction = ${change.satisfaction ?? null},
        feedback = ${change.feedback ?? null}, closed_at = now()`;
      note = change.feedback ?? null;
      break;
    case 'cancel':
      extra = sql`, cancel_reason = ${change.reason}, cancelled_at = now()`;
      note = change.reason;
      break;
    case 'reopen': {
      // A fresh solution deadline of its urgency from now: the old one has usually passed.
      const { deadlines } = await getTicketSettings(db);
      const solveBy = new Date(Date.now() + deadlines[before.urgency].solveMinutes * 60_000).toISOString();
      extra = sql`, solution = null, solved_at = null, closed_at = null, callback_result = null, satisfaction = null, feedback = null,
        solve_due_at = ${solveBy}::timestamptz`;
      note = change.reason;
      if (before.assignedUserId && before.assignedUserId !== actor.userId)
        await notify(db, {
          userIds: [before.assignedUserId],
          kind: 'ticket_reopened',
          title: `工单 ${before.code} 重办：${change.reason}`.slice(0, 200),
          body: `Ticket ${before.code} was reopened: ${change.reason}`.slice(0, 500),
          entityType: 'ticket',
          entityId: before.id,
        });
      break;
    }
  }
  await db.execute(sql`update tickets set ${set} ${extra} where id = ${id}`);
  return finish(db, actor, before, change.action === 'accept' ? 'accepted' : eventKind(change.action), note);
}

function eventKind(action: TicketAction): string {
  return {
    accept: 'accepted',
    assign: 'assigned',
    progress: 'progress',
    solve: 'solved',
    close: 'closed',
    cancel: 'cancelled',
    reopen: 'reopened',
  }[action];
}

/** Hands an open ticket to another unit of the actor's scope (misrouted, or taken over by the level above). */
export async function rerouteTicket(opts: { db: Db; actor: Actor; id: string; version: number; unitId: string; note: string }) {
  const { db, actor, id } = opts;
  const before = await loadForChange(db, actor, id, opts.version, 'reroute');
  const unit = await queryOne<{ id: string; path: string }>(db, sql`select id, path::text as path from units where id = ${opts.unitId}`);
  if (!unit || !inScope(actor, unit.path)) throw invalid('unitId', 'unknown_unit', 'no such unit in your part of the network');
  if (unit.id === before.unitId) throw invalid('unitId', 'same_unit', 'the ticket is already with this unit');
  await db.execute(sql`update tickets set unit_id = ${unit.id}, unit_path = ${unit.path}::ltree, status = 'new', assigned_user_id = null,
      assigned_at = null, accepted_at = null, escalated_to_unit_id = null, escalated_at = null, escalation_reason = null,
      version = version + 1, updated_at = now() where id = ${id}`);
  await db.execute(sql`update ticket_events set unit_path = ${unit.path}::ltree where ticket_id = ${id}`);
  const after = await finish(db, actor, before, 'rerouted', opts.note);
  await notify(db, {
    userIds: (await unitWorkers(db, unit.id)).filter((u) => u !== actor.userId),
    kind: 'ticket_new',
    title: `工单 ${after.code} 转来办理`,
    body: `Ticket ${after.code} was routed to your unit.`,
    entityType: 'ticket',
    entityId: id,
  });
  return after;
}

/** Links the caller to a client of the actor's scope, or registers them as a new client of the ticket's unit. */
export async function linkClient(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  id: string;
  version: number;
  clientId?: string;
  create?: boolean;
}) {
  const { db, actor, crypto, id } = opts;
  const before = await loadForChange(db, actor, id, opts.version, 'link');
  let clientId: string;
  if (opts.clientId) {
    const client = await queryOne<{ id: string; unit_path: string }>(
      db,
      sql`select id, unit_path::text as unit_path from clients where id = ${opts.clientId}`,
    );
    if (!client || !inScope(actor, client.unit_path))
      throw invalid('clientId', 'unknown_client', 'no such client in your part of the network');
    clientId = client.id;
  } else {
    if (!can(actor, 'clients.write')) throw new AppError('forbidden', { status: 403, message: 'your role may not register clients' });
    if (!before.callerName) throw invalid('create', 'no_caller_name', 'the ticket has no caller name to register');
    const client = await createClient({
      db,
      actor,
      crypto,
      input: {
        name: before.callerName,
        unitId: before.unitId,
        regionCode: before.regionCode ?? undefined,
        phone: before.callerPhoneEnc ? crypto.decrypt(before.callerPhoneEnc) : null,
        address: before.address,
        riskLevel: 'general',
        tags: [],
        contacts: [],
        categories: [],
      } as Parameters<typeof createClient>[0]['input'],
    });
    clientId = client.id;
  }
  await db.execute(sql`update tickets set client_id = ${clientId}, version = version + 1, updated_at = now() where id = ${id}`);
  const after = await getTicket(db, actor, id);
  await addEvent(db, after, actor, { kind: 'client_linked', note: after.clientName });
  await writeAudit(db, {
    actor,
    action: 'ticket.client_linked',
    entityType: 'ticket',
    entityId: id,
    unitPath: after.unitPath,
    before: { clientId: before.clientId },
    after: { clientId },
  });
  await announce(db, after, 'ticket.updated');
  return after;
}

/** Clients of the actor's scope the caller may be: same phone (blind index), same ID number, or same name in the unit. */
export async function callerMatches(db: Db, actor: Actor, crypto: FieldCrypto, id: string, idNumber?: string) {
  const t = await getTicket(db, actor, id);
  const conds: SQL[] = [];
  if (t.callerPhoneIndex) conds.push(sql`c.phone_index = ${t.callerPhoneIndex}`);
  if (idNumber) conds.push(sql`c.id_number_index = ${crypto.blindIndex(idNumber.toUpperCase(), 'id')}`);
  if (t.callerName) conds.push(sql`(c.name = ${t.callerName} and c.unit_path <@ ${t.unitPath}::ltree)`);
  if (!conds.length) return [];
  return query<{ id: string; name: string; unitName: string | null; phone: string | null; idNumber: string | null; matchedBy: string }>(
    db,
    sql`select c.id, c.name, u.name as "unitName", c.phone_masked as phone, c.id_number_masked as "idNumber",
          case when ${t.callerPhoneIndex ? sql`c.phone_index = ${t.callerPhoneIndex}` : sql`false`} then 'phone'
               when ${idNumber ? sql`c.id_number_index = ${crypto.blindIndex(idNumber.toUpperCase(), 'id')}` : sql`false`} then 'id_number'
               else 'name' end as "matchedBy"
        from clients c left join units u on u.id = c.unit_id
        where ${scopeWhere(actor, sql`c.unit_path`)} and (${sql.join(conds, sql` or `)}) order by c.name limit 10`,
  );
}

/** The caller's full phone, for the callback; every reveal is audited. */
export async function revealCallerPhone(opts: { db: Db; actor: Actor; crypto: FieldCrypto; id: string }) {
  const t = await getTicket(opts.db, opts.actor, opts.id);
  if (!t.callerPhoneEnc) throw invalid('phone', 'no_phone', 'the ticket has no phone number');
  await writeAudit(opts.db, {
    actor: opts.actor,
    action: 'ticket.phone_revealed',
    entityType: 'ticket',
    entityId: t.id,
    unitPath: t.unitPath,
  });
  return { phone: opts.crypto.decrypt(t.callerPhoneEnc) };
}

// ------------------------------------------------------------------------------------------- escalation

/**
 * The escalation job: open tickets past their response deadline (still new) or their solution deadline
 * go to the parent unit once (escalated_to_unit_id), and the parent's staff and the unit's head are told.
 */
export async function runTicketEscalation(db: Db, limit = 500): Promise<{ escalated: number }> {
  const due = await query<{
    id: string;
    code: string;
    unit_id: string;
    unit_path: string;
    parent_id: string;
    reason: 'response' | 'solution';
  }>(
    db,
    sql`select t.id, t.code, t.unit_id, t.unit_path::text as unit_path, u.parent_id,
          case when t.status = 'new' and t.respond_due_at < now() then 'response' else 'solution' end as reason
        from tickets t join units u on u.id = t.unit_id
        where t.status in ${OPEN} and t.escalated_to_unit_id is null and u.parent_id is not null
          and ((t.status = 'new' and t.respond_due_at < now()) or t.solve_due_at < now())
        order by t.received_at limit ${limit} for update of t skip locked`,
  );
  for (const t of due) {
    await db.execute(sql`update tickets set escalated_to_unit_id = ${t.parent_id}, escalated_at = now(), escalation_reason = ${t.reason},
        version = version + 1, updated_at = now() where id = ${t.id}`);
    const parent = await queryOne<{ name: string }>(db, sql`select name from units where id = ${t.parent_id}`);
    await addEvent(db, { id: t.id, unitPath: t.unit_path }, null, {
      kind: 'escalated',
      note: `${t.reason === 'response' ? '超过受理时限' : '超过办结时限'} → ${parent?.name ?? ''}`,
    });
    await writeAudit(db, {
      actor: SYSTEM_ACTOR,
      action: 'ticket.escalated',
      entityType: 'ticket',
      entityId: t.id,
      unitPath: t.unit_path,
      after: { escalatedToUnitId: t.parent_id, reason: t.reason },
    });
    const parentStaff = await unitWorkers(db, t.parent_id, ['centre_staff', 'station_head', 'civil_affairs_admin', 'supervisor']);
    const heads = await unitWorkers(db, t.unit_id, ['station_head']);
    await notify(db, {
      userIds: [...parentStaff, ...heads],
      kind: 'ticket_overdue',
      title: `工单 ${t.code} ${t.reason === 'response' ? '超时未受理' : '超时未办结'}，已升级`,
      body: `Ticket ${t.code} is overdue (${t.reason}) and was escalated to ${parent?.name ?? 'the parent unit'}.`,
      entityType: 'ticket',
      entityId: t.id,
    });
    await announce(db, { id: t.id, unitPath: t.unit_path, status: 'escalated' }, 'ticket.updated');
  }
  return { escalated: due.length };
}

/**
 * A problem report (随手拍) of a volunteer or a worker, registered as a ticket (channel `volunteer`) of the
 * unit that serves the community. Unlike a call a worker takes, the reporter may stand outside that unit's
 * part of the network: what they saw goes where it is answered. Its staff are told.
 */
export async function ticketFromProblemReport(opts: {
  db: Db;
  crypto: FieldCrypto;
  actor: Actor;
  routed: Routed;
  input: { category: TicketCategory; summary: string; address: string };
}): Promise<{ id: string; code: string }> {
  const { db, crypto, actor, routed, input } = opts;
  const { id, code } = await insertTicket(db, crypto, actor, routed, {
    channel: 'volunteer',
    category: input.category,
    urgency: input.category === 'urgent_medical' ? 'urgent' : 'normal',
    summary: input.summary,
    address: input.address,
    receivedAt: new Date(),
  });
  await writeAudit(db, {
    actor,
    action: 'ticket.created',
    entityType: 'ticket',
    entityId: id,
    unitPath: routed.unitPath,
    after: { code, channel: 'volunteer', category: input.category, unitId: routed.unitId },
  });
  await notify(db, {
    userIds: (await unitWorkers(db, routed.unitId)).filter((u) => u !== actor.userId),
    kind: 'ticket_new',
    title: `随手拍 ${code}`,
    body: `A problem was reported with a photo (${code}).`,
    entityType: 'ticket',
    entityId: id,
  });
  return { id, code };
}
