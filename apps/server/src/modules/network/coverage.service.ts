import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { scopeWhere } from '../../platform/scope.js';
import { findRegion, type RegionRow } from '../regions/regions.service.js';

export interface Ratio {
  total: number;
  covered: number;
  rate: number;
}

export interface CoverageReport {
  region: RegionRow;
  streets: Ratio;
  villages: Ratio;
  children: { region: RegionRow; streets: Ratio; villages: Ratio }[];
}

const ratio = (total: number, covered: number): Ratio => ({ total, covered, rate: total === 0 ? 0 : covered / total });

/** The region a user's coverage questions start from: the region of their unit (the country for global users). */
export async function actorRegionPath(db: Db, actor: Actor): Promise<string | null> {
  if (actor.scopePath === null || !actor.unitId) return null;
  const row = await queryOne<{ region_path: string }>(
    db,
    sql`select region_path::text as region_path from units where id = ${actor.unitId}`,
  );
  return row?.region_path ?? '__none__';
}

/**
 * Coverage of a region: townships/streets with an operating station ÷ all townships/streets, and
 * villages/communities with an operating office or point ÷ all, for the region and each child region.
 * Only units in the actor's scope count, and only regions within the actor's own region may be asked.
 */
export async function coverageReport(db: Db, actor: Actor, regionCode?: string): Promise<CoverageReport> {
  const own = await actorRegionPath(db, actor);
  let code = regionCode;
  if (!code) code = own === null ? undefined : own.split('.').pop();
  if (!code) {
    // Global users without a region asked: the first loaded province.
    const first = await queryOne<{ code: string }>(
      db,
      sql`select code from regions where level = 1 and exists (select 1 from regions c where c.parent_code = regions.code) order by code limit 1`,
    );
    code = first?.code;
  }
  const region = code ? await findRegion(db, code) : undefined;
  if (!region) throw notFound('region');
  if (own !== null && !(region.path === own || region.path.startsWith(`${own}.`))) throw notFound('region');
  const level = Number(region.level);
  const scope = scopeWhere(actor, sql`u.path`);
  const rows = await query<{ child: string | null; st: number; sc: number; vt: number; vc: number }>(
    db,
    sql`select case when nlevel(r.path) > ${level} then subpath(r.path, 0, ${level + 1})::text end as child,
          count(*) filter (where r.level = 4)::int as st,
          count(*) filter (where r.level = 4 and s.region_code is not null)::int as sc,
          count(*) filter (where r.level = 5)::int as vt,
          count(*) filter (where r.level = 5 and o.region_code is not null)::int as vc
        from regions r
        left join (select distinct u.region_code from units u where u.kind = 'station' and u.status = 'operating'
                   and u.region_path <@ ${region.path}::ltree and ${scope}) s on s.region_code = r.code
        left join (select distinct u.region_code from units u where u.kind in ('office', 'point') and u.status = 'operating'
                   and u.region_path <@ ${region.path}::ltree and ${scope}) o on o.region_code = r.code
        where r.path <@ ${region.path}::ltree and r.level >= 4
        group by 1`,
  );
  const childRegions = await query<RegionRow>(
    db,
    sql`select code, name, level, parent_code as "parentCode", path::text as path from regions where parent_code = ${region.code} order by code`,
  );
  const byChild = new Map(rows.filter((r) => r.child).map((r) => [r.child?.split('.').pop(), r]));
  let st = 0;
  let sc = 0;
  let vt = 0;
  let vc = 0;
  for (const r of rows) {
    st += Number(r.st);
    sc += Number(r.sc);
    vt += Number(r.vt);
    vc += Number(r.vc);
  }
  return {
    region,
    streets: ratio(st, sc),
    villages: ratio(vt, vc),
    children: childRegions.map((c) => {
      const r = byChild.get(c.code);
      return { region: c, streets: ratio(Number(r?.st ?? 0), Number(r?.sc ?? 0)), villages: ratio(Number(r?.vt ?? 0), Number(r?.vc ?? 0)) };
    }),
  };
}
