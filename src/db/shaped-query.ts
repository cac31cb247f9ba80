/**
 * Kysely's compiled SQL, reused for queries of a fixed shape. Building and
 * compiling a query through Kysely costs more than SQLite takes to run a small
 * one, and the hot paths run the same few queries over and over with new values.
 * A caller names the shape (a string that determines the SQL completely) and gives
 * the values in order; the first query of a shape is built and compiled by Kysely
 * as usual — same SQL, same plugins — and later ones only bind new values. That
 * first compile checks that Kysely's parameters are the given values in that order,
 * followed only by constants of the shape; a shape that does not check out is
 * always built the ordinary way. `mark` may tag the compiled query for the driver
 * (pg-driver.ts: a deferrable insert).
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

/**
 * Templates per dialect and plugin set: the SQL (and which plugins see each run) differs by
 * both. A Kysely instance and its transactions share the adapter and the plugin objects;
 * `withoutPlugins()`/`withPlugin()` make instances that share the adapter but not the plugins.
 */
interface Scope {
  shapes: Map<string, Template | 'unusable'>;
  next: WeakMap<object, Scope>;
}
const roots = new WeakMap<object, Scope>();
const newScope = (): Scope => ({ shapes: new Map(), next: new WeakMap() });

function templatesOf(ex: Executor): Map<string, Template | 'unusable'> {
  const executor = ex.getExecutor();
  let scope: Scope | undefined = roots.get(executor.adapter);
  if (!scope) roots.set(executor.adapter, (scope = newScope()));
  for (const plugin of executor.plugins) {
    let next: Scope | undefined = scope.next.get(plugin);
    if (!next) scope.next.set(plugin, (next = newScope()));
    scope = next;
  }
  return scope.shapes;
}

/** Values bound as they are. `undefined` (a column left to its default) and SQL expressions change the SQL itself. */
const bindable = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || Buffer.isBuffer(v);

export async function executeShaped<R>(
  ex: Executor, shape: string, values: readonly unknown[], build: () => Compilable<R>, mark?: (q: CompiledQuery<R>) => CompiledQuery<R>,
): Promise<QueryResult<R>> {
  const marked = mark ?? ((q: CompiledQuery<R>) => q);
  if (!values.every(bindable)) return ex.executeQuery(marked(build().compile()));
  const byShape = templatesOf(ex);
  const t = byShape.get(shape);
  if (t === 'unusable') return ex.executeQuery(marked(build().compile()));
  if (t) {
    const compiled: CompiledQuery<R> = { sql: t.sql, query: t.query, queryId: t.queryId, parameters: t.tail.length ? [...values, ...t.tail] : values };
    return ex.executeQuery(marked(compiled));
  }
  const compiled = build().compile();
  const params = compiled.parameters;
  const usable = params.length >= values.length && values.every((v, i) => params[i] === v);
  const result = await ex.executeQuery(marked(compiled));
  // Kept only once it has run: SQL that fails is never reused.
  byShape.set(shape, usable ? { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, tail: params.slice(values.length) } : 'unusable');
  return result;
}
