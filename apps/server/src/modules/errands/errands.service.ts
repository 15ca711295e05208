import { type SQL, sql } from 'drizzle-orm';
import { type Actor, can } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { publish } from '../../platform/events.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { createAccount, getSettings, postOperation, toCredits, toHundredths } from '../timebank/timebank.service.js';
import { volunteerForUser } from '../volunteers/volunteers.service.js';
import type { CreateErrandInput, ErrandAction, ErrandKind, ErrandStatus } from './errands.schemas.js';

/**
 * The errand board (跑腿抢单).
 *
 * Who: staff (a role with errands.post that is not 'volunteer') post, assign, confirm and cancel errands of
 * their scope; a volunteer posts their own errands and, as a courier, grabs, completes and releases them.
 * A courier is a login with role 'volunteer' whose volunteer record is active and marked courier — or, for a
 * login without a volunteer record, any active volunteer login.
 *
 * Area: a courier sees and grabs the open errands whose unit lies in their area: the subtree of their
 * volunteer record's unit (else of their login's unit), inside their scope. A volunteer of 七星岗 station
 * sees every community of 七星岗; one bound to 兴隆街 community sees 兴隆街 only.
 *
 * Money (escrow): posting holds the reward — a time-bank `spend` from the funding account to the unit's
 * escrow account (a catalogue account named 跑腿酬劳托管 · <unit>, opened on first use), key `errand:<id>:escrow`; not
 * enough credits → 409 insufficient_credits and nothing is written. Cancelling returns it (a `correction`
 * of that spend, key `errand:<id>:refund`). Confirming returns it to the funding account and pays the
 * courier from there (correction `errand:<id>:release`, then a `transfer` `errand:<id>:reward` to the
 * courier's person account) in one transaction: the funding account stays locked in between, so held
 * credits cannot be spent by anyone else, and the reward is paid at most once whatever is retried. The
 * funding account is a unit pool at or above the errand's unit (default: the nearest), or the posting
 * volunteer's own person account (a person → person transfer: refused with 409 transfer_not_allowed at
 * posting when the deployment does not allow transfers). An errand without an escrow posting (written
 * before, or by hand) is paid straight from the funding account; if it cannot pay, 409
 * insufficient_credits and nothing is written (the errand stays done).
 *
 * Expiry: an open errand whose window has ended is shown as 'expired' and can no longer be grabbed; no
 * background job rewrites it.
 */

const conflict = (code: string, message: string, path?: string) =>
  new AppError(code, { status: 409, message, details: path ? [{ path, code, message }] : [] });

export interface ErrandRow {
  id: string;
  kind: ErrandKind;
  title: string;
  details: string | null;
  place: string;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  windowFrom: Date | string;
  windowTo: Date | string;
  reward: number;
  fundingAccountId: string;
  clientId: string | null;
  requestedBy: string;
  requestedByName: string | null;
  assigneeUserId: string | null;
  assigneeName: string | null;
  /** The stored status, with 'expired' for an open errand whose window has ended. */
  status: ErrandStatus;
  assignedAt: Date | string | null;
  completedAt: Date | string | null;
  confirmedAt: Date | string | null;
  cancelledAt: Date | string | null;
  cancelReason: string | null;
  rewardPostingId: string | null;
  version: number;
  createdAt: Date | string;
}

const EFFECTIVE_STATUS = sql`(case when e.status = 'open' and e.window_to <= now() then 'expired' else e.status end)`;

const ERRAND_COLUMNS = sql`e.id, e.kind, e.title, e.details, e.place, e.unit_id as "unitId", un.name as "unitName",
  e.unit_path::text as "unitPath", e.window_from as "windowFrom", e.window_to as "windowTo", e.reward,
  e.funding_account_id as "fundingAccountId", e.client_id as "clientId", e.requested_by as "requestedBy",
  rq.display_name as "requestedByName", e.assignee_user_id as "assigneeUserId", asg.display_name as "assigneeName",
  ${EFFECTIVE_STATUS} as status, e.assigned_at as "assignedAt", e.completed_at as "completedAt",
  e.confirmed_at as "confirmedAt", e.cancelled_at as "cancelledAt", e.cancel_reason as "cancelReason",
  e.reward_posting_id as "rewardPostingId", e.version, e.created_at as "createdAt"`;
