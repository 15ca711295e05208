import { randomBytes } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { type Actor, can } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { publish } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { postOperation } from '../timebank/timebank.service.js';
import { type VolunteerOfUser, volunteerForUser } from '../volunteers/volunteers.service.js';
import type { ActivityStatus, CreateActivityBody, SignupStatus, UpdateActivityBody } from './activities.schemas.js';

const conflict = (code: string, message: string, path?: string) =>
  new AppError(code, { status: 409, message, details: path ? [{ path, code, message }] : [] });

/** How long before the start a volunteer may check in. */
export const CHECK_IN_EARLY_MINUTES = 120;

export interface ActivityRow {
  id: string;
  title: string;
  description: string | null;
  startsAt: Date | string;
  endsAt: Date | string;
  place: string;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  capacity: number;
  skills: string[];
  partners: string[];
  teamId: string | null;
  teamName: string | null;
  leaderId: string | null;
  leaderName: string | null;
  status: ActivityStatus;
  residentsServed: number;
  checkinToken: string;
  signedUp: number;
  waitlisted: number;
  checkedIn: number;
  confirmedHours: number;
  version: number;
  createdAt: Date | string;
}

const ACTIVITY_COLUMNS = sql`a.id, a.title, a.description, a.starts_at as "startsAt", a.ends_at as "endsAt", a.place, a.unit_id as "unitId",
  un.name as "unitName", a.unit_path::text as "unitPath", a.capacity, a.skills, a.partners, a.team_id as "teamId", t.name as "teamName",
  a.leader_id as "leaderId", lv.name as "leaderName", a.status, a.residents_served as "residentsServed", a.checkin_token as "checkinToken",
  a.version, a.created_at as "createdAt",
  (select count(*)::int from activity_signups s where s.activity_id = a.id and s.status = 'signed_up') as "signedUp",
  (select count(*)::int from activity_signups s where s.activity_id = a.id and s.status = 'waitlisted') as "waitlisted",
  (select count(*)::int from activity_signups s where s.activity_id = a.id and s.check_in_at is not null) as "checkedIn",
  (select coalesce(sum(s.hours), 0)::int from activity_signups s where s.activity_id = a.id and s.confirmed_at is not null) as "confirmedHours"`;
const ACTIVITY_FROM = sql`activities a left join units un on un.id = a.unit_id left join volunteer_teams t on t.id = a.team_id
  left join volunteers lv on lv.id = a.leader_id`;

const normalise = (a: ActivityRow): ActivityRow => ({
  ...a,
  capacity: Number(a.capacity),
  residentsServed: Number(a.residentsServed),
  signedUp: Number(a.signedUp),
  waitlisted: Number(a.waitlisted),
  checkedIn: Number(a.checkedIn),
  confirmedHours: Number(a.confirmedHours),
  version: Number(a.version),
});

async function loadActivity(db: Db, id: string, forUpdate = false): Promise<ActivityRow | undefined> {
  // Locks the activity row first: sign-ups, cancellations and capacity changes of one activity run one at a time.
  if (forUpdate) await db.execute(sql`select id from activities where id = ${id} for update`);
  const row = await queryOne<ActivityRow>(db, sql`select ${ACTIVITY_COLUMNS} from ${ACTIVITY_FROM} where a.id = ${id}`);
  return row ? normalise(row) : undefined;
}

/** An activity in the actor's scope (else 404, as if it did not exist). */
export async function getActivity(db: Db, actor: Actor, id: string, forUpdate = false): Promise<ActivityRow> {
  const row = await loadActivity(db, id, forUpdate);
  if (!row) throw notFound('activity');
  assertInScope(actor, row.unitPath, 'activity_not_found');
  return row;
}

