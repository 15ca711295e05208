import { boolean, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamps } from '../../db/types.js';

/**
 * The deployment's list of client categories (对象类别). Migration 0014 loads the ten defaults of the brief;
 * the system administrator adds, renames, reorders and retires entries. A retired category stays valid on
 * the clients that have it but is no longer offered for new entries.
 */
export const categoryDefinitions = pgTable('category_definitions', {
  code: text().primaryKey(),
  labelZh: text().notNull(),
  labelEn: text().notNull(),
  sortOrder: integer().notNull().default(0),
  active: boolean().notNull().default(true),
  /** One of the defaults of the brief (cannot be deleted, only retired). */
  builtin: boolean().notNull().default(false),
  version: integer().notNull().default(1),
  ...timestamps,
});

/** Saved filters of a list page, per user ("my overdue high-risk clients"). */
export const savedFilters = pgTable(
  'saved_filters',
  {
    id: uuid().primaryKey(),
    userId: uuid().notNull(),
    /** The list they belong to: 'clients', 'needs', … */
    page: text().notNull(),
    name: text().notNull(),
    /** The query string of the list (without paging). */
    query: text().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('saved_filters_user_id_page_name_idx').on(t.userId, t.page, t.name)],
);
