import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';

/** Operator organizations (承接机构) that run stations under contract. */
export const operators = pgTable(
  'operators',
  {
    id: uuid().primaryKey(),
    name: text().notNull(),
    creditCode: text(),
    contactName: text(),
    phone: text(),
    /** Path of the unit that registered it; operators are visible within that subtree. */
    ownerPath: ltree().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('operators_credit_code_idx').on(t.creditCode), index('operators_owner_path_idx').using('gist', t.ownerPath)],
);

export interface PostRow {
  kind: 'administrative' | 'service';
  area: string;
  headcount: number;
}

/** Units of the network: bureaus, guidance centres, stations, offices and points. */
export const units = pgTable(
  'units',
  {
    id: uuid().primaryKey(),
    /** ltree label of this unit, unique: the region code, suffixed when a region holds several units. */
    code: text().notNull(),
    name: text().notNull(),
    /** Full pinyin and initials of the name, for the search box ("qxg" finds 七星岗…). */
    namePinyin: text().notNull().default(''),
    nameInitials: text().notNull().default(''),
    kind: text().notNull(),
    regionCode: text().notNull(),
    regionPath: ltree().notNull(),
    parentId: uuid(),
    path: ltree().notNull(),
    depth: smallint().notNull(),
    status: text().notNull(),
    operatorId: uuid(),
    contractStart: date({ mode: 'string' }),
    contractEnd: date({ mode: 'string' }),
    functions: text().array().notNull().default(sql`'{}'::text[]`),
    posts: jsonb().$type<PostRow[]>().notNull().default(sql`'[]'::jsonb`),
    zoneId: uuid(),
    address: text(),
    phone: text(),
    openingHours: text(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('units_code_idx').on(t.code),
    uniqueIndex('units_path_key_idx').on(t.path),
    index('units_path_idx').using('gist', t.path),
    index('units_region_path_idx').using('gist', t.regionPath),
    index('units_parent_id_idx').on(t.parentId),
    index('units_region_code_idx').on(t.regionCode),
    index('units_name_initials_idx').on(t.nameInitials.op('text_pattern_ops')),
    uniqueIndex('units_operating_station_region_idx').on(t.regionCode).where(sql`kind = 'station' and status = 'operating'`),
  ],
);

/** Zones (片区): a station groups its villages/communities. */
export const zones = pgTable(
  'zones',
  {
    id: uuid().primaryKey(),
    stationId: uuid().notNull(),
    /** Path of the owning station, for scope. */
    unitPath: ltree().notNull(),
    name: text().notNull(),
    regionCodes: text().array().notNull().default(sql`'{}'::text[]`),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [index('zones_unit_path_idx').using('gist', t.unitPath), uniqueIndex('zones_station_id_name_idx').on(t.stationId, t.name)],
);
