/**
 * Client scoping for repositories, in one place. A service turns its actor into a
 * `ClientScope` (`clientScope(actor)` in src/modules/auth/access.ts): null for vendor
 * staff (every client), otherwise the one client id a contact's queries may touch.
 * Repositories take that value and apply it with `scopeToClient`, never by hand.
 */
import type { ReferenceExpression, SelectQueryBuilder } from 'kysely';

/** null = all clients; otherwise the only client whose rows may be read. */
export type ClientScope = string | null;

/** Adds `<column> = scope` unless the scope is every client. */
export function scopeToClient<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  column: ReferenceExpression<DB, TB>,
  scope: ClientScope,
): SelectQueryBuilder<DB, TB, O> {
  if (scope === null) return qb;
  // The column is a client-id column chosen by our code; Kysely cannot tie a generic
  // column reference to its value type, so the id is passed untyped.
  return qb.where(column, '=', scope as never);
}
