import { randomBytes } from 'node:crypto';
import { fullPinyin, parseIdNumber, pinyinInitials } from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { checkIdentity, sealSensitive } from '../clients/clients.service.js';
import { createAccount } from '../timebank/timebank.service.js';
import { createUser } from '../users/users.service.js';
import type {
  ApproveVolunteerBody,
  CreateVolunteerBody,
  UpdateVolunteerBody,
  VolunteerListQuery,
  VolunteerStatusValue,
} from './volunteers.schemas.js';

export type VolunteerStatus = VolunteerStatusValue;

/** What other modules (errands, "my" routes) need to know about the volunteer behind a login. */
export interface VolunteerOfUser {
  id: string;
  unitId: string;
  unitPath: string;
  status: VolunteerStatus;
  timebankAccountId: string | null;
  isCourier: boolean;
}

/** The volunteer record of a login (role 'volunteer'), or null when the user is none. */
export async function volunteerForUser(db: Db, userId: string): Promise<VolunteerOfUser | null> {
  const row = await queryOne<VolunteerOfUser>(
    db,
    sql`select id, unit_id as "unitId", unit_path::text as "unitPath", status, timebank_account_id as "timebankAccountId",
          is_courier as "isCourier" from volunteers where user_id = ${userId}`,
  );
  return row ?? null;
}

/** The phone form the blind index is computed on (as the client ledger does). */
const normalisePhone = (p: string) => p.replace(/[\s\-()]/g, '');

const conflict = (code: string, message: string, path?: string) =>
  new AppError(code, { status: 409, message, details: path ? [{ path, code, message }] : [] });

// ------------------------------------------------------------------------------------------- settings

export const DEFAULT_STAR_HOURS = [100, 300, 600, 1000, 1500];

export interface VolunteerSettings {
  /** Confirmed hours (whole hours) for 一星 … 五星. */
  starHours: number[];
  version: number;
}

export async function getVolunteerSettings(db: Db, forUpdate = false): Promise<VolunteerSettings> {
  const row = await queryOne<VolunteerSettings>(
    db,
    sql`select star_hours as "starHours", version from volunteer_settings where id = 1 ${forUpdate ? sql`for update` : sql``}`,
  );
  return row ? { starHours: row.starHours.map(Number), version: Number(row.version) } : { starHours: DEFAULT_STAR_HOURS, version: 1 };
}

export async function updateVolunteerSettings(opts: {
  db: Db;
  actor: Actor;
  input: { version: number; starHours: number[] };
}): Promise<VolunteerSettings> {
  const { db, actor, input } = opts;
  await db.execute(sql`select pg_advisory_xact_lock(727102)`);
  const before = await getVolunteerSettings(db, true);
  if (before.version !== input.version) throw stale('settings');
  await db.execute(sql`insert into volunteer_settings (id, star_hours, version) values (1, ${sql.param(input.starHours)}::integer[], ${before.version + 1})
    on conflict (id) do update set star_hours = excluded.star_hours, version = excluded.version, updated_at = now()`);
  const after = await getVolunteerSettings(db);
  await writeAudit(db, { actor, action: 'volunteers.settings_updated', entityType: 'volunteer_settings', entityId: null, before, after });
  return after;
}

/** Star level 0–5: how many thresholds the confirmed hours (hundredths) reach. */
export function starsFor(hoursHundredths: number, starHours: number[]): number {
  return starHours.filter((h) => hoursHundredths >= h * 100).length;
}

// ------------------------------------------------------------------------------------------- rows

export interface VolunteerRow {
  id: string;
  name: string;
  idNumberEnc: string;
  idNumberMasked: string;
  phoneMasked: string | null;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  skills: string[];
  availability: string | null;
  isCourier: boolean;
  status: VolunteerStatus;
  statusReason: string | null;
  source: 'self' | 'station';
  userId: string | null;
  username: string | null;
  timebankAccountId: string | null;
  balance: number | null;
  confirmedHours: number;
  reviewedAt: Date | string | null;
  version: number;
  createdAt: Date | string;
}

