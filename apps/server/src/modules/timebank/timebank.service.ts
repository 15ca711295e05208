import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { newestFirstPage } from '../../platform/paging.js';
import { assertInScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import type { AccountKind, PostingInput, PostingKind } from './timebank.schemas.js';

/** Credits ↔ the hundredths the ledger keeps. */
export const toHundredths = (credits: number): number => Math.round(credits * 100);
export const toCredits = (hundredths: number | string): number => Number(hundredths) / 100;

export interface AccountRow {
  id: string;
  kind: AccountKind;
  name: string;
  ownerId: string | null;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  balance: number;
  createdAt: Date | string;
}

const ACCOUNT_COLUMNS = sql`a.id, a.kind, a.name, a.owner_id as "ownerId", a.unit_id as "unitId", u.name as "unitName",
  a.unit_path::text as "unitPath", a.balance, a.created_at as "createdAt"`;
const ACCOUNT_FROM = sql`timebank_accounts a left join units u on u.id = a.unit_id`;

export async function getAccount(db: Db, actor: Actor, id: string): Promise<AccountRow> {
  const row = await queryOne<AccountRow>(db, sql`select ${ACCOUNT_COLUMNS} from ${ACCOUNT_FROM} where a.id = ${id}`);
  if (!row) throw notFound('account');
  assertInScope(actor, row.unitPath, 'account_not_found');
  return { ...row, balance: Number(row.balance) };
}

/** Opens a person, unit-pool or catalogue account at a unit of the actor's part of the network. */
export async function createAccount(opts: {
  db: Db;
  actor: Actor;
  input: { kind: 'person' | 'unit_pool' | 'catalogue'; unitId: string; name: string; ownerId?: string | null };
}): Promise<AccountRow> {
  const { db, actor, input } = opts;
  const unit = await queryOne<{ id: string; path: string }>(db, sql`select id, path::text as path from units where id = ${input.unitId}`);
  if (!unit) throw notFound('unit');
  assertInScope(actor, unit.path, 'unit_not_found');
  const id = newId();
  await db.execute(sql`insert into timebank_accounts (id, kind, owner_id, unit_id, unit_path, name)
    values (${id}, ${input.kind}, ${input.ownerId ?? null}, ${unit.id}, ${unit.path}::ltree, ${input.name})`);
  const account = await getAccount(db, actor, id);
  await writeAudit(db, {
    actor,
    action: 'timebank.account_created',
    entityType: 'timebank_account',
    entityId: id,
    unitPath: unit.path,
    after: account,
  });
  return account;
}

export async function findAccounts(
  db: Db,
  actor: Actor,
  f: { kind?: AccountKind; unitId?: string; ownerId?: string; limit: number; cursor?: string },
) {
  const conds: SQL[] = [scopeWhere(actor, sql`a.unit_path`)];
  if (f.kind) conds.push(sql`a.kind = ${f.kind}`);
  if (f.unitId) conds.push(sql`a.unit_path <@ (select path from units where id = ${f.unitId})`);
  if (f.ownerId) conds.push(sql`a.owner_id = ${f.ownerId}`);
  const page = await newestFirstPage<AccountRow>(db, {
    select: sql`select ${ACCOUNT_COLUMNS} from ${ACCOUNT_FROM}`,
    countFrom: sql`from timebank_accounts a`,
    where: sql.join(conds, sql` and `),
    timeColumn: sql`a.created_at`,
    idColumn: sql`a.id`,
    timeOf: (r) => r.createdAt,
    limit: f.limit,
    cursor: f.cursor,
  });
  return { ...page, items: page.items.map((r) => ({ ...r, balance: Number(r.balance) })) };
}

export interface EntryRow {
  id: string;
  postingId: string;
  kind: PostingKind;
  amount: number;
  memo: string | null;
  counterpartyAccountId: string | null;
  counterpartyName: string | null;
  counterpartyPath: string | null;
  createdByName: string | null;
  createdAt: Date | string;
}

/** The entries of an account in scope, newest first (keyset paged). */
export async function findEntries(db: Db, actor: Actor, accountId: string, f: { limit: number; cursor?: string }) {
  const account = await getAccount(db, actor, accountId);
  return newestFirstPage<EntryRow>(db, {
    select: sql`select e.id, e.posting_id as "postingId", p.kind, e.amount, p.memo, o.account_id as "counterpartyAccountId",
        oa.name as "counterpartyName", oa.unit_path::text as "counterpartyPath", cb.display_name as "createdByName", e.created_at as "createdAt"
      from timebank_entries e join timebank_postings p on p.id = e.posting_id
      left join timebank_entries o on o.posting_id = e.posting_id and o.id <> e.id
      left join timebank_accounts oa on oa.id = o.account_id
      left join users cb on cb.id = p.created_by`,
    countFrom: sql`from timebank_entries e`,
    where: sql`e.account_id = ${account.id}`,
    timeColumn: sql`e.created_at`,
    idColumn: sql`e.id`,
    timeOf: (r) => r.createdAt,
    limit: f.limit,
    cursor: f.cursor,
  });
}

// ------------------------------------------------------------------------------------------- settings

export interface TimebankSettings {
  /** Hundredths of a credit per confirmed hour. */
  creditsPerHour: number;
  yearlyEarnCap: number | null;
  lifetimeEarnCap: number | null;
  transfersAllowed: boolean;
  version: number;
}

const DEFAULT_SETTINGS: TimebankSettings = {
  creditsPerHour: 100,
  yearlyEarnCap: null,
  lifetimeEarnCap: null,
  transfersAllowed: true,
  version: 1,
};

export async function getSettings(db: Db, forUpdate = false): Promise<TimebankSettings> {
  const row = await queryOne<TimebankSettings>(
    db,
    sql`select credits_per_hour as "creditsPerHour", yearly_earn_cap as "yearlyEarnCap", lifetime_earn_cap as "lifetimeEarnCap",
          transfers_allowed as "transfersAllowed", version from timebank_settings where id = 1 ${forUpdate ? sql`for update` : sql``}`,
  );
  return row ?? DEFAULT_SETTINGS;
}

/** Replaces the deployment's settings (optimistic locking on `version`; all amounts in hundredths). */
export async function updateSettings(opts: {
  db: Db;
  actor: Actor;
  input: {
    version: number;
    creditsPerHour: number;
    yearlyEarnCap: number | null;
    lifetimeEarnCap: number | null;
    transfersAllowed: boolean;
  };
}): Promise<TimebankSettings> {
  const { db, actor, input } = opts;
  // Serialises the first write too (no row to lock yet).
  await db.execute(sql`select pg_advisory_xact_lock(727101)`);
  const before = await getSettings(db, true);
  if (before.version !== input.version) throw stale('settings');
  await db.execute(sql`insert into timebank_settings (id, credits_per_hour, yearly_earn_cap, lifetime_earn_cap, transfers_allowed, version)
    values (1, ${input.creditsPerHour}, ${input.yearlyEarnCap}, ${input.lifetimeEarnCap}, ${input.transfersAllowed}, ${before.version + 1})
    on conflict (id) do update set credits_per_hour = excluded.credits_per_hour, yearly_earn_cap = excluded.yearly_earn_cap,
      lifetime_earn_cap = excluded.lifetime_earn_cap, transfers_allowed = excluded.transfers_allowed, version = excluded.version,
      updated_at = now()`);
  const after = await getSettings(db);
  await writeAudit(db, { actor, action: 'timebank.settings_updated', entityType: 'timebank_settings', entityId: null, before, after });
  return after;
}

// ------------------------------------------------------------------------------------------- postings

export interface PostingRow {
  id: string;
  kind: PostingKind;
  memo: string | null;
  /** Hundredths of an hour. */
  hours: number | null;
  /** Hundredths of a credit moved from → to. */
  amount: number;
  fromAccountId: string;
  toAccountId: string;
  correctsPostingId: string | null;
  unitPath: string;
  requestHash: string;
  createdAt: Date | string;
}

async function getPosting(db: Db, where: SQL): Promise<PostingRow | undefined> {
  const row = await queryOne<PostingRow>(
    db,
    sql`select p.id, p.kind, p.memo, p.hours, p.corrects_posting_id as "correctsPostingId", p.unit_path::text as "unitPath",
          p.request_hash as "requestHash", p.created_at as "createdAt",
          (select account_id from timebank_entries where posting_id = p.id and amount < 0 limit 1) as "fromAccountId",
          (select account_id from timebank_entries where posting_id = p.id and amount > 0 limit 1) as "toAccountId",
          (select coalesce(sum(amount), 0) from timebank_entries where posting_id = p.id and amount > 0)::int as amount
        from timebank_postings p where ${where}`,
  );
  return row ? { ...row, amount: Number(row.amount), hours: row.hours === null ? null : Number(row.hours) } : undefined;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

export function postingHash(actor: Actor, input: PostingInput): string {
  return createHash('sha256')
    .update(stableJson({ by: actor.userId, input }))
    .digest('hex');
}

function replay(prior: PostingRow, hash: string): { posting: PostingRow; replayed: true } {
  if (prior.requestHash !== hash) {
    throw new AppError('conflict', {
      status: 409,
      message: 'this Idempotency-Key was already used for another posting',
      details: [{ path: 'Idempotency-Key', code: 'key_reused', message: 'use a new key for a different posting' }],
    });
  }
  return { posting: prior, replayed: true };
}

const conflict = (code: string, message: string, path?: string) =>
  new AppError(code, { status: 409, message, details: path ? [{ path, code, message }] : [] });

/** The unit's issuing account, opened on first use. */
async function mintOf(db: Db, unitId: string): Promise<string> {
  await db.execute(sql`insert into timebank_accounts (id, kind, unit_id, unit_path, name)
    select ${newId()}, 'system', u.id, u.path, '时间银行发行账户 · ' || u.name from units u where u.id = ${unitId}
    on conflict (unit_id) where kind = 'system' do nothing`);
  const row = await queryOne<{ id: string }>(db, sql`select id from timebank_accounts where unit_id = ${unitId} and kind = 'system'`);
  if (!row) throw notFound('unit');
  return row.id;
}

function requireKind(account: AccountRow, kinds: AccountKind[], path: string) {
  if (!kinds.includes(account.kind))
    throw invalid(path, 'wrong_account_kind', `this posting needs a ${kinds.join(' or ')} account, not a ${account.kind} account`);
}

/** The deepest unit path both accounts lie under: where the posting is scoped. */
function commonPath(a: string, b: string): string {
  const x = a.split('.');
  const y = b.split('.');
  const out: string[] = [];
  for (let i = 0; i < Math.min(x.length, y.length) && x[i] === y[i]; i++) out.push(x[i]);
  return out.join('.');
}

interface Legs {
  kind: PostingKind;
  from: string;
  to: string;
  amount: number;
  hours: number | null;
  memo: string | null;
  correctsPostingId: string | null;
  unitPath: string;
}

async function resolveLegs(db: Db, actor: Actor, input: PostingInput, settings: TimebankSettings): Promise<Legs> {
  const memo = input.memo ?? null;
  switch (input.kind) {
    case 'earn': {
      const to = await getAccount(db, actor, input.toAccountId);
      requireKind(to, ['person'], 'toAccountId');
      const hours = toHundredths(input.hours);
      const amount = Math.round((hours * settings.creditsPerHour) / 100);
      if (amount <= 0) throw invalid('hours', 'too_small', 'these hours earn less than 0.01 credit');
      return {
        kind: 'earn',
        from: await mintOf(db, to.unitId),
        to: to.id,
        amount,
        hours,
        memo,
        correctsPostingId: null,
        unitPath: to.unitPath,
      };
    }
    case 'grant': {
      const to = await getAccount(db, actor, input.toAccountId);
      requireKind(to, ['unit_pool'], 'toAccountId');
      const amount = toHundredths(input.amount);
      return {
        kind: 'grant',
        from: await mintOf(db, to.unitId),
        to: to.id,
        amount,
        hours: null,
        memo,
        correctsPostingId: null,
        unitPath: to.unitPath,
      };
    }
    case 'spend':
    case 'transfer': {
      const from = await getAccount(db, actor, input.fromAccountId);
      const to = await getAccount(db, actor, input.toAccountId);
      requireKind(from, ['person', 'unit_pool'], 'fromAccountId');
      requireKind(to, input.kind === 'spend' ? ['catalogue'] : ['person'], 'toAccountId');
      if (from.id === to.id) throw invalid('toAccountId', 'same_account', 'an account cannot pay itself');
      if (input.kind === 'transfer' && from.kind === 'person' && !settings.transfersAllowed)
        throw conflict('transfer_not_allowed', 'this deployment does not allow transfers between persons', 'fromAccountId');
      return {
        kind: input.kind,
        from: from.id,
        to: to.id,
        amount: toHundredths(input.amount),
        hours: null,
        memo,
        correctsPostingId: null,
        unitPath: commonPath(from.unitPath, to.unitPath),
      };
    }
    case 'correction': {
      const target = await getPosting(db, sql`p.id = ${input.correctsPostingId}`);
      if (!target) throw notFound('posting');
      assertInScope(actor, target.unitPath, 'posting_not_found');
      if (target.kind === 'correction')
        throw conflict('cannot_correct_correction', 'a correction cannot be corrected; post the right operation anew', 'correctsPostingId');
      const done = await queryOne<{ id: string }>(db, sql`select id from timebank_postings where corrects_posting_id = ${target.id}`);
      if (done) throw conflict('already_corrected', 'this posting was already corrected', 'correctsPostingId');
      return {
        kind: 'correction',
        from: target.toAccountId,
        to: target.fromAccountId,
        amount: target.amount,
        hours: target.hours === null ? null : -target.hours,
        memo,
        correctsPostingId: target.id,
        unitPath: target.unitPath,
      };
    }
  }
}

/** Credits (hundredths) an account has earned, net of corrected earns: in all and in this calendar year (China). */
async function earned(db: Db, accountId: string): Promise<{ lifetime: number; year: number }> {
  const row = await queryOne<{ lifetime: number; year: number }>(
    db,
    sql`select coalesce(sum(e.amount), 0)::int as lifetime,
          coalesce(sum(e.amount) filter (where coalesce(c.created_at, p.created_at)
            >= (date_trunc('year', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai')), 0)::int as year
        from timebank_entries e join timebank_postings p on p.id = e.posting_id
        left join timebank_postings c on c.id = p.corrects_posting_id
        where e.account_id = ${accountId} and (p.kind = 'earn' or (p.kind = 'correction' and c.kind = 'earn'))`,
  );
  return { lifetime: Number(row?.lifetime ?? 0), year: Number(row?.year ?? 0) };
}

/**
 * Posts one operation, idempotent by `key`: the same key with the same request gives the first posting
 * again, with another request a 409. Runs in the caller's transaction: the accounts are locked (in id
 * order), the debited account must hold the amount (else 409, nothing written), caps are checked, then the
 * two entries, the balances and the audit entry are written together.
 */
export async function postOperation(opts: {
  db: Db;
  actor: Actor;
  key: string;
  input: PostingInput;
}): Promise<{ posting: PostingRow; replayed: boolean }> {
  const { db, actor, key, input } = opts;
  const hash = postingHash(actor, input);
  const prior = await getPosting(db, sql`p.idempotency_key = ${key}`);
  if (prior) return replay(prior, hash);

  const settings = await getSettings(db);
  const legs = await resolveLegs(db, actor, input, settings);
  const id = newId();
  // Claims the key (and, for a correction, the corrected posting): a concurrent request with the same key
  // waits here for the first one to commit, then answers its posting.
  const claimed = await queryOne<{ id: string }>(
    db,
    sql`insert into timebank_postings (id, idempotency_key, request_hash, kind, memo, hours, corrects_posting_id, created_by, unit_path)
        values (${id}, ${key}, ${hash}, ${legs.kind}, ${legs.memo}, ${legs.hours}, ${legs.correctsPostingId}, ${actor.userId},
                ${legs.unitPath}::ltree)
        on conflict do nothing returning id`,
  );
  if (!claimed) {
    const other = await getPosting(db, sql`p.idempotency_key = ${key}`);
    if (other) return replay(other, hash);
    throw conflict('already_corrected', 'this posting was already corrected', 'correctsPostingId');
  }

  const locked = await query<{ id: string; kind: AccountKind; balance: number }>(
    db,
    sql`select id, kind, balance from timebank_accounts where id in (${legs.from}, ${legs.to}) order by id for update`,
  );
  const from = locked.find((a) => a.id === legs.from);
  if (!from || !locked.some((a) => a.id === legs.to)) throw notFound('account');
  if (from.kind !== 'system' && Number(from.balance) < legs.amount) {
    throw conflict(
      'insufficient_credits',
      `the account holds ${toCredits(from.balance)} credits, ${toCredits(legs.amount)} are needed`,
      input.kind === 'correction' ? 'correctsPostingId' : 'amount',
    );
  }
  if (legs.kind === 'earn' && (settings.yearlyEarnCap !== null || settings.lifetimeEarnCap !== null)) {
    const e = await earned(db, legs.to);
    if (settings.yearlyEarnCap !== null && e.year + legs.amount > settings.yearlyEarnCap)
      throw conflict(
        'cap_exceeded',
        `this would pass the yearly cap of ${toCredits(settings.yearlyEarnCap)} credits (earned this year: ${toCredits(e.year)})`,
        'hours',
      );
    if (settings.lifetimeEarnCap !== null && e.lifetime + legs.amount > settings.lifetimeEarnCap)
      throw conflict(
        'cap_exceeded',
        `this would pass the lifetime cap of ${toCredits(settings.lifetimeEarnCap)} credits (earned in all: ${toCredits(e.lifetime)})`,
        'hours',
      );
  }
  await db.execute(sql`insert into timebank_entries (id, posting_id, account_id, amount)
    values (${newId()}, ${id}, ${legs.from}, ${-legs.amount}), (${newId()}, ${id}, ${legs.to}, ${legs.amount})`);
  await db.execute(sql`update timebank_accounts set balance = balance - ${legs.amount}, updated_at = now() where id = ${legs.from}`);
  await db.execute(sql`update timebank_accounts set balance = balance + ${legs.amount}, updated_at = now() where id = ${legs.to}`);
  const posting = await getPosting(db, sql`p.id = ${id}`);
  if (!posting) throw notFound('posting');
  const { requestHash: _h, ...audited } = posting;
  await writeAudit(db, {
    actor,
    action: `timebank.${legs.kind}`,
    entityType: 'timebank_posting',
    entityId: id,
    unitPath: legs.unitPath,
    after: { ...audited, idempotencyKey: key },
  });
  return { posting, replayed: false };
}

// ------------------------------------------------------------------------------------------- verify

export interface LedgerViolation {
  check: string;
  message: string;
}

export interface LedgerVerifyResult {
  ok: boolean;
  accounts: number;
  postings: number;
  entries: number;
  violations: LedgerViolation[];
}

const APPEND_ONLY_TRIGGERS = [
  'timebank_postings_no_update',
  'timebank_postings_no_truncate',
  'timebank_entries_no_update',
  'timebank_entries_no_truncate',
  'timebank_entries_balanced',
];

/**
 * Checks every invariant of the time bank on a database (`npm run ledger:verify`): the append-only
 * triggers are in place and enabled; every posting has entries that sum to zero, no entry is zero; all
 * entries sum to zero; each balance is the sum of its entries; no account other than an issuing one is,
 * or ever was, below zero (running balance in insertion order); each correction is the exact reverse of
 * the posting it corrects; idempotency keys are unique. Returns the violations, at most 20 per check.
 */
export async function verifyLedger(db: Db): Promise<LedgerVerifyResult> {
  const v: LedgerViolation[] = [];
  const counts = await queryOne<{ accounts: number; postings: number; entries: number }>(
    db,
    sql`select (select count(*) from timebank_accounts)::int as accounts, (select count(*) from timebank_postings)::int as postings,
          (select count(*) from timebank_entries)::int as entries`,
  );

  const triggers = await query<{ name: string; enabled: string }>(
    db,
    sql`select t.tgname as name, t.tgenabled::text as enabled from pg_trigger t
        where t.tgrelid in ('timebank_postings'::regclass, 'timebank_entries'::regclass) and not t.tgisinternal`,
  );
  for (const name of APPEND_ONLY_TRIGGERS) {
    const t = triggers.find((x) => x.name === name);
    if (!t) v.push({ check: 'append_only', message: `trigger ${name} is missing` });
    else if (t.enabled === 'D') v.push({ check: 'append_only', message: `trigger ${name} is disabled` });
  }

  for (const r of await query<{ id: string; total: number; n: number }>(
    db,
    sql`select p.id, coalesce(sum(e.amount), 0)::bigint as total, count(e.id)::int as n
        from timebank_postings p left join timebank_entries e on e.posting_id = p.id
        group by p.id having coalesce(sum(e.amount), 0) <> 0 or count(e.id) < 2 order by p.id limit 20`,
  )) {
    v.push({
      check: 'posting_balanced',
      message:
        Number(r.n) < 2
          ? `posting ${r.id} has ${r.n} entries (at least 2 needed)`
          : `posting ${r.id}: entries sum to ${toCredits(r.total)} credits, not 0`,
    });
  }
  for (const r of await query<{ id: string; postingId: string }>(
    db,
    sql`select e.id, e.posting_id as "postingId" from timebank_entries e where e.amount = 0
          or not exists (select 1 from timebank_postings p where p.id = e.posting_id) order by e.id limit 20`,
  )) {
    v.push({ check: 'entry_valid', message: `entry ${r.id} (posting ${r.postingId}) is zero or has no posting` });
  }

  const total = await queryOne<{ total: number }>(db, sql`select coalesce(sum(amount), 0)::bigint as total from timebank_entries`);
  if (Number(total?.total ?? 0) !== 0)
    v.push({ check: 'ledger_balanced', message: `all entries sum to ${toCredits(total?.total ?? 0)} credits, not 0` });

  for (const r of await query<{ id: string; name: string; balance: number; total: number }>(
    db,
    sql`select a.id, a.name, a.balance, coalesce(s.total, 0)::bigint as total from timebank_accounts a
        left join (select account_id, sum(amount) as total from timebank_entries group by account_id) s on s.account_id = a.id
        where a.balance <> coalesce(s.total, 0) order by a.id limit 20`,
  )) {
    v.push({
      check: 'balance_is_sum',
      message: `account ${r.id} (${r.name}): balance ${toCredits(r.balance)} but its entries sum to ${toCredits(r.total)}`,
    });
  }

  for (const r of await query<{ id: string; name: string; balance: number }>(
    db,
    sql`select id, name, balance from timebank_accounts where kind <> 'system' and balance < 0 order by id limit 20`,
  )) {
    v.push({ check: 'never_negative', message: `account ${r.id} (${r.name}) has a negative balance ${toCredits(r.balance)}` });
  }
  for (const r of await query<{ accountId: string; entryId: string; running: number }>(
    db,
    sql`select x.account_id as "accountId", x.id as "entryId", x.running from (
          select e.account_id, e.id, sum(e.amount) over (partition by e.account_id order by e.seq) as running
          from timebank_entries e join timebank_accounts a on a.id = e.account_id where a.kind <> 'system') x
        where x.running < 0 order by x.account_id, x.id limit 20`,
  )) {
    v.push({
      check: 'never_negative',
      message: `account ${r.accountId} went below zero (${toCredits(r.running)}) with entry ${r.entryId}`,
    });
  }

  for (const r of await query<{ id: string }>(
    db,
    sql`select p.id from timebank_postings p where p.kind = 'correction' and (p.corrects_posting_id is null or exists (
          select 1 from (select account_id, sum(amount) as s from timebank_entries where posting_id = p.id group by account_id) a
          full join (select account_id, -sum(amount) as s from timebank_entries where posting_id = p.corrects_posting_id group by account_id) b
            on a.account_id = b.account_id
          where a.s is distinct from b.s)) order by p.id limit 20`,
  )) {
    v.push({ check: 'correction_reverses', message: `correction ${r.id} is not the exact reverse of the posting it corrects` });
  }

  for (const r of await query<{ key: string; n: number }>(
    db,
    sql`select idempotency_key as key, count(*)::int as n from timebank_postings group by idempotency_key having count(*) > 1 limit 20`,
  )) {
    v.push({ check: 'idempotency_key_unique', message: `idempotency key ${JSON.stringify(r.key)} is used by ${r.n} postings` });
  }

  return {
    ok: v.length === 0,
    accounts: Number(counts?.accounts ?? 0),
    postings: Number(counts?.postings ?? 0),
    entries: Number(counts?.entries ?? 0),
    violations: v,
  };
}
