import { DEFAULT_CLIENT_FLAGS, fullPinyin, maskIdNumber, maskPhone, parseIdNumber, pinyinInitials, RISK_LEVELS } from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import type { FieldCrypto } from '../../platform/crypto.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { checkNewCategories } from '../settings/settings.service.js';
import { recomputeCadence, TODAY_SHANGHAI } from '../visits/visits.cadence.js';
import type { ClientListQuery, CreateClientBody, UpdateClientBody } from './clients.schemas.js';
import { detectDuplicates } from './duplicates.detect.js';

export interface ClientRow {
  id: string;
  name: string;
  idNumberEnc: string | null;
  idNumberMasked: string | null;
  sex: 'male' | 'female' | null;
  birthDate: string | null;
  ethnicity: string | null;
  phoneEnc: string | null;
  phoneMasked: string | null;
  address: string | null;
  householdId: string | null;
  householdRelation: string | null;
  contactsEnc: string | null;
  regionCode: string;
  regionName: string | null;
  unitId: string;
  unitName: string | null;
  unitPath: string;
  status: 'active' | 'moved' | 'deceased' | 'exited';
  statusDate: string | null;
  statusReason: string | null;
  riskLevel: 'high' | 'key' | 'general';
  tags: string[];
  categories: string[];
  flags: string[];
  responsibleUserId: string | null;
  responsibleName: string | null;
  lastVisitAt: Date | string | null;
  visitIntervalDays: number | null;
  nextVisitDue: string | null;
  version: number;
  createdAt: Date | string;
  updatedAt: Date | string;
}

const CLIENT_COLUMNS = sql`c.id, c.name, c.id_number_enc as "idNumberEnc", c.id_number_masked as "idNumberMasked", c.sex,
  c.birth_date::text as "birthDate", c.ethnicity, c.phone_enc as "phoneEnc", c.phone_masked as "phoneMasked", c.address,
  c.household_id as "householdId", c.household_relation as "householdRelation", c.contacts_enc as "contactsEnc",
  c.region_code as "regionCode", r.name as "regionName", c.unit_id as "unitId", u.name as "unitName", c.unit_path::text as "unitPath",
  c.status, c.status_date::text as "statusDate", c.status_reason as "statusReason", c.risk_level as "riskLevel", c.tags,
  array(select cc.category from client_categories cc where cc.client_id = c.id and (cc.end_date is null or cc.end_date >= current_date)
        order by cc.category) as categories,
  array(select f.flag from client_flags f where f.client_id = c.id and f.cleared_at is null order by f.flag) as flags,
  c.responsible_user_id as "responsibleUserId", ru.display_name as "responsibleName", c.last_visit_at as "lastVisitAt",
  c.visit_interval_days as "visitIntervalDays", c.next_visit_due::text as "nextVisitDue",
  c.version, c.created_at as "createdAt", c.updated_at as "updatedAt"`;
const CLIENT_JOINS = sql`left join regions r on r.code = c.region_code left join units u on u.id = c.unit_id
  left join users ru on ru.id = c.responsible_user_id`;
const CLIENT_FROM = sql`clients c ${CLIENT_JOINS}`;
/** Lists count their matches up to this many (+1): an exact count(*) of a province (10⁶ clients) costs more than the page. */
export const CLIENT_TOTAL_CAP = 10_000;
/**
 * In a province-wide (or national) view a search or filter counts its matches exactly up to this many: more, and
 * they are common (低保 of a province: 180,000 of 10⁶), so the page is read on its own and the total reads
 * "1,000+" — sorting them all for one page took 1.3 s (1M bench). Below a province the matches stay few enough to
 * be counted up to CLIENT_TOTAL_CAP with the page (a district's 低保: ~10,000, 100 ms; a 1,001-match probe before the
 * page made that 139 ms).
 */
export const CLIENT_SELECTIVE_CAP = 1_000;

const FLAG_CODES = new Set(DEFAULT_CLIENT_FLAGS.map((c) => c.value));

export interface SensitiveFields {
  idNumberEnc: string | null;
  idNumberIndex: string | null;
  idTailIndex: string | null;
  idNumberMasked: string | null;
  phoneEnc: string | null;
  phoneIndex: string | null;
  phoneTailIndex: string | null;
  phoneMasked: string | null;
}

const normalisePhone = (p: string) => p.replace(/[\s\-()]/g, '');

/** Encrypts an ID number and a phone and computes their blind indexes and masked forms. */
export function sealSensitive(crypto: FieldCrypto, idNumber: string | null, phone: string | null): SensitiveFields {
  const p = phone ? normalisePhone(phone) : null;
  return {
    idNumberEnc: idNumber ? crypto.encrypt(idNumber) : null,
    idNumberIndex: idNumber ? crypto.blindIndex(idNumber, 'id') : null,
    idTailIndex: idNumber ? crypto.blindIndex(idNumber.slice(-4), 'id_tail') : null,
    idNumberMasked: idNumber ? maskIdNumber(idNumber) : null,
    phoneEnc: p ? crypto.encrypt(p) : null,
    phoneIndex: p ? crypto.blindIndex(p, 'phone') : null,
    phoneTailIndex: p ? crypto.blindIndex(p.slice(-4), 'phone_tail') : null,
    phoneMasked: p ? maskPhone(p) : null,
  };
}

