import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';

/**
 * Tickets (工单/诉求): a request for help from any channel (hotline, walk-in, residents' committee, grid
 * worker, the public online form, a volunteer's problem report). The responsible unit (`unit_id`,
 * `unit_path`) is the station of the caller's community; it accepts, assigns, notes progress, solves, and
 * closes with the caller's feedback. Status: new → accepted → assigned → in_progress → solved → closed, or
 * cancelled. Overdue tickets are escalated to the parent unit (`escalated_to_unit_id`).
 *
 * The daily report (每日一报) reads this table with raw SQL: keep the column names.
 */
export const tickets = pgTable(
  'tickets',
  {
    id: uuid().primaryKey(),
    /** Short reference for the caller and the phone (GD-YYMMDD-XXXX). */
    code: text().notNull(),
    /** The responsible unit (the station of the caller's community, or the unit chosen). */
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    /** hotline | walk_in | residents_committee | grid_worker | online_form | volunteer */
    channel: text().notNull(),
    /** grain | oil | vegetables | medicine | urgent_medical | policy | counselling | emotional | other */
    category: text().notNull(),
    /** urgent | normal | low */
    urgency: text().notNull(),
    /** new | accepted | assigned | in_progress | solved | closed | cancelled */
    status: text().notNull().default('new'),
    summary: text().notNull(),
    /** The caller's village/community (level-5 region code), when known. */
    regionCode: text(),
    address: text(),
    callerName: text(),
    /** The caller's phone, encrypted, with a blind index (matching clients) and a masked form. */
    callerPhoneEnc: text(),
    callerPhoneIndex: text(),
    callerPhoneMasked: text(),
    /** The client the caller was matched to or registered as. */
    clientId: uuid(),
    hotlineId: uuid(),
    assignedUserId: uuid(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    respondDueAt: timestamp({ withTimezone: true }).notNull(),
    solveDueAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    assignedAt: timestamp({ withTimezone: true }),
    solvedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    solution: text(),
    /** Closing: the callback to the caller. reached | unreachable | declined */
    callbackResult: text(),
    /** 1–5, when the caller gave one. */
    satisfaction: smallint(),
    feedback: text(),
    cancelReason: text(),
    /** Escalation of an overdue ticket to the parent unit (which is told). */
    escalatedToUnitId: uuid(),
    escalatedAt: timestamp({ withTimezone: true }),
    /** response | solution: which deadline was missed. */
    escalationReason: text(),
    createdBy: uuid(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('tickets_code_idx').on(t.code),
    index('tickets_unit_path_idx').using('gist', t.unitPath),
    index('tickets_unit_id_received_at_idx').on(t.unitId, t.receivedAt),
    index('tickets_received_at_idx').on(t.receivedAt.desc(), t.id.desc()),
    index('tickets_open_due_idx').on(t.solveDueAt).where(sql`status in ('new', 'accepted', 'assigned', 'in_progress')`),
    index('tickets_client_id_idx').on(t.clientId),
    index('tickets_assigned_user_id_idx').on(t.assignedUserId),
    index('tickets_escalated_to_unit_id_idx').on(t.escalatedToUnitId),
    check('tickets_status_check', sql`${t.status} in ('new', 'accepted', 'assigned', 'in_progress', 'solved', 'closed', 'cancelled')`),
    check(
      'tickets_channel_check',
      sql`${t.channel} in ('hotline', 'walk_in', 'residents_committee', 'grid_worker', 'online_form', 'volunteer')`,
    ),
    check(
      'tickets_category_check',
      sql`${t.category} in ('grain', 'oil', 'vegetables', 'medicine', 'urgent_medical', 'policy', 'counselling', 'emotional', 'other')`,
    ),
    check('tickets_urgency_check', sql`${t.urgency} in ('urgent', 'normal', 'low')`),
    check('tickets_satisfaction_check', sql`${t.satisfaction} between 1 and 5`),
    check('tickets_callback_result_check', sql`${t.callbackResult} in ('reached', 'unreachable', 'declined')`),
  ],
);

/** The timeline of a ticket: every status change, progress note, escalation and client match, in order. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    id: uuid().primaryKey(),
    ticketId: uuid().notNull(),
    unitPath: ltree().notNull(),
    /** created | accepted | assigned | progress | solved | closed | cancelled | escalated | client_linked | rerouted */
    kind: text().notNull(),
    fromStatus: text(),
    toStatus: text(),
    note: text(),
    userId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ticket_events_ticket_id_created_at_idx').on(t.ticketId, t.createdAt)],
);

/** Hotlines (热线): a number a unit answers, with its hours ("24小时", "周一至周五 9:00-17:30"). */
export const hotlines = pgTable(
  'hotlines',
  {
    id: uuid().primaryKey(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    number: text().notNull(),
    name: text().notNull(),
    hours: text().notNull(),
    /** false = no longer answered (kept for the shifts and tickets that name it). */
    active: boolean().notNull().default(true),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [index('hotlines_unit_path_idx').using('gist', t.unitPath), uniqueIndex('hotlines_unit_id_number_idx').on(t.unitId, t.number)],
);

/** Duty shifts (值班) on a hotline: who answered, when, and how many calls and people. */
export const dutyShifts = pgTable(
  'duty_shifts',
  {
    id: uuid().primaryKey(),
    hotlineId: uuid().notNull(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    userId: uuid().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    calls: integer().notNull().default(0),
    peopleServed: integer().notNull().default(0),
    notes: text(),
    createdBy: uuid(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('duty_shifts_unit_path_idx').using('gist', t.unitPath),
    index('duty_shifts_hotline_id_starts_at_idx').on(t.hotlineId, t.startsAt),
    index('duty_shifts_unit_id_starts_at_idx').on(t.unitId, t.startsAt),
    check('duty_shifts_time_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('duty_shifts_counts_check', sql`${t.calls} >= 0 and ${t.peopleServed} >= 0`),
  ],
);

/** Deadlines per urgency, in minutes: one row (id = 1); no row means the defaults. */
export const ticketSettings = pgTable(
  'ticket_settings',
  {
    id: integer().primaryKey().default(1),
    /** { urgent: { respondMinutes, solveMinutes }, normal: {…}, low: {…} } */
    deadlines: jsonb().$type<Record<'urgent' | 'normal' | 'low', { respondMinutes: number; solveMinutes: number }>>().notNull(),
    version: integer().notNull().default(1),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('ticket_settings_single_row_check', sql`${t.id} = 1`)],
);
