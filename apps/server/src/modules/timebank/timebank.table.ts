import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ltree } from '../../db/types.js';

/**
 * The time bank (时间银行) is a double-entry ledger. Amounts are integer hundredths of a credit (1 credit =
 * 100), so sums are exact. Every posting moves credits between accounts through entries that sum to zero.
 *
 * Issuance: each unit has one 'system' account (the mint), created on first use. Earning and grants move
 * credits out of it, so it is the only account that may go negative: minus its balance is what the unit has
 * issued and not yet taken back. Every other account is held at balance >= 0 by a CHECK and by row locks.
 *
 * Owners are generic: `owner_id` is whatever the later volunteer / family module points at (a volunteer,
 * a family member), nullable for pools and catalogues. Scope comes from the unit (`unit_path`).
 */
export const timebankAccounts = pgTable(
  'timebank_accounts',
  {
    id: uuid().primaryKey(),
    /** person | unit_pool | catalogue | system (the unit's issuing account) */
    kind: text().notNull(),
    ownerId: uuid(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    name: text().notNull(),
    /** Hundredths of a credit; always the sum of the account's entries (checked by `npm run ledger:verify`). */
    balance: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('timebank_accounts_unit_path_idx').using('gist', t.unitPath),
    index('timebank_accounts_owner_id_idx').on(t.ownerId),
    uniqueIndex('timebank_accounts_system_unit_idx').on(t.unitId).where(sql`kind = 'system'`),
    check('timebank_accounts_kind_check', sql`${t.kind} in ('person', 'unit_pool', 'catalogue', 'system')`),
    check('timebank_accounts_balance_check', sql`${t.kind} = 'system' or ${t.balance} >= 0`),
  ],
);

/** One posting: an append-only fact (a trigger refuses UPDATE and DELETE); a correction is a new posting. */
export const timebankPostings = pgTable(
  'timebank_postings',
  {
    id: uuid().primaryKey(),
    /** The `Idempotency-Key` header it was posted with. */
    idempotencyKey: text().notNull(),
    /** sha256 of who posted and what (a replay with another body is refused). */
    requestHash: text().notNull(),
    /** earn | spend | transfer | grant | correction */
    kind: text().notNull(),
    memo: text(),
    /** Confirmed hours of an earn posting, in hundredths of an hour. */
    hours: integer(),
    /** The posting a correction reverses (each posting can be corrected once). */
    correctsPostingId: uuid().references((): AnyPgColumn => timebankPostings.id),
    createdBy: uuid(),
    unitPath: ltree().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('timebank_postings_idempotency_key_idx').on(t.idempotencyKey),
    uniqueIndex('timebank_postings_corrects_posting_id_idx').on(t.correctsPostingId),
    index('timebank_postings_unit_path_idx').using('gist', t.unitPath),
    check('timebank_postings_kind_check', sql`${t.kind} in ('earn', 'spend', 'transfer', 'grant', 'correction')`),
  ],
);

/** The legs of a posting: a non-zero amount on one account. Append-only like the postings. */
export const timebankEntries = pgTable(
  'timebank_entries',
  {
    id: uuid().primaryKey(),
    /**
     * Insertion order. Entries are inserted while their accounts are locked, so per account `seq` follows
     * the order the postings took effect in: the running balance over it is the account's history.
     */
    seq: bigserial({ mode: 'number' }).notNull(),
    postingId: uuid()
      .notNull()
      .references(() => timebankPostings.id),
    accountId: uuid()
      .notNull()
      .references(() => timebankAccounts.id),
    /** Hundredths of a credit: positive credits the account, negative debits it. */
    amount: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('timebank_entries_account_id_created_at_idx').on(t.accountId, t.createdAt.desc(), t.id.desc()),
    index('timebank_entries_posting_id_idx').on(t.postingId),
    check('timebank_entries_amount_check', sql`${t.amount} <> 0`),
  ],
);

/** Deployment settings of the time bank: one row (id = 1); no row means the defaults. */
export const timebankSettings = pgTable(
  'timebank_settings',
  {
    id: integer().primaryKey().default(1),
    /** Credits (hundredths) per confirmed hour; default 1 hour = 1 credit. */
    creditsPerHour: integer().notNull().default(100),
    /** Earn caps per person account in hundredths; null = no cap. The year is the calendar year in China. */
    yearlyEarnCap: integer(),
    lifetimeEarnCap: integer(),
    /** Whether a person may transfer credits to another person account (family members). */
    transfersAllowed: boolean().notNull().default(true),
    version: integer().notNull().default(1),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('timebank_settings_single_row_check', sql`${t.id} = 1`)],
);
