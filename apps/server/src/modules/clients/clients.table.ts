import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';

/**
 * The client ledger (兜底民生服务对象台账). ID numbers, phones and contacts are stored encrypted
 * (AES-256-GCM); `*_index` columns hold keyed blind indexes (HMAC) for exact lookup and de-duplication.
 */
export const clients = pgTable(
  'clients',
  {
    id: uuid().primaryKey(),
    name: text().notNull(),
    namePinyin: text().notNull(),
    nameInitials: text().notNull(),
    idNumberEnc: text(),
    /** Unique per deployment: the same person cannot be entered twice. */
    idNumberIndex: text(),
    /** Blind index of the last 4 characters, for "last digits" search without storing them in clear. */
    idTailIndex: text(),
    /** What lists show (5001**********123X), kept so that lists need no decryption. */
    idNumberMasked: text(),
    sex: text(),
    birthDate: date({ mode: 'string' }),
    ethnicity: text(),
    phoneEnc: text(),
    phoneIndex: text(),
    phoneTailIndex: text(),
    phoneMasked: text(),
    address: text(),
    householdId: uuid(),
    householdRelation: text(),
    /** Encrypted JSON list of guardians/contacts: [{ name, relation, phone }]. */
    contactsEnc: text(),
    regionCode: text().notNull(),
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    status: text().notNull().default('active'),
    statusDate: date({ mode: 'string' }),
    statusReason: text(),
    riskLevel: text().notNull().default('general'),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** The worker who answers for this client's visits. */
    responsibleUserId: uuid(),
    lastVisitAt: timestamp({ withTimezone: true }),
    /** Days between visits, from the cadence rules (risk level and categories); null when not active. */
    visitIntervalDays: integer(),
    /** Calendar day (Asia/Shanghai) by which the next visit is due. */
    nextVisitDue: date({ mode: 'string' }),
    createdBy: uuid(),
    /** Set when this record was merged into another one (a duplicate); reversible from the duplicate pair. */
    mergedInto: uuid(),
    /**
     * The codes of the client's categories, sorted, kept in step with client_categories by statement-level
     * triggers (migration 0015): every code with an open period or one ending at most 2 days before the last
     * change. A superset of the active codes; exact while `categoryCodesUntil` (the earliest end date among
     * the kept codes) is null or not past — a search re-checks client_categories for the others.
     */
    categoryCodes: text().array().notNull().default(sql`'{}'::text[]`),
    categoryCodesUntil: date({ mode: 'string' }),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('clients_id_number_index_idx').on(t.idNumberIndex),
    index('clients_unit_path_idx').using('gist', t.unitPath),
    index('clients_id_tail_index_idx').on(t.idTailIndex),
    index('clients_phone_index_idx').on(t.phoneIndex),
    index('clients_phone_tail_index_idx').on(t.phoneTailIndex),
    /** Prefix search (`zs%`) answered from the index alone: the sort key, id and scope are in it too. */
    index('clients_name_initials_idx').on(t.nameInitials.op('text_pattern_ops'), t.updatedAt, t.id, t.unitPath),
    index('clients_name_pinyin_idx').on(t.namePinyin.op('text_pattern_ops'), t.updatedAt, t.id, t.unitPath),
    index('clients_name_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('clients_address_idx').using('gin', t.address.op('gin_trgm_ops')),
    index('clients_household_id_idx').on(t.householdId),
    index('clients_name_birth_date_idx').on(t.name, t.birthDate),
    index('clients_next_visit_due_idx').on(t.nextVisitDue),
    index('clients_responsible_user_id_idx').on(t.responsibleUserId),
    /** The default list order (-updatedAt) and its keyset paging, without sorting the whole scope. */
    index('clients_updated_at_id_idx').on(t.updatedAt, t.id),
    /** 2-character fragments of names and addresses (clients_bigrams() is created by migration 0011). */
    index('clients_name_bigrams_idx').using('gin', sql`clients_bigrams(${t.name})`),
    index('clients_address_bigrams_idx').using('gin', sql`clients_bigrams(${t.address})`),
    /** Category filters, alone (`dibao`) or with the risk level (`dibao@high`): clients_category_keys() is in migration 0015. */
    index('clients_category_keys_idx').using('gin', sql`clients_category_keys(${t.categoryCodes}, ${t.riskLevel})`),
    /** Active clients in list order, with what the overdue filter and the scope read: the overdue page from the index alone. */
    index('clients_active_updated_at_idx').on(t.updatedAt, t.id, t.unitPath, t.nextVisitDue).where(sql`status = 'active'`),
    /** Active clients by scope (a btree range on unit_path, see findClients) and due date: the overdue count from the index alone. */
    index('clients_active_unit_path_due_idx').on(t.unitPath, t.nextVisitDue).where(sql`status = 'active'`),
  ],
);

/**
 * The category filter's postings: one row per code of a client's `category_codes`, with the client's risk level,
 * scope, status, list order and `category_codes_until` copied from the client row by triggers (migration 0031).
 * A common category of a centre (低保: ~10,000 of a district's 50,000 clients) is then counted and paged from a
 * btree alone — by scope, or in list order — instead of reading and sorting every match's row (the GIN index of
 * clients_category_keys gives no order and no index-only count).
 */
export const clientCategoryPostings = pgTable(
  'client_category_postings',
  {
    clientId: uuid().notNull(),
    category: text().notNull(),
    riskLevel: text().notNull(),
    unitPath: ltree().notNull(),
    status: text().notNull(),
    /** clients.category_codes_until: while null or not past, the code is exact (see findClients). */
    until: date({ mode: 'string' }),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    /**
     * Count and page of a category within a scope (risk levels as `= any(…)`, the scope as a btree range on
     * unit_path), from the index alone; its leading columns also find a client's postings for the triggers.
     */
    index('client_category_postings_scope_idx').on(t.category, t.riskLevel, t.unitPath, t.updatedAt, t.clientId, t.status, t.until),
    /** Page of a category in list order (-updatedAt) where the scope holds many of its postings. */
    index('client_category_postings_order_idx').on(t.category, t.updatedAt, t.clientId, t.riskLevel, t.unitPath, t.status, t.until),
  ],
);

/** Households (户): members are clients with a relation to the head. */
export const households = pgTable(
  'households',
  {
    id: uuid().primaryKey(),
    address: text(),
    unitPath: ltree().notNull(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [index('households_unit_path_idx').using('gist', t.unitPath)],
);

/** Categories a client belongs to, each with its period and source; several at once. */
export const clientCategories = pgTable(
  'client_categories',
  {
    id: uuid().primaryKey(),
    clientId: uuid().notNull(),
    category: text().notNull(),
    subtype: text(),
    startDate: date({ mode: 'string' }).notNull(),
    endDate: date({ mode: 'string' }),
    source: text(),
    unitPath: ltree().notNull(),
    ...timestamps,
  },
  (t) => [index('client_categories_client_id_idx').on(t.clientId), index('client_categories_category_idx').on(t.category)],
);

/** Flags (失联, 高风险预警 …) set with a reason and cleared with a reason; kept as history. */
export const clientFlags = pgTable(
  'client_flags',
  {
    id: uuid().primaryKey(),
    clientId: uuid().notNull(),
    flag: text().notNull(),
    reason: text().notNull(),
    setBy: uuid(),
    setAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    clearedBy: uuid(),
    clearedAt: timestamp({ withTimezone: true }),
    clearReason: text(),
    unitPath: ltree().notNull(),
    ...timestamps,
  },
  (t) => [index('client_flags_client_id_idx').on(t.clientId)],
);

/**
 * Possible duplicates: two records of people without a (shared) ID number that agree on name and birth
 * date. A station worker merges them (reversibly) or dismisses the pair.
 */
export const clientDuplicates = pgTable(
  'client_duplicates',
  {
    id: uuid().primaryKey(),
    clientA: uuid().notNull(),
    clientB: uuid().notNull(),
    unitPath: ltree().notNull(),
    reason: text().notNull(),
    status: text().notNull().default('open'),
    keptId: uuid(),
    mergedId: uuid(),
    /** What a merge moved, so that it can be undone exactly. */
    moved: jsonb(),
    resolvedBy: uuid(),
    resolvedAt: timestamp({ withTimezone: true }),
    resolveReason: text(),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('client_duplicates_client_a_client_b_idx').on(t.clientA, t.clientB),
    index('client_duplicates_unit_path_idx').using('gist', t.unitPath),
    index('client_duplicates_status_idx').on(t.status),
  ],
);
