/** What the auth commands share: running a change as a unit of work, and how often a use is written down. */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { unitOfWork, type Work } from '../../db/unit-of-work.ts';
import type { Actor } from './actor.ts';
import type { AuthDb } from './auth.repository.ts';

/**
 * Runs a change as a unit of work (change and audit row commit together). The CLI and the
 * routes call these functions with the database and their own "now"; passing a transaction
 * runs inside it.
 */
export function command<T>(db: AuthDb, actor: Actor, now: number, fn: (w: Work<Actor>) => Promise<T>, name: string): Promise<T> {
  return unitOfWork(db as Kysely<DB>, () => now).command(actor, fn, { now, name });
}

/** Writing last-seen/last-used on every request would turn reads into writes. */
export const TOUCH_EVERY_MS = 60 * 1000;
