import { fullPinyin, isValidCreditCode, pinyinInitials, UNIT_KIND_PARENTS, UNIT_KIND_REGION_LEVELS, type UnitKind } from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { AppError, invalid, notFound, stale } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';
import { assertInScope, inScope, scopeWhere } from '../../platform/scope.js';
import { writeAudit } from '../audit/audit.service.js';
import { findRegion, type RegionRow } from '../regions/regions.service.js';
import type { OperatorInput, Post, UnitInput, UnitListQuery, UnitPatch } from './network.schemas.js';

export interface UnitRow {
  id: string;
  code: string;
  name: string;
  kind: UnitKind;
  status: string;
  regionCode: string;
  regionName: string | null;
  regionPath: string;
  parentId: string | null;
  path: string;
  depth: number;
  childCount: number;
  operatorId: string | null;
  contractStart: string | null;
  contractEnd: string | null;
  functions: string[];
  posts: Post[];
  zoneId: string | null;
  address: string | null;
  phone: string | null;
  openingHours: string | null;
  version: number;
  createdAt: Date | string;
  updatedAt: Date | string;
}

const UNIT_COLUMNS = sql`u.id, u.code, u.name, u.kind, u.status, u.region_code as "regionCode", r.name as "regionName",
  u.region_path::text as "regionPath", u.parent_id as "parentId", u.path::text as path, u.depth,
  (select count(*)::int from units c where c.parent_id = u.id) as "childCount",
  u.operator_id as "operatorId", u.contract_start::text as "contractStart", u.contract_end::text as "contractEnd",
  u.functions, u.posts, u.zone_id as "zoneId", u.address, u.phone, u.opening_hours as "openingHours",
  u.version, u.created_at as "createdAt", u.updated_at as "updatedAt"`;
const UNIT_FROM = sql`units u left join regions r on r.code = u.region_code`;

const SORTS: Record<string, { col: SQL; desc: boolean }> = {
  path: { col: sql`u.path::text`, desc: false },
  '-path': { col: sql`u.path::text`, desc: true },
  name: { col: sql`u.name`, desc: false },
  '-name': { col: sql`u.name`, desc: true },
  createdAt: { col: sql`u.created_at`, desc: false },
  '-createdAt': { col: sql`u.created_at`, desc: true },
  updatedAt: { col: sql`u.updated_at`, desc: false },
  '-updatedAt': { col: sql`u.updated_at`, desc: true },
};

