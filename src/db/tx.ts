/**
 * What every service gets: the database and a clock. Services own transactions;
 * `clock` is injected so tests and the demo loader control "now".
 */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

export interface ServiceDeps {
  db: Kysely<DB>;
  clock: () => number;
}

export const toFlag = (b: boolean): number => (b ? 1 : 0);
export const fromFlag = (n: number | boolean): boolean => n === 1 || n === true;
