import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ltree } from '../../db/types.js';
import { users } from '../auth/auth.table.js';
import { clients } from '../clients/clients.table.js';
import { timebankAccounts, timebankPostings } from '../timebank/timebank.table.js';

/**
 * The errand board (跑腿抢单): a resident's small errand (shopping 代购, delivery 送物, escort to the
 * doctor 陪同就医 …) posted by a worker or a volunteer, grabbed by exactly one courier volunteer of the area,
 * completed by the courier and confirmed by the requester or a worker, which pays the reward from the
 * funding account to the courier's time-bank account once (idempotency key `errand:<id>:reward`).
 *
 * status: open → assigned → done → confirmed; open | assigned → cancelled; assigned → open (released).
 * An open errand whose window has ended is shown as expired and can no longer be grabbed; 'expired' is
 * kept in the check for an explicit sweep.
 */
export const errands = pgTable(
  'errands',
  {
    id: uuid().primaryKey(),
    /** shopping | delivery | escort | other */
    kind: text().notNull(),
    title: text().notNull(),
    details: text(),
    /** Where: an address or a meeting point, free text. */
    place: text().notNull(),
    /** The community (or other unit) the errand belongs to: its scope. */
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    windowFrom: timestamp({ withTimezone: true }).notNull(),
    windowTo: timestamp({ withTimezone: true }).notNull(),
    /** Hundredths of a credit paid to the courier on confirmation. */
    reward: integer().notNull(),
    /** The time-bank account that pays the reward (a unit pool, or the posting volunteer's person account). */
    fundingAccountId: uuid()
      .notNull()
      .references(() => timebankAccounts.id),
    /** The resident it is for, when they are in the client ledger. */
    clientId: uuid().references(() => clients.id),
    requestedBy: uuid()
      .notNull()
      .references(() => users.id),
    /** open | assigned | done | confirmed | cancelled | expired */
    status: text().notNull().default('open'),
    /** The courier's login. */
    assigneeUserId: uuid().references(() => users.id),
    /** The courier's volunteer record, when the volunteers module knows them. */
    assigneeVolunteerId: uuid(),
    assignedAt: timestamp({ withTimezone: true }),
    completedAt: timestamp({ withTimezone: true }),
    confirmedAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    cancelReason: text(),
    rewardPostingId: uuid().references(() => timebankPostings.id),
    version: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('errands_unit_path_idx').using('gist', t.unitPath),
    index('errands_open_unit_path_idx').using('gist', t.unitPath).where(sql`status = 'open'`),
    index('errands_assignee_user_id_idx').on(t.assigneeUserId, t.status),
    index('errands_requested_by_idx').on(t.requestedBy),
    index('errands_created_at_id_idx').on(t.createdAt, t.id),
    check('errands_kind_check', sql`${t.kind} in ('shopping', 'delivery', 'escort', 'other')`),
    check('errands_status_check', sql`${t.status} in ('open', 'assigned', 'done', 'confirmed', 'cancelled', 'expired')`),
    check('errands_reward_check', sql`${t.reward} > 0`),
    check('errands_window_check', sql`${t.windowTo} > ${t.windowFrom}`),
    check('errands_assignee_check', sql`${t.status} in ('cancelled', 'expired') or (${t.status} = 'open') = (${t.assigneeUserId} is null)`),
    check('errands_confirmed_paid_check', sql`${t.status} <> 'confirmed' or ${t.rewardPostingId} is not null`),
  ],
);