/** Units in the actor's scope, filtered, sorted and paged by keyset (sort value, id). */
export async function findUnits(db: Db, actor: Actor, q: UnitListQuery) {
  const conds: SQL[] = [scopeWhere(actor, sql`u.path`)];
  if (q.q) {
    if (/^\d+$/.test(q.q)) conds.push(sql`u.region_code like ${`${q.q}%`}`);
    else if (/^[a-zA-Z]+$/.test(q.q)) {
      const lower = q.q.toLowerCase();
      conds.push(sql`(u.name_initials like ${`${lower}%`} or u.name_pinyin like ${`${lower}%`})`);
    } else conds.push(sql`u.name like ${`%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`}`);
  }
  if (q.kind) conds.push(sql`u.kind = ${q.kind}`);
  if (q.status) conds.push(sql`u.status = ${q.status}`);
  if (q.parentId) conds.push(sql`u.parent_id = ${q.parentId}`);
  if (q.under) conds.push(sql`u.path <@ (select path from units where id = ${q.under})`);
  if (q.roots === 'true') {
    conds.push(actor.scopePath === null ? sql`u.parent_id is null` : sql`u.path = ${actor.scopePath}::ltree`);
  }
  const where = sql.join(conds, sql` and `);
  const sort = SORTS[q.sort] ?? SORTS.path;
  const cursor = decodeCursor(q.cursor, 2);
  let page = where;
  if (cursor) {
    const op = sort.desc ? sql`<` : sql`>`;
    const isTime = q.sort.includes('At');
    const value = isTime ? sql`${cursor[0]}::timestamptz` : sql`${cursor[0]}`;
    page = sql`${where} and (${sort.col}, u.id) ${op} (${value}, ${cursor[1]}::uuid)`;
  }
  const dir = sort.desc ? sql`desc` : sql`asc`;
  const rows = await query<UnitRow & { sortValue: string }>(
    db,
    sql`select ${UNIT_COLUMNS}, ${sort.col}::text as "sortValue" from ${UNIT_FROM} where ${page}
        order by ${sort.col} ${dir}, u.id ${dir} limit ${q.limit + 1}`,
  );
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from units u where ${where}`);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > q.limit && last ? encodeCursor([timeOrText(last, q.sort), last.id]) : null;
  return { items, nextCursor, total: Number(total?.n ?? 0) };
}

function timeOrText(row: UnitRow & { sortValue: string }, sort: string): string {
  if (sort.includes('createdAt')) return new Date(row.createdAt).toISOString();
  if (sort.includes('updatedAt')) return new Date(row.updatedAt).toISOString();
  return row.sortValue;
}

async function loadUnit(db: Db, id: string, forUpdate = false): Promise<UnitRow | undefined> {
  return queryOne<UnitRow>(
    db,
    sql`select ${UNIT_COLUMNS} from ${UNIT_FROM} where u.id = ${id} ${forUpdate ? sql`for update of u` : sql``}`,
  );
}

/** A unit in the actor's scope; outside it, the same not-found as for a unit that does not exist. */
export async function getUnit(db: Db, actor: Actor, id: string, forUpdate = false): Promise<UnitRow> {
  const unit = await loadUnit(db, id, forUpdate);
  if (!unit) throw notFound('unit');
  assertInScope(actor, unit.path, 'unit_not_found');
  return unit;
}

export async function unitAncestors(db: Db, unit: UnitRow) {
  const rows = await query<{ id: string; name: string; kind: string; path: string }>(
    db,
    sql`select id, name, kind, path::text as path from units where path @> ${unit.path}::ltree and id <> ${unit.id} order by depth`,
  );
  // Ancestors above the actor's own unit are named (the user belongs under them) but nothing more.
  return rows.map(({ id, name, kind }) => ({ id, name, kind }));
}

export async function getOperator(db: Db, id: string) {
  return queryOne<OperatorRow>(db, sql`select ${OPERATOR_COLUMNS} from operators where id = ${id}`);
}

export async function getZoneName(db: Db, id: string | null): Promise<string | null> {
  if (!id) return null;
  const z = await queryOne<{ name: string }>(db, sql`select name from zones where id = ${id}`);
  return z?.name ?? null;
}

/** A free ltree label for a new unit: its region code, suffixed when that region already has a unit. */
async function freeCode(db: Db, regionCode: string): Promise<string> {
  const taken = await query<{ code: string }>(
    db,
    sql`select code from units where code = ${regionCode} or code like ${`${regionCode}\\_%`}`,
  );
  const set = new Set(taken.map((t) => t.code));
  if (!set.has(regionCode)) return regionCode;
  for (let i = 2; ; i++) if (!set.has(`${regionCode}_${i}`)) return `${regionCode}_${i}`;
}

interface Placement {
  kind: UnitKind;
  regionCode: string;
  parentId: string | null;
  status: string;
  selfId?: string;
  selfPath?: string;
  /** The parent the unit has now: keeping it needs no scope over it (a station head edits their own station). */
  currentParentId?: string | null;
}

/**
 * Checks where a unit may sit: its region's level fits its kind, its parent is of an allowed kind and
 * in the actor's scope, its region lies within the parent's region, it is not its own ancestor, and no
 * region holds two operating stations. Returns the region and the parent row.
 */
async function checkPlacement(db: Db, actor: Actor, p: Placement): Promise<{ region: RegionRow; parent: UnitRow | null }> {
  const region = await findRegion(db, p.regionCode);
  if (!region) throw invalid('regionCode', 'unknown_region', `no region with code ${p.regionCode}`);
  if (!UNIT_KIND_REGION_LEVELS[p.kind].includes(Number(region.level) as 1)) {
    throw invalid('regionCode', 'wrong_region_level', `a ${p.kind} cannot sit on a region of level ${region.level}`);
  }
  let parent: UnitRow | null = null;
  if (p.parentId) {
    parent = (await loadUnit(db, p.parentId)) ?? null;
    const kept = p.currentParentId !== undefined && p.parentId === p.currentParentId;
    if (!parent || (!kept && !inScope(actor, parent.path))) throw invalid('parentId', 'unknown_parent', 'no such parent unit');
    if (p.selfPath && (parent.path === p.selfPath || parent.path.startsWith(`${p.selfPath}.`))) {
      throw invalid('parentId', 'cycle', 'a unit cannot be moved under itself or its own descendants');
    }
  } else if (actor.scopePath !== null) {
    throw invalid('parentId', 'required', 'choose the parent unit');
  }
  const allowed = UNIT_KIND_PARENTS[p.kind];
  if (!allowed.includes((parent?.kind ?? null) as UnitKind | null)) {
    throw invalid('parentId', 'wrong_parent_kind', `a ${p.kind} cannot be placed under ${parent ? `a ${parent.kind}` : 'nothing'}`);
  }
  if (parent && !(region.path === parent.regionPath || region.path.startsWith(`${parent.regionPath}.`))) {
    throw invalid('regionCode', 'outside_parent_region', `region ${region.name} is not within the parent's region`);
  }
  if (p.kind === 'station' && p.status === 'operating') {
    const other = await queryOne<{ id: string; name: string }>(
      db,
      sql`select id, name from units where kind = 'station' and status = 'operating' and region_code = ${p.regionCode}
          and id <> ${p.selfId ?? '00000000-0000-0000-0000-000000000000'}`,
    );
    if (other) {
      throw new AppError('conflict', {
        status: 409,
        message: `region ${region.name} already has an operating station`,
        details: [{ path: 'regionCode', code: 'station_exists' }],
      });
    }
  }
  return { region, parent };
}

