import { z } from 'zod';

/** A category code: lower-case ASCII, as stored on clients and in cadence rules. */
export const CATEGORY_CODE_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
const code = z
  .string()
  .regex(CATEGORY_CODE_PATTERN, 'a code is 2 to 40 lower-case letters, digits or _, beginning with a letter')
  .describe('stable code, e.g. dibao, living_alone_elderly');
const labelZh = z.string().trim().min(1).max(20).describe('Chinese label, e.g. 低保 (unique in the deployment)');
const labelEn = z.string().trim().min(1).max(60).describe('English label');
const sortOrder = z.number().int().min(0).max(100_000).describe('lists show categories by this number, then code');

export const CategoryCodeParamsSchema = z.object({ code });

export const CreateCategoryBodySchema = z.object({
  code,
  labelZh,
  labelEn,
  sortOrder: sortOrder.optional().describe('defaults to after the last one'),
});
export type CreateCategoryBody = z.infer<typeof CreateCategoryBodySchema>;

export const UpdateCategoryBodySchema = z.object({
  version: z.number().int().min(1).describe('the version read; a stale one is refused with 409'),
  labelZh: labelZh.optional(),
  labelEn: labelEn.optional(),
  sortOrder: sortOrder.optional(),
  active: z.boolean().optional().describe('false retires the category: kept on the clients that have it, offered to nobody new'),
});
export type UpdateCategoryBody = z.infer<typeof UpdateCategoryBodySchema>;

export const DeleteCategoryQuerySchema = z.object({ version: z.coerce.number().int().min(1) });

export const CategoryDefinitionSchema = z.object({
  code: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  sortOrder: z.number().int(),
  active: z.boolean().describe('false: retired (still shown on the clients that have it, not offered for new entries)'),
  builtin: z.boolean().describe('one of the ten defaults: can be retired, never deleted'),
  used: z.boolean().describe('some client has (or had) this category: it can be retired, not deleted'),
  version: z.number().int(),
  updatedAt: z.string(),
});
