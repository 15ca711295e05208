import { sql } from 'drizzle-orm';
import { type Db, query } from '../../platform/db.js';
import { newId } from '../../platform/ids.js';

/**
 * Finds records that may be the same person as `clientId`: same name and birth date, where at least
 * one of the two has no ID number (two different ID numbers are two people). Each pair is recorded
 * once, at the lowest unit both belong to (the unit itself when both are in one), so only users who can see
 * both records see the pair.
 */
export async function detectDuplicates(db: Db, clientId: string): Promise<number> {
  const pairs = await query<{ other: string; path: string }>(
    db,
    // lca() is a proper ancestor even of equal paths (lca('a.b', 'a.b') = 'a'): two records of one unit, or
    // of a unit and one below it, belong to the higher of the two, not to its parent.
    sql`select o.id as other,
          (case when c.unit_path <@ o.unit_path then o.unit_path when o.unit_path <@ c.unit_path then c.unit_path
           else lca(c.unit_path, o.unit_path) end)::text as path
        from clients c join clients o on o.name = c.name and o.birth_date = c.birth_date and o.id <> c.id
        where c.id = ${clientId} and c.birth_date is not null and o.merged_into is null and c.merged_into is null
          and (c.id_number_index is null or o.id_number_index is null)`,
  );
  let n = 0;
  for (const p of pairs) {
    const [a, b] = [p.other, clientId].sort();
    const res = await db.execute(sql`insert into client_duplicates (id, client_a, client_b, unit_path, reason)
      values (${newId()}, ${a}, ${b}, ${p.path || 'root'}::ltree, 'same_name_birth_date') on conflict (client_a, client_b) do nothing`);
    n +=
      (res as unknown as { rowCount?: number; affectedRows?: number }).rowCount ??
      (res as unknown as { affectedRows?: number }).affectedRows ??
      0;
  }
  return n;
}