export async function findActivities(
  db: Db,
  actor: Actor,
  f: { q?: string; status?: ActivityStatus; unitId?: string; leaderId?: string; limit: number; cursor?: string },
) {
  const conds: SQL[] = [scopeWhere(actor, sql`a.unit_path`)];
  if (f.status) conds.push(sql`a.status = ${f.status}`);
  if (f.unitId) conds.push(sql`a.unit_path <@ (select path from units where id = ${f.unitId})`);
  if (f.leaderId) conds.push(sql`a.leader_id = ${f.leaderId}`);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    conds.push(sql`(a.title like ${like} or a.place like ${like})`);
  }
  const page = await newestFirstPage<ActivityRow>(db, {
    select: sql`select ${ACTIVITY_COLUMNS} from ${ACTIVITY_FROM}`,
    countFrom: sql`from activities a`,
    where: sql.join(conds, sql` and `),
    timeColumn: sql`a.starts_at`,
    idColumn: sql`a.id`,
    timeOf: (r) => r.startsAt,
    limit: f.limit,
    cursor: f.cursor,
  });
  return { ...page, items: page.items.map(normalise) };
}

async function unitInScope(db: Db, actor: Actor, unitId: string) {
  const unit = await queryOne<{ id: string; path: string }>(db, sql`select id, path::text as path from units where id = ${unitId}`);
  if (!unit || !inScope(actor, unit.path)) throw invalid('unitId', 'unknown_unit', 'no such unit in your part of the network');
  return unit;
}

async function checkLeader(db: Db, actor: Actor, leaderId: string) {
  const v = await queryOne<{ unitPath: string; status: string }>(
    db,
    sql`select unit_path::text as "unitPath", status from volunteers where id = ${leaderId}`,
  );
  if (!v || !inScope(actor, v.unitPath)) throw invalid('leaderId', 'unknown_volunteer', 'no such volunteer in your part of the network');
  if (v.status !== 'active') throw conflict('volunteer_not_active', 'the leader must be an active volunteer', 'leaderId');
}

async function checkTeam(db: Db, actor: Actor, teamId: string) {
  const t = await queryOne<{ unitPath: string }>(db, sql`select unit_path::text as "unitPath" from volunteer_teams where id = ${teamId}`);
  if (!t || !inScope(actor, t.unitPath)) throw invalid('teamId', 'unknown_team', 'no such team in your part of the network');
}

const newToken = () => randomBytes(18).toString('base64url');

const auditActivity = (a: ActivityRow) => {
  const { checkinToken: _t, unitName: _u, teamName: _tn, leaderName: _l, createdAt: _c, ...rest } = a;
  return rest;
};

export async function createActivity(opts: { db: Db; actor: Actor; input: CreateActivityBody }): Promise<ActivityRow> {
  const { db, actor, input } = opts;
  const unit = await unitInScope(db, actor, input.unitId);
  if (input.leaderId) await checkLeader(db, actor, input.leaderId);
  if (input.teamId) await checkTeam(db, actor, input.teamId);
  const id = newId();
  await db.execute(sql`insert into activities (id, title, description, starts_at, ends_at, place, unit_id, unit_path, capacity, skills, partners,
      team_id, leader_id, checkin_token, created_by)
    values (${id}, ${input.title}, ${input.description ?? null}, ${input.startsAt}::timestamptz, ${input.endsAt}::timestamptz, ${input.place},
      ${unit.id}, ${unit.path}::ltree, ${input.capacity}, ${sql.param(input.skills)}::text[], ${sql.param(input.partners)}::text[],
      ${input.teamId ?? null}, ${input.leaderId ?? null}, ${newToken()}, ${actor.userId})`);
  const a = await getActivity(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'activity.created',
    entityType: 'activity',
    entityId: id,
    unitPath: unit.path,
    after: auditActivity(a),
  });
  return a;
}

