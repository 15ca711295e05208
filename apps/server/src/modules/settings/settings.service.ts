import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { writeAudit } from '../audit/audit.service.js';
import type { CreateCategoryBody, UpdateCategoryBody } from './settings.schemas.js';

/**
 * The deployment's list of client categories (category_definitions). Every check of a category code —
 * registering a client, adding a category, the import, the export's labels, the cadence rules — reads the
 * table here, per request: the list is a few dozen rows, and several servers may share one database, so a
 * process cache could hand out a list another server has just changed.
 */

export interface CategoryDefinition {
  code: string;
  labelZh: string;
  labelEn: string;
  sortOrder: number;
  active: boolean;
  builtin: boolean;
  version: number;
  updatedAt: Date | string;
}

export interface CategoryRow extends CategoryDefinition {
  /** Some client has (or had) this category. */
  used: boolean;
}

const COLUMNS = sql`d.code, d.label_zh as "labelZh", d.label_en as "labelEn", d.sort_order as "sortOrder", d.active, d.builtin,
  d.version, d.updated_at as "updatedAt"`;
const ORDER = sql`order by d.sort_order, d.code`;

/** All categories, retired ones included, in list order. */
export async function categoryDefinitions(db: Db): Promise<CategoryDefinition[]> {
  return query<CategoryDefinition>(db, sql`select ${COLUMNS} from category_definitions d ${ORDER}`);
}

/** All categories with whether any client has (or had) each: one index probe per category. */
export async function findCategories(db: Db): Promise<CategoryRow[]> {
  return query<CategoryRow>(
    db,
    sql`select ${COLUMNS}, exists (select 1 from client_categories cc where cc.category = d.code) as used
        from category_definitions d ${ORDER}`,
  );
}

export async function getCategory(db: Db, code: string, forUpdate = false): Promise<CategoryRow> {
  const row = await queryOne<CategoryRow>(
    db,
    sql`select ${COLUMNS}, exists (select 1 from client_categories cc where cc.category = d.code) as used
        from category_definitions d where d.code = ${code} ${forUpdate ? sql`for update` : sql``}`,
  );
  if (!row) throw notFound('category');
  return row;
}

/** The list as the other modules use it: look-ups by code and by label, labels for sheets. */
export interface CategoryCatalogue {
  list: CategoryDefinition[];
  byCode: Map<string, CategoryDefinition>;
  /** The category a sheet cell names: its Chinese label, its code or its English label (any case). */
  lookup(text: string): CategoryDefinition | undefined;
  /** Chinese label of a code (the code itself when it is not in the list). */
  labelZh(code: string): string;
}

export async function loadCategories(db: Db): Promise<CategoryCatalogue> {
  const list = await categoryDefinitions(db);
  const byCode = new Map(list.map((c) => [c.code, c]));
  const byText = new Map<string, CategoryDefinition>();
  // Codes and English labels first, so that a Chinese label (unique in the deployment) wins a clash.
  for (const c of list) {
    byText.set(c.labelEn.toLowerCase(), c);
    byText.set(c.code, c);
  }
  for (const c of list) byText.set(c.labelZh, c);
  return {
    list,
    byCode,
    lookup: (text) => byText.get(text.trim()) ?? byText.get(text.trim().toLowerCase()),
    labelZh: (code) => byCode.get(code)?.labelZh ?? code,
  };
}

/**
 * Checks category codes given to a client as new entries: each must be in the list and active. A retired
 * category stays valid on the clients that have it, but nobody gets it anew. `path` names the field at fault.
 */
export async function checkNewCategories(db: Db, entries: { code: string; path: string }[]): Promise<void> {
  if (entries.length === 0) return;
  const { byCode } = await loadCategories(db);
  for (const e of entries) {
    const def = byCode.get(e.code);
    if (!def) throw invalid(e.path, 'unknown_category', `unknown category ${e.code}`);
    if (!def.active)
      throw invalid(e.path, 'retired_category', `the category ${def.labelZh} (${e.code}) is retired: it is given to nobody new`);
  }
}

/** Codes that are not in the list at all (retired ones are in it). */
export async function unknownCategoryCodes(db: Db, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const { byCode } = await loadCategories(db);
  return codes.filter((c) => !byCode.has(c));
}

// ------------------------------------------------------------------------------------------ changes

/** Serialises changes of the list, so that two administrators cannot give two categories one label. */
async function lockList(db: Db) {
  await db.execute(sql`select pg_advisory_xact_lock(727002)`);
}

async function checkLabelsFree(db: Db, labels: { labelZh?: string; labelEn?: string }, exceptCode: string | null) {
  const others = (await categoryDefinitions(db)).filter((c) => c.code !== exceptCode);
  if (labels.labelZh !== undefined && others.some((c) => c.labelZh === labels.labelZh))
    throw new AppError('conflict', {
      status: 409,
      message: `another category is already called ${labels.labelZh}`,
      details: [{ path: 'labelZh', code: 'duplicate_label', message: 'another category has this label' }],
    });
  const en = labels.labelEn?.toLowerCase();
  if (en !== undefined && others.some((c) => c.labelEn.toLowerCase() === en))
    throw new AppError('conflict', {
      status: 409,
      message: `another category is already called ${labels.labelEn}`,
      details: [{ path: 'labelEn', code: 'duplicate_label', message: 'another category has this label' }],
    });
}

