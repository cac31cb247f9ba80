/**
 * Access in ONE place. Vendor staff (admin, agent) see every client; a contact sees
 * only rows of their own client. Anything outside an actor's scope is reported as
 * `<entity>.not_found` — exactly like a missing id — so ids of other clients'
 * records cannot be probed.
 *
 * Services use `clientScope` / `scopeToClient` in their queries and
 * `assertClientVisible` after loading a single row; routes use `requireRole` for
 * what a role may do at all (403, since the role itself is no secret).
 */
import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import { AppError, type NotFoundEntity } from '../../errors.ts';
import type { Actor, Role } from './actor.ts';

export const STAFF: readonly Role[] = ['admin', 'agent'];
export const ADMIN: readonly Role[] = ['admin'];
export const EVERYONE: readonly Role[] = ['admin', 'agent', 'contact'];

export const isStaff = (actor: Actor): boolean => actor.role === 'admin' || actor.role === 'agent';

/** null = all clients; otherwise the only client whose rows the actor may see. */
export function clientScope(actor: Actor): string | null {
  if (isStaff(actor)) return null;
  // A contact without a client sees nothing: an impossible id keeps the query valid.
  return actor.clientId ?? '\u0000no-client';
}

/**
 * Adds `<column> = actor.clientId` for contacts. The column is any client-id column
 * reachable in the query (e.g. 'incidents.clientId').
 */
export function scopeToClient<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  column: string,
  actor: Actor,
): SelectQueryBuilder<DB, TB, O> {
  const scope = clientScope(actor);
  if (scope === null) return qb;
  // The column name is chosen by our code, never by input; Kysely's reference typing
  // cannot express "some clientId column of the tables in TB" generically.
  return qb.where((eb: ExpressionBuilder<DB, TB>) => eb(eb.ref(column as never), '=', scope as never));
}

/** True when the actor may see rows of this client. */
export function canSeeClient(actor: Actor, clientId: string | null | undefined): boolean {
  const scope = clientScope(actor);
  return scope === null || (clientId != null && clientId === scope);
}

/** Throws `<entity>.not_found` unless the row exists and is in the actor's scope. */
export function assertClientVisible<T extends { clientId: string | null }>(
  actor: Actor,
  row: T | null | undefined,
  entity: NotFoundEntity,
): T {
  if (!row || !canSeeClient(actor, row.clientId)) throw new AppError(`${entity}.not_found`, `${entity} not found`);
  return row;
}

/** 403 when the role may not do this at all. */
export function requireRole(actor: Actor, roles: readonly Role[]): void {
  if (!roles.includes(actor.role)) throw new AppError('auth.forbidden', 'forbidden');
}

/**
 * The client a contact may act for. When a contact names a client (e.g. when filing
 * an incident) that is not theirs, the answer is the target entity's not_found.
 */
export function effectiveClientId(actor: Actor, requested: string | null | undefined, entity: NotFoundEntity): string | null {
  const scope = clientScope(actor);
  if (scope === null) return requested ?? null;
  if (requested != null && requested !== scope) throw new AppError(`${entity}.not_found`, `${entity} not found`);
  return scope;
}
