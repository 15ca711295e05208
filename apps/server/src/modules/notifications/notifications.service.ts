import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { type Db, query, queryOne } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { defineEventView, publish } from '../../platform/events.js';
import { decodeCursor, encodeCursor } from '../../platform/http.js';
import { newId } from '../../platform/ids.js';

export interface NotificationInput {
  userIds: string[];
  kind: string;
  title: string;
  body?: string | null;
  entityType?: string | null;
  entityId?: string | null;
}

/**
 * Leaves a notification for each user (deduplicated per user, kind and entity for the day) and tells
 * their open consoles (`notification.created`, at commit of `db`'s transaction).
 */
export async function notify(db: Db, n: NotificationInput): Promise<number> {
  let sent = 0;
  for (const userId of new Set(n.userIds)) {
    const dup = await queryOne<{ id: string }>(
      db,
      sql`select id from notifications where user_id = ${userId} and kind = ${n.kind} and entity_id is not distinct from ${n.entityId ?? null}
          and (created_at at time zone 'Asia/Shanghai')::date = (now() at time zone 'Asia/Shanghai')::date`,
    );
    if (dup) continue;
    const id = newId();
    await db.execute(sql`insert into notifications (id, user_id, kind, title, body, entity_type, entity_id)
      values (${id}, ${userId}, ${n.kind}, ${n.title}, ${n.body ?? null}, ${n.entityType ?? null}, ${n.entityId ?? null})`);
    await publish(db, { channel: 'notifications', userIds: [userId], type: 'notification.created', data: { id, kind: n.kind } });
    sent++;
  }
  return sent;
}

// The stream reads the title for its user: the NOTIFY payload carries only the id and kind.
defineEventView('notification.created', async (db, actor, data) => {
  const row = await queryOne<{ id: string; kind: string; title: string; createdAt: Date | string }>(
    db,
    sql`select id, kind, title, created_at as "createdAt" from notifications where id = ${String(data.id)} and user_id = ${actor.userId}`,
  );
  return row ? { id: row.id, kind: row.kind, title: row.title, createdAt: new Date(row.createdAt).toISOString() } : null;
});

export interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  entityType: string | null;
  entityId: string | null;
  readAt: Date | string | null;
  createdAt: Date | string;
}

/** The actor's own notifications, newest first. */
export async function findNotifications(db: Db, actor: Actor, f: { unread?: boolean; limit: number; cursor?: string }) {
  const cursor = decodeCursor(f.cursor, 2);
  const where = sql`user_id = ${actor.userId} ${f.unread ? sql`and read_at is null` : sql``}`;
  const page = cursor ? sql`${where} and (created_at, id) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)` : where;
  const rows = await query<NotificationRow>(
    db,
    sql`select id, kind, title, body, entity_type as "entityType", entity_id as "entityId", read_at as "readAt", created_at as "createdAt"
        from notifications where ${page} order by created_at desc, id desc limit ${f.limit + 1}`,
  );
  const unread = await queryOne<{ n: number }>(
    db,
    sql`select count(*)::int as n from notifications where user_id = ${actor.userId} and read_at is null`,
  );
  const items = rows.slice(0, f.limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > f.limit && last ? encodeCursor([new Date(last.createdAt).toISOString(), last.id]) : null,
    unread: Number(unread?.n ?? 0),
  };
}

export async function markRead(db: Db, actor: Actor, id: string | 'all'): Promise<void> {
  if (id === 'all') {
    await db.execute(sql`update notifications set read_at = now(), updated_at = now() where user_id = ${actor.userId} and read_at is null`);
    return;
  }
  const done = await queryOne<{ id: string }>(
    db,
    sql`update notifications set read_at = coalesce(read_at, now()), updated_at = now() where id = ${id} and user_id = ${actor.userId} returning id`,
  );
  if (!done) throw notFound('notification');
}