async function checkRefs(db: Db, actor: Actor, input: Partial<UnitInput>, parentId: string | null | undefined) {
  if (input.operatorId) {
    const op = await queryOne<{ owner_path: string }>(
      db,
      sql`select owner_path::text as owner_path from operators where id = ${input.operatorId}`,
    );
    const visible =
      op &&
      (op.owner_path === 'root' ||
        actor.scopePath === null ||
        inScope(actor, op.owner_path) ||
        actor.scopePath.startsWith(`${op.owner_path}.`));
    if (!visible) throw invalid('operatorId', 'unknown_operator', 'no such operator organization');
  }
  if (input.zoneId) {
    const zone = await queryOne<{ station_id: string }>(db, sql`select station_id from zones where id = ${input.zoneId}`);
    if (!zone || zone.station_id !== parentId) throw invalid('zoneId', 'unknown_zone', 'the zone must belong to the parent station');
  }
}

function checkContract(start: string | null | undefined, end: string | null | undefined) {
  if (start && end && end < start) throw invalid('contractEnd', 'before_start', 'the contract cannot end before it starts');
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}

/** Creates a unit of the network under a parent in the actor's scope; audited. */
export async function createUnit(opts: { db: Db; actor: Actor; input: UnitInput }): Promise<UnitRow> {
  const { db, actor, input } = opts;
  const { region, parent } = await checkPlacement(db, actor, {
    kind: input.kind,
    regionCode: input.regionCode,
    parentId: input.parentId,
    status: input.status,
  });
  await checkRefs(db, actor, input, input.parentId);
  checkContract(input.contractStart, input.contractEnd);
  const id = newId();
  const code = await freeCode(db, input.regionCode);
  const path = parent ? `${parent.path}.${code}` : code;
  try {
    await db.execute(sql`insert into units (id, code, name, name_pinyin, name_initials, kind, region_code, region_path, parent_id, path, depth, status,
        operator_id, contract_start, contract_end, functions, posts, zone_id, address, phone, opening_hours)
      values (${id}, ${code}, ${input.name}, ${fullPinyin(input.name)}, ${pinyinInitials(input.name)}, ${input.kind}, ${input.regionCode}, ${region.path}::ltree, ${input.parentId},
        ${path}::ltree, ${path.split('.').length}, ${input.status}, ${input.operatorId ?? null}, ${input.contractStart ?? null},
        ${input.contractEnd ?? null}, ${sql.param(input.functions ?? [])}::text[], ${JSON.stringify(input.posts ?? [])}::jsonb,
        ${input.zoneId ?? null}, ${input.address ?? null}, ${input.phone ?? null}, ${input.openingHours ?? null})`);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', {
        status: 409,
        message: 'this unit conflicts with an existing one (operating station of the region, or code)',
      });
    throw err;
  }
  const unit = (await loadUnit(db, id)) as UnitRow;
  await writeAudit(db, { actor, action: 'unit.created', entityType: 'unit', entityId: id, unitPath: unit.path, after: auditView(unit) });
  return unit;
}

/** What the audit log keeps of a unit: its own fields, not derived counts. */
export function auditView(u: UnitRow) {
  const { childCount: _c, regionName: _r, createdAt: _ca, updatedAt: _ua, ...rest } = u;
  return rest;
}

