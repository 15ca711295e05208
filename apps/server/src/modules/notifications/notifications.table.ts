import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** In-app notifications of one user (assignments, overdue visits, reminders), kept until read and after. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey(),
    userId: uuid().notNull(),
    kind: text().notNull(),
    title: text().notNull(),
    body: text(),
    entityType: text(),
    entityId: text(),
    readAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('notifications_user_id_created_at_idx').on(t.userId, t.createdAt)],
);
