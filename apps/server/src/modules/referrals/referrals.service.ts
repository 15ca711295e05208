import {
  type ConsentExemption,
  type ConsentMethod,
  DEFAULT_REFERRAL_DAYS,
  maskName,
  parseIdNumber,
  REFERRAL_TRANSITIONS,
  type ReceiverKind,
  type ReferralAction,
  type ReferralKind,
  type ReferralStatus,
  referralOpen,
  referralTransition,
} from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import { type Actor, can } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { publish } from '../../platform/events.js';
import { decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { inScope } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { getClient } from '../clients/clients.service.js';
import { notify } from '../notifications/notifications.service.js';
import { TODAY_SHANGHAI } from '../visits/visits.cadence.js';
import type { ActionBody, CreateReferralBody, ReferralListQuery } from './referrals.schemas.js';

// ------------------------------------------------------------------------------------------- settings

export interface ReferralSettings {
  answerDays: number;
  feedbackDays: number;
  version: number;
}

export async function getReferralSettings(db: Db, forUpdate = false): Promise<ReferralSettings> {
  const row = await queryOne<ReferralSettings>(
    db,
    sql`select answer_days as "answerDays", feedback_days as "feedbackDays", version from referral_settings where id = 1
        ${forUpdate ? sql`for update` : sql``}`,
  );
  if (!row) return { ...DEFAULT_REFERRAL_DAYS, version: 1 };
  return { answerDays: Number(row.answerDays), feedbackDays: Number(row.feedbackDays), version: Number(row.version) };
}

/** The due day of what is awaited now: the answer (from the day sent) or the feedback (from the day accepted). */
async function recomputeDue(db: Db, s: ReferralSettings, where: SQL) {
  const day = (col: SQL) => sql`(${col} at time zone 'Asia/Shanghai')::date`;
  await db.execute(sql`update referrals set due_date = case
      when status = 'sent' then ${day(sql`sent_at`)} + ${s.answerDays}::int
      when kind = 'referral' and status in ('accepted', 'in_progress') then ${day(sql`answered_at`)} + ${s.feedbackDays}::int
      else null end
    where ${where}`);
}

export async function updateReferralSettings(opts: {
  db: Db;
  actor: Actor;
  input: { version: number; answerDays: number; feedbackDays: number };
}): Promise<ReferralSettings> {
  const { db, actor, input } = opts;
  await db.execute(sql`select pg_advisory_xact_lock(727301)`);
  const before = await getReferralSettings(db, true);
  if (before.version !== input.version) throw stale('settings');
  await db.execute(sql`insert into referral_settings (id, answer_days, feedback_days, version)
    values (1, ${input.answerDays}, ${input.feedbackDays}, ${before.version + 1})
    on conflict (id) do update set answer_days = excluded.answer_days, feedback_days = excluded.feedback_days,
      version = excluded.version, updated_at = now()`);
  const after = await getReferralSettings(db);
  await recomputeDue(db, after, sql`due_date is not null`);
  await writeAudit(db, { actor, action: 'referrals.settings_updated', entityType: 'referral_settings', entityId: null, before, after });
  return after;
}

// ------------------------------------------------------------------------------------------- reading

export interface ReferralRow {
  id: string;
  kind: ReferralKind;
  status: ReferralStatus;
  clientId: string;
  clientName: string;
  clientUnitPath: string;
  clientSex: 'male' | 'female' | null;
  clientBirthDate: string | null;
  clientUnitName: string | null;
  fromUnitId: string;
  fromUnitPath: string;
  fromUnitName: string | null;
  toKind: ReceiverKind;
  toUnitId: string | null;
  toUnitPath: string | null;
  toUnitKind: string | null;
  toUnitRegionCode: string | null;
  toName: string | null;
  toOperatorId: string | null;
  needId: string | null;
  caseId: string | null;
  summary: string;
  declineReason: string | null;
  progressNote: string | null;
  feedback: string | null;
  closeNote: string | null;
  consentMethod: ConsentMethod | null;
  consentExemption: ConsentExemption | null;
  consentNote: string | null;
  consentRecordedBy: string | null;
  consentAt: Date | string | null;
  dueDate: string | null;
  overdue: boolean;
  reminded: string[];
  sentBy: string | null;
  sentByName: string | null;
  sentAt: Date | string;
  answeredAt: Date | string | null;
  feedbackAt: Date | string | null;
  closedAt: Date | string | null;
  updatedAt: Date | string;
  version: number;
}

const COLUMNS = sql`r.id, r.kind, r.status, r.client_id as "clientId", c.name as "clientName", c.unit_path::text as "clientUnitPath",
  c.sex as "clientSex", c.birth_date::text as "clientBirthDate", cu.name as "clientUnitName",
  r.from_unit_id as "fromUnitId", r.from_unit_path::text as "fromUnitPath", fu.name as "fromUnitName",
  r.to_kind as "toKind", r.to_unit_id as "toUnitId", r.to_unit_path::text as "toUnitPath", tu.kind as "toUnitKind", tu.region_code as "toUnitRegionCode",
  coalesce(tu.name, op.name, r.to_department) as "toName", r.to_operator_id as "toOperatorId",
  r.need_id as "needId", r.case_id as "caseId", r.summary, r.decline_reason as "declineReason", r.progress_note as "progressNote",
  r.feedback, r.close_note as "closeNote", r.consent_method as "consentMethod", r.consent_exemption as "consentExemption",
  r.consent_note as "consentNote", r.consent_recorded_by as "consentRecordedBy", r.consent_at as "consentAt",
  r.due_date::text as "dueDate", coalesce(r.due_date < ${TODAY_SHANGHAI}, false) as overdue, r.reminded,
  r.sent_by as "sentBy", sb.display_name as "sentByName", r.sent_at as "sentAt", r.answered_at as "answeredAt",
  r.feedback_at as "feedbackAt", r.closed_at as "closedAt", r.updated_at as "updatedAt", r.version`;
const FROM = sql`referrals r join clients c on c.id = r.client_id left join units cu on cu.id = c.unit_id
  left join units fu on fu.id = r.from_unit_id left join units tu on tu.id = r.to_unit_id
  left join operators op on op.id = r.to_operator_id left join users sb on sb.id = r.sent_by`;

const norm = (r: ReferralRow): ReferralRow => ({ ...r, version: Number(r.version), overdue: Boolean(r.overdue) });

/** The owning side (from) and the other side (to) of a hand-over, as seen by the actor. */
function ends(actor: Actor, r: Pick<ReferralRow, 'fromUnitPath' | 'toUnitPath'>) {
  return { from: inScope(actor, r.fromUnitPath), to: !!r.toUnitPath && inScope(actor, r.toUnitPath) };
}

/**
 * Who sees a hand-over: the owning side always; the other side while a referral or transfer is open or
 * accepted (a declined or closed one is gone for it: 404), and always its own transfer request.
 */
export function visibleTo(actor: Actor, r: ReferralRow): boolean {
  const e = ends(actor, r);
  if (e.from) return true;
  if (!e.to) return false;
  return r.kind === 'transfer_request' || !['declined', 'closed'].includes(r.status);
}

/** sender: the side that started it (the requester of a transfer request); receiver: the side asked to answer. */
export function sidesOf(actor: Actor, r: ReferralRow): ('sender' | 'receiver')[] {
  const e = ends(actor, r);
  const initiator = r.kind === 'transfer_request' ? e.to : e.from;
  const answerer = r.kind === 'transfer_request' ? e.from : e.to && visibleTo(actor, r);
  return [...(initiator ? (['sender'] as const) : []), ...(answerer ? (['receiver'] as const) : [])];
}

/** The visibility rule of visibleTo as a predicate of the list. */
function visibleWhere(actor: Actor): SQL {
  if (actor.scopePath === null) return sql`true`;
  const s = sql`${actor.scopePath}::ltree`;
  return sql`(r.from_unit_path <@ ${s} or (r.to_unit_path <@ ${s} and (r.kind = 'transfer_request' or r.status not in ('declined', 'closed'))))`;
}

async function loadReferral(db: Db, id: string, forUpdate = false): Promise<ReferralRow | null> {
  const row = await queryOne<ReferralRow>(
    db,
    sql`select ${COLUMNS} from ${FROM} where r.id = ${id} ${forUpdate ? sql`for update of r` : sql``}`,
  );
  return row ? norm(row) : null;
}

export async function getReferral(db: Db, actor: Actor, id: string, forUpdate = false): Promise<ReferralRow> {
  const r = await loadReferral(db, id, forUpdate);
  if (!r || !visibleTo(actor, r)) throw notFound('referral');
  return r;
}

/** Whether the actor may read the client itself (its own part of the network holds it). */
export const seesClient = (actor: Actor, r: ReferralRow) => inScope(actor, r.clientUnitPath);

/**
 * The receiving side of an open referral (or of a transfer waiting for its answer) reads the referral card
 * although the client lies outside its part of the network.
 */
export const readsUnderReferral = (actor: Actor, r: ReferralRow) =>
  !seesClient(actor, r) && r.kind !== 'transfer_request' && ends(actor, r).to && referralOpen(r.kind, r.status);

export function minimalCard(r: ReferralRow) {
  return {
    maskedName: maskName(r.clientName),
    sex: r.clientSex,
    birthYear: r.clientBirthDate ? Number(r.clientBirthDate.slice(0, 4)) : null,
    unitName: r.clientUnitName,
  };
}

export interface ReferralCard {
  clientName: string;
  age: number | null;
  sex: 'male' | 'female' | null;
  phoneMasked: string | null;
  address: string | null;
  need: { id: string; needType: string; severity: string; description: string | null } | null;
  case: { id: string; title: string; stage: string } | null;
}

async function fullCard(db: Db, r: ReferralRow): Promise<ReferralCard> {
  const c = await queryOne<{
    name: string;
    age: number | null;
    sex: 'male' | 'female' | null;
    phone: string | null;
    address: string | null;
  }>(
    db,
    sql`select name, extract(year from age(${TODAY_SHANGHAI}, birth_date))::int as age, sex, phone_masked as phone, address
        from clients where id = ${r.clientId}`,
  );
  const need = r.needId
    ? await queryOne<ReferralCard['need']>(
        db,
        sql`select id, need_type as "needType", severity, description from needs where id = ${r.needId}`,
      )
    : null;
  const k = r.caseId ? await queryOne<ReferralCard['case']>(db, sql`select id, title, stage from cases where id = ${r.caseId}`) : null;
  return {
    clientName: c?.name ?? '',
    age: c?.age === null || c?.age === undefined ? null : Number(c.age),
    sex: c?.sex ?? null,
    phoneMasked: c?.phone ?? null,
    address: c?.address ?? null,
    need: need ?? null,
    case: k ?? null,
  };
}

/** What the actor may do with the hand-over now (the transition table, its side and its permission). */
export function actionsFor(actor: Actor, r: ReferralRow): ReferralAction[] {
  if (!can(actor, 'referrals.write') || !visibleTo(actor, r)) return [];
  const e = ends(actor, r);
  const external = r.toKind !== 'unit';
  return REFERRAL_TRANSITIONS.filter((t) => t.kind === r.kind && t.from.includes(r.status))
    .filter((t) => (t.by === 'receiver' ? e.to || (external && e.from) : e.from))
    .map((t) => t.action);
}

/**
 * One hand-over with what the actor may read of the client: the full referral card (its own client, or
 * as the receiver of an open referral — that read is audited), otherwise the minimal card.
 */
export async function referralDetail(db: Db, actor: Actor, id: string) {
  const r = await getReferral(db, actor, id);
  let card: ReferralCard | null = null;
  if (seesClient(actor, r)) card = await fullCard(db, r);
  else if (readsUnderReferral(actor, r)) {
    card = await fullCard(db, r);
    await writeAudit(db, {
      actor,
      action: 'referral.card_read',
      entityType: 'referral',
      entityId: r.id,
      unitPath: r.toUnitPath,
      after: { clientId: r.clientId, kind: r.kind, status: r.status },
    });
  }
  return { ...r, card, minimalCard: card ? null : minimalCard(r), allowedActions: actionsFor(actor, r) };
}

export async function findReferrals(db: Db, actor: Actor, q: ReferralListQuery) {
  const conds: SQL[] = [visibleWhere(actor)];
  if (actor.scopePath !== null) {
    const s = sql`${actor.scopePath}::ltree`;
    const fromIn = sql`r.from_unit_path <@ ${s}`;
    const toIn = sql`coalesce(r.to_unit_path <@ ${s}, false)`;
    if (q.box === 'sent') conds.push(sql`((r.kind <> 'transfer_request' and ${fromIn}) or (r.kind = 'transfer_request' and ${toIn}))`);
    if (q.box === 'received')
      conds.push(sql`((r.kind <> 'transfer_request' and ${toIn} and r.status not in ('declined', 'closed'))
        or (r.kind = 'transfer_request' and ${fromIn}))`);
  }
  if (q.kind) conds.push(sql`r.kind = ${q.kind}`);
  if (q.status) conds.push(sql`r.status = ${q.status}`);
  if (q.open === 'true')
    conds.push(sql`r.status in ('sent', 'accepted', 'in_progress', 'feedback') and not (r.kind <> 'referral' and r.status = 'accepted')`);
  if (q.open === 'false') conds.push(sql`(r.status in ('declined', 'closed') or (r.kind <> 'referral' and r.status = 'accepted'))`);
  if (q.overdue === 'true') conds.push(sql`r.due_date < ${TODAY_SHANGHAI}`);
  if (q.overdue === 'false') conds.push(sql`(r.due_date is null or r.due_date >= ${TODAY_SHANGHAI})`);
  if (q.clientId) conds.push(sql`r.client_id = ${q.clientId}`);
  const where = sql.join(conds, sql` and `);
  const cursor = decodeCursor(q.cursor, 2);
  const page = cursor ? sql`${where} and (r.updated_at, r.id) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)` : where;
  const rows = await query<ReferralRow>(
    db,
    sql`select ${COLUMNS} from ${FROM} where ${page} order by r.updated_at desc, r.id desc limit ${q.limit + 1}`,
  );
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from referrals r where ${where}`);
  const items = rows.slice(0, q.limit).map(norm);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor([new Date(last.updatedAt).toISOString(), last.id]) : null,
    total: Number(total?.n ?? 0),
  };
}

/**
 * The directory a referral is addressed from: units of any tier across the network and the social
 * organizations (operators), by name or pinyin initials — names on their doors, nothing of their clients.
 */
export async function findReceivers(db: Db, q: { q?: string; limit: number }) {
  const text = q.q?.trim() ?? '';
  const like = `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  const unitWhere = text
    ? sql`(u.name like ${like} or u.name_initials like ${`${text.toLowerCase()}%`} or u.name_pinyin like ${`${text.toLowerCase()}%`})`
    : sql`true`;
  const units = await query<{ id: string; name: string; kind: string; parentName: string | null }>(
    db,
    sql`select u.id, u.name, u.kind, p.name as "parentName" from units u left join units p on p.id = u.parent_id
        where u.status <> 'closed' and ${unitWhere} order by u.depth, u.name limit ${q.limit}`,
  );
  const operators = await query<{ id: string; name: string }>(
    db,
    sql`select id, name from operators where ${text ? sql`name like ${like}` : sql`true`} order by name limit ${q.limit}`,
  );
  return { units, operators };
}

// ------------------------------------------------------------------------------------------- writing

export type ConsentInput = NonNullable<CreateReferralBody['consent']>;

/** The consent, or the documented reason it was not needed; without it nothing leaves the owning unit. */
function checkConsent(consent: ConsentInput | null | undefined, path = 'consent'): ConsentInput & { at: string } {
  const refuse = (p: string, message: string) =>
    new AppError('consent_required', { status: 400, message, details: [{ path: p, code: 'required', message }] });
  if (!consent) throw refuse(path, "record the client's consent to share (written, verbal or by the guardian) or why it was not needed");
  if (consent.method === 'not_needed' && !consent.exemption)
    throw refuse(`${path}.exemption`, 'give the reason consent was not needed (emergency, legal duty or other)');
  if (consent.method === 'not_needed' && consent.exemption === 'other' && !consent.note?.trim())
    throw refuse(`${path}.note`, 'explain why consent was not needed');
  const at = consent.recordedAt ? new Date(consent.recordedAt) : new Date();
  if (at.getTime() > Date.now() + 5 * 60_000) throw invalid(`${path}.recordedAt`, 'in_future', 'consent is recorded when it was given');
  return { ...consent, exemption: consent.method === 'not_needed' ? consent.exemption : null, at: at.toISOString() };
}

function consentSet(c: ConsentInput & { at: string }): SQL {
  return sql`consent_method = ${c.method}, consent_exemption = ${c.exemption ?? null}, consent_note = ${c.note ?? null},
    consent_recorded_by = ${c.recordedBy}, consent_at = ${c.at}::timestamptz`;
}

const WORKER_ROLES = ['station_head', 'station_worker', 'community_worker', 'centre_staff'];

/** The active users of a unit who answer hand-overs (notified of new and overdue ones). */
async function unitWorkers(db: Db, unitId: string | null): Promise<string[]> {
  if (!unitId) return [];
  const rows = await query<{ id: string }>(
    db,
    sql`select id from users where unit_id = ${unitId} and status = 'active' and role = any(${sql.param(WORKER_ROLES)}::text[])`,
  );
  return rows.map((r) => r.id);
}

async function changed(db: Db, r: Pick<ReferralRow, 'id' | 'fromUnitPath' | 'toUnitPath'>) {
  for (const unitPath of new Set([r.fromUnitPath, r.toUnitPath].filter((p): p is string => !!p)))
    await publish(db, { channel: 'referrals', type: 'referral.changed', unitPath, permission: 'referrals.read', data: { id: r.id } });
}

function auditView(r: ReferralRow) {
  return {
    kind: r.kind,
    status: r.status,
    clientId: r.clientId,
    fromUnitId: r.fromUnitId,
    toKind: r.toKind,
    toUnitId: r.toUnitId,
    toOperatorId: r.toOperatorId,
    toName: r.toKind === 'department' ? r.toName : null,
    needId: r.needId,
    caseId: r.caseId,
    consentMethod: r.consentMethod,
    consentExemption: r.consentExemption,
    dueDate: r.dueDate,
    version: r.version,
  };
}

const KIND_ZH: Record<ReferralKind, string> = { referral: '转介', transfer: '移交', transfer_request: '移交申请' };

async function openTransferOf(db: Db, clientId: string) {
  return queryOne<{ id: string }>(
    db,
    sql`select id from referrals where client_id = ${clientId} and kind in ('transfer', 'transfer_request') and status = 'sent'`,
  );
}

const transferPending = () =>
  new AppError('transfer_pending', {
    status: 409,
    message: 'a transfer of this client is already waiting for its answer',
    details: [{ path: 'clientId', code: 'transfer_pending' }],
  });

/** A referral or a transfer sent by the unit that owns the client (consent first). */
export async function createReferral(opts: { db: Db; actor: Actor; input: CreateReferralBody }): Promise<ReferralRow> {
  const { db, actor, input } = opts;
  const client = await getClient(db, actor, input.clientId, true);
  const consent = checkConsent(input.consent);
  let toUnit: { id: string; path: string; kind: string } | null = null;
  let toOperatorId: string | null = null;
  let toDepartment: string | null = null;
  if (input.to.kind === 'unit') {
    const unitId = input.to.unitId;
    toUnit =
      (await queryOne<{ id: string; path: string; kind: string }>(
        db,
        sql`select id, path::text as path, kind from units where id = ${unitId}`,
      )) ?? null;
    if (!toUnit) throw invalid('to.unitId', 'unknown_unit', 'no such unit');
    if (toUnit.id === client.unitId) throw invalid('to.unitId', 'same_unit', 'the client already belongs to this unit');
    if (input.kind === 'transfer' && !['station', 'office', 'point'].includes(toUnit.kind))
      throw invalid('to.unitId', 'wrong_unit_kind', 'clients belong to a station, office or point');
  } else if (input.kind === 'transfer') {
    throw invalid('to.kind', 'unit_required', 'a client is transferred to a unit of the network');
  } else if (input.to.kind === 'operator') {
    const op = await queryOne<{ id: string }>(db, sql`select id from operators where id = ${input.to.operatorId}`);
    if (!op) throw invalid('to.operatorId', 'unknown_operator', 'no such social organization');
    toOperatorId = op.id;
  } else {
    toDepartment = input.to.name;
  }
  if (input.needId) {
    const n = await queryOne(db, sql`select 1 from needs where id = ${input.needId} and client_id = ${client.id}`);
    if (!n) throw invalid('needId', 'unknown_need', 'not a need of this client');
  }
  if (input.caseId) {
    const k = await queryOne(db, sql`select 1 from cases where id = ${input.caseId} and client_id = ${client.id}`);
    if (!k) throw invalid('caseId', 'unknown_case', 'not a case of this client');
  }
  if (input.kind === 'transfer' && (await openTransferOf(db, client.id))) throw transferPending();
  const id = newId();
  await db.execute(sql`insert into referrals (id, kind, client_id, from_unit_id, from_unit_path, to_kind, to_unit_id, to_unit_path,
      to_operator_id, to_department, need_id, case_id, summary, sent_by)
    values (${id}, ${input.kind}, ${client.id}, ${client.unitId}, ${client.unitPath}::ltree, ${input.to.kind}, ${toUnit?.id ?? null},
      ${toUnit?.path ?? null}::ltree, ${toOperatorId}, ${toDepartment}, ${input.needId ?? null}, ${input.caseId ?? null}, ${input.summary},
      ${actor.userId})`);
  await db.execute(sql`update referrals set ${consentSet(consent)} where id = ${id}`);
  await recomputeDue(db, await getReferralSettings(db), sql`id = ${id}`);
  const r = (await loadReferral(db, id)) as ReferralRow;
  await writeAudit(db, {
    actor,
    action: `${input.kind}.sent`,
    entityType: 'referral',
    entityId: id,
    unitPath: r.fromUnitPath,
    after: auditView(r),
  });
  const to = (await unitWorkers(db, r.toUnitId)).filter((u) => u !== actor.userId);
  if (to.length)
    await notify(db, {
      userIds: to,
      kind: `${input.kind}_received`,
      title: `收到${KIND_ZH[r.kind]}：${r.fromUnitName ?? ''}`,
      entityType: 'referral',
      entityId: id,
    });
  await changed(db, r);
  return r;
}

/** Finds a client by its exact ID number through the blind index. */
async function clientByIdNumber(db: Db, crypto: FieldCrypto, raw: string) {
  const upper = raw.trim().toUpperCase();
  const parsed = parseIdNumber(upper);
  if (!parsed.ok) throw invalid('idNumber', parsed.error, 'not a valid ID number (GB 11643)');
  return queryOne<{ id: string; unit_path: string }>(
    db,
    sql`select id, unit_path::text as unit_path from clients where id_number_index = ${crypto.blindIndex(parsed.info.number, 'id')}
        and merged_into is null`,
  );
}

/** A client by exact ID number: its id when the actor sees it, else the minimal card (audited). */
export async function lookupClient(opts: { db: Db; actor: Actor; crypto: FieldCrypto; idNumber: string }) {
  const { db, actor, crypto } = opts;
  const found = await clientByIdNumber(db, crypto, opts.idNumber);
  if (!found) return { found: false, inScope: false, clientId: null, card: null, pendingRequest: false };
  if (inScope(actor, found.unit_path))
    return { found: true, inScope: true, clientId: found.id, card: null, pendingRequest: Boolean(await openTransferOf(db, found.id)) };
  const row = await queryOne<{ name: string; sex: 'male' | 'female' | null; birth: string | null; unit: string | null }>(
    db,
    sql`select c.name, c.sex, c.birth_date::text as birth, u.name as unit from clients c left join units u on u.id = c.unit_id where c.id = ${found.id}`,
  );
  await writeAudit(db, {
    actor,
    action: 'client.looked_up_by_id_number',
    entityType: 'client',
    entityId: found.id,
    unitPath: found.unit_path,
    after: { purpose: 'transfer_request' },
  });
  return {
    found: true,
    inScope: false,
    clientId: null,
    card: {
      maskedName: maskName(row?.name ?? ''),
      sex: row?.sex ?? null,
      birthYear: row?.birth ? Number(row.birth.slice(0, 4)) : null,
      unitName: row?.unit ?? null,
    },
    pendingRequest: Boolean(await openTransferOf(db, found.id)),
  };
}

/** A unit asks the owning unit for a client it cannot see (found by exact ID number). */
export async function createTransferRequest(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  input: { idNumber: string; unitId?: string; summary: string };
}): Promise<ReferralRow> {
  const { db, actor, crypto, input } = opts;
  const unitId = input.unitId ?? actor.unitId;
  const unit = unitId
    ? await queryOne<{ id: string; path: string; kind: string }>(
        db,
        sql`select id, path::text as path, kind from units where id = ${unitId}`,
      )
    : undefined;
  if (!unit || !inScope(actor, unit.path)) throw invalid('unitId', 'unknown_unit', 'no such unit in your part of the network');
  if (!['station', 'office', 'point'].includes(unit.kind))
    throw invalid('unitId', 'wrong_unit_kind', 'clients belong to a station, office or point: ask for one of them');
  const found = await clientByIdNumber(db, crypto, input.idNumber);
  if (!found) throw notFound('client');
  if (inScope(actor, found.unit_path))
    throw new AppError('client_in_scope', {
      status: 409,
      message: 'the client is already in your part of the network',
      details: [{ path: 'idNumber', code: 'client_in_scope' }],
    });
  const client = await queryOne<{ unit_id: string }>(db, sql`select unit_id from clients where id = ${found.id} for update`);
  if (await openTransferOf(db, found.id)) throw transferPending();
  const id = newId();
  await db.execute(sql`insert into referrals (id, kind, client_id, from_unit_id, from_unit_path, to_kind, to_unit_id, to_unit_path, summary, sent_by)
    values (${id}, 'transfer_request', ${found.id}, ${client?.unit_id}, ${found.unit_path}::ltree, 'unit', ${unit.id}, ${unit.path}::ltree,
      ${input.summary}, ${actor.userId})`);
  await recomputeDue(db, await getReferralSettings(db), sql`id = ${id}`);
  const r = (await loadReferral(db, id)) as ReferralRow;
  await writeAudit(db, {
    actor,
    action: 'transfer_request.sent',
    entityType: 'referral',
    entityId: id,
    unitPath: r.toUnitPath,
    after: auditView(r),
  });
  const owners = await unitWorkers(db, r.fromUnitId);
  if (owners.length)
    await notify(db, {
      userIds: owners,
      kind: 'transfer_request_received',
      title: `收到移交申请：${r.toName ?? ''}`,
      entityType: 'referral',
      entityId: id,
    });
  await changed(db, r);
  return r;
}