/**
 * Checks an ID number against GB 11643 and the sex and birth date given with it, which must agree
 * with what the number encodes. Returns the normalised 18-character number and derived fields.
 */
export function checkIdentity(input: { idNumber?: string | null; sex?: 'male' | 'female' | null; birthDate?: string | null }) {
  if (!input.idNumber) return { idNumber: null, sex: input.sex ?? null, birthDate: input.birthDate ?? null };
  const parsed = parseIdNumber(input.idNumber);
  if (!parsed.ok) {
    const messages = {
      format: 'an ID number has 18 characters (17 digits and a digit or X), or 15 digits',
      region: 'the ID number does not begin with a valid province code',
      birth_date: 'the birth date inside the ID number is not a real past date',
      checksum: 'the check character of the ID number is wrong (GB 11643)',
    } as const;
    throw invalid('idNumber', parsed.error, messages[parsed.error]);
  }
  const { number, sex, birthDate } = parsed.info;
  const details = [];
  if (input.sex && input.sex !== sex)
    details.push({ path: 'sex', code: 'mismatch', message: 'the sex differs from the one the ID number encodes' });
  if (input.birthDate && input.birthDate !== birthDate) {
    details.push({ path: 'birthDate', code: 'mismatch', message: 'the birth date differs from the one in the ID number' });
  }
  if (details.length) throw new AppError('validation_failed', { message: 'fields disagree with the ID number', details });
  return { idNumber: number, sex, birthDate };
}

function escapeLike(s: string) {
  return s.replace(/[%_\\]/g, (c) => `\\${c}`);
}

/**
 * The search predicate for `q`: what kind of text it is decides which index answers. Pinyin is two
 * alternatives (initials or full pinyin), searched as a UNION so that each is answered from its own
 * covering index alone; any other search is one predicate.
 */
function searchPredicate(crypto: FieldCrypto, raw: string): SQL | [SQL, SQL] {
  const q = raw.trim();
  const upper = q.toUpperCase();
  if (/^\d{17}[\dX]$/.test(upper) || /^\d{15}$/.test(q)) {
    const parsed = parseIdNumber(upper);
    const number = parsed.ok ? parsed.info.number : upper;
    return sql`c.id_number_index = ${crypto.blindIndex(number, 'id')}`;
  }
  if (/^[\d\s\-+()]{11,20}$/.test(q)) return sql`c.phone_index = ${crypto.blindIndex(normalisePhone(q), 'phone')}`;
  if (/^\d{3}[\dX]$/.test(upper)) {
    return sql`(c.id_tail_index = ${crypto.blindIndex(upper, 'id_tail')} or c.phone_tail_index = ${crypto.blindIndex(upper, 'phone_tail')})`;
  }
  if (/^[a-zA-Z]+$/.test(q)) {
    const lower = q.toLowerCase();
    return [sql`c.name_initials like ${`${lower}%`}`, sql`c.name_pinyin like ${`${lower}%`}`];
  }
  if (Array.from(q).length === 2) {
    // Two characters (张伟) give pg_trgm no trigram to search: the bigram indexes answer, exactly as a LIKE would.
    const pair = sql`array[${q}]::text[]`;
    return sql`(clients_bigrams(c.name) @> ${pair} or clients_bigrams(c.address) @> ${pair})`;
  }
  const like = `%${escapeLike(q)}%`;
  return sql`(c.name like ${like} or c.address like ${like})`;
}

const SORTS: Record<string, { col: SQL; desc: boolean; time: boolean }> = {
  name: { col: sql`c.name`, desc: false, time: false },
  '-name': { col: sql`c.name`, desc: true, time: false },
  createdAt: { col: sql`c.created_at`, desc: false, time: true },
  '-createdAt': { col: sql`c.created_at`, desc: true, time: true },
  updatedAt: { col: sql`c.updated_at`, desc: false, time: true },
  '-updatedAt': { col: sql`c.updated_at`, desc: true, time: true },
  nextVisitDue: { col: sql`coalesce(c.next_visit_due, '9999-12-31'::date)::text`, desc: false, time: false },
};

/**
 * The clients with one of the codes of a category filter: `dibao`, or `dibao@high` with a risk level —
 * one GIN entry each (clients_category_keys), so that a common category with a rare risk level is a short
 * posting list. `category_codes` may still hold a code whose period ended since it was written: where its
 * `category_codes_until` is past, client_categories decides (`offset 0` keeps that a per-row probe, not a
 * hash of every row of the category).
 */
function categoryPredicate(category: string, riskLevel: string | undefined): SQL {
  const key = riskLevel ? `${category}@${riskLevel}` : category;
  return sql`clients_category_keys(c.category_codes, c.risk_level) @> array[${key}]::text[] and c.category_codes @> array[${category}]::text[]
    and (c.category_codes_until is null or c.category_codes_until >= current_date
         or exists (select 1 from client_categories cc where cc.client_id = c.id and cc.category = ${category}
                    and (cc.end_date is null or cc.end_date >= current_date) offset 0))`;
}