/** Moves the first on the waitlist up while there is room; returns the sign-ups moved up. */
async function promote(db: Db, activity: { id: string; capacity: number }): Promise<{ id: string; userId: string | null }[]> {
  const moved: { id: string; userId: string | null }[] = [];
  for (;;) {
    const row = await queryOne<{ n: number }>(
      db,
      sql`select count(*)::int as n from activity_signups where activity_id = ${activity.id} and status = 'signed_up'`,
    );
    if (Number(row?.n ?? 0) >= activity.capacity) break;
    const next = await queryOne<{ id: string; userId: string | null }>(
      db,
      sql`update activity_signups s set status = 'signed_up', version = s.version + 1, updated_at = now()
          from volunteers v where v.id = s.volunteer_id and s.id = (
            select id from activity_signups where activity_id = ${activity.id} and status = 'waitlisted' order by queued_at, id limit 1)
          returning s.id, v.user_id as "userId"`,
    );
    if (!next) break;
    moved.push(next);
  }
  return moved;
}

async function announcePromoted(db: Db, activity: ActivityRow, moved: { id: string; userId: string | null }[]) {
  for (const m of moved) {
    if (m.userId)
      await publish(db, {
        channel: 'activities',
        type: 'activity.promoted',
        userIds: [m.userId],
        data: { activityId: activity.id, signupId: m.id },
      });
  }
}

export async function updateActivity(opts: { db: Db; actor: Actor; id: string; patch: UpdateActivityBody }): Promise<ActivityRow> {
  const { db, actor, id, patch } = opts;
  const before = await getActivity(db, actor, id, true);
  if (before.version !== patch.version) throw stale('activity');
  const startsAt = patch.startsAt ?? new Date(before.startsAt).toISOString();
  const endsAt = patch.endsAt ?? new Date(before.endsAt).toISOString();
  if (new Date(endsAt) <= new Date(startsAt)) throw invalid('endsAt', 'before_start', 'the activity must end after it starts');
  if (patch.capacity !== undefined && patch.capacity < before.signedUp)
    throw conflict(
      'capacity_below_signups',
      `${before.signedUp} volunteers are signed up; cancel sign-ups before lowering the capacity`,
      'capacity',
    );
  if (patch.leaderId) await checkLeader(db, actor, patch.leaderId);
  if (patch.teamId) await checkTeam(db, actor, patch.teamId);
  const set: SQL[] = [];
  if (patch.title !== undefined) set.push(sql`title = ${patch.title}`);
  if (patch.description !== undefined) set.push(sql`description = ${patch.description}`);
  if (patch.startsAt !== undefined) set.push(sql`starts_at = ${patch.startsAt}::timestamptz`);
  if (patch.endsAt !== undefined) set.push(sql`ends_at = ${patch.endsAt}::timestamptz`);
  if (patch.place !== undefined) set.push(sql`place = ${patch.place}`);
  if (patch.capacity !== undefined) set.push(sql`capacity = ${patch.capacity}`);
  if (patch.skills !== undefined) set.push(sql`skills = ${sql.param(patch.skills)}::text[]`);
  if (patch.partners !== undefined) set.push(sql`partners = ${sql.param(patch.partners)}::text[]`);
  if (patch.teamId !== undefined) set.push(sql`team_id = ${patch.teamId}`);
  if (patch.leaderId !== undefined) set.push(sql`leader_id = ${patch.leaderId}`);
  if (patch.residentsServed !== undefined) set.push(sql`residents_served = ${patch.residentsServed}`);
  if (patch.status !== undefined) set.push(sql`status = ${patch.status}`);
  if (set.length === 0) return before;
  await db.execute(sql`update activities set ${sql.join(set, sql`, `)}, version = version + 1, updated_at = now() where id = ${id}`);
  let moved: { id: string; userId: string | null }[] = [];
  if (patch.capacity !== undefined && patch.capacity > before.capacity && (patch.status ?? before.status) === 'published')
    moved = await promote(db, { id, capacity: patch.capacity });
  const after = await getActivity(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'activity.updated',
    entityType: 'activity',
    entityId: id,
    unitPath: after.unitPath,
    before: auditActivity(before),
    after: { ...auditActivity(after), promoted: moved.map((m) => m.id) },
  });
  await announcePromoted(db, after, moved);
  return after;
}

