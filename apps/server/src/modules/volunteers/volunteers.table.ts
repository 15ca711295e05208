import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';
import { users } from '../auth/auth.table.js';
import { timebankAccounts } from '../timebank/timebank.table.js';

/**
 * Real-name volunteers (志愿者, 志愿服务条例): the ID number is validated and kept like the client ledger's —
 * AES-256-GCM ciphertext, a keyed blind index (unique per deployment: one person registers once) and the
 * masked form lists show. A resident registers on the public page (status 'pending'); the station approves
 * (a login with role 'volunteer' and a time-bank person account whose owner_id is the volunteer's id) or
 * rejects with a reason; a volunteer can be suspended and reinstated.
 */
export const volunteers = pgTable(
  'volunteers',
  {
    id: uuid().primaryKey(),
    /** The volunteer's login (role 'volunteer'), set on approval. */
    userId: uuid().references(() => users.id),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    name: text().notNull(),
    namePinyin: text().notNull(),
    nameInitials: text().notNull(),
    idNumberEnc: text().notNull(),
    idNumberIndex: text().notNull(),
    idNumberMasked: text().notNull(),
    sex: text(),
    birthDate: date({ mode: 'string' }),
    phoneEnc: text(),
    phoneIndex: text(),
    phoneMasked: text(),
    skills: text().array().notNull().default(sql`'{}'::text[]`),
    /** Free text: when the volunteer can serve ("周末上午", "工作日晚上"). */
    availability: text(),
    /** Courier volunteers may grab errands (跑腿). */
    isCourier: boolean().notNull().default(false),
    /** pending | active | suspended | rejected */
    status: text().notNull().default('pending'),
    /** Why the application was rejected or the volunteer suspended. */
    statusReason: text(),
    /** self (public page) | station (entered by staff) */
    source: text().notNull().default('station'),
    reviewedBy: uuid(),
    reviewedAt: timestamp({ withTimezone: true }),
    timebankAccountId: uuid().references(() => timebankAccounts.id),
    /** Confirmed service hours in hundredths of an hour (sum of confirmed attendances): the star level's basis. */
    confirmedHours: integer().notNull().default(0),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('volunteers_id_number_index_idx').on(t.idNumberIndex),
    uniqueIndex('volunteers_user_id_idx').on(t.userId),
    index('volunteers_unit_path_idx').using('gist', t.unitPath),
    index('volunteers_phone_index_idx').on(t.phoneIndex),
    index('volunteers_name_initials_idx').on(t.nameInitials.op('text_pattern_ops')),
    index('volunteers_name_pinyin_idx').on(t.namePinyin.op('text_pattern_ops')),
    index('volunteers_updated_at_id_idx').on(t.updatedAt, t.id),
    index('volunteers_status_idx').on(t.status),
    check('volunteers_status_check', sql`${t.status} in ('pending', 'active', 'suspended', 'rejected')`),
    check('volunteers_source_check', sql`${t.source} in ('self', 'station')`),
    check('volunteers_confirmed_hours_check', sql`${t.confirmedHours} >= 0`),
  ],
);

/** Volunteer teams (志愿服务队) of a unit, each led by one of its volunteers. */
export const volunteerTeams = pgTable(
  'volunteer_teams',
  {
    id: uuid().primaryKey(),
    name: text().notNull(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    leaderId: uuid().references(() => volunteers.id),
    description: text(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('volunteer_teams_unit_id_name_idx').on(t.unitId, t.name),
    index('volunteer_teams_unit_path_idx').using('gist', t.unitPath),
  ],
);

export const volunteerTeamMembers = pgTable(
  'volunteer_team_members',
  {
    teamId: uuid()
      .notNull()
      .references(() => volunteerTeams.id, { onDelete: 'cascade' }),
    volunteerId: uuid()
      .notNull()
      .references(() => volunteers.id),
    joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.volunteerId] }), index('volunteer_team_members_volunteer_id_idx').on(t.volunteerId)],
);

/** Volunteer settings of the deployment: one row (id = 1); no row means the defaults. */
export const volunteerSettings = pgTable(
  'volunteer_settings',
  {
    id: integer().primaryKey().default(1),
    /** Confirmed hours for 一星 … 五星, ascending. */
    starHours: integer().array().notNull().default(sql`'{100,300,600,1000,1500}'::integer[]`),
    version: integer().notNull().default(1),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('volunteer_settings_single_row_check', sql`${t.id} = 1`)],
);
