/**
 * The vocabulary of access. Vendor staff (admin, agent) see every client; a contact
 * sees only rows of their own client. What each role may do is data: every slice's
 * `<slice>.policy.ts` is a table of action → roles (built with `definePolicy` from
 * the role sets below), and services ask `authorize(actor, action, row?)` in
 * ./authorize.ts. Anything outside an actor's client scope is reported as
 * `<entity>.not_found` — exactly like a missing id — so ids of other clients'
 * records cannot be probed; a role that may not do something at all gets 403.
 *
 * Repositories scope their queries with `scopeToClient` (src/db/client-scope.ts)
 * from the value `clientScope(actor)` gives.
 */
import type { ClientScope } from '../../db/client-scope.ts';
import type { NotFoundEntity } from '../../errors.ts';
import type { Actor, Role } from './actor.ts';

export const STAFF: readonly Role[] = ['admin', 'agent'];
export const ADMIN: readonly Role[] = ['admin'];
export const EVERYONE: readonly Role[] = ['admin', 'agent', 'contact'];

/**
 * An action is named `<entity>.<verb>`; the entity is the one whose `not_found`
 * answers a row of another client (`incident.assign` → incident.not_found).
 */
export type ActionName = `${NotFoundEntity}.${string}`;
export type PolicyTable = { readonly [action: ActionName]: readonly Role[] };

/** Keeps the literal action names of a slice's table (so the union of all of them is a type). */
export const definePolicy = <const P extends PolicyTable>(table: P): P => table;

export const isStaff = (actor: Actor): boolean => actor.role === 'admin' || actor.role === 'agent';

/** null = all clients; otherwise the only client whose rows the actor may see. */
export function clientScope(actor: Actor): ClientScope {
  if (isStaff(actor)) return null;
  // A contact without a client sees nothing: an impossible id keeps the query valid.
  return actor.clientId ?? '\u0000no-client';
}

/** True when the actor may see rows of this client. */
export function canSeeClient(actor: Actor, clientId: string | null | undefined): boolean {
  const scope = clientScope(actor);
  return scope === null || (clientId != null && clientId === scope);
}