/**
 * `unit_path <@ scope` again as a btree range (the subtree of an ltree path is a contiguous range from the
 * path to the path with '0' appended to its last label, the smallest label character), for the btree
 * indexes that begin with unit_path; the `<@` stays, so that the range is only ever a superset.
 */
function scopeRange(actor: Actor, column: SQL = sql`c.unit_path`): SQL {
  const path = actor.scopePath;
  if (path === null || path.length > 200) return sql`true`;
  return sql`${column} >= ${path}::ltree and ${column} < ${`${path}0`}::ltree`;
}

/**
 * A category filter (with a risk level, status or unit at most) in list order, answered from
 * client_category_postings alone: the page walks the category's postings in `updated_at` order (or, in a small
 * scope, reads the scope's range of them and sorts that), and the count is a range of the scope's postings —
 * index only either way. The GIN path (categoryPredicate) read and sorted every match's row: 105 ms for a
 * district's 低保 (9,751 of 50,000 clients, 1M bench), 14 ms now. Null when the query asks for more than the
 * postings hold (a search, flag, tag, worker or overdue filter, another sort).
 */
function categoryPostings(actor: Actor, q: ClientListQuery, after: (key: SQL, id: SQL) => SQL, desc: boolean, limit: number) {
  if (!q.category || q.q || q.flag || q.tag || q.responsibleUserId || q.overdue === 'true') return null;
  if (q.sort !== 'updatedAt' && q.sort !== '-updatedAt') return null;
  // Every risk level when none is asked for: three ranges of the scope index instead of a scan of the category.
  const risks = q.riskLevel ? [q.riskLevel] : [...RISK_LEVELS];
  const conds: SQL[] = [
    sql`p.category = ${q.category}`,
    sql`p.risk_level = any(${sql.param(risks)}::text[])`,
    scopeWhere(actor, sql`p.unit_path`),
    scopeRange(actor, sql`p.unit_path`),
  ];
  if (q.status) conds.push(sql`p.status = ${q.status}`);
  if (q.unitId) conds.push(sql`p.unit_path <@ (select path from units where id = ${q.unitId})`);
  // As in categoryPredicate: past `until`, client_categories decides (rare: a period ended since the codes were written).
  conds.push(sql`(p.until is null or p.until >= current_date or exists (select 1 from client_categories cc where cc.client_id = p.client_id
    and cc.category = ${q.category} and (cc.end_date is null or cc.end_date >= current_date) offset 0))`);
  const where = sql.join(conds, sql` and `);
  const dir = desc ? sql`desc` : sql`asc`;
  return {
    ids: sql`select p.client_id as id, null::int as n from client_category_postings p where ${where}
      and ${after(sql`p.updated_at`, sql`p.client_id`)} order by p.updated_at ${dir}, p.client_id ${dir} limit ${limit + 1}`,
    counted: sql`select count(*)::int as n from (select 1 from client_category_postings p where ${where} limit ${CLIENT_TOTAL_CAP + 1}) y`,
  };
}