const ERRAND_FROM = sql`errands e left join units un on un.id = e.unit_id left join users rq on rq.id = e.requested_by
  left join users asg on asg.id = e.assignee_user_id`;

const normal = (r: ErrandRow): ErrandRow => ({ ...r, reward: Number(r.reward), version: Number(r.version) });

/** Staff of the errand board: may post for residents, assign, confirm and cancel any errand of their scope. */
export function isStaff(actor: Actor): boolean {
  return actor.role !== 'volunteer' && can(actor, 'errands.post');
}

export interface Courier {
  userId: string;
  volunteerId: string | null;
  /** The courier's area: errands under this unit path. */
  areaPath: string | null;
  /** The courier's own time-bank person account, if they have one. */
  accountId: string | null;
}

/** The courier behind a login, or the reason it is none. */
async function courierOf(
  db: Db,
  user: { id: string; role: string; status: string; unitPath: string | null },
): Promise<Courier | { refused: string }> {
  if (user.role !== 'volunteer' || user.status !== 'active') return { refused: 'only a volunteer login can take errands' };
  const v = await volunteerForUser(db, user.id);
  if (v) {
    if (v.status !== 'active') return { refused: 'this volunteer is not active' };
    if (!v.isCourier) return { refused: 'this volunteer is not a courier (跑腿志愿者)' };
    return { userId: user.id, volunteerId: v.id, areaPath: v.unitPath, accountId: v.timebankAccountId };
  }
  return { userId: user.id, volunteerId: null, areaPath: user.unitPath, accountId: null };
}

/** The acting volunteer's area (their volunteer record's unit, else their scope); null for staff. */
async function areaOf(db: Db, actor: Actor): Promise<string | null> {
  if (actor.role !== 'volunteer' || !actor.userId) return null;
  const v = await volunteerForUser(db, actor.userId);
  return v?.unitPath ?? actor.scopePath;
}

function areaWhere(area: string | null): SQL {
  return area === null ? sql`true` : sql`e.unit_path <@ ${area}::ltree`;
}

async function loadErrand(db: Db, id: string): Promise<ErrandRow | undefined> {
  const row = await queryOne<ErrandRow>(db, sql`select ${ERRAND_COLUMNS} from ${ERRAND_FROM} where e.id = ${id}`);
  return row ? normal(row) : undefined;
}

/** One errand in the actor's scope (and, for a volunteer, in their area or theirs): else 404. */
export async function getErrand(db: Db, actor: Actor, id: string): Promise<ErrandRow> {
  const row = await loadErrand(db, id);
  if (!row) throw notFound('errand');
  assertInScope(actor, row.unitPath, 'errand_not_found');
  const area = await areaOf(db, actor);
  if (
    area !== null &&
    !inScope({ scopePath: area } as Actor, row.unitPath) &&
    row.requestedBy !== actor.userId &&
    row.assigneeUserId !== actor.userId
  )
    throw notFound('errand');
  return row;
}

export async function findErrands(
  db: Db,
  actor: Actor,
  f: { view: 'board' | 'mine' | 'all'; status?: ErrandStatus; unitId?: string; limit: number; cursor?: string },
) {
  const conds: SQL[] = [scopeWhere(actor, sql`e.unit_path`)];
  const area = await areaOf(db, actor);
  const me = actor.userId;
  if (f.view === 'board') {
    conds.push(areaWhere(area), sql`e.status = 'open' and e.window_to > now()`);
  } else if (f.view === 'mine') {
    conds.push(sql`(e.assignee_user_id = ${me} or e.requested_by = ${me})`);
  } else if (area !== null) {
    conds.push(sql`(${areaWhere(area)} or e.assignee_user_id = ${me} or e.requested_by = ${me})`);
  }
  if (f.status) conds.push(sql`${EFFECTIVE_STATUS} = ${f.status}`);
  if (f.unitId) conds.push(sql`e.unit_path <@ (select path from units where id = ${f.unitId})`);
  const page = await newestFirstPage<ErrandRow>(db, {
    select: sql`select ${ERRAND_COLUMNS} from ${ERRAND_FROM}`,
    countFrom: sql`from errands e`,
    where: sql.join(conds, sql` and `),
    timeColumn: sql`e.created_at`,
    idColumn: sql`e.id`,
    timeOf: (r) => r.createdAt,
    limit: f.limit,
    cursor: f.cursor,
  });
  return { ...page, items: page.items.map(normal) };
}

