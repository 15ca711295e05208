import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';

/** Today as a calendar day in Asia/Shanghai: the day a visit is due or overdue. */
export const TODAY_SHANGHAI = sql`(now() at time zone 'Asia/Shanghai')::date`;

/**
 * Recomputes visit intervals and next due dates from the deployment's cadence rules: a client's
 * interval is the shortest of the rule of its risk level and the rules of its active categories; the
 * next visit is due that many days after the last visit (or after registration). Clients who left the
 * ledger have no due date. One statement, for the given clients or for everyone.
 */
export async function recomputeCadence(db: Db, clientIds?: string[]): Promise<number> {
  const filter: SQL = clientIds ? sql`c2.id = any(${sql.param(clientIds)}::uuid[])` : sql`true`;
  const rows = await db.execute(sql`
    update clients c set
      visit_interval_days = case when c.status = 'active' then x.days end,
      next_visit_due = case when c.status = 'active'
        then (coalesce(c.last_visit_at, c.created_at) at time zone 'Asia/Shanghai')::date + x.days end
    from (
      select c2.id, least(
        coalesce((select r.interval_days from visit_cadence_rules r where r.kind = 'risk' and r.key = c2.risk_level), 90),
        coalesce((select min(r.interval_days) from visit_cadence_rules r
                  join client_categories cc on cc.category = r.key and r.kind = 'category'
                  where cc.client_id = c2.id and (cc.end_date is null or cc.end_date >= ${TODAY_SHANGHAI})), 2147483647)
      ) as days
      from clients c2 where ${filter}
    ) x
    where x.id = c.id`);
  return (
    (rows as unknown as { rowCount?: number; affectedRows?: number }).rowCount ??
    (rows as unknown as { affectedRows?: number }).affectedRows ??
    0
  );
}
