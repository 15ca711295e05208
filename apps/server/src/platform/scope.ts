import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from './actor.js';
import { AppError } from './errors.js';

/**
 * The one place that turns a user's unit into a query predicate: "this unit and everything below it"
 * is `path <@ scope`. A user without a scope path (system admin) sees everything.
 * `column` must be an ltree expression, e.g. sql`u.path`.
 */
export function scopeWhere(actor: Actor, column: SQL): SQL {
  if (actor.scopePath === null) return sql`true`;
  return sql`${column} <@ ${actor.scopePath}::ltree`;
}

/** True when `path` lies within the actor's scope (same unit or below). */
export function inScope(actor: Actor, path: string | null | undefined): boolean {
  if (actor.scopePath === null) return true;
  if (!path) return false;
  return path === actor.scopePath || path.startsWith(`${actor.scopePath}.`);
}

/**
 * Throws the not-found error for records outside the actor's scope, so that a neighbouring street
 * cannot even learn that a record exists.
 */
export function assertInScope(actor: Actor, path: string | null | undefined, notFoundCode: string): void {
  if (!inScope(actor, path)) throw new AppError(notFoundCode, { status: 404, message: 'not found' });
}