export async function rotateToken(db: Db, actor: Actor, activity: ActivityRow): Promise<string> {
  const token = newToken();
  await db.execute(sql`update activities set checkin_token = ${token}, updated_at = now() where id = ${activity.id}`);
  await writeAudit(db, {
    actor,
    action: 'activity.qr_rotated',
    entityType: 'activity',
    entityId: activity.id,
    unitPath: activity.unitPath,
  });
  return token;
}

// ------------------------------------------------------------------------------------------- who may lead

/**
 * The activity as its leader sees it: staff with activities.write in whose scope it lies, or the volunteer
 * named as its leader. Anyone else gets 404, as if it did not exist.
 */
export async function activityToLead(db: Db, actor: Actor, id: string, forUpdate = false): Promise<ActivityRow> {
  const a = await loadActivity(db, id, forUpdate);
  if (!a) throw notFound('activity');
  if (can(actor, 'activities.write') && inScope(actor, a.unitPath)) return a;
  if (a.leaderId && actor.userId) {
    const me = await volunteerForUser(db, actor.userId);
    if (me && me.id === a.leaderId && me.status === 'active') return a;
  }
  throw new AppError('activity_not_found', { status: 404, message: 'activity not found' });
}

// ------------------------------------------------------------------------------------------- sign-ups

export interface SignupRow {
  id: string;
  activityId: string;
  volunteerId: string;
  volunteerName: string;
  phoneMasked: string | null;
  userId: string | null;
  timebankAccountId: string | null;
  status: SignupStatus;
  waitlistPosition: number | null;
  queuedAt: Date | string;
  checkInAt: Date | string | null;
  checkOutAt: Date | string | null;
  hours: number | null;
  adjustReason: string | null;
  confirmedAt: Date | string | null;
  postingId: string | null;
  unitPath: string;
  version: number;
}

const SIGNUP_COLUMNS = sql`s.id, s.activity_id as "activityId", s.volunteer_id as "volunteerId", v.name as "volunteerName",
  v.phone_masked as "phoneMasked", v.user_id as "userId", v.timebank_account_id as "timebankAccountId", s.status,
  case when s.status = 'waitlisted' then (select count(*)::int from activity_signups w where w.activity_id = s.activity_id
    and w.status = 'waitlisted' and (w.queued_at, w.id) <= (s.queued_at, s.id)) end as "waitlistPosition",
  s.queued_at as "queuedAt", s.check_in_at as "checkInAt", s.check_out_at as "checkOutAt", s.hours, s.adjust_reason as "adjustReason",
  s.confirmed_at as "confirmedAt", s.posting_id as "postingId", s.unit_path::text as "unitPath", s.version`;
const SIGNUP_FROM = sql`activity_signups s join volunteers v on v.id = s.volunteer_id`;

const normaliseSignup = (s: SignupRow): SignupRow => ({
  ...s,
  hours: s.hours === null ? null : Number(s.hours),
  waitlistPosition: s.waitlistPosition === null ? null : Number(s.waitlistPosition),
  version: Number(s.version),
});

async function loadSignup(db: Db, where: SQL, forUpdate = false): Promise<SignupRow | undefined> {
  if (forUpdate) await db.execute(sql`select id from activity_signups s where ${where} for update`);
  const row = await queryOne<SignupRow>(db, sql`select ${SIGNUP_COLUMNS} from ${SIGNUP_FROM} where ${where}`);
  return row ? normaliseSignup(row) : undefined;
}

export async function signupsOf(db: Db, activityId: string): Promise<SignupRow[]> {
  const rows = await query<SignupRow>(
    db,
    sql`select ${SIGNUP_COLUMNS} from ${SIGNUP_FROM} where s.activity_id = ${activityId}
        order by case s.status when 'signed_up' then 0 when 'waitlisted' then 1 else 2 end, s.queued_at, s.id`,
  );
  return rows.map(normaliseSignup);
}

