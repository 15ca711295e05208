import { decodeCursor, encodeCursor } from '../../platform/http.js';
import type { AuditRow } from './audit.service.js';

export function presentAuditEntry(r: AuditRow) {
  return {
    id: r.id,
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorRole: r.actor_role,
    ip: r.ip,
    userAgent: r.user_agent,
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before ?? null,
    after: r.after ?? null,
  };
}

/** Audit pages go newest first; the cursor is the seq of the last entry shown. */
export function auditCursorIn(cursor: string | undefined): number | undefined {
  const v = decodeCursor(cursor, 1);
  return v ? Number(v[0]) : undefined;
}

export function presentAuditPage(page: { items: AuditRow[]; hasMore: boolean; total: number }) {
  const last = page.items[page.items.length - 1];
  return {
    items: page.items.map(presentAuditEntry),
    nextCursor: page.hasMore && last ? encodeCursor([Number(last.seq)]) : null,
    total: page.total,
  };
}