/** Volunteer logins of the actor's scope who may take errands (for staff assigning one). */
export async function findCouriers(db: Db, actor: Actor) {
  const rows = await query<{
    id: string;
    name: string;
    unitName: string | null;
    volunteerStatus: string | null;
    isCourier: boolean | null;
  }>(
    db,
    sql`select u.id, u.display_name as name, un.name as "unitName", v.status as "volunteerStatus", v.is_courier as "isCourier"
        from users u left join units un on un.id = u.unit_id left join volunteers v on v.user_id = u.id
        where u.role = 'volunteer' and u.status = 'active' and ${scopeWhere(actor, sql`u.unit_path`)}
        order by u.display_name, u.id limit 500`,
  );
  return rows
    .filter((r) => r.volunteerStatus === null || (r.volunteerStatus === 'active' && r.isCourier))
    .map(({ id, name, unitName }) => ({ id, name, unitName }));
}

/** The signed-in user's own side of the board: their time-bank balance and errands in hand. */
export async function mySummary(db: Db, actor: Actor) {
  const v = actor.userId ? await volunteerForUser(db, actor.userId) : null;
  const owners = [actor.userId, v?.id].filter((x): x is string => !!x);
  const account = await queryOne<{ id: string; balance: number }>(
    db,
    sql`select id, balance from timebank_accounts where kind = 'person'
          and (id = ${v?.timebankAccountId ?? null} or owner_id in (select unnest(${sql.param(owners)}::uuid[])))
        order by (id = ${v?.timebankAccountId ?? null}) desc, created_at limit 1`,
  );
  const counts = await queryOne<{ assigned: number; done: number; posted: number }>(
    db,
    sql`select count(*) filter (where assignee_user_id = ${actor.userId} and status = 'assigned')::int as assigned,
          count(*) filter (where assignee_user_id = ${actor.userId} and status = 'done')::int as done,
          count(*) filter (where requested_by = ${actor.userId} and status in ('open', 'assigned', 'done'))::int as posted
        from errands where assignee_user_id = ${actor.userId} or requested_by = ${actor.userId}`,
  );
  return {
    accountId: account?.id ?? null,
    balance: account ? toCredits(account.balance) : 0,
    assigned: Number(counts?.assigned ?? 0),
    done: Number(counts?.done ?? 0),
    posted: Number(counts?.posted ?? 0),
  };
}

/** What `actor` may do with the errand now (the console shows these buttons). */
export function actionsFor(actor: Actor, e: ErrandRow): ErrandAction[] {
  const out: ErrandAction[] = [];
  const me = actor.userId;
  const staff = isStaff(actor) && inScope(actor, e.unitPath);
  const requester = e.requestedBy === me;
  if (e.status === 'open') {
    if (actor.role === 'volunteer' && can(actor, 'errands.grab') && !requester) out.push('grab');
    if (staff && can(actor, 'errands.grab')) out.push('assign');
  }
  if (e.status === 'assigned' && (e.assigneeUserId === me || staff)) out.push('release');
  if (e.status === 'assigned' && e.assigneeUserId === me) out.push('complete');
  if (e.status === 'done' && (requester || staff) && e.assigneeUserId !== me) out.push('confirm');
  if ((e.status === 'open' || e.status === 'assigned' || e.status === 'expired') && (requester || staff)) out.push('cancel');
  return out;
}

// ------------------------------------------------------------------------------------------- writes

