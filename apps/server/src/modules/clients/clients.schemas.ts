import { CLIENT_STATUSES, HOUSEHOLD_RELATIONS, RISK_LEVELS } from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

const isoDate = z.iso.date().describe('YYYY-MM-DD');
const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{5,30}$/, 'digits, spaces and + - ( ) only');
const relation = z.enum(HOUSEHOLD_RELATIONS.map((r) => r.value) as [string, ...string[]]);

export const CategoryInputSchema = z.object({
  category: z.string().trim().min(1).max(40).describe('category code, e.g. dibao, tekun, living_alone_elderly'),
  subtype: z.string().trim().max(40).nullable().optional(),
  startDate: isoDate,
  endDate: isoDate.nullable().optional(),
  source: z.string().trim().max(100).nullable().optional().describe('where the category comes from, e.g. 民政系统'),
});

export const ContactSchema = z.object({
  name: z.string().trim().min(1).max(50),
  relation: z.string().trim().min(1).max(20),
  phone: phone.nullable().optional(),
});

const ClientFieldsSchema = z.object({
  name: z.string().trim().min(1).max(50),
  idNumber: z.string().trim().max(18).nullable().optional().describe('GB 11643 resident ID number (15 or 18 characters)'),
  sex: z.enum(['male', 'female']).nullable().optional().describe('derived from the ID number when there is one'),
  birthDate: isoDate.nullable().optional(),
  ethnicity: z.string().trim().max(20).nullable().optional(),
  phone: phone.nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  unitId: z.uuid().describe('the owning unit: a station, office or point in your scope'),
  regionCode: z
    .string()
    .regex(/^\d{12}$/)
    .optional()
    .describe('the village/community; defaults to the office/point region'),
  riskLevel: z.enum(RISK_LEVELS),
  tags: z.array(z.string().trim().min(1).max(20)).max(20),
  contacts: z.array(ContactSchema).max(10),
  householdId: z.uuid().nullable().optional(),
  householdRelation: relation.nullable().optional(),
  responsibleUserId: z.uuid().nullable().optional().describe('the worker who answers for visits'),
});

export const CreateClientBodySchema = ClientFieldsSchema.extend({
  riskLevel: z.enum(RISK_LEVELS).default('general'),
  tags: z.array(z.string().trim().min(1).max(20)).max(20).default([]),
  contacts: z.array(ContactSchema).max(10).default([]),
  categories: z.array(CategoryInputSchema).max(20).default([]),
});
export type CreateClientBody = z.infer<typeof CreateClientBodySchema>;

export const UpdateClientBodySchema = ClientFieldsSchema.partial().extend({
  version: z.number().int().min(1),
  status: z.enum(CLIENT_STATUSES).optional(),
  statusDate: isoDate.nullable().optional(),
  statusReason: z.string().trim().max(200).nullable().optional(),
});
export type UpdateClientBody = z.infer<typeof UpdateClientBodySchema>;

export const ClientListQuerySchema = PagingQuerySchema.extend({
  q: z
    .string()
    .trim()
    .max(50)
    .optional()
    .describe('name, full pinyin or initials (zsf), last 4 characters of the ID, a phone, a whole ID number, or address text'),
  category: z.string().max(40).optional(),
  riskLevel: z.enum(RISK_LEVELS).optional(),
  status: z.enum(CLIENT_STATUSES).optional(),
  unitId: z.uuid().optional().describe('this unit and everything below it'),
  flag: z.string().max(40).optional().describe('clients with this flag set'),
  tag: z.string().max(20).optional(),
  overdue: z.enum(['true', 'false']).optional().describe('only clients past their visit due date'),
  responsibleUserId: z.uuid().optional(),
  sort: z.enum(['name', '-name', 'createdAt', '-createdAt', 'updatedAt', '-updatedAt', 'nextVisitDue']).default('-updatedAt'),
});
export type ClientListQuery = z.infer<typeof ClientListQuerySchema>;

export const CategorySchema = z.object({
  id: z.string(),
  category: z.string(),
  subtype: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  source: z.string().nullable(),
  active: z.boolean(),
});

export const FlagSchema = z.object({
  id: z.string(),
  flag: z.string(),
  reason: z.string(),
  setAt: z.string(),
  setByName: z.string().nullable(),
  clearedAt: z.string().nullable(),
  clearReason: z.string().nullable(),
});

export const ClientSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string().nullable().describe('masked'),
  sex: z.enum(['male', 'female']).nullable(),
  birthDate: z.string().nullable(),
  phone: z.string().nullable().describe('masked'),
  address: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  status: z.enum(CLIENT_STATUSES),
  riskLevel: z.enum(RISK_LEVELS),
  categories: z.array(z.string()).describe('active category codes'),
  flags: z.array(z.string()).describe('flags currently set'),
  tags: z.array(z.string()),
  responsibleUserId: z.string().nullable(),
  responsibleName: z.string().nullable(),
  lastVisitAt: z.string().nullable(),
  nextVisitDue: z.string().nullable().describe('Asia/Shanghai calendar day'),
  overdue: z.boolean(),
  version: z.number(),
  updatedAt: z.string(),
});

export const ClientDetailSchema = ClientSchema.extend({
  ethnicity: z.string().nullable(),
  statusDate: z.string().nullable(),
  statusReason: z.string().nullable(),
  householdId: z.string().nullable(),
  householdRelation: z.string().nullable(),
  household: z.array(z.object({ id: z.string(), name: z.string(), relation: z.string().nullable() })),
  contacts: z.array(z.object({ name: z.string(), relation: z.string(), phone: z.string().nullable().describe('masked') })),
  categoryHistory: z.array(CategorySchema),
  flagHistory: z.array(FlagSchema),
  createdAt: z.string(),
});

export const RevealBodySchema = z.object({
  field: z.enum(['idNumber', 'phone', 'contacts']),
  reason: z.string().trim().min(2).max(200).describe('why you need the full value; kept in the audit log'),
});
export const RevealResponseSchema = z.object({
  field: z.string(),
  value: z.union([z.string(), z.array(z.object({ name: z.string(), relation: z.string(), phone: z.string().nullable() }))]).nullable(),
});

export const FlagBodySchema = z.object({
  flag: z.string().trim().min(1).max(40),
  reason: z.string().trim().min(2).max(200),
});
export const ClearFlagBodySchema = z.object({ reason: z.string().trim().min(2).max(200) });
export const EndCategoryBodySchema = z.object({ endDate: isoDate, reason: z.string().trim().max(200).optional() });

export const ClientIdParamsSchema = z.object({ id: z.uuid() });
export const ClientSubParamsSchema = z.object({ id: z.uuid(), subId: z.uuid() });