/** Updates a unit with optimistic locking; moving it rewrites the paths of everything below. */
export async function updateUnit(opts: { db: Db; actor: Actor; id: string; patch: UnitPatch }): Promise<UnitRow> {
  const { db, actor, id, patch } = opts;
  const before = await getUnit(db, actor, id, true);
  if (before.version !== patch.version) throw stale('unit');
  const next = {
    regionCode: patch.regionCode ?? before.regionCode,
    parentId: patch.parentId === undefined ? before.parentId : patch.parentId,
    status: patch.status ?? before.status,
  };
  if (
    actor.scopePath !== null &&
    before.path === actor.scopePath &&
    (next.parentId !== before.parentId || next.regionCode !== before.regionCode)
  ) {
    throw new AppError('forbidden', { status: 403, message: 'you cannot move or re-region your own unit' });
  }
  const { region, parent } = await checkPlacement(db, actor, {
    kind: before.kind,
    ...next,
    selfId: before.id,
    selfPath: before.path,
    currentParentId: before.parentId,
  });
  await checkRefs(db, actor, patch, next.parentId);
  checkContract(
    patch.contractStart === undefined ? before.contractStart : patch.contractStart,
    patch.contractEnd === undefined ? before.contractEnd : patch.contractEnd,
  );
  const set: SQL[] = [sql`version = version + 1`, sql`updated_at = now()`];
  const simple: [keyof UnitPatch, string][] = [
    ['status', 'status'],
    ['operatorId', 'operator_id'],
    ['contractStart', 'contract_start'],
    ['contractEnd', 'contract_end'],
    ['zoneId', 'zone_id'],
    ['address', 'address'],
    ['phone', 'phone'],
    ['openingHours', 'opening_hours'],
  ];
  for (const [key, col] of simple) if (patch[key] !== undefined) set.push(sql`${sql.identifier(col)} = ${patch[key] as string | null}`);
  if (patch.name !== undefined)
    set.push(sql`name = ${patch.name}, name_pinyin = ${fullPinyin(patch.name)}, name_initials = ${pinyinInitials(patch.name)}`);
  if (patch.functions !== undefined) set.push(sql`functions = ${sql.param(patch.functions)}::text[]`);
  if (patch.posts !== undefined) set.push(sql`posts = ${JSON.stringify(patch.posts)}::jsonb`);
  if (next.regionCode !== before.regionCode) set.push(sql`region_code = ${region.code}, region_path = ${region.path}::ltree`);
  try {
    const updated = await queryOne<{ id: string }>(
      db,
      sql`update units set ${sql.join(set, sql`, `)} where id = ${id} and version = ${patch.version} returning id`,
    );
    if (!updated) throw stale('unit');
    if (next.parentId !== before.parentId) {
      const newPath = parent ? `${parent.path}.${before.code}` : before.code;
      await moveSubtree(db, before.path, newPath);
    }
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', { status: 409, message: 'region already has an operating station' });
    throw err;
  }
  const after = (await loadUnit(db, id)) as UnitRow;
  await writeAudit(db, {
    actor,
    action: 'unit.updated',
    entityType: 'unit',
    entityId: id,
    unitPath: after.path,
    before: auditView(before),
    after: auditView(after),
  });
  return after;
}

/** Rewrites the materialized paths of a moved subtree, and the copies held by users and zones. */
async function moveSubtree(db: Db, oldPath: string, newPath: string) {
  const rebase = (col: SQL) => sql`${newPath}::ltree || subpath(${col}, nlevel(${oldPath}::ltree))`;
  await db.execute(sql`update units set path = ${rebase(sql`path`)}, depth = nlevel(${rebase(sql`path`)}) where path <@ ${oldPath}::ltree`);
  await db.execute(sql`update users set unit_path = ${rebase(sql`unit_path`)} where unit_path <@ ${oldPath}::ltree`);
  await db.execute(sql`update zones set unit_path = ${rebase(sql`unit_path`)} where unit_path <@ ${oldPath}::ltree`);
  await db.execute(sql`update operators set owner_path = ${rebase(sql`owner_path`)} where owner_path <@ ${oldPath}::ltree`);
}