async function changed(db: Db, actor: Actor, action: string, before: ErrandRow | null, after: ErrandRow) {
  // Ids and codes only: every board of the area refetches; the requester and the courier hear it too.
  // Published first: the audit entry takes the log's lock, held until commit, so it comes last.
  const users = [after.requestedBy, after.assigneeUserId, before?.assigneeUserId].filter((x): x is string => !!x);
  await publish(db, {
    channel: 'errands',
    type: 'errand.changed',
    unitPath: after.unitPath,
    userIds: [...new Set(users)],
    permission: 'errands.read',
    data: { id: after.id, status: after.status, version: after.version, action },
  });
  await writeAudit(db, {
    actor,
    action: `errands.${action}`,
    entityType: 'errand',
    entityId: after.id,
    unitPath: after.unitPath,
    before,
    after,
  });
}

/** The funding account of a new errand: checked, or chosen (see the module comment). */
async function fundingFor(
  db: Db,
  actor: Actor,
  unitPath: string,
  requested: string | undefined,
): Promise<{ id: string; balance: number; kind: string; unitId: string; unitPath: string }> {
  type Acc = { id: string; kind: string; balance: number; unitId: string; unitPath: string; ownerId: string | null };
  const cols = sql`id, kind, balance, unit_id as "unitId", unit_path::text as "unitPath", owner_id as "ownerId"`;
  let account: Acc | undefined;
  const volunteer = actor.role === 'volunteer' && actor.userId ? await volunteerForUser(db, actor.userId) : null;
  const ownIds = [actor.userId, volunteer?.id].filter((x): x is string => !!x);
  const own = (a: Acc) =>
    a.kind === 'person' && (a.id === volunteer?.timebankAccountId || (a.ownerId !== null && ownIds.includes(a.ownerId)));
  if (requested) {
    account = await queryOne<Acc>(db, sql`select ${cols} from timebank_accounts where id = ${requested}`);
    const ok =
      account &&
      ((account.kind === 'unit_pool' &&
        actor.role !== 'volunteer' &&
        !!unitPath &&
        (unitPath === account.unitPath || unitPath.startsWith(`${account.unitPath}.`))) ||
        (account.kind === 'person' && (own(account) || (isStaff(actor) && inScope(actor, account.unitPath)))));
    if (!account || !ok) throw notFound('account');
  } else if (actor.role === 'volunteer') {
    account = await queryOne<Acc>(
      db,
      sql`select ${cols} from timebank_accounts where kind = 'person' and (id = ${volunteer?.timebankAccountId ?? null}
            or owner_id in (select unnest(${sql.param(ownIds)}::uuid[]))) order by (id = ${volunteer?.timebankAccountId ?? null}) desc, created_at limit 1`,
    );
    if (!account) throw conflict('no_funding_account', 'you have no time-bank account to pay the reward from', 'fundingAccountId');
  } else {
    account = await queryOne<Acc>(
      db,
      sql`select ${cols} from timebank_accounts where kind = 'unit_pool' and unit_path @> ${unitPath}::ltree
          order by nlevel(unit_path) desc, created_at limit 1`,
    );
    if (!account)
      throw conflict(
        'no_funding_account',
        'no time-bank unit pool at or above this unit pays errand rewards; open one (and grant it credits) or name a fundingAccountId',
        'fundingAccountId',
      );
  }
  return { id: account.id, balance: Number(account.balance), kind: account.kind, unitId: account.unitId, unitPath: account.unitPath };
}

/** The unit's escrow account for errand rewards (a catalogue account 跑腿酬劳托管 · <unit>), opened on first use. */
async function escrowAccountOf(db: Db, actor: Actor, unitId: string): Promise<string> {
  const find = () =>
    queryOne<{ id: string }>(
      db,
      sql`select id from timebank_accounts where kind = 'catalogue' and unit_id = ${unitId} and name like '跑腿酬劳托管 · %'
          order by created_at, id limit 1`,
    );
  const existing = await find();
  if (existing) return existing.id;
  // Serialises the first opening per unit (two concurrent first posts would open two).
  await db.execute(sql`select pg_advisory_xact_lock(727301, hashtext(${unitId}::text))`);
  const found = await find();
  if (found) return found.id;
  const unit = await queryOne<{ name: string }>(db, sql`select name from units where id = ${unitId}`);
  // Opened in the poster's name; the funding unit may lie above their scope (a community worker, the station's pool).
  const opened = await createAccount({
    db,
    actor: { ...actor, scopePath: null },
    input: { kind: 'catalogue', unitId, name: `跑腿酬劳托管 · ${unit?.name ?? unitId}` },
  });
  return opened.id;
}

