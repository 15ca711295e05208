import { SAVED_FILTER_LIMITS } from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { writeAudit } from '../audit/audit.service.js';
import type { CreateSavedFilterBody, UpdateSavedFilterBody } from './saved-filters.schemas.js';

export interface SavedFilterRow {
  id: string;
  page: string;
  name: string;
  query: string;
  createdAt: Date | string;
  updatedAt: Date | string;
}

/** Query parameters of paging: a saved filter names a selection, not a position in it. */
const PAGING_KEYS = new Set(['cursor']);

/**
 * The canonical form of a list's query string, or null when it is not one: printable ASCII only (the
 * browser percent-encodes everything else), no fragment, every part `key` or `key=value` with a non-empty
 * key and valid percent-escapes. A leading "?" and paging parameters are dropped.
 */
export function normaliseQuery(raw: string): string | null {
  const q = raw.startsWith('?') ? raw.slice(1) : raw;
  if (!/^[\x21-\x7e]*$/.test(q) || q.includes('#')) return null;
  const out = new URLSearchParams();
  for (const part of q.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const [rawKey, rawValue] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      return null;
    }
    if (!key.trim() || /\p{Cc}/u.test(key + value)) return null;
    if (!PAGING_KEYS.has(key)) out.append(key, value);
  }
  return out.toString();
}

function checkedQuery(raw: string): string {
  const q = normaliseQuery(raw);
  if (q === null) throw invalid('query', 'invalid_query', 'not a URL query string');
  if (q.length > SAVED_FILTER_LIMITS.queryMax) throw invalid('query', 'too_long', 'the query string is too long');
  return q;
}

const COLUMNS = sql`id, page, name, query, created_at as "createdAt", updated_at as "updatedAt"`;

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

const nameTaken = () =>
  new AppError('conflict', {
    status: 409,
    message: 'you already have a filter of that name on this page',
    details: [{ path: 'name', code: 'name_taken' }],
  });

async function assertNameFree(db: Db, actor: Actor, page: string, name: string, exceptId?: string) {
  const other = await queryOne<{ id: string }>(
    db,
    sql`select id from saved_filters where user_id = ${actor.userId} and page = ${page} and name = ${name}
        ${exceptId ? sql`and id <> ${exceptId}` : sql``}`,
  );
  if (other) throw nameTaken();
}

/** The actor's own saved filters, of one page or of all, by page and name. */
export async function findSavedFilters(db: Db, actor: Actor, f: { page?: string }): Promise<SavedFilterRow[]> {
  const conds: SQL[] = [sql`user_id = ${actor.userId}`];
  if (f.page) conds.push(sql`page = ${f.page}`);
  return query<SavedFilterRow>(db, sql`select ${COLUMNS} from saved_filters where ${sql.join(conds, sql` and `)} order by page, name, id`);
}

/** One of the actor's own saved filters; anyone else's is not found. */
export async function getSavedFilter(db: Db, actor: Actor, id: string): Promise<SavedFilterRow> {
  const row = await queryOne<SavedFilterRow>(db, sql`select ${COLUMNS} from saved_filters where id = ${id} and user_id = ${actor.userId}`);
  if (!row) throw notFound('saved_filter');
  return row;
}

const audit = (db: Db, actor: Actor, action: string, id: string, before?: SavedFilterRow, after?: SavedFilterRow) =>
  writeAudit(db, {
    actor,
    action: `saved_filter.${action}`,
    entityType: 'saved_filter',
    entityId: id,
    unitPath: actor.scopePath,
    before: before ? { page: before.page, name: before.name, query: before.query } : undefined,
    after: after ? { page: after.page, name: after.name, query: after.query } : undefined,
  });

/** Saves a filter of a page under a name, at most SAVED_FILTER_LIMITS.perPage per user and page; audited. */
export async function createSavedFilter(opts: { db: Db; actor: Actor; input: CreateSavedFilterBody }): Promise<SavedFilterRow> {
  const { db, actor, input } = opts;
  const q = checkedQuery(input.query);
  // Serialises the user's own saves: the count and the name check hold until the insert lands.
  await db.execute(sql`select id from users where id = ${actor.userId} for update`);
  const n = await queryOne<{ n: number }>(
    db,
    sql`select count(*)::int as n from saved_filters where user_id = ${actor.userId} and page = ${input.page}`,
  );
  if (Number(n?.n) >= SAVED_FILTER_LIMITS.perPage)
    throw new AppError('conflict', {
      status: 409,
      message: `at most ${SAVED_FILTER_LIMITS.perPage} saved filters per page`,
      details: [{ path: 'page', code: 'too_many_saved_filters' }],
    });
  await assertNameFree(db, actor, input.page, input.name);
  const id = newId();
  try {
    await db.execute(
      sql`insert into saved_filters (id, user_id, page, name, query) values (${id}, ${actor.userId}, ${input.page}, ${input.name}, ${q})`,
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
  const row = await getSavedFilter(db, actor, id);
  await audit(db, actor, 'created', id, undefined, row);
  return row;
}

/** Renames a saved filter (or replaces its query); audited. */
export async function updateSavedFilter(opts: { db: Db; actor: Actor; id: string; patch: UpdateSavedFilterBody }) {
  const { db, actor, id, patch } = opts;
  const before = await getSavedFilter(db, actor, id);
  const name = patch.name ?? before.name;
  const q = patch.query !== undefined ? checkedQuery(patch.query) : before.query;
  if (name === before.name && q === before.query) return before;
  if (name !== before.name) await assertNameFree(db, actor, before.page, name, id);
  try {
    await db.execute(
      sql`update saved_filters set name = ${name}, query = ${q}, updated_at = now() where id = ${id} and user_id = ${actor.userId}`,
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
  const after = await getSavedFilter(db, actor, id);
  await audit(db, actor, 'updated', id, before, after);
  return after;
}

export async function deleteSavedFilter(opts: { db: Db; actor: Actor; id: string }): Promise<void> {
  const { db, actor, id } = opts;
  const before = await getSavedFilter(db, actor, id);
  await db.execute(sql`delete from saved_filters where id = ${id} and user_id = ${actor.userId}`);
  await audit(db, actor, 'deleted', id, before);
}
