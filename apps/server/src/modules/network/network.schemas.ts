import { POST_AREAS, POST_KINDS, UNIT_FUNCTIONS, UNIT_KINDS, UNIT_STATUSES } from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';
import { RegionSchema } from '../regions/regions.schemas.js';

const isoDate = z.iso.date().describe('YYYY-MM-DD');
const text = (max: number) => z.string().trim().max(max);

export const PostSchema = z.object({
  kind: z.enum(POST_KINDS),
  area: z.enum(POST_AREAS),
  headcount: z.number().int().min(0).max(1000),
});

export type Post = z.infer<typeof PostSchema>;

const UnitFieldsSchema = z.object({
  name: text(100).min(2).describe('unit name, e.g. 七星岗街道社会工作服务站'),
  kind: z.enum(UNIT_KINDS),
  regionCode: z.string().regex(/^\d{2,12}$/, 'a region code has 2 to 12 digits'),
  parentId: z.uuid().nullable(),
  status: z.enum(UNIT_STATUSES),
  operatorId: z.uuid().nullable().optional(),
  contractStart: isoDate.nullable().optional(),
  contractEnd: isoDate.nullable().optional(),
  functions: z.array(z.enum(UNIT_FUNCTIONS)).max(UNIT_FUNCTIONS.length).optional(),
  posts: z.array(PostSchema).max(50).optional(),
  zoneId: z.uuid().nullable().optional(),
  address: text(200).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,30}$/, 'digits, spaces and + - ( ) only')
    .nullable()
    .optional(),
  openingHours: text(100).nullable().optional(),
});

export const UnitInputSchema = UnitFieldsSchema.extend({
  parentId: z.uuid().nullable().default(null).describe('parent unit; only global administrators create top units'),
  status: z.enum(UNIT_STATUSES).default('planned'),
});
export type UnitInput = z.infer<typeof UnitInputSchema>;

// No defaults here: a field left out of a patch stays as it is.
export const UnitPatchSchema = UnitFieldsSchema.partial()
  .omit({ kind: true })
  .extend({ version: z.number().int().min(1).describe('the version you read; a stale one answers 409') });
export type UnitPatch = z.infer<typeof UnitPatchSchema>;

export const UnitSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(UNIT_KINDS),
  status: z.enum(UNIT_STATUSES),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  parentId: z.string().nullable(),
  path: z.string(),
  depth: z.number(),
  childCount: z.number(),
  version: z.number(),
  updatedAt: z.string(),
});

export const OperatorSchema = z.object({
  id: z.string(),
  name: z.string(),
  creditCode: z.string().nullable(),
  contactName: z.string().nullable(),
  phone: z.string().nullable(),
});

export const UnitDetailSchema = UnitSchema.extend({
  operator: OperatorSchema.nullable(),
  operatorId: z.string().nullable(),
  contractStart: z.string().nullable(),
  contractEnd: z.string().nullable(),
  functions: z.array(z.string()),
  posts: z.array(PostSchema),
  zoneId: z.string().nullable(),
  zoneName: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  openingHours: z.string().nullable(),
  ancestors: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
  createdAt: z.string(),
});

export const UnitListQuerySchema = PagingQuerySchema.extend({
  q: z.string().trim().max(50).optional().describe('name contains, or code prefix'),
  kind: z.enum(UNIT_KINDS).optional(),
  status: z.enum(UNIT_STATUSES).optional(),
  parentId: z.uuid().optional().describe('direct children of this unit'),
  under: z.uuid().optional().describe('this unit and everything below it'),
  roots: z.enum(['true', 'false']).optional().describe('only the top units you can see'),
  sort: z.enum(['path', '-path', 'name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt']).default('path'),
});
export type UnitListQuery = z.infer<typeof UnitListQuerySchema>;

export const IdParamsSchema = z.object({ id: z.uuid() });
export const VersionQuerySchema = z.object({ version: z.coerce.number().int().min(1) });

export const OperatorInputSchema = z.object({
  name: text(100).min(2),
  creditCode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'a unified social credit code has 18 characters')
    .nullable()
    .optional(),
  contactName: text(50).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,30}$/)
    .nullable()
    .optional(),
});
export type OperatorInput = z.infer<typeof OperatorInputSchema>;

export const OperatorListQuerySchema = PagingQuerySchema.extend({ q: z.string().trim().max(50).optional() });

export const ZoneSchema = z.object({
  id: z.string(),
  stationId: z.string(),
  name: z.string(),
  regionCodes: z.array(z.string()),
  version: z.number(),
});
export const ZoneInputSchema = z.object({
  stationId: z.uuid(),
  name: text(50).min(1),
  regionCodes: z
    .array(z.string().regex(/^\d{12}$/, 'a village/community code has 12 digits'))
    .max(500)
    .default([]),
});
export const ZonePatchSchema = z.object({
  version: z.number().int().min(1),
  name: text(50).min(1).optional(),
  regionCodes: z
    .array(z.string().regex(/^\d{12}$/))
    .max(500)
    .optional(),
});
export const ZoneListQuerySchema = z.object({ stationId: z.uuid() });

const RatioSchema = z.object({ total: z.number(), covered: z.number(), rate: z.number().describe('0..1') });
export const CoverageSchema = z.object({
  region: RegionSchema,
  streets: RatioSchema,
  villages: RatioSchema,
  children: z.array(z.object({ region: RegionSchema, streets: RatioSchema, villages: RatioSchema })),
});
export const CoverageQuerySchema = z.object({
  regionCode: z
    .string()
    .regex(/^\d{2,12}$/)
    .optional(),
});
