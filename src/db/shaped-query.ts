/**
 * Kysely's compiled SQL, reused for queries of a fixed shape. Building and
 * compiling a query through Kysely costs more than SQLite takes to run a small
 * one, and the hot paths run the same few queries over and over with new values.
 * A caller names the shape (a string that determines the SQL completely) and gives
 * the values in order; the first query of a shape is built and compiled by Kysely
 * as usual — same SQL, same plugins — and later ones only bind new values. That
 * first compile checks that Kysely's parameters are the given values in that order,
 * followed only by constants of the shape; a shape that does not check out is
 * always built the ordinary way.
 */
import type { CompiledQuery, Compilable, QueryId, QueryResult, RootOperationNode } from 'kysely';
import type { Executor } from './database.ts';

interface Template {
  sql: string;
  query: RootOperationNode;
  /** Reused, so plugins that keep per-query state (table-versions.ts) recognise every execution. */
  queryId: QueryId;
  /** Parameters after the values: constants of the shape (e.g. an upsert's fixed columns). */
  tail: readonly unknown[];
}

/** Per Kysely instance (its adapter object is shared by the instance and its transactions): SQL differs by dialect and plugins. */
const templates = new WeakMap<object, Map<string, Template | 'unusable'>>();

export async function executeShaped<R>(
  ex: Executor, shape: string, values: readonly unknown[], build: () => Compilable<R>,
): Promise<QueryResult<R>> {
  const adapter = ex.getExecutor().adapter;
  let byShape = templates.get(adapter);
  if (!byShape) templates.set(adapter, (byShape = new Map()));
  const t = byShape.get(shape);
  if (t === 'unusable') return ex.executeQuery(build());
  if (t) {
    const compiled: CompiledQuery<R> = { sql: t.sql, query: t.query, queryId: t.queryId, parameters: t.tail.length ? [...values, ...t.tail] : values };
    return ex.executeQuery(compiled);
  }
  const compiled = build().compile();
  const params = compiled.parameters;
  const usable = params.length >= values.length && values.every((v, i) => params[i] === v);
  byShape.set(shape, usable ? { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, tail: params.slice(values.length) } : 'unusable');
  return ex.executeQuery(compiled);
}