const auditView = (c: CategoryDefinition) => ({
  code: c.code,
  labelZh: c.labelZh,
  labelEn: c.labelEn,
  sortOrder: Number(c.sortOrder),
  active: c.active,
  builtin: c.builtin,
  version: Number(c.version),
});

/** Adds a category to the deployment's list (active, after the last one unless a sort order is given); audited. */
export async function createCategory(opts: { db: Db; actor: Actor; input: CreateCategoryBody }): Promise<CategoryRow> {
  const { db, actor, input } = opts;
  await lockList(db);
  const existing = await queryOne<{ code: string }>(db, sql`select code from category_definitions where code = ${input.code}`);
  if (existing)
    throw new AppError('conflict', {
      status: 409,
      message: `a category with the code ${input.code} already exists`,
      details: [{ path: 'code', code: 'duplicate_code', message: 'this code is taken' }],
    });
  await checkLabelsFree(db, input, null);
  const next = await queryOne<{ n: number }>(db, sql`select coalesce(max(sort_order), 0) + 10 as n from category_definitions`);
  await db.execute(sql`insert into category_definitions (code, label_zh, label_en, sort_order, active, builtin)
    values (${input.code}, ${input.labelZh}, ${input.labelEn}, ${input.sortOrder ?? Number(next?.n ?? 10)}, true, false)`);
  const after = await getCategory(db, input.code);
  await writeAudit(db, {
    actor,
    action: 'settings.category_created',
    entityType: 'category',
    entityId: input.code,
    unitPath: actor.scopePath,
    after: auditView(after),
  });
  return after;
}

/** Renames, reorders, retires or reactivates a category; the version read must still be current (409). Audited. */
export async function updateCategory(opts: { db: Db; actor: Actor; code: string; patch: UpdateCategoryBody }): Promise<CategoryRow> {
  const { db, actor, code, patch } = opts;
  await lockList(db);
  const before = await getCategory(db, code, true);
  if (Number(before.version) !== patch.version) throw stale('category');
  await checkLabelsFree(db, patch, code);
  const set = [sql`version = version + 1`, sql`updated_at = now()`];
  if (patch.labelZh !== undefined) set.push(sql`label_zh = ${patch.labelZh}`);
  if (patch.labelEn !== undefined) set.push(sql`label_en = ${patch.labelEn}`);
  if (patch.sortOrder !== undefined) set.push(sql`sort_order = ${patch.sortOrder}`);
  if (patch.active !== undefined) set.push(sql`active = ${patch.active}`);
  const updated = await queryOne<{ code: string }>(
    db,
    sql`update category_definitions set ${sql.join(set, sql`, `)} where code = ${code} and version = ${patch.version} returning code`,
  );
  if (!updated) throw stale('category');
  const after = await getCategory(db, code);
  const action =
    patch.active === false && before.active
      ? 'settings.category_retired'
      : patch.active === true && !before.active
        ? 'settings.category_reactivated'
        : 'settings.category_updated';
  await writeAudit(db, {
    actor,
    action,
    entityType: 'category',
    entityId: code,
    unitPath: actor.scopePath,
    before: auditView(before),
    after: auditView(after),
  });
  return after;
}

/**
 * Deletes a category that was added by mistake: never one of the defaults, never one a client has or had
 * (retire those instead, so that history keeps its label). Cadence rules of the category go with it. Audited.
 */
export async function deleteCategory(opts: { db: Db; actor: Actor; code: string; version: number }): Promise<void> {
  const { db, actor, code, version } = opts;
  await lockList(db);
  const before = await getCategory(db, code, true);
  if (Number(before.version) !== version) throw stale('category');
  if (before.builtin)
    throw new AppError('conflict', {
      status: 409,
      message: 'a default category cannot be deleted; retire it instead',
      details: [{ path: 'code', code: 'builtin_category', message: 'retire it instead' }],
    });
  if (before.used)
    throw new AppError('conflict', {
      status: 409,
      message: 'clients have (or had) this category, so it cannot be deleted; retire it instead',
      details: [{ path: 'code', code: 'category_in_use', message: 'retire it instead' }],
    });
  const rules = await query<{ intervalDays: number }>(
    db,
    sql`delete from visit_cadence_rules where kind = 'category' and key = ${code} returning interval_days as "intervalDays"`,
  );
  await db.execute(sql`delete from category_definitions where code = ${code}`);
  await writeAudit(db, {
    actor,
    action: 'settings.category_deleted',
    entityType: 'category',
    entityId: code,
    unitPath: actor.scopePath,
    before: { ...auditView(before), cadenceRules: rules.map((r) => ({ kind: 'category', key: code, intervalDays: r.intervalDays })) },
  });
}