/** Deletes a unit that has no child units and no users; closing it (status) is the usual way. */
export async function deleteUnit(opts: { db: Db; actor: Actor; id: string; version: number }): Promise<void> {
  const { db, actor, id, version } = opts;
  const unit = await getUnit(db, actor, id, true);
  if (actor.scopePath !== null && unit.path === actor.scopePath)
    throw new AppError('forbidden', { status: 403, message: 'you cannot delete your own unit' });
  if (unit.version !== version) throw stale('unit');
  if (unit.childCount > 0)
    throw new AppError('conflict', {
      status: 409,
      message: 'the unit still has units below it',
      details: [{ path: 'id', code: 'has_children' }],
    });
  const users = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from users where unit_id = ${id}`);
  if (Number(users?.n) > 0)
    throw new AppError('conflict', {
      status: 409,
      message: 'users still belong to the unit',
      details: [{ path: 'id', code: 'has_users' }],
    });
  await db.execute(sql`delete from units where id = ${id}`);
  await writeAudit(db, { actor, action: 'unit.deleted', entityType: 'unit', entityId: id, unitPath: unit.path, before: auditView(unit) });
}

export interface OperatorRow {
  id: string;
  name: string;
  creditCode: string | null;
  contactName: string | null;
  phone: string | null;
  ownerPath: string;
}
const OPERATOR_COLUMNS = sql`id, name, credit_code as "creditCode", contact_name as "contactName", phone, owner_path::text as "ownerPath"`;

/**
 * Operator organizations the actor may pick: those registered within the actor's scope or above it
 * (an operator registered by the district serves every street below it).
 */
export async function findOperators(db: Db, actor: Actor, f: { q?: string; limit: number; cursor?: string }) {
  // 'root' marks operators registered for the whole deployment (by a global administrator or the system).
  const conds: SQL[] = [
    actor.scopePath === null
      ? sql`true`
      : sql`(owner_path = 'root'::ltree or owner_path <@ ${actor.scopePath}::ltree or owner_path @> ${actor.scopePath}::ltree)`,
  ];
  if (f.q) conds.push(sql`name like ${`%${f.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`}`);
  const where = sql.join(conds, sql` and `);
  const cursor = decodeCursor(f.cursor, 2);
  const page = cursor ? sql`${where} and (name, id) > (${cursor[0]}, ${cursor[1]}::uuid)` : where;
  const rows = await query<OperatorRow>(
    db,
    sql`select ${OPERATOR_COLUMNS} from operators where ${page} order by name, id limit ${f.limit + 1}`,
  );
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from operators where ${where}`);
  const items = rows.slice(0, f.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > f.limit && last ? encodeCursor([last.name, last.id]) : null, total: Number(total?.n ?? 0) };
}

export async function createOperator(opts: { db: Db; actor: Actor; input: OperatorInput }): Promise<OperatorRow> {
  const { db, actor, input } = opts;
  if (input.creditCode && !isValidCreditCode(input.creditCode)) {
    throw invalid('creditCode', 'checksum', 'the unified social credit code fails its check character');
  }
  if (input.creditCode) {
    const dup = await queryOne<{ id: string }>(db, sql`select id from operators where credit_code = ${input.creditCode}`);
    if (dup)
      throw new AppError('conflict', {
        status: 409,
        message: 'an operator with this credit code exists',
        details: [{ path: 'creditCode', code: 'duplicate' }],
      });
  }
  const id = newId();
  const ownerPath = actor.scopePath ?? 'root';
  await db.execute(sql`insert into operators (id, name, credit_code, contact_name, phone, owner_path)
    values (${id}, ${input.name}, ${input.creditCode ?? null}, ${input.contactName ?? null}, ${input.phone ?? null}, ${ownerPath}::ltree)`);
  const row = (await getOperator(db, id)) as OperatorRow;
  await writeAudit(db, { actor, action: 'operator.created', entityType: 'operator', entityId: id, unitPath: actor.scopePath, after: row });
  return row;
}

export interface ZoneRow {
  id: string;
  stationId: string;
  unitPath: string;
  name: string;
  regionCodes: string[];
  version: number;
}
const ZONE_COLUMNS = sql`id, station_id as "stationId", unit_path::text as "unitPath", name, region_codes as "regionCodes", version`;

export async function findZones(db: Db, actor: Actor, stationId: string): Promise<ZoneRow[]> {
  await getUnit(db, actor, stationId);
  return query<ZoneRow>(db, sql`select ${ZONE_COLUMNS} from zones where station_id = ${stationId} order by name`);
}