const auditSignup = (s: SignupRow) => {
  const { volunteerName: _n, phoneMasked: _p, userId: _u, timebankAccountId: _t, ...rest } = s;
  return rest;
};

/** The signed-in volunteer (active, else 409; a login without a volunteer record gets 404 not_a_volunteer). */
export async function meAsVolunteer(db: Db, actor: Actor, needActive = true): Promise<VolunteerOfUser> {
  const me = actor.userId ? await volunteerForUser(db, actor.userId) : null;
  if (!me) throw new AppError('not_a_volunteer', { status: 404, message: 'your login belongs to no volunteer' });
  if (needActive && me.status !== 'active')
    throw conflict('volunteer_not_active', `your volunteer record is ${me.status}; ask your station`, 'status');
  return me;
}

/** The street (station) a volunteer serves in: the activities they may see and sign up for lie under it. */
async function streetOf(db: Db, unitPath: string): Promise<string> {
  const s = await queryOne<{ path: string }>(
    db,
    sql`select path::text as path from units where kind = 'station' and path @> ${unitPath}::ltree order by nlevel(path) desc limit 1`,
  );
  return s?.path ?? unitPath;
}

/** An activity a volunteer may see: in their street, or one they are signed up for or lead. Else 404. */
export async function activityForVolunteer(db: Db, me: VolunteerOfUser, id: string, forUpdate = false): Promise<ActivityRow> {
  const a = await loadActivity(db, id, forUpdate);
  if (!a) throw notFound('activity');
  const street = await streetOf(db, me.unitPath);
  const visible =
    a.unitPath === street ||
    a.unitPath.startsWith(`${street}.`) ||
    a.leaderId === me.id ||
    Boolean(await queryOne(db, sql`select 1 from activity_signups where activity_id = ${a.id} and volunteer_id = ${me.id}`));
  if (!visible) throw new AppError('activity_not_found', { status: 404, message: 'activity not found' });
  return a;
}

/**
 * Signs a volunteer up: a place while the activity has room, else the waitlist (not an error). A cancelled
 * sign-up is taken up again (at the end of the queue). The activity row is locked, so two volunteers never
 * take the last place together.
 */
export async function signUp(opts: { db: Db; actor: Actor; activity: ActivityRow; volunteerId: string }): Promise<SignupRow> {
  const { db, actor, activity, volunteerId } = opts;
  if (activity.status !== 'published') throw conflict('activity_closed', `the activity is ${activity.status}`, 'status');
  if (new Date(activity.endsAt) <= new Date()) throw conflict('activity_over', 'the activity is over', 'endsAt');
  const v = await queryOne<{ status: string }>(db, sql`select status from volunteers where id = ${volunteerId} for update`);
  if (!v) throw invalid('volunteerId', 'unknown_volunteer', 'no such volunteer');
  if (v.status !== 'active') throw conflict('volunteer_not_active', 'only an active volunteer can sign up', 'volunteerId');
  const existing = await loadSignup(db, sql`s.activity_id = ${activity.id} and s.volunteer_id = ${volunteerId}`, true);
  if (existing && existing.status !== 'cancelled')
    throw conflict('already_signed_up', existing.status === 'waitlisted' ? 'already on the waitlist' : 'already signed up', 'activityId');
  const taken = await queryOne<{ n: number }>(
    db,
    sql`select count(*)::int as n from activity_signups where activity_id = ${activity.id} and status = 'signed_up'`,
  );
  // Waitlisted people are ahead of a newcomer: there is room only if nobody waits.
  const waiting = await queryOne<{ n: number }>(
    db,
    sql`select count(*)::int as n from activity_signups where activity_id = ${activity.id} and status = 'waitlisted'`,
  );
  const status: SignupStatus = Number(taken?.n ?? 0) < activity.capacity && Number(waiting?.n ?? 0) === 0 ? 'signed_up' : 'waitlisted';
  let id: string;
  if (existing) {
    id = existing.id;
    await db.execute(sql`update activity_signups set status = ${status}, queued_at = now(), version = version + 1, updated_at = now()
      where id = ${id}`);
  } else {
    id = newId();
    await db.execute(sql`insert into activity_signups (id, activity_id, volunteer_id, unit_path, status)
      values (${id}, ${activity.id}, ${volunteerId}, ${activity.unitPath}::ltree, ${status})`);
  }
  const after = await loadSignup(db, sql`s.id = ${id}`);
  if (!after) throw notFound('signup');
  await writeAudit(db, {
    actor,
    action: status === 'signed_up' ? 'activity.signed_up' : 'activity.waitlisted',
    entityType: 'activity_signup',
    entityId: id,
    unitPath: activity.unitPath,
    after: auditSignup(after),
  });
  return after;
}

