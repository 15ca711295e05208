import { FIVE_SOCIETIES, NEED_TYPES, VISIT_KINDS } from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

const values = <T extends string>(list: { value: T }[]) => list.map((x) => x.value) as [T, ...T[]];

export const CreateVisitBodySchema = z.object({
  clientId: z.uuid(),
  visitedAt: z.iso.datetime({ offset: true }).describe('when the visit took place (ISO 8601 with offset)'),
  kind: z.enum(values(VISIT_KINDS)),
  workerIds: z.array(z.uuid()).max(10).optional().describe('workers who went; defaults to you'),
  partners: z
    .array(z.enum(values(FIVE_SOCIETIES)))
    .max(5)
    .default([])
    .describe('five-societies tags of who took part'),
  findings: z.string().trim().max(2000).nullable().optional(),
  needsFound: z
    .array(z.enum(values(NEED_TYPES as { value: string }[])))
    .max(20)
    .default([]),
  followUp: z.string().trim().max(1000).nullable().optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
});
export type CreateVisitBody = z.infer<typeof CreateVisitBodySchema>;

export const VisitSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  visitedAt: z.string(),
  kind: z.string(),
  workers: z.array(z.object({ id: z.string(), name: z.string() })),
  partners: z.array(z.string()),
  findings: z.string().nullable(),
  needsFound: z.array(z.string()),
  followUp: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  createdAt: z.string(),
});

export const VisitListQuerySchema = PagingQuerySchema.extend({
  clientId: z.uuid().optional(),
  unitId: z.uuid().optional().describe('this unit and below'),
  from: z.iso.date().optional(),
  to: z.iso.date().optional().describe('inclusive, Asia/Shanghai calendar day'),
});

export const OverdueQuerySchema = z.object({
  groupBy: z.enum(['worker', 'community', 'zone', 'station']).default('community'),
  unitId: z.uuid().optional(),
});
export const OverdueGroupSchema = z.object({
  key: z.string().nullable(),
  name: z.string().nullable(),
  active: z.number().describe('active clients with a cadence'),
  overdue: z.number().describe('clients past their due date'),
});

export const ComplianceQuerySchema = z.object({
  unitId: z.uuid().optional().describe('the unit to roll up; defaults to your own'),
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
    .optional()
    .describe('defaults to this month (Asia/Shanghai)'),
});
const RatioSchema = z.object({ due: z.number(), visited: z.number(), rate: z.number().describe('0..1; 1 when nobody was due') });
export const ComplianceSchema = z.object({
  month: z.string(),
  unit: z.object({ id: z.string().nullable(), name: z.string() }),
  total: RatioSchema,
  children: z.array(z.object({ unit: z.object({ id: z.string(), name: z.string(), kind: z.string() }) }).extend(RatioSchema.shape)),
});

export const CadenceRuleSchema = z.object({
  kind: z.enum(['risk', 'category']),
  key: z.string().min(1).max(40),
  intervalDays: z.number().int().min(1).max(730),
});
export const CadenceRulesSchema = z.object({ rules: z.array(CadenceRuleSchema).max(100) });
