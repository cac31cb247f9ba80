/**
 * Links between modules' records (a risk to an incident, a security incident to a change
 * request…): the record a link names must exist as the actor may see it and be of the same
 * client. Each module receives its lookups from the composition root (src/http/services.ts)
 * instead of importing the other modules' services, and refuses with its own coded error.
 */
import { AppError } from '../../errors.ts';
import type { Actor } from '../auth/actor.ts';

/** The client of the record `id`, or null when there is no such record the actor may see. */
export type LinkTargetLookup = (actor: Actor, id: string) => Promise<{ clientId: string } | null>;

/** The client of a record another module reads, or null when it is not found (for this actor); other errors propagate. */
export async function clientOf(read: Promise<{ clientId: string }>): Promise<{ clientId: string } | null> {
  try {
    return { clientId: (await read).clientId };
  } catch (e) {
    if (e instanceof AppError && e.code.endsWith('.not_found')) return null;
    throw e;
  }
}

/** Whether a looked-up target may be linked from a record of `clientId`. */
export const linkableFrom = (target: { clientId: string } | null, clientId: string): boolean => target !== null && target.clientId === clientId;