/**
 * Moves the client to the receiving unit, in the caller's transaction: the client (unit, path, community,
 * responsible worker; a household of another part of the network is let go), its categories and flags,
 * its open needs and its open cases (with a new owner and a line on their thread) follow. Visits, closed
 * needs and closed cases stay where they were done, as the old unit's records of its work.
 */
async function moveClient(
  db: Db,
  actor: Actor,
  r: ReferralRow,
  input: { responsibleUserId?: string | null; regionCode?: string },
  receiverUserId: string | null,
) {
  const client = await queryOne<{ unit_id: string; unit_path: string; region_code: string; responsible_user_id: string | null }>(
    db,
    sql`select unit_id, unit_path::text as unit_path, region_code, responsible_user_id from clients where id = ${r.clientId} for update`,
  );
  if (!client || client.unit_id !== r.fromUnitId)
    throw new AppError('client_moved', { status: 409, message: 'the client has moved to another unit since; ask again' });
  const unit = await queryOne<{ id: string; path: string; kind: string; region_code: string; region_path: string }>(
    db,
    sql`select id, path::text as path, kind, region_code, region_path::text as region_path from units where id = ${r.toUnitId}`,
  );
  if (!unit) throw notFound('unit');
  let regionCode = input.regionCode ?? (unit.kind === 'station' ? null : unit.region_code);
  if (!regionCode) {
    const keep = await queryOne(
      db,
      sql`select 1 from regions where code = ${client.region_code} and path <@ ${unit.region_path}::ltree and level = 5`,
    );
    if (keep) regionCode = client.region_code;
  }
  if (!regionCode) throw invalid('regionCode', 'required', 'choose the village/community of the receiving station the client lives in');
  const region = await queryOne(
    db,
    sql`select 1 from regions where code = ${regionCode} and level = 5 and path <@ ${unit.region_path}::ltree`,
  );
  if (!region) throw invalid('regionCode', 'outside_unit', 'the village/community must lie within the receiving unit');

  let responsible: string | null = null;
  const candidate = input.responsibleUserId ?? receiverUserId;
  if (candidate) {
    const u = await queryOne<{ role: string; unit_path: string | null }>(
      db,
      sql`select role, unit_path::text as unit_path from users where id = ${candidate} and status = 'active'`,
    );
    const fits =
      !!u?.unit_path &&
      ['station_head', 'station_worker', 'community_worker'].includes(u.role) &&
      (unit.path === u.unit_path || unit.path.startsWith(`${u.unit_path}.`));
    if (fits) responsible = candidate;
    else if (input.responsibleUserId)
      throw invalid('responsibleUserId', 'unknown_user', 'the responsible worker must be a worker of the receiving unit or above it');
  }
  const to = sql`${unit.path}::ltree`;
  await db.execute(sql`update clients set unit_id = ${unit.id}, unit_path = ${to}, region_code = ${regionCode},
      responsible_user_id = ${responsible},
      household_id = case when household_id is null or exists (select 1 from households h where h.id = household_id and h.unit_path <@ ${to})
        then household_id else null end,
      household_relation = case when household_id is null or exists (select 1 from households h where h.id = household_id and h.unit_path <@ ${to})
        then household_relation else null end,
      version = version + 1, updated_at = now()
    where id = ${r.clientId}`);
  await db.execute(sql`update client_categories set unit_path = ${to}, updated_at = now() where client_id = ${r.clientId}`);
  await db.execute(sql`update client_flags set unit_path = ${to} where client_id = ${r.clientId}`);
  const needs = await query<{ id: string }>(
    db,
    sql`update needs set unit_path = ${to}, updated_at = now(), version = version + 1
        where client_id = ${r.clientId} and status in ('open', 'in_progress') returning id`,
  );
  const caseOwner = responsible ?? receiverUserId;
  const cases = await query<{ id: string }>(
    db,
    sql`update cases set unit_id = ${unit.id}, unit_path = ${to}, owner_id = coalesce(${caseOwner}::uuid, owner_id),
          version = version + 1, updated_at = now()
        where client_id = ${r.clientId} and stage <> 'closed' returning id`,
  );
  for (const k of cases)
    await db.execute(sql`insert into case_events (id, case_id, kind, action, body, author_id)
      values (${newId()}, ${k.id}, 'transfer', 'client_transferred', ${`服务对象移交：${r.fromUnitName ?? ''} → ${r.toName ?? ''}`}, ${actor.userId})`);
  await writeAudit(db, {
    actor,
    action: 'client.transferred',
    entityType: 'client',
    entityId: r.clientId,
    unitPath: unit.path,
    before: {
      unitId: client.unit_id,
      unitPath: client.unit_path,
      regionCode: client.region_code,
      responsibleUserId: client.responsible_user_id,
    },
    after: {
      unitId: unit.id,
      unitPath: unit.path,
      regionCode,
      responsibleUserId: responsible,
      referralId: r.id,
      needIds: needs.map((n) => n.id),
      caseIds: cases.map((k) => k.id),
    },
  });
  for (const k of cases)
    await publish(db, { channel: 'cases', type: 'case.updated', unitPath: unit.path, permission: 'cases.read', data: { id: k.id } });
}