/**
 * Returns the held reward of an errand to its funding account (a correction of the escrow spend), once.
 * Answers false when the errand has no escrow posting (written before escrow, or by hand).
 */
async function returnEscrow(db: Db, actor: Actor, e: ErrandRow, purpose: 'refund' | 'release'): Promise<boolean> {
  const held = await queryOne<{ id: string; unitPath: string }>(
    db,
    sql`select id, unit_path::text as "unitPath" from timebank_postings where idempotency_key = ${`errand:${e.id}:escrow`}`,
  );
  if (!held) return false;
  await postOperation({
    db,
    actor: { ...actor, scopePath: held.unitPath },
    key: `errand:${e.id}:${purpose}`,
    input: {
      kind: 'correction',
      correctsPostingId: held.id,
      memo: `${purpose === 'refund' ? '跑腿任务取消，退回托管' : '跑腿任务确认，托管转付'}：${e.title}`.slice(0, 500),
    },
  });
  return true;
}

export async function createErrand(opts: { db: Db; actor: Actor; input: CreateErrandInput }): Promise<ErrandRow> {
  const { db, actor, input } = opts;
  const unit = await queryOne<{ id: string; path: string }>(db, sql`select id, path::text as path from units where id = ${input.unitId}`);
  if (!unit) throw notFound('unit');
  assertInScope(actor, unit.path, 'unit_not_found');
  const area = await areaOf(db, actor);
  if (area !== null && !inScope({ scopePath: area } as Actor, unit.path)) throw notFound('unit');
  if (new Date(input.windowTo).getTime() <= Date.now()) throw invalid('windowTo', 'in_the_past', 'the window has already ended');
  if (input.clientId) {
    if (!can(actor, 'clients.read')) throw new AppError('forbidden', { status: 403, message: 'you may not name a client of the ledger' });
    const client = await queryOne<{ path: string }>(db, sql`select unit_path::text as path from clients where id = ${input.clientId}`);
    if (!client) throw notFound('client');
    assertInScope(actor, client.path, 'client_not_found');
  }
  const reward = toHundredths(input.reward);
  const funding = await fundingFor(db, actor, unit.path, input.fundingAccountId);
  if (funding.kind === 'person' && !(await getSettings(db)).transfersAllowed)
    throw conflict(
      'transfer_not_allowed',
      'this deployment does not allow transfers between persons: pay from a unit pool',
      'fundingAccountId',
    );
  const id = newId();
  // Holds the reward first (409 insufficient_credits when the account cannot): the funding account is locked
  // before the errand row's foreign key share-locks it, so concurrent posts on one pool queue instead of deadlocking.
  await postOperation({
    db,
    actor: { ...actor, scopePath: funding.unitPath },
    key: `errand:${id}:escrow`,
    input: {
      kind: 'spend',
      fromAccountId: funding.id,
      toAccountId: await escrowAccountOf(db, actor, funding.unitId),
      amount: toCredits(reward),
      memo: `跑腿酬劳托管：${input.title}`.slice(0, 500),
    },
  });
  await db.execute(sql`insert into errands (id, kind, title, details, place, unit_id, unit_path, window_from, window_to, reward,
      funding_account_id, client_id, requested_by)
    values (${id}, ${input.kind}, ${input.title}, ${input.details ?? null}, ${input.place}, ${unit.id}, ${unit.path}::ltree,
      ${input.windowFrom}::timestamptz, ${input.windowTo}::timestamptz, ${reward}, ${funding.id}, ${input.clientId ?? null}, ${actor.userId})`);
  const errand = (await loadErrand(db, id)) as ErrandRow;
  await changed(db, actor, 'posted', null, errand);
  return errand;
}