async function checkZoneRegions(db: Db, station: UnitRow, codes: string[], zoneId?: string) {
  if (codes.length === 0) return;
  if (new Set(codes).size !== codes.length) throw invalid('regionCodes', 'duplicate', 'a community is listed twice');
  const taken = await query<{ name: string; code: string }>(
    db,
    sql`select z.name, c.code from zones z, unnest(z.region_codes) as c(code)
        where z.station_id = ${station.id} and z.id <> ${zoneId ?? '00000000-0000-0000-0000-000000000000'} and c.code = any(${sql.param(codes)}::text[])`,
  );
  if (taken.length) {
    throw new AppError('conflict', {
      status: 409,
      message: 'a community belongs to one zone of its station',
      details: taken.map((t) => ({ path: 'regionCodes', code: 'in_other_zone', message: `${t.code} is already in ${t.name}` })),
    });
  }
  const rows = await query<{ code: string }>(
    db,
    sql`select code from regions where code = any(${sql.param(codes)}::text[]) and level = 5 and path <@ ${station.regionPath}::ltree`,
  );
  const ok = new Set(rows.map((r) => r.code));
  const bad = codes.filter((c) => !ok.has(c));
  if (bad.length) {
    throw new AppError('validation_failed', {
      message: 'a zone groups villages/communities of its own station',
      details: bad.map((c) => ({ path: 'regionCodes', code: 'outside_station', message: `${c} is not a community of ${station.name}` })),
    });
  }
}

export async function createZone(opts: { db: Db; actor: Actor; input: { stationId: string; name: string; regionCodes: string[] } }) {
  const { db, actor, input } = opts;
  const station = await getUnit(db, actor, input.stationId);
  if (station.kind !== 'station') throw invalid('stationId', 'not_a_station', 'zones belong to stations');
  await checkZoneRegions(db, station, input.regionCodes);
  const id = newId();
  try {
    await db.execute(sql`insert into zones (id, station_id, unit_path, name, region_codes)
      values (${id}, ${station.id}, ${station.path}::ltree, ${input.name}, ${sql.param(input.regionCodes)}::text[])`);
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', {
        status: 409,
        message: 'the station already has a zone of this name',
        details: [{ path: 'name', code: 'duplicate' }],
      });
    throw err;
  }
  const zone = (await queryOne<ZoneRow>(db, sql`select ${ZONE_COLUMNS} from zones where id = ${id}`)) as ZoneRow;
  await writeAudit(db, { actor, action: 'zone.created', entityType: 'zone', entityId: id, unitPath: station.path, after: zone });
  return zone;
}

async function getZone(db: Db, actor: Actor, id: string): Promise<ZoneRow> {
  const zone = await queryOne<ZoneRow>(db, sql`select ${ZONE_COLUMNS} from zones where id = ${id}`);
  if (!zone) throw notFound('zone');
  assertInScope(actor, zone.unitPath, 'zone_not_found');
  return zone;
}

export async function updateZone(opts: {
  db: Db;
  actor: Actor;
  id: string;
  patch: { version: number; name?: string; regionCodes?: string[] };
}) {
  const { db, actor, id, patch } = opts;
  const before = await getZone(db, actor, id);
  if (patch.regionCodes) await checkZoneRegions(db, await getUnit(db, actor, before.stationId), patch.regionCodes, id);
  const set: SQL[] = [sql`version = version + 1`, sql`updated_at = now()`];
  if (patch.name !== undefined) set.push(sql`name = ${patch.name}`);
  if (patch.regionCodes !== undefined) set.push(sql`region_codes = ${sql.param(patch.regionCodes)}::text[]`);
  let updated: { id: string } | undefined;
  try {
    updated = await queryOne<{ id: string }>(
      db,
      sql`update zones set ${sql.join(set, sql`, `)} where id = ${id} and version = ${patch.version} returning id`,
    );
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError('conflict', {
        status: 409,
        message: 'the station already has a zone of this name',
        details: [{ path: 'name', code: 'duplicate' }],
      });
    throw err;
  }
  if (!updated) throw stale('zone');
  const after = await getZone(db, actor, id);
  await writeAudit(db, { actor, action: 'zone.updated', entityType: 'zone', entityId: id, unitPath: after.unitPath, before, after });
  return after;
}

export async function deleteZone(opts: { db: Db; actor: Actor; id: string }) {
  const { db, actor, id } = opts;
  const zone = await getZone(db, actor, id);
  await db.execute(sql`update units set zone_id = null where zone_id = ${id}`);
  await db.execute(sql`delete from zones where id = ${id}`);
  await writeAudit(db, { actor, action: 'zone.deleted', entityType: 'zone', entityId: id, unitPath: zone.unitPath, before: zone });
}
