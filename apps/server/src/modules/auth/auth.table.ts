import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ltree, timestamps } from '../../db/types.js';

/** Users; each holds one role bound to one unit (system admins may have none: they see everything). */
export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey(),
    username: text().notNull(),
    displayName: text().notNull(),
    passwordHash: text().notNull(),
    role: text().notNull(),
    unitId: uuid(),
    /** Copy of the unit's path at write time; scope predicate of everything this user does. */
    unitPath: ltree(),
    status: text().notNull().default('active'),
    mustChangePassword: integer().notNull().default(0),
    failedAttempts: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true }),
    lastLoginAt: timestamp({ withTimezone: true }),
    passwordChangedAt: timestamp({ withTimezone: true }),
    version: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_username_idx').on(t.username), index('users_unit_path_idx').using('gist', t.unitPath)],
);

/** Server-side sessions: the cookie carries a random token, the table keeps its SHA-256. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: uuid().notNull(),
    csrfToken: text().notNull(),
    ip: text(),
    userAgent: text(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    ...timestamps,
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);
