import { z } from 'zod';

export const RegionSchema = z.object({
  code: z.string().describe('GB/T 2260 code (2/4/6 digits) or statistical code (9/12 digits)'),
  name: z.string(),
  level: z.number().int().describe('1 province … 5 village/community'),
  parentCode: z.string().nullable(),
});

export const RegionListQuerySchema = z.object({
  q: z.string().trim().max(50).optional().describe('name, code prefix, full pinyin or pinyin initials'),
  parentCode: z
    .string()
    .regex(/^\d{2,12}$/)
    .optional(),
  level: z.coerce.number().int().min(1).max(5).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const RegionCodeParamsSchema = z.object({ code: z.string().regex(/^\d{2,12}$/, 'a region code has 2 to 12 digits') });

export const RegionDetailSchema = RegionSchema.extend({ ancestors: z.array(RegionSchema) });