/**
 * Explains why a conditional update matched no row: the errand is gone or out of reach (404), in another
 * state (409 with a code per state), or at another version (409 stale_version).
 */
async function refusal(
  db: Db,
  actor: Actor,
  id: string,
  version: number,
  expected: ErrandStatus[],
  codes: Partial<Record<ErrandStatus, string>>,
  current?: ErrandRow,
) {
  const row = current ?? (await getErrand(db, actor, id));
  if (!expected.includes(row.status)) {
    const code = codes[row.status] ?? `errand_${row.status}`;
    return conflict(code, `the errand is ${row.status}`, 'status');
  }
  if (row.version !== version) return stale('errand');
  return new AppError('forbidden', { status: 403, message: 'you may not do this with this errand' });
}

const TAKEN: Partial<Record<ErrandStatus, string>> = {
  assigned: 'errand_taken',
  done: 'errand_taken',
  confirmed: 'errand_taken',
  cancelled: 'errand_cancelled',
  expired: 'errand_expired',
};

/**
 * Grab (a courier takes it) or assign (staff give it to a courier): ONE conditional UPDATE … RETURNING —
 * open, at the version seen, window not over, inside the courier's area and the actor's scope. Of any number
 * of concurrent grabs exactly one matches; every other one finds the row assigned and answers 409 errand_taken.
 */
export async function grabErrand(opts: { db: Db; actor: Actor; id: string; version: number; assigneeUserId?: string }): Promise<ErrandRow> {
  const { db, actor, id, version } = opts;
  let courier: Courier;
  if (opts.assigneeUserId === undefined) {
    if (actor.role !== 'volunteer')
      throw invalid('assigneeUserId', 'required', 'staff assign an errand to a courier: name the assigneeUserId');
    const me = await queryOne<{ id: string; role: string; status: string; unitPath: string | null }>(
      db,
      sql`select id, role, status, unit_path::text as "unitPath" from users where id = ${actor.userId}`,
    );
    const c = me ? await courierOf(db, me) : { refused: 'unknown user' };
    if ('refused' in c) throw new AppError('not_a_courier', { status: 403, message: c.refused });
    courier = { ...c, areaPath: c.areaPath ?? actor.scopePath };
  } else {
    if (!isStaff(actor)) throw new AppError('forbidden', { status: 403, message: 'only staff assign errands; grab it yourself' });
    const user = await queryOne<{ id: string; role: string; status: string; unitPath: string | null }>(
      db,
      sql`select id, role, status, unit_path::text as "unitPath" from users where id = ${opts.assigneeUserId}`,
    );
    if (!user || !inScope(actor, user.unitPath)) throw notFound('user');
    const c = await courierOf(db, user);
    if ('refused' in c) throw conflict('not_a_courier', c.refused, 'assigneeUserId');
    courier = c;
  }
  const area = courier.areaPath;
  const row = await queryOne<{ id: string }>(
    db,
    sql`update errands e set status = 'assigned', assignee_user_id = ${courier.userId}, assignee_volunteer_id = ${courier.volunteerId},
          assigned_at = now(), version = e.version + 1, updated_at = now()
        where e.id = ${id} and e.status = 'open' and e.version = ${version} and e.window_to > now()
          and e.requested_by <> ${courier.userId} and ${areaWhere(area)} and ${scopeWhere(actor, sql`e.unit_path`)}
        returning e.id`,
  );
  if (!row) {
    const current = await getErrand(db, actor, id);
    if (area !== null && !inScope({ scopePath: area } as Actor, current.unitPath)) {
      if (opts.assigneeUserId) throw conflict('outside_area', "the errand is outside the courier's area", 'assigneeUserId');
      throw notFound('errand');
    }
    if (current.status === 'open' && current.requestedBy === courier.userId)
      throw conflict('own_errand', 'a courier cannot take an errand they posted', 'id');
    throw await refusal(db, actor, id, version, ['open'], TAKEN, current);
  }
  const after = (await loadErrand(db, id)) as ErrandRow;
  await changed(db, actor, opts.assigneeUserId ? 'assigned' : 'grabbed', { ...after, status: 'open', assigneeUserId: null }, after);
  return after;
}