/** Clients of the actor's part of the network, searched, filtered and paged by keyset. */
export async function findClients(db: Db, actor: Actor, crypto: FieldCrypto, q: ClientListQuery) {
  const conds: SQL[] = [scopeWhere(actor, sql`c.unit_path`)];
  const search = q.q ? searchPredicate(crypto, q.q) : null;
  if (q.category) conds.push(categoryPredicate(q.category, q.riskLevel));
  if (q.riskLevel) conds.push(sql`c.risk_level = ${q.riskLevel}`);
  if (q.status) conds.push(sql`c.status = ${q.status}`);
  if (q.unitId) conds.push(sql`c.unit_path <@ (select path from units where id = ${q.unitId})`);
  if (q.flag)
    conds.push(sql`exists (select 1 from client_flags f where f.client_id = c.id and f.flag = ${q.flag} and f.cleared_at is null)`);
  if (q.tag) conds.push(sql`${q.tag} = any(c.tags)`);
  if (q.overdue === 'true') conds.push(sql`c.status = 'active' and c.next_visit_due < ${TODAY_SHANGHAI}`);
  if (q.responsibleUserId) conds.push(sql`c.responsible_user_id = ${q.responsibleUserId}`);
  const sort = SORTS[q.sort] ?? SORTS['-updatedAt'];
  const cursor = decodeCursor(q.cursor, 2);
  const dir = sort.desc ? sql`desc` : sql`asc`;
  const after = (key: SQL, id: SQL) =>
    cursor
      ? sql`(${key}, ${id}) ${sort.desc ? sql`<` : sql`>`} (${sort.time ? sql`${cursor[0]}::timestamptz` : sql`${cursor[0]}`}, ${cursor[1]}::uuid)`
      : sql`true`;
  const cap = CLIENT_TOTAL_CAP + 1;
  const wide = actor.scopePath === null || !actor.scopePath.includes('.');
  const exactUpTo = wide ? CLIENT_SELECTIVE_CAP : CLIENT_TOTAL_CAP;
  const probe = exactUpTo + 1;
  // A search or a category/flag/tag/worker filter is answered by its own index: its matches are few enough
  // to be read, counted and sorted in one statement (walking the sort index instead read 10⁵ rows for one
  // page on 10⁶ clients when the planner misjudged how rare the matches are in a large scope).
  const selective = Boolean(search || q.category || q.flag || q.tag || q.responsibleUserId);
  let ids: SQL;
  let counted: SQL | null = null;
  let dense: SQL | null = null;
  const postings = categoryPostings(actor, q, after, sort.desc, q.limit);
  if (postings) {
    ids = postings.ids;
    counted = postings.counted;
  } else if (selective) {
    const branches = Array.isArray(search) ? search : [search ?? sql`true`];
    const branchSql = branches.map((b) => sql`select c.id, ${sort.col} as k from clients c where ${sql.join([...conds, b], sql` and `)}`);
    const matches = sql.join(branchSql, sql` union `);
    // The probe streams the branches (`union all`: a `union` hashes every match of both before the limit — all of
    // a province's `zs%` initials for one page) and removes the duplicates after: a client in both branches is
    // read at most twice, so `branches × probe` rows hold at least `probe` distinct matches when they are not all.
    const reads = probe * branches.length;
    const probed = sql`select ${branches.length > 1 ? sql`distinct` : sql``} * from (select * from (${sql.join(branchSql, sql` union all `)}) x0 limit ${reads}) x1`;
    // The page's keys and the number of the matches (before the cursor) in one pass over at most `probe` of
    // them, in the order the index gives them: when that is all of them, the page is right and the total exact.
    ids = sql`select m.id, m.n from (select x.id, x.k, count(*) over () as n from (${probed}) x) m
      where ${after(sql`m.k`, sql`m.id`)} order by m.k ${dir}, m.id ${dir} limit ${q.limit + 1}`;
    counted = sql`select count(*)::int as n from (${probed}) y`;
    // More matches than that: they are common, so the page walks the sort index and stops after a page.
    dense =
      branches.length === 1
        ? sql`select c.id, null::int as n from clients c where ${sql.join([...conds, branches[0]], sql` and `)}
            and ${after(sort.col, sql`c.id`)} order by ${sort.col} ${dir}, c.id ${dir} limit ${q.limit + 1}`
        : sql`select x.id, null::int as n from (${matches}) x where ${after(sql`x.k`, sql`x.id`)}
            order by x.k ${dir}, x.id ${dir} limit ${q.limit + 1}`;
  } else {
    // The page walks the sort index (the overdue list: clients_active_updated_at_idx, from the index alone).
    // The count stops at the cap, and counts the active clients first: the scope as a range of
    // clients_active_unit_path_due_idx, from the index alone (~2 ms for 10,001 of a district's 50,000). Only
    // when they do not reach the cap are the others (moved, deceased, exited: ~8 %) counted, by the scope's
    // GiST bitmap — a small scope then. Counting all statuses at once let the planner pick a sequential scan
    // that stops at the cap: 62 ms for a district whose rows lie behind 190,000 others (1M bench, quiet machine).
    const where = sql.join(conds, sql` and `);
    ids = sql`select c.id, null::int as n from clients c where ${where} and ${after(sort.col, sql`c.id`)}
      order by ${sort.col} ${dir}, c.id ${dir} limit ${q.limit + 1}`;
    const activeOnly = q.overdue === 'true' || q.status === 'active';
    const active = sql`select count(*)::int as n from (select 1 from clients c where ${where}
      and c.status = 'active' and ${scopeRange(actor)} limit ${cap}) y`;
    counted = activeOnly
      ? active
      : q.status
        ? sql`select count(*)::int as n from (select 1 from clients c where ${where} limit ${cap}) y`
        : sql`select (a.n + case when a.n >= ${cap} then 0 else (select count(*)::int from (select 1 from clients c
          where ${where} and c.status <> 'active' limit ${cap}) z) end)::int as n from (${active}) a`;
  }
  // The page's ids first (what the indexes answer), then the columns, joins and sub-selects for those rows only —
  // in the actor's scope by the client row itself too (the postings are a copy kept by triggers).
  const pageOf = (pageIds: SQL) =>
    query<ClientRow & { n: number | null }>(
      db,
      sql`select ${CLIENT_COLUMNS}, p.n from (${pageIds}) p join clients c on c.id = p.id ${CLIENT_JOINS}
        where ${scopeWhere(actor, sql`c.unit_path`)} order by ${sort.col} ${dir}, c.id ${dir}`,
    );
  let rows = await pageOf(ids);
  let n: number;
  if (selective && !postings && rows.length) n = Number(rows[0].n);
  else if (selective && !postings && !cursor) n = 0;
  else n = Number((await queryOne<{ n: number }>(db, counted))?.n ?? 0);
  const common = dense !== null && n >= probe;
  if (dense && common) rows = await pageOf(dense);
  const items: ClientRow[] = rows.slice(0, q.limit).map(({ n: _n, ...r }) => r);
  const last = items[items.length - 1];
  const key = (r: ClientRow) =>
    sort.time
      ? new Date(q.sort.includes('created') ? r.createdAt : r.updatedAt).toISOString()
      : q.sort === 'nextVisitDue'
        ? (r.nextVisitDue ?? '9999-12-31')
        : r.name;
  return {
    items,
    nextCursor: rows.length > q.limit && last ? encodeCursor([key(last), last.id]) : null,
    /** Exact up to CLIENT_TOTAL_CAP (a search or filter province-wide: CLIENT_SELECTIVE_CAP); beyond it that cap with totalCapped (a lower bound). */
    total: common ? exactUpTo : Math.min(n, CLIENT_TOTAL_CAP),
    totalCapped: common || n > CLIENT_TOTAL_CAP,
  };
}