/** Cancels a sign-up or waitlist place (not after check-in); a freed place goes to the first on the waitlist. */
export async function cancelSignup(opts: { db: Db; actor: Actor; activity: ActivityRow; signup: SignupRow }): Promise<SignupRow> {
  const { db, actor, activity, signup } = opts;
  if (signup.status === 'cancelled') throw conflict('not_signed_up', 'this sign-up is already cancelled', 'status');
  if (signup.checkInAt) throw conflict('already_checked_in', 'a volunteer who has checked in cannot cancel', 'status');
  await db.execute(
    sql`update activity_signups set status = 'cancelled', version = version + 1, updated_at = now() where id = ${signup.id}`,
  );
  const moved = signup.status === 'signed_up' && activity.status === 'published' ? await promote(db, activity) : [];
  const after = await loadSignup(db, sql`s.id = ${signup.id}`);
  if (!after) throw notFound('signup');
  await writeAudit(db, {
    actor,
    action: 'activity.signup_cancelled',
    entityType: 'activity_signup',
    entityId: signup.id,
    unitPath: activity.unitPath,
    before: auditSignup(signup),
    after: { ...auditSignup(after), promoted: moved.map((m) => m.id) },
  });
  await announcePromoted(db, activity, moved);
  return after;
}

export async function signupOfActivity(db: Db, activityId: string, signupId: string, forUpdate = false): Promise<SignupRow> {
  const s = await loadSignup(db, sql`s.id = ${signupId} and s.activity_id = ${activityId}`, forUpdate);
  if (!s) throw notFound('signup');
  return s;
}

export async function mySignup(db: Db, activityId: string, volunteerId: string, forUpdate = false): Promise<SignupRow> {
  const s = await loadSignup(db, sql`s.activity_id = ${activityId} and s.volunteer_id = ${volunteerId}`, forUpdate);
  if (!s || s.status === 'cancelled') throw conflict('not_signed_up', 'you are not signed up for this activity', 'activityId');
  return s;
}

// ------------------------------------------------------------------------------------------- attendance

export function checkToken(activity: ActivityRow, token: string) {
  if (token !== activity.checkinToken)
    throw new AppError('invalid_token', {
      status: 400,
      message: 'this QR code is not (or no longer) the activity’s code; scan the one the leader shows',
      details: [{ path: 'token', code: 'invalid_token' }],
    });
}