const VOLUNTEER_COLUMNS = sql`v.id, v.name, v.id_number_enc as "idNumberEnc", v.id_number_masked as "idNumberMasked",
  v.phone_masked as "phoneMasked", v.sex, v.birth_date as "birthDate", v.unit_id as "unitId", un.name as "unitName",
  v.unit_path::text as "unitPath", v.skills, v.availability, v.is_courier as "isCourier", v.status, v.status_reason as "statusReason",
  v.source, v.user_id as "userId", us.username, v.timebank_account_id as "timebankAccountId", ta.balance,
  v.confirmed_hours as "confirmedHours", v.reviewed_at as "reviewedAt", v.version, v.created_at as "createdAt"`;
const VOLUNTEER_FROM = sql`volunteers v left join units un on un.id = v.unit_id left join users us on us.id = v.user_id
  left join timebank_accounts ta on ta.id = v.timebank_account_id`;

const normaliseRow = (r: VolunteerRow): VolunteerRow => ({
  ...r,
  balance: r.balance === null ? null : Number(r.balance),
  confirmedHours: Number(r.confirmedHours),
  version: Number(r.version),
});

/** A volunteer in the actor's scope (else 404, as if it did not exist). */
export async function getVolunteer(db: Db, actor: Actor, id: string, forUpdate = false): Promise<VolunteerRow> {
  if (forUpdate) await db.execute(sql`select id from volunteers where id = ${id} for update`);
  const row = await queryOne<VolunteerRow>(db, sql`select ${VOLUNTEER_COLUMNS} from ${VOLUNTEER_FROM} where v.id = ${id}`);
  if (!row) throw notFound('volunteer');
  assertInScope(actor, row.unitPath, 'volunteer_not_found');
  return normaliseRow(row);
}

/** Sort columns; the cursor keeps the sort value as PostgreSQL prints it (full microsecond precision for times). */
const SORTS: Record<string, { column: SQL; cast: SQL }> = {
  name: { column: sql`v.name_pinyin`, cast: sql`::text` },
  createdAt: { column: sql`v.created_at`, cast: sql`::timestamptz` },
  hours: { column: sql`v.confirmed_hours`, cast: sql`::int` },
};

