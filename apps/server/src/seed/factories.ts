import type { Role } from '@wushe/domain';
import { sql } from 'drizzle-orm';
import { hashPassword } from '../modules/auth/auth.service.js';
import type { OperatorInput, UnitInput } from '../modules/network/network.schemas.js';
import { createOperator, createUnit, createZone, type UnitRow } from '../modules/network/network.service.js';
import { type Actor, SYSTEM_ACTOR } from '../platform/actor.js';
import { type Db, queryOne } from '../platform/db.js';
import { newId } from '../platform/ids.js';

/**
 * Builders shared by the demo seed and the tests: they go through the services (validation and audit
 * included) as the system actor, inside one transaction each.
 */
export async function makeUnit(
  db: Db,
  input: Partial<UnitInput> & Pick<UnitInput, 'name' | 'kind' | 'regionCode'>,
  actor: Actor = SYSTEM_ACTOR,
): Promise<UnitRow> {
  return db.transaction(async (tx) =>
    createUnit({ db: tx as unknown as Db, actor, input: { parentId: null, status: 'operating', ...input } }),
  );
}

export async function makeOperator(db: Db, input: OperatorInput, actor: Actor = SYSTEM_ACTOR) {
  return db.transaction(async (tx) => createOperator({ db: tx as unknown as Db, actor, input }));
}

export async function makeZone(db: Db, input: { stationId: string; name: string; regionCodes: string[] }, actor: Actor = SYSTEM_ACTOR) {
  return db.transaction(async (tx) => createZone({ db: tx as unknown as Db, actor, input }));
}

/** Inserts a user directly (the seed's first admin and test users need no granting actor). */
export async function makeUser(
  db: Db,
  u: {
    username: string;
    password: string;
    role: Role;
    unit?: { id: string; path: string } | null;
    displayName?: string;
    mustChangePassword?: boolean;
  },
): Promise<{ id: string; username: string }> {
  const id = newId();
  const hash = await hashPassword(u.password);
  await db.execute(sql`insert into users (id, username, display_name, password_hash, role, unit_id, unit_path, must_change_password)
    values (${id}, ${u.username}, ${u.displayName ?? u.username}, ${hash}, ${u.role}, ${u.unit?.id ?? null}, ${u.unit?.path ?? null}::ltree,
            ${u.mustChangePassword ? 1 : 0})`);
  return { id, username: u.username };
}

export async function unitByName(db: Db, name: string): Promise<UnitRow | undefined> {
  return queryOne<UnitRow>(db, sql`select id, path::text as path, name, kind, region_code as "regionCode" from units where name = ${name}`);
}