/** Checks a signed-up volunteer in (now, or at `at` when the leader records it). */
export async function checkIn(opts: { db: Db; actor: Actor; activity: ActivityRow; signup: SignupRow; at?: string }): Promise<SignupRow> {
  const { db, actor, activity, signup } = opts;
  if (activity.status !== 'published') throw conflict('activity_closed', `the activity is ${activity.status}`, 'status');
  if (signup.status === 'waitlisted') throw conflict('waitlisted', 'you are on the waitlist, not signed up', 'status');
  if (signup.status !== 'signed_up') throw conflict('not_signed_up', 'not signed up for this activity', 'status');
  if (signup.checkInAt) throw conflict('already_checked_in', 'already checked in', 'checkInAt');
  const at = opts.at ? new Date(opts.at) : new Date();
  if (at.getTime() > Date.now() + 5 * 60_000) throw invalid('at', 'in_future', 'a check-in cannot be in the future');
  if (at.getTime() < new Date(activity.startsAt).getTime() - CHECK_IN_EARLY_MINUTES * 60_000)
    throw conflict('too_early', `check-in opens ${CHECK_IN_EARLY_MINUTES} minutes before the start`, 'checkInAt');
  await db.execute(sql`update activity_signups set check_in_at = ${at.toISOString()}::timestamptz, check_in_by = ${actor.userId},
    version = version + 1, updated_at = now() where id = ${signup.id}`);
  const after = await loadSignup(db, sql`s.id = ${signup.id}`);
  if (!after) throw notFound('signup');
  await writeAudit(db, {
    actor,
    action: 'activity.checked_in',
    entityType: 'activity_signup',
    entityId: signup.id,
    unitPath: activity.unitPath,
    after: auditSignup(after),
  });
  return after;
}

/** Checks a volunteer out; the recorded hours are the time on site (check-out − check-in; travel is not counted). */
export async function checkOut(opts: { db: Db; actor: Actor; activity: ActivityRow; signup: SignupRow; at?: string }): Promise<SignupRow> {
  const { db, actor, activity, signup } = opts;
  if (!signup.checkInAt) throw conflict('not_checked_in', 'check in before checking out', 'checkInAt');
  if (signup.checkOutAt) throw conflict('already_checked_out', 'already checked out', 'checkOutAt');
  const at = opts.at ? new Date(opts.at) : new Date();
  if (at.getTime() > Date.now() + 5 * 60_000) throw invalid('at', 'in_future', 'a check-out cannot be in the future');
  if (at < new Date(signup.checkInAt)) throw invalid('at', 'before_check_in', 'the check-out must come after the check-in');
  const hours = Math.min(2400, Math.round((at.getTime() - new Date(signup.checkInAt).getTime()) / 36_000));
  await db.execute(sql`update activity_signups set check_out_at = ${at.toISOString()}::timestamptz, check_out_by = ${actor.userId},
    hours = ${hours}, version = version + 1, updated_at = now() where id = ${signup.id}`);
  const after = await loadSignup(db, sql`s.id = ${signup.id}`);
  if (!after) throw notFound('signup');
  await writeAudit(db, {
    actor,
    action: 'activity.checked_out',
    entityType: 'activity_signup',
    entityId: signup.id,
    unitPath: activity.unitPath,
    after: auditSignup(after),
  });
  return after;
}

/** The leader corrects the recorded hours (with a reason) before confirming them. */
export async function adjustHours(opts: {
  db: Db;
  actor: Actor;
  activity: ActivityRow;
  signup: SignupRow;
  input: { version: number; hours: number; reason: string };
}): Promise<SignupRow> {
  const { db, actor, activity, signup, input } = opts;
  if (signup.version !== input.version) throw stale('sign-up');
  if (signup.confirmedAt) throw conflict('already_confirmed', 'the hours are confirmed; a correction goes through the time bank', 'hours');
  if (!signup.checkOutAt) throw conflict('not_checked_out', 'the volunteer has not checked out yet', 'checkOutAt');
  await db.execute(sql`update activity_signups set hours = ${Math.round(input.hours * 100)}, adjust_reason = ${input.reason},
    version = version + 1, updated_at = now() where id = ${signup.id}`);
  const after = await loadSignup(db, sql`s.id = ${signup.id}`);
  if (!after) throw notFound('signup');
  await writeAudit(db, {
    actor,
    action: 'activity.hours_adjusted',
    entityType: 'activity_signup',
    entityId: signup.id,
    unitPath: activity.unitPath,
    before: auditSignup(signup),
    after: auditSignup(after),
  });
  return after;
}

/** The idempotency key of the earn posting of one attendance: confirming twice posts once. */
export const earnKey = (signupId: string) => `activity-signup:${signupId}`;