export async function findVolunteers(db: Db, actor: Actor, crypto: FieldCrypto, q: VolunteerListQuery) {
  const conds: SQL[] = [scopeWhere(actor, sql`v.unit_path`)];
  if (q.status) conds.push(sql`v.status = ${q.status}`);
  if (q.unitId) conds.push(sql`v.unit_path <@ (select path from units where id = ${q.unitId})`);
  if (q.teamId) conds.push(sql`exists (select 1 from volunteer_team_members m where m.volunteer_id = v.id and m.team_id = ${q.teamId})`);
  if (q.skill) conds.push(sql`${q.skill} = any(v.skills)`);
  if (q.courier) conds.push(sql`v.is_courier = ${q.courier === 'true'}`);
  if (q.q) {
    const s = q.q.trim();
    const compact = s.replace(/\s/g, '');
    const parsed = parseIdNumber(compact);
    if (parsed.ok) conds.push(sql`v.id_number_index = ${crypto.blindIndex(parsed.info.number, 'id')}`);
    else if (/^[\d\s\-+()]{7,20}$/.test(s)) conds.push(sql`v.phone_index = ${crypto.blindIndex(normalisePhone(s), 'phone')}`);
    else {
      const lower = s.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`);
      const like = `%${s.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      conds.push(sql`(v.name like ${like} or v.name_pinyin like ${`${lower.replace(/\s/g, '')}%`} or v.name_initials like ${`${lower}%`})`);
    }
  }
  const desc = q.sort.startsWith('-');
  const sort = SORTS[q.sort.replace(/^-/, '')];
  const where = sql.join(conds, sql` and `);
  const cursor = decodeCursor(q.cursor, 2);
  const after = cursor
    ? desc
      ? sql` and (${sort.column}, v.id) < (${cursor[0]}${sort.cast}, ${cursor[1]}::uuid)`
      : sql` and (${sort.column}, v.id) > (${cursor[0]}${sort.cast}, ${cursor[1]}::uuid)`
    : sql``;
  const order = desc ? sql`${sort.column} desc, v.id desc` : sql`${sort.column} asc, v.id asc`;
  const rows = await query<VolunteerRow & { sortKey: string }>(
    db,
    sql`select ${VOLUNTEER_COLUMNS}, ${sort.column}::text as "sortKey" from ${VOLUNTEER_FROM} where ${where}${after} order by ${order} limit ${q.limit + 1}`,
  );
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from volunteers v where ${where}`);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(normaliseRow),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.sortKey, last.id]) : null,
    total: Number(total?.n ?? 0),
  };
}

// ------------------------------------------------------------------------------------------- registration

/** Operating stations and community offices a resident may register with (the public page's choice). */
export async function publicVolunteerUnits(db: Db) {
  return query<{ id: string; name: string; kind: string; stationName: string | null }>(
    db,
    sql`select u.id, u.name, u.kind, s.name as "stationName" from units u
        left join units s on s.kind = 'station' and s.path @> u.path and s.id <> u.id
        where u.kind in ('station', 'office') and u.status = 'operating' order by u.path limit 1000`,
  );
}

async function unitFor(db: Db, actor: Actor | null, unitId: string): Promise<{ id: string; path: string }> {
  const unit = await queryOne<{ id: string; path: string; kind: string; status: string }>(
    db,
    sql`select id, path::text as path, kind, status from units where id = ${unitId}`,
  );
  if (!unit || (actor && !inScope(actor, unit.path))) throw invalid('unitId', 'unknown_unit', 'no such unit in your part of the network');
  if (!actor && (!['station', 'office'].includes(unit.kind) || unit.status !== 'operating'))
    throw invalid('unitId', 'unknown_unit', 'choose an operating station or community office');
  return unit;
}

const auditView = (v: VolunteerRow) => {
  const { idNumberEnc: _e, balance: _b, createdAt: _c, unitName: _u, username: _n, ...rest } = v;
  return rest;
};

/**
 * Registers a volunteer, status 'pending': from the public page (actor null, source 'self') or by staff.
 * The ID number is validated (and gives sex and birth date), encrypted, and unique per deployment.
 */
export async function registerVolunteer(opts: {
  db: Db;
  actor: Actor | null;
  crypto: FieldCrypto;
  input: CreateVolunteerBody;
}): Promise<string> {
  const { db, actor, crypto, input } = opts;
  const identity = checkIdentity({ idNumber: input.idNumber });
  if (!identity.idNumber) throw invalid('idNumber', 'required', 'the ID number is required');
  const sealed = sealSensitive(crypto, identity.idNumber, input.phone);
  const unit = await unitFor(db, actor, input.unitId);
  const id = newId();
  const inserted = await queryOne<{ id: string }>(
    db,
    sql`insert into volunteers (id, unit_id, unit_path, name, name_pinyin, name_initials, id_number_enc, id_number_index, id_number_masked,
          sex, birth_date, phone_enc, phone_index, phone_masked, skills, availability, is_courier, status, source)
        values (${id}, ${unit.id}, ${unit.path}::ltree, ${input.name}, ${fullPinyin(input.name)}, ${pinyinInitials(input.name)},
          ${sealed.idNumberEnc}, ${sealed.idNumberIndex}, ${sealed.idNumberMasked}, ${identity.sex}, ${identity.birthDate},
          ${sealed.phoneEnc}, ${sealed.phoneIndex}, ${sealed.phoneMasked}, ${sql.param(input.skills)}::text[], ${input.availability ?? null},
          ${input.isCourier}, 'pending', ${actor ? 'station' : 'self'})
        on conflict (id_number_index) do nothing returning id`,
  );
  if (!inserted)
    throw new AppError('conflict', {
      status: 409,
      message: 'a volunteer with this ID number is already registered',
      details: [{ path: 'idNumber', code: 'duplicate' }],
    });
  const row = await queryOne<VolunteerRow>(db, sql`select ${VOLUNTEER_COLUMNS} from ${VOLUNTEER_FROM} where v.id = ${id}`);
  await writeAudit(db, {
    actor,
    action: 'volunteer.registered',
    entityType: 'volunteer',
    entityId: id,
    unitPath: unit.path,
    after: row ? auditView(normaliseRow(row)) : null,
  });
  return id;
}

export async function updateVolunteer(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  id: string;
  patch: UpdateVolunteerBody;
}): Promise<VolunteerRow> {
  const { db, actor, crypto, id, patch } = opts;
  const before = await getVolunteer(db, actor, id, true);
  if (before.version !== patch.version) throw stale('volunteer');
  const set: SQL[] = [];
  if (patch.name !== undefined)
    set.push(sql`name = ${patch.name}, name_pinyin = ${fullPinyin(patch.name)}, name_initials = ${pinyinInitials(patch.name)}`);
  if (patch.phone !== undefined) {
    const s = sealSensitive(crypto, null, patch.phone);
    set.push(sql`phone_enc = ${s.phoneEnc}, phone_index = ${s.phoneIndex}, phone_masked = ${s.phoneMasked}`);
  }
  if (patch.unitId !== undefined && patch.unitId !== before.unitId) {
    const unit = await unitFor(db, actor, patch.unitId);
    set.push(sql`unit_id = ${unit.id}, unit_path = ${unit.path}::ltree`);
  }
  if (patch.skills !== undefined) set.push(sql`skills = ${sql.param(patch.skills)}::text[]`);
  if (patch.availability !== undefined) set.push(sql`availability = ${patch.availability}`);
  if (patch.isCourier !== undefined) set.push(sql`is_courier = ${patch.isCourier}`);
  if (set.length === 0) return before;
  await db.execute(sql`update volunteers set ${sql.join(set, sql`, `)}, version = version + 1, updated_at = now() where id = ${id}`);
  const after = await getVolunteer(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'volunteer.updated',
    entityType: 'volunteer',
    entityId: id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: auditView(after),
  });
  return after;
}

// ------------------------------------------------------------------------------------------- review

async function setStatus(
  db: Db,
  actor: Actor,
  before: VolunteerRow,
  status: VolunteerStatus,
  reason: string | null,
  action: string,
  extra: SQL = sql``,
): Promise<VolunteerRow> {
  await db.execute(sql`update volunteers set status = ${status}, status_reason = ${reason}, reviewed_by = ${actor.userId},
    reviewed_at = now()${extra}, version = version + 1, updated_at = now() where id = ${before.id}`);
  const after = await getVolunteer(db, actor, before.id);
  await writeAudit(db, {
    actor,
    action,
    entityType: 'volunteer',
    entityId: before.id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: auditView(after),
  });
  return after;
}

function requireStatus(v: VolunteerRow, version: number, allowed: VolunteerStatus[]) {
  if (v.version !== version) throw stale('volunteer');
  if (!allowed.includes(v.status))
    throw conflict('invalid_status', `this needs a volunteer who is ${allowed.join(' or ')}, not ${v.status}`, 'status');
}

/**
 * Approves a pending volunteer: links an existing login of role 'volunteer' or creates one (first sign-in
 * asks for a new password), opens the volunteer's time-bank person account (owner = the volunteer), and
 * sets the status to 'active' — all in the caller's transaction.
 */
export async function approveVolunteer(opts: { db: Db; actor: Actor; id: string; input: ApproveVolunteerBody }): Promise<VolunteerRow> {
  const { db, actor, id, input } = opts;
  const before = await getVolunteer(db, actor, id, true);
  requireStatus(before, input.version, ['pending']);
  let userId: string;
  if (input.userId) {
    const user = await queryOne<{ id: string; role: string; unitPath: string | null; linked: string | null }>(
      db,
      sql`select u.id, u.role, u.unit_path::text as "unitPath", (select id from volunteers where user_id = u.id) as linked
          from users u where u.id = ${input.userId}`,
    );
    if (!user || !inScope(actor, user.unitPath)) throw invalid('userId', 'unknown_user', 'no such user in your part of the network');
    if (user.role !== 'volunteer') throw invalid('userId', 'not_a_volunteer', 'the login must have the role volunteer');
    if (user.linked) throw conflict('user_linked', 'this login already belongs to another volunteer', 'userId');
    userId = user.id;
  } else {
    const user = await createUser({
      db,
      actor,
      input: {
        username: input.username ?? '',
        password: input.password ?? '',
        displayName: before.name,
        role: 'volunteer',
        unitId: before.unitId,
      },
    });
    userId = user.id;
  }
  let accountId = before.timebankAccountId;
  if (!accountId) {
    const account = await createAccount({
      db,
      actor: { ...actor, scopePath: null },
      input: { kind: 'person', unitId: before.unitId, name: `${before.name} 时间账户`, ownerId: before.id },
    });
    accountId = account.id;
  }
  return setStatus(db, actor, before, 'active', null, 'volunteer.approved', sql`, user_id = ${userId}, timebank_account_id = ${accountId}`);
}

export async function rejectVolunteer(opts: { db: Db; actor: Actor; id: string; input: { version: number; reason: string } }) {
  const before = await getVolunteer(opts.db, opts.actor, opts.id, true);
  requireStatus(before, opts.input.version, ['pending']);
  return setStatus(opts.db, opts.actor, before, 'rejected', opts.input.reason, 'volunteer.rejected');
}

export async function suspendVolunteer(opts: { db: Db; actor: Actor; id: string; input: { version: number; reason: string } }) {
  const before = await getVolunteer(opts.db, opts.actor, opts.id, true);
  requireStatus(before, opts.input.version, ['active']);
  return setStatus(opts.db, opts.actor, before, 'suspended', opts.input.reason, 'volunteer.suspended');
}

export async function reinstateVolunteer(opts: { db: Db; actor: Actor; id: string; input: { version: number } }) {
  const before = await getVolunteer(opts.db, opts.actor, opts.id, true);
  requireStatus(before, opts.input.version, ['suspended']);
  return setStatus(opts.db, opts.actor, before, 'active', null, 'volunteer.reinstated');
}

/** A temporary password for a new volunteer login that satisfies the password rules. */
export function temporaryPassword(): string {
  return `Vol-${randomBytes(6).toString('base64url')}9a`;
}

// ------------------------------------------------------------------------------------------- teams

export interface TeamRow {
  id: string;
  name: string;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  leaderId: string | null;
  leaderName: string | null;
  description: string | null;
  memberCount: number;
  version: number;
  createdAt: Date | string;
}

const TEAM_COLUMNS = sql`t.id, t.name, t.unit_id as "unitId", un.name as "unitName", t.unit_path::text as "unitPath",
  t.leader_id as "leaderId", lv.name as "leaderName", t.description, t.version, t.created_at as "createdAt",
  (select count(*)::int from volunteer_team_members m where m.team_id = t.id) as "memberCount"`;
const TEAM_FROM = sql`volunteer_teams t left join units un on un.id = t.unit_id left join volunteers lv on lv.id = t.leader_id`;
const normaliseTeam = (t: TeamRow): TeamRow => ({ ...t, memberCount: Number(t.memberCount), version: Number(t.version) });

export async function getTeam(db: Db, actor: Actor, id: string, forUpdate = false): Promise<TeamRow> {
  if (forUpdate) await db.execute(sql`select id from volunteer_teams where id = ${id} for update`);
  const row = await queryOne<TeamRow>(db, sql`select ${TEAM_COLUMNS} from ${TEAM_FROM} where t.id = ${id}`);
  if (!row) throw notFound('team');
  assertInScope(actor, row.unitPath, 'team_not_found');
  return normaliseTeam(row);
}

export async function teamMembers(db: Db, teamId: string) {
  const rows = await query<{
    volunteerId: string;
    name: string;
    phoneMasked: string | null;
    status: VolunteerStatus;
    hours: number;
    joinedAt: Date | string;
  }>(
    db,
    sql`select v.id as "volunteerId", v.name, v.phone_masked as "phoneMasked", v.status, v.confirmed_hours as hours, m.joined_at as "joinedAt"
        from volunteer_team_members m join volunteers v on v.id = m.volunteer_id where m.team_id = ${teamId} order by v.name_pinyin, v.id`,
  );
  return rows.map((r) => ({ ...r, hours: Number(r.hours) / 100, joinedAt: new Date(r.joinedAt).toISOString() }));
}

export async function findTeams(db: Db, actor: Actor, q: { q?: string; unitId?: string; limit: number; cursor?: string }) {
  const conds: SQL[] = [scopeWhere(actor, sql`t.unit_path`)];
  if (q.unitId) conds.push(sql`t.unit_path <@ (select path from units where id = ${q.unitId})`);
  if (q.q) conds.push(sql`t.name like ${`%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`}`);
  const where = sql.join(conds, sql` and `);
  const cursor = decodeCursor(q.cursor, 2);
  const after = cursor ? sql` and (t.name, t.id) > (${cursor[0]}::text, ${cursor[1]}::uuid)` : sql``;
  const rows = await query<TeamRow>(
    db,
    sql`select ${TEAM_COLUMNS} from ${TEAM_FROM} where ${where}${after} order by t.name, t.id limit ${q.limit + 1}`,
  );
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from volunteer_teams t where ${where}`);
  const items = rows.slice(0, q.limit).map(normaliseTeam);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.name, last.id]) : null,
    total: Number(total?.n ?? 0),
  };
}

