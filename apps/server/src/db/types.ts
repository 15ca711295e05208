import { customType, timestamp } from 'drizzle-orm/pg-core';

/** PostgreSQL ltree: materialized paths of the network and of regions ("50.5001.500103"). */
export const ltree = customType<{ data: string }>({ dataType: () => 'ltree' });

export const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
};
