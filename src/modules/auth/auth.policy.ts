/** Who may manage users and tokens. */
import { AppError } from '../../errors.ts';
import type { Actor } from './actor.ts';
import { requireRole } from './access.ts';

/** Creating, changing users and setting passwords: admins only. */
export const mayManageUsers = (actor: Actor): void => requireRole(actor, ['admin']);
/** Listing users (to pick an assignee or engineer): vendor staff. */
export const mayListUsers = (actor: Actor): void => requireRole(actor, ['admin', 'agent']);

/** A token of someone else is "not found" for anyone but an admin. */
export function mayTouchToken(actor: Actor, token: { userId: string }): void {
  if (actor.role !== 'admin' && token.userId !== actor.userId) throw new AppError('token.not_found', 'token not found');
}

/** Only admins create tokens for other users. */
export function mayCreateTokenFor(actor: Actor, userId: string): void {
  if (userId !== actor.userId) requireRole(actor, ['admin']);
}