/** A volunteer who may join a team of `teamPath`: in the actor's scope (else "unknown") and not rejected. */
async function memberCandidate(db: Db, actor: Actor, volunteerId: string, path: string) {
  const v = await queryOne<{ id: string; unitPath: string; status: VolunteerStatus }>(
    db,
    sql`select id, unit_path::text as "unitPath", status from volunteers where id = ${volunteerId}`,
  );
  if (!v || !inScope(actor, v.unitPath)) throw invalid(path, 'unknown_volunteer', 'no such volunteer in your part of the network');
  if (v.status !== 'active') throw conflict('volunteer_not_active', 'only an active volunteer can join a team or lead it', path);
  return v;
}

async function addMember(db: Db, teamId: string, volunteerId: string): Promise<boolean> {
  const r = await queryOne<{ team_id: string }>(
    db,
    sql`insert into volunteer_team_members (team_id, volunteer_id) values (${teamId}, ${volunteerId}) on conflict do nothing returning team_id`,
  );
  return Boolean(r);
}

export async function createTeam(opts: {
  db: Db;
  actor: Actor;
  input: { name: string; unitId: string; leaderId?: string | null; description?: string | null };
}): Promise<TeamRow> {
  const { db, actor, input } = opts;
  const unit = await unitFor(db, actor, input.unitId);
  if (input.leaderId) await memberCandidate(db, actor, input.leaderId, 'leaderId');
  const id = newId();
  const inserted = await queryOne<{ id: string }>(
    db,
    sql`insert into volunteer_teams (id, name, unit_id, unit_path, leader_id, description)
        values (${id}, ${input.name}, ${unit.id}, ${unit.path}::ltree, ${input.leaderId ?? null}, ${input.description ?? null})
        on conflict (unit_id, name) do nothing returning id`,
  );
  if (!inserted) throw conflict('duplicate', 'this unit already has a team of this name', 'name');
  if (input.leaderId) await addMember(db, id, input.leaderId);
  const team = await getTeam(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'volunteer_team.created',
    entityType: 'volunteer_team',
    entityId: id,
    unitPath: unit.path,
    after: team,
  });
  return team;
}

