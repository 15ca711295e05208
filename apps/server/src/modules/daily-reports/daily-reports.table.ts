import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';

/**
 * 每日一报: one report per reporting unit (stations by default) and calendar day in Asia/Shanghai.
 * Draft → submitted (locked) → returned by a parent unit with a reason (editable again) → submitted again.
 *
 * The figures are typed columns, not JSON, so that a district's or the province's roll-up of a day or a
 * month is a plain indexed sum (bench/daily-reports.bench.ts). `prefill` keeps what the records said when the
 * report was last saved, so a reviewer can see where the unit changed the pre-filled figures.
 */
export const dailyReports = pgTable(
  'daily_reports',
  {
    id: uuid().primaryKey(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    /** The calendar day reported on (Asia/Shanghai). */
    day: date({ mode: 'string' }).notNull(),
    /** draft | submitted | returned */
    status: text().notNull().default('draft'),
    /** Submitted after the day it reports on had ended (Asia/Shanghai). */
    late: boolean().notNull().default(false),
    peopleServed: integer().notNull().default(0),
    visits: integer().notNull().default(0),
    needsMet: integer().notNull().default(0),
    ticketsReceived: integer().notNull().default(0),
    shifts: integer().notNull().default(0),
    calls: integer().notNull().default(0),
    volunteerHours: numeric({ precision: 10, scale: 2 }).notNull().default('0'),
    solvedGrain: integer().notNull().default(0),
    solvedOil: integer().notNull().default(0),
    solvedVegetables: integer().notNull().default(0),
    solvedMedicine: integer().notNull().default(0),
    solvedUrgentMedical: integer().notNull().default(0),
    solvedPolicy: integer().notNull().default(0),
    solvedCounselling: integer().notNull().default(0),
    solvedEmotional: integer().notNull().default(0),
    solvedOther: integer().notNull().default(0),
    highlights: text(),
    /** The pre-filled figures as the records gave them at the last save. */
    prefill: jsonb(),
    returnReason: text(),
    submittedAt: timestamp({ withTimezone: true }),
    submittedBy: uuid(),
    returnedAt: timestamp({ withTimezone: true }),
    returnedBy: uuid(),
    createdBy: uuid(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('daily_reports_unit_id_day_idx').on(t.unitId, t.day),
    index('daily_reports_unit_path_idx').using('gist', t.unitPath),
    index('daily_reports_day_idx').on(t.day),
    check('daily_reports_status_check', sql`${t.status} in ('draft', 'submitted', 'returned')`),
    check(
      'daily_reports_figures_check',
      sql`least(${t.peopleServed}, ${t.visits}, ${t.needsMet}, ${t.ticketsReceived}, ${t.shifts}, ${t.calls}, ${t.solvedGrain}, ${t.solvedOil},
        ${t.solvedVegetables}, ${t.solvedMedicine}, ${t.solvedUrgentMedical}, ${t.solvedPolicy}, ${t.solvedCounselling},
        ${t.solvedEmotional}, ${t.solvedOther}) >= 0 and ${t.volunteerHours} >= 0`,
    ),
  ],
);

/** Deployment settings of the daily report: one row (id = 1); no row means the defaults. */
export const dailyReportSettings = pgTable(
  'daily_report_settings',
  {
    id: integer().primaryKey().default(1),
    /** Kinds of unit that file a daily report (default: stations). */
    unitKinds: text().array().notNull().default(sql`'{station}'::text[]`),
    /** HH:MM, Asia/Shanghai: units that have not filed by then are reminded (once a day). */
    reminderTime: text().notNull().default('17:00'),
    remindersEnabled: boolean().notNull().default(true),
    /** The last day (Asia/Shanghai) whose reminders went out. */
    lastReminderDay: date({ mode: 'string' }),
    version: integer().notNull().default(1),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('daily_report_settings_single_row_check', sql`${t.id} = 1`)],
);

/**
 * The roll-up of submitted reports per node of the network and day: one row for every ancestor of a report's
 * unit (and the unit itself), holding the sums of the submitted reports below it. Kept by a trigger on
 * daily_reports (migration daily_reports_rollup_trigger), rebuilt by `rebuildRollups()`. `parent_path` is ''
 * for the roots, so "the children of X" is `parent_path = X`.
 */
export const dailyReportRollups = pgTable(
  'daily_report_rollups',
  {
    nodePath: ltree().notNull(),
    parentPath: ltree().notNull(),
    day: date({ mode: 'string' }).notNull(),
    filed: integer().notNull().default(0),
    late: integer().notNull().default(0),
    peopleServed: integer().notNull().default(0),
    visits: integer().notNull().default(0),
    needsMet: integer().notNull().default(0),
    ticketsReceived: integer().notNull().default(0),
    shifts: integer().notNull().default(0),
    calls: integer().notNull().default(0),
    volunteerHours: numeric({ precision: 14, scale: 2 }).notNull().default('0'),
    solvedGrain: integer().notNull().default(0),
    solvedOil: integer().notNull().default(0),
    solvedVegetables: integer().notNull().default(0),
    solvedMedicine: integer().notNull().default(0),
    solvedUrgentMedical: integer().notNull().default(0),
    solvedPolicy: integer().notNull().default(0),
    solvedCounselling: integer().notNull().default(0),
    solvedEmotional: integer().notNull().default(0),
    solvedOther: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.nodePath, t.day] }), index('daily_report_rollups_parent_path_day_idx').on(t.parentPath, t.day)],
);

/** Submitted reports per unit and calendar month (first day), kept by the same trigger: a month's missing units in one lookup each. */
export const dailyReportUnitMonths = pgTable(
  'daily_report_unit_months',
  {
    unitId: uuid().notNull(),
    month: date({ mode: 'string' }).notNull(),
    filed: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.month] })],
);
