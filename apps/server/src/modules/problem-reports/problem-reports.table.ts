import { sql } from 'drizzle-orm';
import { check, doublePrecision, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ltree } from '../../db/types.js';

/**
 * Problem reports (随手拍): what a volunteer or a worker saw (a photo, the place, a category, a text). Each
 * report becomes a ticket of the unit that serves the community (`ticket_id`, channel `volunteer`) in the
 * same transaction; the report keeps the photo and who reported it. The photo is a file in the data folder,
 * AES-256-GCM encrypted (it may show people and their homes), named by the report's id.
 */
export const problemReports = pgTable(
  'problem_reports',
  {
    id: uuid().primaryKey(),
    reporterUserId: uuid().notNull(),
    /** The reporter's volunteer record, when the reporter is a volunteer. */
    volunteerId: uuid(),
    /** The unit that answers it (the ticket's unit at the time of the report). */
    unitId: uuid().notNull(),
    unitPath: ltree().notNull(),
    /** The community (level-5 region code) where the problem is. */
    regionCode: text(),
    place: text().notNull(),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    /** A ticket category (grain | oil | … | other). */
    category: text().notNull(),
    description: text().notNull(),
    /** image/jpeg | image/png | image/webp | image/heic, sniffed from the bytes; null without a photo. */
    photoType: text(),
    photoBytes: integer(),
    ticketId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('problem_reports_unit_path_idx').using('gist', t.unitPath),
    index('problem_reports_reporter_created_idx').on(t.reporterUserId, t.createdAt),
    index('problem_reports_created_idx').on(t.createdAt, t.id),
    check('problem_reports_photo_check', sql`(${t.photoType} is null) = (${t.photoBytes} is null)`),
  ],
);
