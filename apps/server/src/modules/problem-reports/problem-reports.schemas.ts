import { PHOTO_TYPES, PROBLEM_REPORT_LIMITS, TICKET_CATEGORIES, TICKET_STATUSES } from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

/** The text fields of a report (multipart form fields next to the optional photo in `file`). */
export const ProblemReportFieldsSchema = z
  .object({
    category: z.enum(TICKET_CATEGORIES),
    description: z.string().trim().min(2).max(PROBLEM_REPORT_LIMITS.descriptionMax),
    place: z.string().trim().min(2).max(PROBLEM_REPORT_LIMITS.placeMax),
    regionCode: z
      .string()
      .regex(/^\d{12}$/)
      .optional()
      .describe('the village/community (12-digit region code) where the problem is: the report goes to the unit that serves it'),
    unitId: z.uuid().optional().describe('or the unit to tell, when the community is not known'),
    latitude: z.coerce.number().min(-90).max(90).optional(),
    longitude: z.coerce.number().min(-180).max(180).optional(),
  })
  .refine((x) => (x.latitude === undefined) === (x.longitude === undefined), {
    path: ['longitude'],
    message: 'give both latitude and longitude, or neither',
  });
export type ProblemReportFields = z.infer<typeof ProblemReportFieldsSchema>;

export const ProblemReportListQuerySchema = PagingQuerySchema.extend({
  category: z.enum(TICKET_CATEGORIES).optional(),
  q: z.string().trim().min(1).max(100).optional().describe('words of the place or the description'),
  unitId: z.uuid().optional().describe('this unit and below'),
});
export type ProblemReportListQuery = z.infer<typeof ProblemReportListQuerySchema>;

export const ProblemReportSchema = z.object({
  id: z.string(),
  category: z.enum(TICKET_CATEGORIES),
  description: z.string(),
  place: z.string(),
  regionCode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  reporterName: z.string().nullable(),
  photo: z.object({ type: z.enum(PHOTO_TYPES), bytes: z.number() }).nullable(),
  ticket: z
    .object({ id: z.string(), code: z.string(), status: z.enum(TICKET_STATUSES) })
    .nullable()
    .describe('the ticket the report became (null for a viewer who may not read tickets)'),
  createdAt: z.string(),
});