/** A client in the actor's scope; outside it, the same 404 as for one that does not exist. */
export async function getClient(db: Db, actor: Actor, id: string, forUpdate = false): Promise<ClientRow> {
  const row = await queryOne<ClientRow>(
    db,
    sql`select ${CLIENT_COLUMNS} from ${CLIENT_FROM} where c.id = ${id} ${forUpdate ? sql`for update of c` : sql``}`,
  );
  if (!row) throw notFound('client');
  assertInScope(actor, row.unitPath, 'client_not_found');
  return row;
}

/** The owning unit and community of a record: an office/point gives its own village; a station needs one of its villages. */
async function placeClient(db: Db, actor: Actor, unitId: string, regionCode?: string) {
  const unit = await queryOne<{ id: string; kind: string; path: string; region_code: string; region_path: string }>(
    db,
    sql`select id, kind, path::text as path, region_code, region_path::text as region_path from units where id = ${unitId}`,
  );
  if (!unit || !inScope(actor, unit.path)) throw invalid('unitId', 'unknown_unit', 'no such unit in your part of the network');
  if (!['station', 'office', 'point'].includes(unit.kind))
    throw invalid('unitId', 'wrong_unit_kind', 'clients belong to a station, office or point');
  const code = regionCode ?? (unit.kind === 'station' ? undefined : unit.region_code);
  if (!code) throw invalid('regionCode', 'required', 'choose the village/community the client lives in');
  const region = await queryOne<{ code: string }>(
    db,
    sql`select code from regions where code = ${code} and level = 5 and path <@ ${unit.region_path}::ltree`,
  );
  if (!region) throw invalid('regionCode', 'outside_unit', 'the village/community must lie within the unit');
  return { unitPath: unit.path, regionCode: code };
}

async function checkResponsible(db: Db, actor: Actor, userId: string | null | undefined) {
  if (!userId) return;
  const u = await queryOne<{ unit_path: string | null }>(
    db,
    sql`select unit_path::text as unit_path from users where id = ${userId} and status = 'active'`,
  );
  if (!u || !inScope(actor, u.unit_path))
    throw invalid('responsibleUserId', 'unknown_user', 'the responsible worker must be an active user of your part of the network');
}

/** New category entries: active categories of the deployment's list (a retired one stays only where it is). */
async function checkCategories(db: Db, cats: { category: string; startDate: string; endDate?: string | null }[], single = false) {
  const at = (i: number, f: string) => (single ? f : `categories.${i}.${f}`);
  await checkNewCategories(
    db,
    cats.map((c, i) => ({ code: c.category, path: at(i, 'category') })),
  );
  cats.forEach((c, i) => {
    if (c.endDate && c.endDate < c.startDate) throw invalid(at(i, 'endDate'), 'before_start', 'a category cannot end before it starts');
  });
}

