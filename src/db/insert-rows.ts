/**
 * INSERT (or upsert) of whole rows through a reused compiled statement
 * (shaped-query.ts): the hot writes (an incident, its targets, timers, timeline
 * entry and audit row) have fixed shapes — the table, the row keys in order, the
 * row count and the upsert rule.
 */
import { InsertQueryNode, type CompiledQuery, type Insertable } from 'kysely';
import { DEFERRABLE } from './pg-driver.ts';
import type { Executor } from './database.ts';
import type { DB } from './schema.ts';
import { executeShaped } from './shaped-query.ts';

export interface Upsert {
  /** The unique columns of ON CONFLICT. */
  conflict: readonly string[];
  /** Columns set from the proposed row (`excluded.column`). */
  fromRow: readonly string[];
  /** Columns set to fixed values. */
  fixed?: Readonly<Record<string, string | number | null>>;
}

type Row = Record<string, unknown>;

function build(ex: Executor, table: string, rows: readonly Row[], upsert: Upsert | undefined) {
  // Kysely's typed builder cannot name a table from a string; the rows are checked by insertRows' signature.
  const q = ex.insertInto(table as keyof DB).values(rows as never);
  if (!upsert) return q;
  return q.onConflict((oc) =>
    oc.columns(upsert.conflict as never).doUpdateSet((eb) => ({
      ...Object.fromEntries(upsert.fromRow.map((c) => [c, eb.ref(`excluded.${c}` as never)])),
      ...upsert.fixed,
    }) as never),
  );
}

export interface InsertOptions {
  /**
   * The rows may be sent later in the unit, together with the unit's other deferred
   * inserts in one statement (PostgreSQL, inside a transaction: pg-driver.ts). Only for
   * writes whose caller does not look at the outcome: an error (a unique violation)
   * surfaces from a later statement or the commit, and rolls the unit back all the same.
   */
  deferrable?: boolean;
}

export async function insertRows<T extends keyof DB & string>(
  ex: Executor, table: T, rows: readonly Insertable<DB[T]>[], upsert?: Upsert, o: InsertOptions = {},
): Promise<void> {
  if (rows.length === 0) return;
  const all = rows as readonly Row[];
  const columns = Object.keys(all[0]!);
  const sameShape = all.every((r) => {
    const keys = Object.keys(r);
    return keys.length === columns.length && keys.every((k, i) => k === columns[i]);
  });
  if (!sameShape) {
    await build(ex, table, all, upsert).execute();
    return;
  }
  const values: unknown[] = [];
  for (const r of all) for (const c of columns) values.push(r[c]);
  const shape = `insert|${table}|${columns.join(',')}|${all.length}|${upsert ? JSON.stringify(upsert) : ''}`;
  const mark = o.deferrable
    ? <R>(q: CompiledQuery<R>): CompiledQuery<R> => {
      const into = InsertQueryNode.is(q.query) && q.query.into ? q.query.into.table.identifier.name : null;
      return into ? Object.assign({}, q, { [DEFERRABLE]: { table: into, upsert: upsert !== undefined } }) : q;
    }
    : undefined;
  await executeShaped(ex, shape, values, () => build(ex, table, all, upsert), mark);
}