function refused(r: ReferralRow, action: string) {
  return new AppError('invalid_transition', {
    status: 409,
    message: `"${action}" is not possible for a ${r.kind.replace('_', ' ')} that is ${r.status.replace('_', ' ')}`,
    details: [{ path: 'action', code: 'invalid_transition', message: `${r.kind} ${r.status}` }],
  });
}

/** Applies one action of the transition table: version, status, side, the required texts; audited and told. */
export async function applyReferralAction(opts: { db: Db; actor: Actor; id: string; input: ActionBody }): Promise<ReferralRow> {
  const { db, actor, id, input } = opts;
  const before = await getReferral(db, actor, id, true);
  if (before.version !== input.version) throw stale('referral');
  const t = referralTransition(before.kind, before.status, input.action);
  if (!t) throw refused(before, input.action);
  if (!actionsFor(actor, before).includes(input.action))
    throw new AppError('forbidden', {
      status: 403,
      message: t.by === 'sender' ? 'only the sending side closes a referral' : 'the other side answers this',
    });
  const set: SQL[] = [sql`status = ${t.to}`];
  const tell: { userIds: string[]; title: string; body?: string | null } = { userIds: [], title: '' };
  switch (input.action) {
    case 'accept':
      set.push(sql`answered_by = ${actor.userId}, answered_at = now()`);
      if (before.kind === 'transfer_request') {
        const consent = checkConsent(input.consent);
        set.push(consentSet(consent));
        await moveClient(db, actor, before, input, before.sentBy);
      } else if (before.kind === 'transfer') {
        await moveClient(db, actor, before, input, actor.userId);
      }
      tell.userIds = before.sentBy ? [before.sentBy] : [];
      tell.title = `${KIND_ZH[before.kind]}已接收：${before.kind === 'transfer_request' ? (before.fromUnitName ?? '') : (before.toName ?? '')}`;
      break;
    case 'decline':
      if (!input.reason?.trim()) throw invalid('reason', 'required', 'give the reason for declining');
      set.push(sql`decline_reason = ${input.reason}, answered_by = ${actor.userId}, answered_at = now()`);
      tell.userIds = before.sentBy ? [before.sentBy] : [];
      tell.title = `${KIND_ZH[before.kind]}被拒绝`;
      tell.body = input.reason;
      break;
    case 'start':
      set.push(sql`progress_note = ${input.note ?? null}`);
      break;
    case 'feedback':
      if (!input.feedback?.trim()) throw invalid('feedback', 'required', 'report back what was done');
      set.push(sql`feedback = ${input.feedback}, feedback_at = now()`);
      tell.userIds = before.sentBy ? [before.sentBy] : [];
      tell.title = `转介已反馈：${before.toName ?? ''}`;
      tell.body = input.feedback;
      break;
    case 'close': {
      const note = input.note?.trim() || input.reason?.trim() || null;
      if (before.status !== 'feedback' && !note) throw invalid('reason', 'required', 'say why the referral ends before the feedback');
      set.push(sql`close_note = ${note}, closed_by = ${actor.userId}, closed_at = now()`);
      tell.userIds = (await unitWorkers(db, before.toUnitId)).filter((u) => u !== actor.userId);
      tell.title = `转介已结束：${before.fromUnitName ?? ''}`;
      break;
    }
  }
  set.push(sql`version = version + 1, updated_at = now()`);
  await db.execute(sql`update referrals set ${sql.join(set, sql`, `)} where id = ${id}`);
  await recomputeDue(db, await getReferralSettings(db), sql`id = ${id}`);
  const after = (await loadReferral(db, id)) as ReferralRow;
  await writeAudit(db, {
    actor,
    action: `${before.kind}.${input.action}`,
    entityType: 'referral',
    entityId: id,
    unitPath: before.fromUnitPath,
    before: auditView(before),
    after: { ...auditView(after), reason: input.reason ?? null },
  });
  const userIds = tell.userIds.filter((u) => u !== actor.userId);
  if (userIds.length)
    await notify(db, {
      userIds,
      kind: `${before.kind}_${input.action}`,
      title: tell.title,
      body: tell.body ?? null,
      entityType: 'referral',
      entityId: id,
    });
  await changed(db, after);
  return after;
}