export async function updateTeam(opts: {
  db: Db;
  actor: Actor;
  id: string;
  patch: { version: number; name?: string; leaderId?: string | null; description?: string | null };
}): Promise<TeamRow> {
  const { db, actor, id, patch } = opts;
  const before = await getTeam(db, actor, id, true);
  if (before.version !== patch.version) throw stale('team');
  const set: SQL[] = [];
  if (patch.name !== undefined && patch.name !== before.name) {
    const dup = await queryOne<{ id: string }>(
      db,
      sql`select id from volunteer_teams where unit_id = ${before.unitId} and name = ${patch.name} and id <> ${id}`,
    );
    if (dup) throw conflict('duplicate', 'this unit already has a team of this name', 'name');
    set.push(sql`name = ${patch.name}`);
  }
  if (patch.description !== undefined) set.push(sql`description = ${patch.description}`);
  if (patch.leaderId !== undefined) {
    if (patch.leaderId) {
      await memberCandidate(db, actor, patch.leaderId, 'leaderId');
      await addMember(db, id, patch.leaderId);
    }
    set.push(sql`leader_id = ${patch.leaderId}`);
  }
  if (set.length === 0) return before;
  await db.execute(sql`update volunteer_teams set ${sql.join(set, sql`, `)}, version = version + 1, updated_at = now() where id = ${id}`);
  const after = await getTeam(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'volunteer_team.updated',
    entityType: 'volunteer_team',
    entityId: id,
    unitPath: after.unitPath,
    before,
    after,
  });
  return after;
}