async function checkHousehold(db: Db, actor: Actor, householdId: string | null | undefined) {
  if (!householdId) return;
  const h = await queryOne<{ unit_path: string }>(db, sql`select unit_path::text as unit_path from households where id = ${householdId}`);
  if (!h || !inScope(actor, h.unit_path))
    throw invalid('householdId', 'unknown_household', 'no such household in your part of the network');
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

const duplicateError = () =>
  new AppError('conflict', {
    status: 409,
    message: 'a client with this ID number is already registered',
    details: [{ path: 'idNumber', code: 'duplicate' }],
  });

/** What the audit log keeps of a client: never the clear ID number, phone or contacts. */
export function auditView(c: ClientRow) {
  const {
    idNumberEnc: _i,
    phoneEnc: _p,
    contactsEnc: _c,
    regionName: _r,
    unitName: _u,
    responsibleName: _rn,
    lastVisitAt: _lv,
    nextVisitDue: _nd,
    visitIntervalDays: _vi,
    createdAt: _ca,
    updatedAt: _ua,
    ...rest
  } = c;
  return rest;
}

/** Registers a client; the ID number must be unique in the deployment. */
export async function createClient(opts: { db: Db; actor: Actor; crypto: FieldCrypto; input: CreateClientBody }): Promise<ClientRow> {
  const { db, actor, crypto, input } = opts;
  const identity = checkIdentity(input);
  const { unitPath, regionCode } = await placeClient(db, actor, input.unitId, input.regionCode);
  await checkCategories(db, input.categories);
  await checkHousehold(db, actor, input.householdId);
  await checkResponsible(db, actor, input.responsibleUserId);
  const sealed = sealSensitive(crypto, identity.idNumber, input.phone ?? null);
  if (sealed.idNumberIndex) {
    const dup = await queryOne<{ id: string }>(db, sql`select id from clients where id_number_index = ${sealed.idNumberIndex}`);
    if (dup) throw duplicateError();
  }
  const id = newId();
  // Whoever registers a client at a station or community answers for the visits until someone else is named.
  const responsible =
    input.responsibleUserId !== undefined
      ? input.responsibleUserId
      : ['station_head', 'station_worker', 'community_worker'].includes(actor.role)
        ? actor.userId
        : null;
  const contacts = input.contacts.length ? crypto.encrypt(JSON.stringify(input.contacts)) : null;
  try {
    await db.execute(sql`insert into clients (id, name, name_pinyin, name_initials, id_number_enc, id_number_index, id_tail_index,
        id_number_masked, sex, birth_date, ethnicity, phone_enc, phone_index, phone_tail_index, phone_masked, address, household_id,
        household_relation, contacts_enc, region_code, unit_id, unit_path, risk_level, tags, responsible_user_id, created_by)
      values (${id}, ${input.name}, ${fullPinyin(input.name)}, ${pinyinInitials(input.name)}, ${sealed.idNumberEnc}, ${sealed.idNumberIndex},
        ${sealed.idTailIndex}, ${sealed.idNumberMasked}, ${identity.sex}, ${identity.birthDate}, ${input.ethnicity ?? null},
        ${sealed.phoneEnc}, ${sealed.phoneIndex}, ${sealed.phoneTailIndex}, ${sealed.phoneMasked}, ${input.address ?? null},
        ${input.householdId ?? null}, ${input.householdRelation ?? null}, ${contacts}, ${regionCode}, ${input.unitId}, ${unitPath}::ltree,
        ${input.riskLevel}, ${sql.param(input.tags)}::text[], ${responsible}, ${actor.userId})`);
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateError();
    throw err;
  }
  for (const c of input.categories) {
    await db.execute(sql`insert into client_categories (id, client_id, category, subtype, start_date, end_date, source, unit_path)
      values (${newId()}, ${id}, ${c.category}, ${c.subtype ?? null}, ${c.startDate}, ${c.endDate ?? null}, ${c.source ?? null}, ${unitPath}::ltree)`);
  }
  await recomputeCadence(db, [id]);
  await detectDuplicates(db, id);
  const client = await getClient(db, actor, id);
  await writeAudit(db, { actor, action: 'client.created', entityType: 'client', entityId: id, unitPath, after: auditView(client) });
  return client;
}

/** Changes a client (optimistic locking); leaving the ledger (moved, deceased, exited) needs a date and a reason. */
export async function updateClient(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  id: string;
  patch: UpdateClientBody;
}): Promise<ClientRow> {
  const { db, actor, crypto, id, patch } = opts;
  const before = await getClient(db, actor, id, true);
  if (before.version !== patch.version) throw stale('client');
  const set: SQL[] = [sql`version = version + 1`, sql`updated_at = now()`];
  if (patch.idNumber !== undefined || patch.sex !== undefined || patch.birthDate !== undefined) {
    const currentId = before.idNumberEnc ? crypto.decrypt(before.idNumberEnc) : null;
    const identity = checkIdentity({
      idNumber: patch.idNumber === undefined ? currentId : patch.idNumber,
      sex: patch.sex === undefined ? (patch.idNumber !== undefined ? null : before.sex) : patch.sex,
      birthDate: patch.birthDate === undefined ? (patch.idNumber !== undefined ? null : before.birthDate) : patch.birthDate,
    });
    const sealed = sealSensitive(crypto, identity.idNumber, null);
    if (sealed.idNumberIndex) {
      const dup = await queryOne<{ id: string }>(
        db,
        sql`select id from clients where id_number_index = ${sealed.idNumberIndex} and id <> ${id}`,
      );
      if (dup) throw duplicateError();
    }
    set.push(sql`id_number_enc = ${sealed.idNumberEnc}, id_number_index = ${sealed.idNumberIndex}, id_tail_index = ${sealed.idTailIndex},
      id_number_masked = ${sealed.idNumberMasked}, sex = ${identity.sex}, birth_date = ${identity.birthDate}`);
  }
  if (patch.phone !== undefined) {
    const sealed = sealSensitive(crypto, null, patch.phone);
    set.push(sql`phone_enc = ${sealed.phoneEnc}, phone_index = ${sealed.phoneIndex}, phone_tail_index = ${sealed.phoneTailIndex},
      phone_masked = ${sealed.phoneMasked}`);
  }
  if (patch.name !== undefined)
    set.push(sql`name = ${patch.name}, name_pinyin = ${fullPinyin(patch.name)}, name_initials = ${pinyinInitials(patch.name)}`);
  if (patch.unitId !== undefined || patch.regionCode !== undefined) {
    const place = await placeClient(
      db,
      actor,
      patch.unitId ?? before.unitId,
      patch.regionCode ?? (patch.unitId ? undefined : before.regionCode),
    );
    set.push(sql`unit_id = ${patch.unitId ?? before.unitId}, unit_path = ${place.unitPath}::ltree, region_code = ${place.regionCode}`);
  }
  if (patch.householdId !== undefined) {
    await checkHousehold(db, actor, patch.householdId);
    set.push(sql`household_id = ${patch.householdId}`);
  }
  if (patch.contacts !== undefined)
    set.push(sql`contacts_enc = ${patch.contacts.length ? crypto.encrypt(JSON.stringify(patch.contacts)) : null}`);
  if (patch.tags !== undefined) set.push(sql`tags = ${sql.param(patch.tags)}::text[]`);
  if (patch.responsibleUserId !== undefined) {
    await checkResponsible(db, actor, patch.responsibleUserId);
    set.push(sql`responsible_user_id = ${patch.responsibleUserId}`);
  }
  const simple: [keyof UpdateClientBody, string][] = [
    ['ethnicity', 'ethnicity'],
    ['address', 'address'],
    ['householdRelation', 'household_relation'],
    ['riskLevel', 'risk_level'],
    ['status', 'status'],
    ['statusDate', 'status_date'],
    ['statusReason', 'status_reason'],
  ];
  for (const [key, col] of simple) if (patch[key] !== undefined) set.push(sql`${sql.identifier(col)} = ${patch[key] as string | null}`);
  const status = patch.status ?? before.status;
  if (status !== 'active' && patch.status && patch.status !== before.status && (!patch.statusDate || !patch.statusReason)) {
    throw new AppError('validation_failed', {
      message: 'leaving the ledger needs a date and a reason',
      details: [
        ...(!patch.statusDate ? [{ path: 'statusDate', code: 'required' }] : []),
        ...(!patch.statusReason ? [{ path: 'statusReason', code: 'required' }] : []),
      ],
    });
  }
  try {
    const done = await queryOne<{ id: string }>(
      db,
      sql`update clients set ${sql.join(set, sql`, `)} where id = ${id} and version = ${patch.version} returning id`,
    );
    if (!done) throw stale('client');
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateError();
    throw err;
  }
  if (patch.riskLevel !== undefined || patch.status !== undefined) await recomputeCadence(db, [id]);
  const after = await getClient(db, { ...actor, scopePath: null }, id);
  if (!inScope(actor, after.unitPath)) throw invalid('unitId', 'unknown_unit', 'no such unit in your part of the network');
  await writeAudit(db, {
    actor,
    action: 'client.updated',
    entityType: 'client',
    entityId: id,
    unitPath: after.unitPath,
    before: auditView(before),
    after: auditView(after),
  });
  return after;
}

