import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ltree } from '../../db/types.js';

/**
 * Casework (个案, MZ/T 094). A case belongs to a client of the ledger, a worker (owner) and a unit; its scope
 * is the unit's path. The stage data (assessment, plan goals, evaluation) are small JSON documents validated
 * by the API; the service records, the comment thread and the history are rows of their own.
 *
 * `due_date` is the date (Asia/Shanghai) by which the current stage should be done, recomputed at every
 * transition and when the deployment changes its deadlines; null when the case is closed.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid().primaryKey(),
    clientId: uuid().notNull(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    ownerId: uuid().notNull(),
    title: text().notNull(),
    /** visit | ticket | referral | walk_in */
    source: text().notNull(),
    sourceRef: text(),
    stage: text().notNull().default('intake'),
    planStatus: text().notNull().default('none'),
    closureStatus: text().notNull().default('none'),
    /** The stage a closure was requested from (a returned closure goes back there). */
    closureFromStage: text(),
    closureReason: text(),
    /** { problems, strengths, risk, summary } */
    assessment: jsonb(),
    /** { goals: [{ id, goal, measures, targetDate }], summary } */
    plan: jsonb(),
    /** { results: [{ goalId, result, note }], summary } */
    evaluation: jsonb(),
    stageEnteredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    dueDate: date(),
    reopenCount: integer().notNull().default(0),
    openedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
    createdBy: uuid(),
    version: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cases_unit_path_idx').using('gist', t.unitPath),
    index('cases_client_id_idx').on(t.clientId),
    index('cases_owner_id_idx').on(t.ownerId, t.dueDate),
    index('cases_due_date_idx').on(t.dueDate).where(sql`stage <> 'closed'`),
    index('cases_updated_at_idx').on(t.updatedAt.desc(), t.id.desc()),
    check('cases_stage_check', sql`${t.stage} in ('intake', 'assessment', 'plan', 'intervention', 'evaluation', 'closure', 'closed')`),
    check('cases_source_check', sql`${t.source} in ('visit', 'ticket', 'referral', 'walk_in')`),
    check('cases_plan_status_check', sql`${t.planStatus} in ('none', 'pending', 'approved', 'returned')`),
    check('cases_closure_status_check', sql`${t.closureStatus} in ('none', 'pending', 'approved', 'returned')`),
  ],
);

/**
 * The case's thread: comments of workers and supervisors, and one row per transition, sign-off and transfer
 * (what happened, from which stage to which, by whom, with the comment given). Append-only.
 */
export const caseEvents = pgTable(
  'case_events',
  {
    id: uuid().primaryKey(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    /** comment | transition | transfer */
    kind: text().notNull(),
    action: text(),
    fromStage: text(),
    toStage: text(),
    body: text(),
    authorId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('case_events_case_id_idx').on(t.caseId, t.createdAt),
    check('case_events_kind_check', sql`${t.kind} in ('comment', 'transition', 'transfer')`),
  ],
);

/** Service records of the intervention (服务记录). */
export const caseServices = pgTable(
  'case_services',
  {
    id: uuid().primaryKey(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    serviceDate: date().notNull(),
    kind: text().notNull(),
    durationMinutes: integer().notNull(),
    workerIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    /** 五社联动 tags: community | social_worker | social_org | volunteer | charity */
    societies: text().array().notNull().default(sql`'{}'::text[]`),
    notes: text(),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('case_services_case_id_idx').on(t.caseId, t.serviceDate),
    check('case_services_duration_check', sql`${t.durationMinutes} > 0 and ${t.durationMinutes} <= 1440`),
  ],
);

/** Deployment settings of casework: one row (id = 1); no row means the defaults. */
export const caseSettings = pgTable(
  'case_settings',
  {
    id: integer().primaryKey().default(1),
    /** Days allowed per stage: { intake: 7, assessment: 14, … } (missing keys use the defaults). */
    deadlines: jsonb().notNull(),
    requirePlanSignOff: boolean().notNull().default(true),
    requireClosureSignOff: boolean().notNull().default(true),
    version: integer().notNull().default(1),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('case_settings_single_row_check', sql`${t.id} = 1`)],
);

/**
 * Group work (小组) and community activities (社区活动): the other two methods. A group has goals and
 * sessions; attendance links the clients who took part (or a name, for a resident not in the ledger).
 */
export const caseGroups = pgTable(
  'case_groups',
  {
    id: uuid().primaryKey(),
    /** group | activity */
    kind: text().notNull(),
    name: text().notNull(),
    goals: text(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    ownerId: uuid().notNull(),
    startsOn: date(),
    endsOn: date(),
    closed: boolean().notNull().default(false),
    version: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('case_groups_unit_path_idx').using('gist', t.unitPath),
    check('case_groups_kind_check', sql`${t.kind} in ('group', 'activity')`),
  ],
);

export const caseGroupSessions = pgTable(
  'case_group_sessions',
  {
    id: uuid().primaryKey(),
    groupId: uuid()
      .notNull()
      .references(() => caseGroups.id),
    sessionDate: date().notNull(),
    topic: text().notNull(),
    durationMinutes: integer(),
    notes: text(),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_group_sessions_group_id_idx').on(t.groupId, t.sessionDate)],
);

export const caseGroupAttendance = pgTable(
  'case_group_attendance',
  {
    sessionId: uuid()
      .notNull()
      .references(() => caseGroupSessions.id),
    clientId: uuid().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.clientId] }), index('case_group_attendance_client_id_idx').on(t.clientId)],
);
