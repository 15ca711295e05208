import { SAVED_FILTER_LIMITS, SAVED_FILTER_PAGES } from '@wushe/domain';
import { z } from 'zod';

const page = z.enum(SAVED_FILTER_PAGES).describe('the list the filter belongs to');
// Control characters (NUL above all) have no place in a name and PostgreSQL refuses NUL in text.
const name = z
  .string()
  .trim()
  .min(1)
  .max(SAVED_FILTER_LIMITS.nameMax)
  .regex(/^[^\p{Cc}]*$/u, 'no control characters')
  .describe('shown in the "my filters" menu, unique per user and page');
const query = z
  .string()
  .max(SAVED_FILTER_LIMITS.queryMax)
  .describe('the URL query string of the list, e.g. "status=active&overdue=true" (paging is dropped)');

export const SavedFilterListQuerySchema = z.object({ page: page.optional() });
export const CreateSavedFilterBodySchema = z.object({ page, name, query });
export const UpdateSavedFilterBodySchema = z
  .object({ name: name.optional(), query: query.optional() })
  .refine((b) => b.name !== undefined || b.query !== undefined, { message: 'give a new name or query' });

export const SavedFilterSchema = z.object({
  id: z.string(),
  page: z.string(),
  name: z.string(),
  query: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type CreateSavedFilterBody = z.infer<typeof CreateSavedFilterBodySchema>;
export type UpdateSavedFilterBody = z.infer<typeof UpdateSavedFilterBodySchema>;