export async function addTeamMember(opts: { db: Db; actor: Actor; id: string; volunteerId: string }) {
  const { db, actor, id, volunteerId } = opts;
  const team = await getTeam(db, actor, id, true);
  await memberCandidate(db, actor, volunteerId, 'volunteerId');
  if (!(await addMember(db, id, volunteerId))) throw conflict('already_member', 'the volunteer is already in this team', 'volunteerId');
  await db.execute(sql`update volunteer_teams set version = version + 1, updated_at = now() where id = ${id}`);
  await writeAudit(db, {
    actor,
    action: 'volunteer_team.member_added',
    entityType: 'volunteer_team',
    entityId: id,
    unitPath: team.unitPath,
    after: { volunteerId },
  });
}

export async function removeTeamMember(opts: { db: Db; actor: Actor; id: string; volunteerId: string }) {
  const { db, actor, id, volunteerId } = opts;
  const team = await getTeam(db, actor, id, true);
  if (team.leaderId === volunteerId)
    throw conflict('is_leader', 'the leader cannot leave the team; choose another leader first', 'volunteerId');
  const r = await queryOne<{ team_id: string }>(
    db,
    sql`delete from volunteer_team_members where team_id = ${id} and volunteer_id = ${volunteerId} returning team_id`,
  );
  if (!r) throw notFound('team_member');
  await db.execute(sql`update volunteer_teams set version = version + 1, updated_at = now() where id = ${id}`);
  await writeAudit(db, {
    actor,
    action: 'volunteer_team.member_removed',
    entityType: 'volunteer_team',
    entityId: id,
    unitPath: team.unitPath,
    before: { volunteerId },
  });
}