export interface CategoryRow {
  id: string;
  category: string;
  subtype: string | null;
  startDate: string;
  endDate: string | null;
  source: string | null;
  active: boolean;
}
export interface FlagRow {
  id: string;
  flag: string;
  reason: string;
  setAt: Date | string;
  setByName: string | null;
  clearedAt: Date | string | null;
  clearReason: string | null;
}

export async function clientHistory(db: Db, clientId: string) {
  const categories = await query<CategoryRow>(
    db,
    sql`select id, category, subtype, start_date::text as "startDate", end_date::text as "endDate", source,
          (end_date is null or end_date >= current_date) as active
        from client_categories where client_id = ${clientId} order by start_date desc, category`,
  );
  const flags = await query<FlagRow>(
    db,
    sql`select f.id, f.flag, f.reason, f.set_at as "setAt", u.display_name as "setByName", f.cleared_at as "clearedAt", f.clear_reason as "clearReason"
        from client_flags f left join users u on u.id = f.set_by where f.client_id = ${clientId} order by f.set_at desc`,
  );
  return { categories, flags };
}

export async function householdMembers(db: Db, actor: Actor, client: ClientRow) {
  if (!client.householdId) return [];
  return query<{ id: string; name: string; relation: string | null }>(
    db,
    sql`select c.id, c.name, c.household_relation as relation from clients c
        where c.household_id = ${client.householdId} and c.id <> ${client.id} and ${scopeWhere(actor, sql`c.unit_path`)} order by c.name`,
  );
}

export type Contact = { name: string; relation: string; phone?: string | null };

export function decryptContacts(crypto: FieldCrypto, client: ClientRow): Contact[] {
  return client.contactsEnc ? (JSON.parse(crypto.decrypt(client.contactsEnc)) as Contact[]) : [];
}

