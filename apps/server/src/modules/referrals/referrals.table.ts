import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ltree } from '../../db/types.js';

/**
 * Hand-overs of a client between units (转介 and 移交), one row each:
 *
 * - `referral`: the owning unit (`from_*`) shares a need or case with a receiver — a unit of any tier
 *   (`to_unit_*`), a social organization (`to_operator_id`) or a government department (`to_department`, a
 *   name) — and keeps the client. sent → accepted | declined → in_progress → feedback → closed.
 * - `transfer`: the owning unit hands the client to `to_unit`; on accept the ownership moves. sent → accepted | declined.
 * - `transfer_request`: `to_unit` asks the owning unit (`from_*`) for a client it cannot see; the owning
 *   unit accepts (the transfer happens) or declines.
 *
 * Consent (method written / verbal / guardian, or not_needed with a reason) is recorded before anything
 * leaves the owning unit. `due_date` is the day (Asia/Shanghai) by which the side that must act next
 * should have acted (answer, or report back); null when nothing is awaited. `reminded` lists the stages
 * ('answer', 'feedback') whose overdue reminder went out, so that each is sent once.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid().primaryKey(),
    /** referral | transfer | transfer_request */
    kind: text().notNull(),
    clientId: uuid().notNull(),
    fromUnitId: uuid().notNull(),
    fromUnitPath: ltree().notNull(),
    /** unit | operator | department */
    toKind: text().notNull(),
    toUnitId: uuid(),
    toUnitPath: ltree(),
    toOperatorId: uuid(),
    toDepartment: text(),
    needId: uuid(),
    caseId: uuid(),
    /** What the receiver needs to know: the shared need or case, in the sender's words. */
    summary: text().notNull(),
    status: text().notNull().default('sent'),
    declineReason: text(),
    progressNote: text(),
    feedback: text(),
    closeNote: text(),
    /** written | verbal | guardian | not_needed */
    consentMethod: text(),
    /** emergency | legal_duty | other (when not needed) */
    consentExemption: text(),
    consentNote: text(),
    consentRecordedBy: text(),
    consentAt: timestamp({ withTimezone: true }),
    dueDate: date({ mode: 'string' }),
    reminded: text().array().notNull().default(sql`'{}'::text[]`),
    sentBy: uuid(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    answeredBy: uuid(),
    answeredAt: timestamp({ withTimezone: true }),
    feedbackAt: timestamp({ withTimezone: true }),
    closedBy: uuid(),
    closedAt: timestamp({ withTimezone: true }),
    version: integer().notNull().default(1),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('referrals_from_unit_path_idx').using('gist', t.fromUnitPath),
    index('referrals_to_unit_path_idx').using('gist', t.toUnitPath),
    index('referrals_client_id_idx').on(t.clientId),
    index('referrals_due_date_idx').on(t.dueDate).where(sql`due_date is not null`),
    index('referrals_updated_at_idx').on(t.updatedAt.desc(), t.id.desc()),
    check('referrals_kind_check', sql`${t.kind} in ('referral', 'transfer', 'transfer_request')`),
    check('referrals_to_kind_check', sql`${t.toKind} in ('unit', 'operator', 'department')`),
    check('referrals_status_check', sql`${t.status} in ('sent', 'accepted', 'declined', 'in_progress', 'feedback', 'closed')`),
    check(
      'referrals_receiver_check',
      sql`(${t.toKind} = 'unit' and ${t.toUnitId} is not null and ${t.toUnitPath} is not null)
        or (${t.toKind} = 'operator' and ${t.toOperatorId} is not null and ${t.kind} = 'referral')
        or (${t.toKind} = 'department' and ${t.toDepartment} is not null and ${t.kind} = 'referral')`,
    ),
    check(
      'referrals_consent_check',
      sql`${t.consentMethod} is null or ${t.consentMethod} in ('written', 'verbal', 'guardian', 'not_needed')`,
    ),
  ],
);

/** Deployment settings of referrals: one row (id = 1); no row means the defaults (answer 3 days, feedback 14). */
export const referralSettings = pgTable(
  'referral_settings',
  {
    id: integer().primaryKey().default(1),
    answerDays: integer().notNull().default(3),
    feedbackDays: integer().notNull().default(14),
    version: integer().notNull().default(1),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('referral_settings_single_row_check', sql`${t.id} = 1`),
    check('referral_settings_days_check', sql`${t.answerDays} between 1 and 365 and ${t.feedbackDays} between 1 and 365`),
  ],
);