/** The courier gives the errand back (or staff take it back): assigned → open. */
export async function releaseErrand(opts: { db: Db; actor: Actor; id: string; version: number }): Promise<ErrandRow> {
  const { db, actor, id, version } = opts;
  const before = await getErrand(db, actor, id);
  const mine = before.assigneeUserId === actor.userId;
  if (before.status === 'assigned' && !mine && !isStaff(actor))
    throw new AppError('not_your_errand', { status: 403, message: 'only its courier or staff can release this errand' });
  const row = await queryOne<{ id: string }>(
    db,
    sql`update errands set status = 'open', assignee_user_id = null, assignee_volunteer_id = null, assigned_at = null,
          version = version + 1, updated_at = now()
        where id = ${id} and status = 'assigned' and version = ${version} returning id`,
  );
  if (!row) throw await refusal(db, actor, id, version, ['assigned'], { open: 'errand_not_assigned' });
  const after = (await loadErrand(db, id)) as ErrandRow;
  await changed(db, actor, 'released', before, after);
  return after;
}

/** The courier says it is done: assigned → done. Only the errand's courier. */
export async function completeErrand(opts: { db: Db; actor: Actor; id: string; version: number }): Promise<ErrandRow> {
  const { db, actor, id, version } = opts;
  const before = await getErrand(db, actor, id);
  const row = await queryOne<{ id: string }>(
    db,
    sql`update errands set status = 'done', completed_at = now(), version = version + 1, updated_at = now()
        where id = ${id} and status = 'assigned' and version = ${version} and assignee_user_id = ${actor.userId} returning id`,
  );
  if (!row) {
    if (before.status === 'assigned' && before.assigneeUserId !== actor.userId)
      throw new AppError('not_your_errand', { status: 403, message: 'only the courier who took the errand can complete it' });
    throw await refusal(db, actor, id, version, ['assigned'], { open: 'errand_not_assigned', done: 'already_completed' });
  }
  const after = (await loadErrand(db, id)) as ErrandRow;
  await changed(db, actor, 'completed', before, after);
  return after;
}

/** The common ancestor of two unit paths (null when they share none). */
function commonPath(a: string, b: string): string | null {
  const x = a.split('.');
  const y = b.split('.');
  const out: string[] = [];
  for (let i = 0; i < Math.min(x.length, y.length) && x[i] === y[i]; i++) out.push(x[i]);
  return out.length ? out.join('.') : null;
}

/** The courier's time-bank person account: the volunteer's, else the login's (owner_id = user id), opened if needed. */
async function payeeAccount(
  db: Db,
  actor: Actor,
  e: ErrandRow,
  assigneeVolunteerId: string | null,
): Promise<{ id: string; unitPath: string }> {
  const userId = e.assigneeUserId as string;
  const v = await volunteerForUser(db, userId);
  const owners = [userId, v?.id ?? assigneeVolunteerId].filter((x): x is string => !!x);
  const found = await queryOne<{ id: string; unitPath: string }>(
    db,
    sql`select id, unit_path::text as "unitPath" from timebank_accounts where kind = 'person'
          and (id = ${v?.timebankAccountId ?? null} or owner_id in (select unnest(${sql.param(owners)}::uuid[])))
        order by (id = ${v?.timebankAccountId ?? null}) desc, created_at limit 1`,
  );
  if (found) return found;
  const user = await queryOne<{ unitId: string | null; name: string }>(
    db,
    sql`select unit_id as "unitId", display_name as name from users where id = ${userId}`,
  );
  const unitId = v?.unitId ?? user?.unitId ?? e.unitId;
  // The account is opened in the confirming user's name; the courier's unit may lie outside their scope.
  const opened = await createAccount({
    db,
    actor: { ...actor, scopePath: null },
    input: { kind: 'person', unitId, name: `${user?.name ?? '志愿者'} 时间账户`, ownerId: v?.id ?? userId },
  });
  return { id: opened.id, unitPath: opened.unitPath };
}