// ------------------------------------------------------------------------------------------- the job

/**
 * Daily: for each hand-over whose answer or feedback is past its due day, tell the side that must act (the
 * receiving unit's workers; the owning unit's for a transfer request) and the sender, once per hand-over
 * and stage (`reminded`). For a receiver outside the system, the sender is told.
 */
export async function runReferralOverdueScan(db: Db): Promise<{ referrals: number; notified: number }> {
  const rows = await query<{
    id: string;
    kind: ReferralKind;
    status: ReferralStatus;
    to_kind: ReceiverKind;
    to_unit_id: string | null;
    from_unit_id: string;
    sent_by: string | null;
    reminded: string[];
  }>(
    db,
    sql`select id, kind, status, to_kind, to_unit_id, from_unit_id, sent_by, reminded from referrals
        where due_date < ${TODAY_SHANGHAI} and status in ('sent', 'accepted', 'in_progress') order by due_date, id for update`,
  );
  let notified = 0;
  let count = 0;
  for (const r of rows) {
    const stage = r.status === 'sent' ? 'answer' : 'feedback';
    if (r.reminded.includes(stage)) continue;
    count++;
    const actingUnit = r.kind === 'transfer_request' ? r.from_unit_id : r.to_kind === 'unit' ? r.to_unit_id : null;
    const what = stage === 'answer' ? '答复' : '反馈';
    const actors = await unitWorkers(db, actingUnit);
    if (actors.length)
      notified += await notify(db, {
        userIds: actors,
        kind: `referral_overdue_${stage}`,
        title: `${KIND_ZH[r.kind]}逾期未${what}`,
        body: `A ${r.kind.replace('_', ' ')} waits for your ${stage === 'answer' ? 'answer' : 'feedback'} past its due day.`,
        entityType: 'referral',
        entityId: r.id,
      });
    if (r.sent_by)
      notified += await notify(db, {
        userIds: [r.sent_by],
        kind: `referral_late_${stage}`,
        title: `对方逾期未${what}（${KIND_ZH[r.kind]}）`,
        body: `The other side has not given its ${stage} in time.`,
        entityType: 'referral',
        entityId: r.id,
      });
    await db.execute(sql`update referrals set reminded = array_append(reminded, ${stage}) where id = ${r.id}`);
  }
  return { referrals: count, notified };
}
