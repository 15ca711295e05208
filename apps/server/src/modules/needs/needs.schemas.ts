import { NEED_SEVERITIES, NEED_STATUSES, NEED_TYPES, RISK_LEVELS } from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';
import { CategoryInputSchema } from '../clients/clients.schemas.js';

const needType = z.enum(NEED_TYPES.map((n) => n.value) as [string, ...string[]]);
const severity = z.enum(NEED_SEVERITIES.map((n) => n.value) as ['low', 'medium', 'high', 'urgent']);

export const CreateNeedBodySchema = z.object({
  clientId: z.uuid(),
  needType,
  severity: severity.default('medium'),
  description: z.string().trim().max(1000).nullable().optional(),
  visitId: z.uuid().nullable().optional(),
});
export const UpdateNeedBodySchema = z.object({
  version: z.number().int().min(1),
  status: z.enum(NEED_STATUSES).optional(),
  statusReason: z.string().trim().max(500).nullable().optional(),
  severity: severity.optional(),
  description: z.string().trim().max(1000).nullable().optional(),
});
export const NeedListQuerySchema = PagingQuerySchema.extend({
  clientId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  status: z
    .enum([...NEED_STATUSES, 'unresolved'])
    .optional()
    .describe('unresolved = open or in progress'),
  needType: needType.optional(),
});
export const NeedSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  clientName: z.string(),
  unitName: z.string().nullable(),
  needType: z.string(),
  severity: z.string(),
  description: z.string().nullable(),
  status: z.enum(NEED_STATUSES),
  statusReason: z.string().nullable(),
  visitId: z.string().nullable(),
  assessedByName: z.string().nullable(),
  assessedAt: z.string(),
  closedAt: z.string().nullable(),
  version: z.number(),
});

export const CreateNominationBodySchema = z.object({
  name: z.string().trim().min(1).max(50),
  idNumber: z.string().trim().max(18).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,30}$/)
    .nullable()
    .optional(),
  address: z.string().trim().max(200).nullable().optional(),
  regionCode: z.string().regex(/^\d{12}$/, 'the village/community code has 12 digits'),
  situation: z.string().trim().min(2).max(2000).describe('what the reporter found'),
  suggestedCategories: z.array(z.string().max(40)).max(10).default([]),
});
export const AcceptNominationBodySchema = z.object({
  unitId: z.uuid().describe('the office, point or station that will own the client'),
  riskLevel: z.enum(RISK_LEVELS).default('general'),
  categories: z.array(CategoryInputSchema).max(20).default([]),
  reason: z.string().trim().max(500).nullable().optional(),
});
export const RejectNominationBodySchema = z.object({ reason: z.string().trim().min(2).max(500) });
export const NominationListQuerySchema = PagingQuerySchema.extend({ status: z.enum(['pending', 'accepted', 'rejected']).optional() });
export const NominationSchema = z.object({
  id: z.string(),
  name: z.string(),
  idNumber: z.string().nullable().describe('masked'),
  phone: z.string().nullable().describe('masked'),
  address: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  situation: z.string(),
  suggestedCategories: z.array(z.string()),
  status: z.enum(['pending', 'accepted', 'rejected']),
  reportedByName: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  clientId: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
});
