/**
 * What every service gets: the database and a clock. Services own transactions;
 * `clock` is injected so tests and the demo loader control "now".
 */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { UnitOfWork } from './unit-of-work.ts';

export interface ServiceDeps {
  db: Kysely<DB>;
  clock: () => number;
  /** The runner every write goes through; the composition root passes one, else the (db, clock) pair's own. */
  uow?: UnitOfWork;
}

export const toFlag = (b: boolean): number => (b ? 1 : 0);
export const fromFlag = (n: number | boolean): boolean => n === 1 || n === true;
