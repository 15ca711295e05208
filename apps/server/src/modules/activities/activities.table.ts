import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';
import { timebankPostings } from '../timebank/timebank.table.js';
import { volunteers, volunteerTeams } from '../volunteers/volunteers.table.js';

/**
 * Volunteer activities (志愿服务活动): published by a unit, signed up for by volunteers up to `capacity`
 * (then on a waitlist), checked in and out by scanning the activity's QR code (which carries
 * `checkinToken`) or by the leader, hours confirmed by the leader and posted to the time bank.
 */
export const activities = pgTable(
  'activities',
  {
    id: uuid().primaryKey(),
    title: text().notNull(),
    description: text(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    place: text().notNull(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    capacity: integer().notNull(),
    skills: text().array().notNull().default(sql`'{}'::text[]`),
    /** 五社联动 partners by tag: community | social_worker | social_org | volunteer | charity. */
    partners: text().array().notNull().default(sql`'{}'::text[]`),
    teamId: uuid().references(() => volunteerTeams.id),
    /** The volunteer who leads on site: checks volunteers in and out, adjusts and confirms hours. */
    leaderId: uuid().references(() => volunteers.id),
    /** published | cancelled | closed */
    status: text().notNull().default('published'),
    residentsServed: integer().notNull().default(0),
    /** Random per activity, carried by the QR code; the leader can rotate it (the old code stops working). */
    checkinToken: text().notNull(),
    createdBy: uuid(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    index('activities_unit_path_idx').using('gist', t.unitPath),
    index('activities_starts_at_id_idx').on(t.startsAt, t.id),
    index('activities_leader_id_idx').on(t.leaderId),
    check('activities_status_check', sql`${t.status} in ('published', 'cancelled', 'closed')`),
    check('activities_capacity_check', sql`${t.capacity} > 0`),
    check('activities_time_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('activities_residents_served_check', sql`${t.residentsServed} >= 0`),
  ],
);

/**
 * One volunteer's place in one activity: the sign-up (or waitlist place, ordered by `queuedAt`), the
 * attendance (check-in, check-out), the recorded hours and their confirmation. One row per pair: a
 * cancelled sign-up is reused when the volunteer signs up again.
 */
export const activitySignups = pgTable(
  'activity_signups',
  {
    id: uuid().primaryKey(),
    activityId: uuid()
      .notNull()
      .references(() => activities.id),
    volunteerId: uuid()
      .notNull()
      .references(() => volunteers.id),
    /** The activity's unit path (scope). */
    unitPath: ltree().notNull(),
    /** signed_up | waitlisted | cancelled */
    status: text().notNull(),
    /** When the volunteer (last) signed up: the waitlist order. */
    queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    checkInAt: timestamp({ withTimezone: true }),
    checkInBy: uuid(),
    checkOutAt: timestamp({ withTimezone: true }),
    checkOutBy: uuid(),
    /** Hundredths of an hour: on-site time (check-out − check-in), or the leader's adjustment. */
    hours: integer(),
    adjustReason: text(),
    confirmedAt: timestamp({ withTimezone: true }),
    confirmedBy: uuid(),
    postingId: uuid().references(() => timebankPostings.id),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('activity_signups_activity_id_volunteer_id_idx').on(t.activityId, t.volunteerId),
    index('activity_signups_volunteer_id_idx').on(t.volunteerId),
    index('activity_signups_activity_id_queued_at_idx').on(t.activityId, t.queuedAt),
    index('activity_signups_unit_path_idx').using('gist', t.unitPath),
    check('activity_signups_status_check', sql`${t.status} in ('signed_up', 'waitlisted', 'cancelled')`),
    check('activity_signups_hours_check', sql`${t.hours} is null or ${t.hours} >= 0`),
    check(
      'activity_signups_checkout_check',
      sql`${t.checkOutAt} is null or (${t.checkInAt} is not null and ${t.checkOutAt} >= ${t.checkInAt})`,
    ),
  ],
);