/** Reveals one sensitive field in full. Needs the reveal permission and a reason; every reveal is audited. */
export async function revealField(opts: {
  db: Db;
  actor: Actor;
  crypto: FieldCrypto;
  id: string;
  field: 'idNumber' | 'phone' | 'contacts';
  reason: string;
}) {
  const { db, actor, crypto, id, field, reason } = opts;
  const client = await getClient(db, actor, id);
  let value: string | { name: string; relation: string; phone: string | null }[] | null = null;
  if (field === 'idNumber') value = client.idNumberEnc ? crypto.decrypt(client.idNumberEnc) : null;
  if (field === 'phone') value = client.phoneEnc ? crypto.decrypt(client.phoneEnc) : null;
  if (field === 'contacts') value = decryptContacts(crypto, client).map((c) => ({ ...c, phone: c.phone ?? null }));
  await writeAudit(db, {
    actor,
    action: 'client.revealed',
    entityType: 'client',
    entityId: id,
    unitPath: client.unitPath,
    after: { field, reason },
  });
  return { field, value };
}

export async function setFlag(opts: { db: Db; actor: Actor; id: string; flag: string; reason: string }) {
  const { db, actor, id, flag, reason } = opts;
  if (!FLAG_CODES.has(flag)) throw invalid('flag', 'unknown_flag', `unknown flag ${flag}`);
  const client = await getClient(db, actor, id, true);
  if (client.flags.includes(flag))
    throw new AppError('conflict', { status: 409, message: 'this flag is already set', details: [{ path: 'flag', code: 'already_set' }] });
  const flagId = newId();
  await db.execute(sql`insert into client_flags (id, client_id, flag, reason, set_by, unit_path)
    values (${flagId}, ${id}, ${flag}, ${reason}, ${actor.userId}, ${client.unitPath}::ltree)`);
  await db.execute(sql`update clients set updated_at = now(), version = version + 1 where id = ${id}`);
  await writeAudit(db, {
    actor,
    action: 'client.flag_set',
    entityType: 'client',
    entityId: id,
    unitPath: client.unitPath,
    after: { flag, reason },
  });
}

export async function clearFlag(opts: { db: Db; actor: Actor; id: string; flagId: string; reason: string }) {
  const { db, actor, id, flagId, reason } = opts;
  const client = await getClient(db, actor, id, true);
  const done = await queryOne<{ flag: string }>(
    db,
    sql`update client_flags set cleared_at = now(), cleared_by = ${actor.userId}, clear_reason = ${reason}, updated_at = now()
        where id = ${flagId} and client_id = ${id} and cleared_at is null returning flag`,
  );
  if (!done) throw notFound('flag');
  await db.execute(sql`update clients set updated_at = now(), version = version + 1 where id = ${id}`);
  await writeAudit(db, {
    actor,
    action: 'client.flag_cleared',
    entityType: 'client',
    entityId: id,
    unitPath: client.unitPath,
    after: { flag: done.flag, reason },
  });
}

export async function addCategory(opts: {
  db: Db;
  actor: Actor;
  id: string;
  input: { category: string; subtype?: string | null; startDate: string; endDate?: string | null; source?: string | null };
}) {
  const { db, actor, id, input } = opts;
  const client = await getClient(db, actor, id, true);
  await checkCategories(db, [input], true);
  const open = await queryOne<{ id: string }>(
    db,
    sql`select id from client_categories where client_id = ${id} and category = ${input.category} and (end_date is null or end_date >= ${input.startDate})`,
  );
  if (open)
    throw new AppError('conflict', {
      status: 409,
      message: 'the client already has this category for that period',
      details: [{ path: 'category', code: 'overlap' }],
    });
  await db.execute(sql`insert into client_categories (id, client_id, category, subtype, start_date, end_date, source, unit_path)
    values (${newId()}, ${id}, ${input.category}, ${input.subtype ?? null}, ${input.startDate}, ${input.endDate ?? null}, ${input.source ?? null}, ${client.unitPath}::ltree)`);
  await db.execute(sql`update clients set updated_at = now(), version = version + 1 where id = ${id}`);
  await writeAudit(db, {
    actor,
    action: 'client.category_added',
    entityType: 'client',
    entityId: id,
    unitPath: client.unitPath,
    after: input,
  });
}

export async function endCategory(opts: { db: Db; actor: Actor; id: string; categoryId: string; endDate: string; reason?: string }) {
  const { db, actor, id, categoryId, endDate } = opts;
  const client = await getClient(db, actor, id, true);
  const row = await queryOne<{ start_date: string; category: string }>(
    db,
    sql`select start_date::text as start_date, category from client_categories where id = ${categoryId} and client_id = ${id}`,
  );
  if (!row) throw notFound('category');
  if (endDate < row.start_date) throw invalid('endDate', 'before_start', 'a category cannot end before it starts');
  await db.execute(sql`update client_categories set end_date = ${endDate}, updated_at = now() where id = ${categoryId}`);
  await db.execute(sql`update clients set updated_at = now(), version = version + 1 where id = ${id}`);
  await recomputeCadence(db, [id]);
  await writeAudit(db, {
    actor,
    action: 'client.category_ended',
    entityType: 'client',
    entityId: id,
    unitPath: client.unitPath,
    after: { category: row.category, endDate, reason: opts.reason ?? null },
  });
}
