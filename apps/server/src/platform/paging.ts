import { type SQL, sql } from 'drizzle-orm';
import { type Db, query, queryOne } from './db.js';
import { decodeCursor, encodeCursor } from './http.js';

/**
 * One page of a "newest first" list, keyset-paged on (time, id): the rows after the cursor, the cursor
 * of the next page, and the total of the filter. `where` must already hold the scope predicate.
 */
export async function newestFirstPage<T extends { id: string }>(
  db: Db,
  opts: {
    /** `select … from …` of the rows, without where/order/limit. */
    select: SQL;
    /** `from …` for the count (no joins needed for it). */
    countFrom: SQL;
    where: SQL;
    timeColumn: SQL;
    idColumn: SQL;
    timeOf: (row: T) => Date | string;
    limit: number;
    cursor?: string;
  },
): Promise<{ items: T[]; nextCursor: string | null; total: number }> {
  const cursor = decodeCursor(opts.cursor, 2);
  const page = cursor
    ? sql`${opts.where} and (${opts.timeColumn}, ${opts.idColumn}) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)`
    : opts.where;
  const rows = await query<T>(
    db,
    sql`${opts.select} where ${page} order by ${opts.timeColumn} desc, ${opts.idColumn} desc limit ${opts.limit + 1}`,
  );
  const total = await queryOne<{ n: number }>(db, sql`select count(*)::int as n ${opts.countFrom} where ${opts.where}`);
  const items = rows.slice(0, opts.limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > opts.limit && last ? encodeCursor([new Date(opts.timeOf(last)).toISOString(), last.id]) : null,
    total: Number(total?.n ?? 0),
  };
}