/**
 * The requester (or staff) confirms: done → confirmed; the held reward is released and transferred from the
 * funding account to the courier in the same transaction (idempotency key `errand:<id>:reward`). Without an
 * escrow posting and not enough credits → 409 insufficient_credits and nothing is written.
 */
export async function confirmErrand(opts: { db: Db; actor: Actor; id: string; version: number }): Promise<ErrandRow> {
  const { db, actor, id, version } = opts;
  const before = await getErrand(db, actor, id);
  const allowed = (before.requestedBy === actor.userId || isStaff(actor)) && before.assigneeUserId !== actor.userId;
  if (!allowed) throw new AppError('not_your_errand', { status: 403, message: 'only the requester or staff can confirm this errand' });
  // Claims the errand (row lock + version) while it is still 'done'; a second confirmation waits here and
  // then finds another version. The status changes together with the posting id (a check ties them).
  const claimed = await queryOne<{ id: string; assigneeVolunteerId: string | null }>(
    db,
    sql`update errands set version = version + 1, updated_at = now()
        where id = ${id} and status = 'done' and version = ${version} returning id, assignee_volunteer_id as "assigneeVolunteerId"`,
  );
  if (!claimed)
    throw await refusal(db, actor, id, version, ['done'], {
      confirmed: 'already_confirmed',
      open: 'errand_not_done',
      assigned: 'errand_not_done',
    });
  const payee = await payeeAccount(db, actor, before, claimed.assigneeVolunteerId);
  // The held reward goes back to the funding account (locked from here to commit), which pays the courier.
  await returnEscrow(db, actor, before, 'release');
  const funding = await queryOne<{ unitPath: string }>(
    db,
    sql`select unit_path::text as "unitPath" from timebank_accounts where id = ${before.fundingAccountId}`,
  );
  // The posting is made in the confirming user's name over the two accounts the errand names (its scope was
  // checked above); the courier's account may lie in another part of the street than the confirming worker.
  const { posting } = await postOperation({
    db,
    actor: { ...actor, scopePath: commonPath(funding?.unitPath ?? '', payee.unitPath) },
    key: `errand:${id}:reward`,
    input: {
      kind: 'transfer',
      fromAccountId: before.fundingAccountId,
      toAccountId: payee.id,
      amount: toCredits(before.reward),
      memo: `跑腿酬劳：${before.title}`.slice(0, 500),
    },
  });
  await db.execute(sql`update errands set status = 'confirmed', confirmed_at = now(), reward_posting_id = ${posting.id}
    where id = ${id}`);
  const after = (await loadErrand(db, id)) as ErrandRow;
  await changed(db, actor, 'confirmed', before, after);
  return after;
}

/** The requester or staff call it off: open | assigned → cancelled, and the held reward goes back to the funding account. */
export async function cancelErrand(opts: {
  db: Db;
  actor: Actor;
  id: string;
  version: number;
  reason?: string | null;
}): Promise<ErrandRow> {
  const { db, actor, id, version } = opts;
  const before = await getErrand(db, actor, id);
  if (before.requestedBy !== actor.userId && !isStaff(actor))
    throw new AppError('not_your_errand', { status: 403, message: 'only the requester or staff can cancel this errand' });
  const row = await queryOne<{ id: string }>(
    db,
    sql`update errands set status = 'cancelled', cancelled_at = now(), cancel_reason = ${opts.reason ?? null},
          version = version + 1, updated_at = now()
        where id = ${id} and status in ('open', 'assigned') and version = ${version} returning id`,
  );
  if (!row)
    throw await refusal(db, actor, id, version, ['open', 'assigned', 'expired'], {
      done: 'errand_done',
      confirmed: 'already_confirmed',
      cancelled: 'already_cancelled',
    });
  await returnEscrow(db, actor, before, 'refund');
  const after = (await loadErrand(db, id)) as ErrandRow;
  await changed(db, actor, 'cancelled', before, after);
  return after;
}
