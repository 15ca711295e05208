import { COUNT_FIGURES, DAILY_REPORT_STATUSES, SOLVED_CATEGORIES, UNIT_KINDS } from '@wushe/domain';
import { z } from 'zod';
import { PagingQuerySchema } from '../../platform/http.js';

const isDay = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
export const DaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD')
  .refine(isDay, 'not a calendar day')
  .describe('calendar day in Asia/Shanghai, YYYY-MM-DD');
export const MonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM')
  .describe('calendar month, YYYY-MM');

const count = z.number().int().min(0).max(1_000_000);
const SolvedSchema = z.object(
  Object.fromEntries(SOLVED_CATEGORIES.map((c) => [c, count])) as Record<(typeof SOLVED_CATEGORIES)[number], typeof count>,
);

export const FiguresSchema = z
  .object({
    ...(Object.fromEntries(COUNT_FIGURES.map((k) => [k, count])) as Record<(typeof COUNT_FIGURES)[number], typeof count>),
    volunteerHours: z
      .number()
      .min(0)
      .max(100_000)
      .refine((x) => Math.abs(Math.round(x * 100) - x * 100) < 1e-6, { message: 'hours have at most two decimals' }),
    solved: SolvedSchema.describe(
      'problems solved by category (缺粮 grain, 缺油 oil, 缺菜 vegetables, 缺药 medicine, 急需就医 urgent_medical, 政策咨询 policy, 心理疏导 counselling, 情绪支持 emotional, other)',
    ),
  })
  .describe('the figures of one report');

/** Figures as answered: a report's, or the sums of a roll-up (no input limits). */
export const FigureSumsSchema = z
  .object({
    ...(Object.fromEntries(COUNT_FIGURES.map((k) => [k, z.number()])) as Record<(typeof COUNT_FIGURES)[number], z.ZodNumber>),
    volunteerHours: z.number(),
    solved: z.object(
      Object.fromEntries(SOLVED_CATEGORIES.map((c) => [c, z.number()])) as Record<(typeof SOLVED_CATEGORIES)[number], z.ZodNumber>,
    ),
  })
  .describe('figures: people served, visits, needs met, tickets received, shifts, calls, volunteer hours, problems solved by category');

const highlights = z.string().trim().max(4000).nullable().optional().describe('highlights of the day, free text');

export const ReportSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  unitName: z.string().nullable(),
  day: z.string(),
  status: z.enum(DAILY_REPORT_STATUSES),
  late: z.boolean().describe('submitted after the day had ended (Asia/Shanghai)'),
  figures: FigureSumsSchema,
  problemsSolved: z.number(),
  highlights: z.string().nullable(),
  prefill: FigureSumsSchema.nullable().describe('what the records said at the last save'),
  returnReason: z.string().nullable(),
  submittedAt: z.string().nullable(),
  submittedByName: z.string().nullable(),
  returnedAt: z.string().nullable(),
  returnedByName: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const FormQuerySchema = z.object({ unitId: z.uuid(), day: DaySchema });

export const FormSchema = z.object({
  unit: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  day: z.string(),
  report: ReportSchema.nullable().describe('null: not started yet'),
  prefill: FigureSumsSchema.describe("what the day's visits, needs, tickets, shifts and time-bank hours say now"),
  lateIfSubmittedNow: z.boolean(),
});

export const CreateReportBodySchema = z.object({
  unitId: z.uuid(),
  day: DaySchema,
  figures: FiguresSchema.optional().describe('default: the pre-fill'),
  highlights,
});

export const UpdateReportBodySchema = z.object({
  version: z.number().int().min(1),
  figures: FiguresSchema.optional(),
  highlights,
});

export const VersionBodySchema = z.object({ version: z.number().int().min(1) });
export const ReturnBodySchema = z.object({
  version: z.number().int().min(1),
  reason: z.string().trim().min(2).max(500).describe('what to correct'),
});

export const ListQuerySchema = PagingQuerySchema.extend({
  unitId: z.uuid().optional().describe('this unit and below'),
  from: DaySchema.optional(),
  to: DaySchema.optional(),
  status: z.enum(DAILY_REPORT_STATUSES).optional(),
  late: z.enum(['true', 'false']).optional(),
});

export const RollupQuerySchema = z
  .object({
    unitId: z.uuid().optional().describe('default: your own unit'),
    day: DaySchema.optional(),
    month: MonthSchema.optional(),
  })
  .refine((q) => !!q.day !== !!q.month, { message: 'give either day or month', path: ['day'] });

export const PeriodQuerySchema = z
  .object({
    unitId: z.uuid().optional().describe('default: your own unit'),
    from: DaySchema,
    to: DaySchema,
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { message: 'at most 366 days', path: ['to'] });

const completeness = z.number().min(0).max(1).describe('filed ÷ due, 0–1');

export const RollupSchema = z.object({
  unit: z.object({ id: z.string(), name: z.string(), kind: z.string() }).nullable(),
  from: z.string(),
  to: z.string(),
  days: z.number(),
  totals: z.object({
    filed: z.number(),
    due: z.number(),
    late: z.number(),
    completeness,
    figures: FigureSumsSchema,
    problemsSolved: z.number(),
  }),
  children: z.array(
    z.object({
      unitId: z.string().nullable(),
      name: z.string(),
      kind: z.string().nullable(),
      filed: z.number(),
      due: z.number(),
      late: z.number(),
      completeness,
      figures: FigureSumsSchema,
      problemsSolved: z.number(),
    }),
  ),
  series: z.array(
    z.object({ day: z.string(), filed: z.number(), due: z.number(), completeness, figures: FigureSumsSchema, problemsSolved: z.number() }),
  ),
  missing: z.array(
    z.object({
      unitId: z.string(),
      name: z.string(),
      parentName: z.string().nullable(),
      missingDays: z.number(),
      status: z.enum(DAILY_REPORT_STATUSES).nullable().describe('one day: draft/returned when started, null when not started'),
    }),
  ),
  missingTotal: z.number().describe('units missing (the list shows the first 500)'),
});

export const SettingsSchema = z.object({
  unitKinds: z.array(z.enum(UNIT_KINDS)),
  reminderTime: z.string(),
  remindersEnabled: z.boolean(),
  lastReminderDay: z.string().nullable(),
  version: z.number(),
});

export const UpdateSettingsBodySchema = z.object({
  version: z.number().int().min(1),
  unitKinds: z.array(z.enum(UNIT_KINDS)).min(1).max(UNIT_KINDS.length).describe('kinds of unit that file a daily report'),
  reminderTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .describe('HH:MM Asia/Shanghai: units that have not filed by then are reminded'),
  remindersEnabled: z.boolean(),
});