/**
 * Confirms the recorded hours of an attendance: the time bank `earn` posting (idempotent by a key derived
 * from the sign-up) and the volunteer's confirmed hours, in the caller's transaction. Confirming again
 * answers the confirmed sign-up and posts nothing.
 */
export async function confirmHours(opts: { db: Db; actor: Actor; activity: ActivityRow; signupId: string }): Promise<SignupRow> {
  const { db, actor, activity } = opts;
  const signup = await signupOfActivity(db, activity.id, opts.signupId, true);
  if (signup.confirmedAt) return signup;
  if (!signup.checkOutAt || signup.hours === null) throw conflict('not_checked_out', 'the volunteer has not checked out yet', 'checkOutAt');
  let postingId: string | null = null;
  if (signup.hours > 0) {
    if (!signup.timebankAccountId)
      throw conflict('no_timebank_account', 'the volunteer has no time-bank account (not approved)', 'volunteerId');
    // The activity's scope was checked above (leader or staff); the volunteer's account may lie in a sibling unit.
    const { posting } = await postOperation({
      db,
      actor: { ...actor, scopePath: null },
      key: earnKey(signup.id),
      input: { kind: 'earn', toAccountId: signup.timebankAccountId, hours: signup.hours / 100, memo: `志愿服务：${activity.title}` },
    });
    postingId = posting.id;
  }
  await db.execute(sql`update activity_signups set confirmed_at = now(), confirmed_by = ${actor.userId}, posting_id = ${postingId},
    version = version + 1, updated_at = now() where id = ${signup.id}`);
  await db.execute(sql`update volunteers set confirmed_hours = confirmed_hours + ${signup.hours}, updated_at = now()
    where id = ${signup.volunteerId}`);
  const after = await loadSignup(db, sql`s.id = ${signup.id}`);
  if (!after) throw notFound('signup');
  await writeAudit(db, {
    actor,
    action: 'activity.hours_confirmed',
    entityType: 'activity_signup',
    entityId: signup.id,
    unitPath: activity.unitPath,
    before: auditSignup(signup),
    after: auditSignup(after),
  });
  if (signup.userId)
    await publish(db, {
      channel: 'activities',
      type: 'activity.hours_confirmed',
      userIds: [signup.userId],
      data: { activityId: activity.id, signupId: signup.id },
    });
  return after;
}

// ------------------------------------------------------------------------------------------- the volunteer's own

export async function myActivities(db: Db, me: VolunteerOfUser, f: { view: 'open' | 'mine'; limit: number; cursor?: string }) {
  const street = await streetOf(db, me.unitPath);
  const where =
    f.view === 'open'
      ? sql`a.unit_path <@ ${street}::ltree and a.status = 'published' and a.ends_at > now()`
      : sql`(exists (select 1 from activity_signups s where s.activity_id = a.id and s.volunteer_id = ${me.id} and s.status <> 'cancelled')
            or a.leader_id = ${me.id})`;
  const page = await newestFirstPage<ActivityRow>(db, {
    select: sql`select ${ACTIVITY_COLUMNS} from ${ACTIVITY_FROM}`,
    countFrom: sql`from activities a`,
    where,
    timeColumn: sql`a.starts_at`,
    idColumn: sql`a.id`,
    timeOf: (r) => r.startsAt,
    limit: f.limit,
    cursor: f.cursor,
  });
  const ids = page.items.map((a) => a.id);
  const signups = ids.length
    ? (
        await query<SignupRow>(
          db,
          sql`select ${SIGNUP_COLUMNS} from ${SIGNUP_FROM} where s.volunteer_id = ${me.id} and s.activity_id = any(${sql.param(ids)}::uuid[])`,
        )
      ).map(normaliseSignup)
    : [];
  return {
    ...page,
    items: page.items.map(normalise).map((a) => ({ activity: a, signup: signups.find((s) => s.activityId === a.id) ?? null })),
  };
}
