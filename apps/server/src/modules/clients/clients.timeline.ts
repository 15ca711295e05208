import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query } from '../../platform/db.js';
import { decodeCursor, encodeCursor } from '../../platform/http.js';
import { getClient } from './clients.service.js';

export interface TimelineEvent {
  at: Date | string;
  kind: 'visit' | 'need' | 'category_started' | 'category_ended' | 'flag_set' | 'flag_cleared' | 'change';
  ref: string;
  title: string;
  detail: string | null;
}

/**
 * A client's history newest first — visits, needs, categories, flags and record changes — merged from
 * their own tables and keyset-paged on (time, kind:id). Each source is cut to one page by its own index
 * before the merge, so a client with 500 visits opens as fast as one with 5.
 */
export async function clientTimeline(db: Db, actor: Actor, clientId: string, f: { limit: number; cursor?: string }) {
  await getClient(db, actor, clientId);
  const cursor = decodeCursor(f.cursor, 2);
  const n = f.limit + 1;
  const before = (at: SQL, key: SQL) => (cursor ? sql`and (${at}, ${key}) < (${cursor[0]}::timestamptz, ${cursor[1]})` : sql``);
  const day = (d: SQL) => sql`(${d}::timestamp at time zone 'Asia/Shanghai')`;
  const part = (at: SQL, kind: string, ref: SQL, title: SQL, detail: SQL, from: SQL) => {
    const key = sql`${kind} || ':' || ${ref}`;
    return sql`(select ${at} as at, ${kind}::text as kind, ${ref} as ref, ${title} as title, ${detail} as detail, ${key} as key
      ${from} ${before(at, key)} order by 1 desc, 6 desc limit ${n})`;
  };
  const parts = [
    part(sql`v.visited_at`, 'visit', sql`v.id::text`, sql`v.kind`, sql`v.findings`, sql`from visits v where v.client_id = ${clientId}`),
    part(sql`x.assessed_at`, 'need', sql`x.id::text`, sql`x.need_type`, sql`x.status`, sql`from needs x where x.client_id = ${clientId}`),
    part(
      day(sql`c.start_date`),
      'category_started',
      sql`c.id::text`,
      sql`c.category`,
      sql`c.source`,
      sql`from client_categories c where c.client_id = ${clientId}`,
    ),
    part(
      day(sql`c.end_date`),
      'category_ended',
      sql`c.id::text`,
      sql`c.category`,
      sql`null::text`,
      sql`from client_categories c where c.client_id = ${clientId} and c.end_date is not null`,
    ),
    part(sql`g.set_at`, 'flag_set', sql`g.id::text`, sql`g.flag`, sql`g.reason`, sql`from client_flags g where g.client_id = ${clientId}`),
    part(
      sql`g.cleared_at`,
      'flag_cleared',
      sql`g.id::text`,
      sql`g.flag`,
      sql`g.clear_reason`,
      sql`from client_flags g where g.client_id = ${clientId} and g.cleared_at is not null`,
    ),
    part(
      sql`a.at`,
      'change',
      sql`a.id::text`,
      sql`a.action`,
      sql`a.actor_name`,
      sql`from audit_log a where a.entity_type = 'client' and a.entity_id = ${clientId}
          and a.action in ('client.created', 'client.updated', 'client.merged', 'client.unmerged')`,
    ),
  ];
  const rows = await query<TimelineEvent & { key: string }>(
    db,
    sql`select * from (${sql.join(parts, sql` union all `)}) t order by at desc, key desc limit ${n}`,
  );
  const items = rows.slice(0, f.limit);
  const last = items[items.length - 1];
  return {
    items: items.map(({ key: _k, ...e }) => ({ ...e, at: new Date(e.at).toISOString() })),
    nextCursor: rows.length > f.limit && last ? encodeCursor([new Date(last.at).toISOString(), last.key]) : null,
  };
}