// ------------------------------------------------------------------------------------------- service record

export interface ServiceRecordRow {
  signupId: string;
  activityId: string;
  title: string;
  place: string;
  unitName: string | null;
  startsAt: Date | string;
  checkInAt: Date | string | null;
  checkOutAt: Date | string | null;
  /** Hundredths of an hour. */
  hours: number;
  adjustReason: string | null;
  confirmedAt: Date | string;
  confirmedByName: string | null;
}

/** The confirmed attendances of a volunteer, oldest first, optionally between two days (Asia/Shanghai). */
export async function serviceRecord(db: Db, volunteerId: string, range: { from?: string; to?: string }): Promise<ServiceRecordRow[]> {
  const conds: SQL[] = [sql`s.volunteer_id = ${volunteerId}`, sql`s.confirmed_at is not null`];
  if (range.from) conds.push(sql`a.starts_at >= (${range.from}::date::timestamp at time zone 'Asia/Shanghai')`);
  if (range.to) conds.push(sql`a.starts_at < ((${range.to}::date + 1)::timestamp at time zone 'Asia/Shanghai')`);
  const rows = await query<ServiceRecordRow>(
    db,
    sql`select s.id as "signupId", a.id as "activityId", a.title, a.place, un.name as "unitName", a.starts_at as "startsAt",
          s.check_in_at as "checkInAt", s.check_out_at as "checkOutAt", s.hours, s.adjust_reason as "adjustReason",
          s.confirmed_at as "confirmedAt", cu.display_name as "confirmedByName"
        from activity_signups s join activities a on a.id = s.activity_id left join units un on un.id = a.unit_id
        left join users cu on cu.id = s.confirmed_by
        where ${sql.join(conds, sql` and `)} order by a.starts_at, s.id limit 10000`,
  );
  return rows.map((r) => ({ ...r, hours: Number(r.hours ?? 0) }));
}

/** The station above (or at) a unit path: the issuing unit of a certificate. */
export async function stationOf(db: Db, path: string): Promise<{ id: string; name: string; path: string } | undefined> {
  return queryOne(
    db,
    sql`select id, name, path::text as path from units where kind = 'station' and path @> ${path}::ltree order by nlevel(path) desc limit 1`,
  );
}
