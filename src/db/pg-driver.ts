/**
 * The PostgreSQL driver of the desk: Kysely's PostgresDriver with fewer round trips.
 * On this machine kind a round trip costs more than PostgreSQL takes to run a small
 * statement (node's side alone is a `writev` and a wake-up per statement, a quarter
 * of its CPU per incident create), so a unit of work sends as few as it can:
 *
 * - **Lazy BEGIN.** A transaction's BEGIN is owed, not sent, until a statement needs
 *   the transaction: a write, a row lock (FOR UPDATE/SHARE), a transaction-scoped lock
 *   or setting, a savepoint. Plain SELECTs before it run on the same connection in
 *   autocommit; under READ COMMITTED (the desk's level) every statement takes a fresh
 *   snapshot anyway, so they see exactly what they would have seen inside.
 * - **Deferred inserts.** An insert marked deferrable (insert-rows.ts, the hot writes:
 *   incident, targets, timers, timeline, audit) is queued, not sent. The queue goes out
 *   as ONE statement (`with w0 as (insert …), w1 as (insert …) select …`) before the
 *   next statement of the unit, or at commit. PostgreSQL checks foreign keys at the end
 *   of the statement, so a row and the rows referring to it may share it. Two upserts
 *   into one table never share a statement (which would win is undefined there). An
 *   error of a queued insert (a unique violation) surfaces from the statement or the
 *   commit that sent it, and the unit rolls back as it would have.
 * - A unit whose BEGIN was never sent and whose writes are all queued commits as that
 *   one statement (a single statement is atomic): an incident create is its reads plus
 *   one write, no BEGIN and no COMMIT.
 * - **Prepared statements.** A statement text seen before is sent as a named prepared
 *   statement (node-postgres prepares it once per connection), so PostgreSQL parses and
 *   plans it once per connection. At most MAX_PREPARED texts are named per process.
 *
 * Commit hooks (cross-process caches): the tables a transaction wrote are handed to
 * `committed` after its COMMIT returned, and, when `notifyChannel` is set and a watched
 * table was written, a `pg_notify(channel, 'table,table')` rides in the transaction's
 * last statement, so other processes hear of the change exactly when it commits
 * (table-versions.ts, pg-listener.ts). An autocommit write to a watched table is wrapped
 * in a transaction for the same reason.
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver, type Kysely,
  type QueryCompiler, type QueryResult, type TransactionSettings,
} from 'kysely';
import { writtenTables } from './table-versions.ts';

/** Marks a compiled insert as deferrable (see the module comment); set by insert-rows.ts. */
export const DEFERRABLE = Symbol('hoshu.deferrable');
export interface Deferrable {
  [DEFERRABLE]?: { table: string; upsert: boolean };
}

export interface PgCommitHooks {
  /** After a commit (or an autocommit write): the tables written; null = unknown, every table. */
  committed?(tables: readonly string[] | null): void;
  /** Whether other processes must hear of a write to this table. */
  watched?(table: string): boolean;
  /** The channel of pg_notify; unset = no notifications. */
  notifyChannel?: string;
}

/** Enough for every shape the desk's queries take; beyond it, statements are sent unnamed. */
const MAX_PREPARED = 2000;
const prepared = new Map<string, string>();
/** Texts whose prepared form went stale (the schema changed under it): sent unnamed from then on. */
const unnamed = new Set<string>();
function statementName(sqlText: string): string | undefined {
  let name = prepared.get(sqlText);
  if (name) return name;
  if (prepared.size >= MAX_PREPARED || unnamed.has(sqlText)) return undefined;
  name = `h${crypto.createHash('sha1').update(sqlText).digest('base64url').slice(0, 20)}`;
  prepared.set(sqlText, name);
  return name;
}

// Statements that must run inside the transaction even though they write no table.
const NEEDS_TRANSACTION = /\bfor\s+(update|share|no\s+key\s+update|key\s+share)\b|pg_advisory_xact_lock|set_config|pg_notify|^\s*(set|savepoint|release|rollback|lock|declare)\b/i;

interface Queued {
  sql: string;
  parameters: readonly unknown[];
  table: string;
  upsert: boolean;
}

type State = 'idle' | 'owed' | 'open';

/**
 * The merged statements' texts, built once per sequence of queued statements (a trie
 * keyed by each statement's text; the texts come from reused templates, so the
 * sequences are few): renumbering the parameters of five long inserts on every commit
 * was a tenth of the driver's CPU per create.
 */
interface MergeNode {
  next: Map<string, MergeNode>;
  /** With and without the notification. */
  text: [string | null, string | null];
}
const mergeRoot: MergeNode = { next: new Map(), text: [null, null] };
const MAX_MERGE_NODES = 5000;
let mergeNodes = 0;

function mergedText(queue: readonly Queued[], notify: boolean): string {
  let node = mergeRoot;
  let cacheable = true;
  for (const q of queue) {
    let n = node.next.get(q.sql);
    if (!n) {
      if (mergeNodes >= MAX_MERGE_NODES) {
        cacheable = false;
        break;
      }
      node.next.set(q.sql, (n = { next: new Map(), text: [null, null] }));
      mergeNodes++;
    }
    node = n;
  }
  const slot = notify ? 1 : 0;
  if (cacheable && node.text[slot] !== null) return node.text[slot]!;
  let offset = 0;
  const parts = queue.map((q, i) => {
    const text = `w${i} as (${offset === 0 ? q.sql : q.sql.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`)})`;
    offset += q.parameters.length;
    return text;
  });
  const tail = notify ? `select pg_notify($${offset + 1}, $${offset + 2})` : 'select 1';
  const text = parts.length ? `with ${parts.join(', ')} ${tail}` : tail;
  if (cacheable) node.text[slot] = text;
  return text;
}

class HoshuPgConnection implements DatabaseConnection {
  #state: State = 'idle';
  #queue: Queued[] = [];
  /** Tables written in the open transaction; null once an unknown table was written. */
  #written: Set<string> | null = new Set();
  #broken = false;

  constructor(readonly client: pg.PoolClient, private readonly hooks: PgCommitHooks) {}

  get broken(): boolean {
    return this.#broken;
  }

  async #send(sqlText: string, parameters: readonly unknown[]): Promise<pg.QueryResult> {
    const name = parameters.length > 0 || /^\s*(select|insert|update|delete|with)\b/i.test(sqlText) ? statementName(sqlText) : undefined;
    try {
      return await this.client.query(name ? { name, text: sqlText, values: [...parameters] } : { text: sqlText, values: [...parameters] });
    } catch (e) {
      // A prepared statement whose result type changed under it (a migration by another process): node-postgres
      // keeps the name per connection, so the text goes unnamed from now on.
      if (name && (e as { code?: string }).code === '0A000') {
        prepared.delete(sqlText);
        unnamed.add(sqlText);
      }
      throw e;
    }
  }

  #record(tables: readonly string[] | null): void {
    if (this.#written === null) return;
    if (tables === null) this.#written = null;
    else for (const t of tables) this.#written.add(t);
  }

  /** The notification for the tables written, or null when nobody needs to hear. */
  #notice(written: Set<string> | null): string | null {
    const { notifyChannel, watched } = this.hooks;
    if (!notifyChannel) return null;
    if (written === null) return '*';
    const tables = [...written].filter((t) => !watched || watched(t));
    return tables.length ? tables.join(',') : null;
  }

  /** One statement of the queued inserts (and the notification, if any): `with w0 as (…), … select …`. */
  #merged(notice: string | null): { sql: string; parameters: unknown[] } | null {
    const queue = this.#queue;
    if (queue.length === 0 && notice === null) return null;
    if (queue.length === 1 && notice === null) return { sql: queue[0]!.sql, parameters: [...queue[0]!.parameters] };
    const parameters: unknown[] = [];
    for (const q of queue) for (const v of q.parameters) parameters.push(v);
    if (notice !== null) parameters.push(this.hooks.notifyChannel!, notice);
    return { sql: mergedText(queue, notice !== null), parameters };
  }

  async #flush(notice: string | null = null): Promise<void> {
    const m = this.#merged(notice);
    this.#queue = [];
    if (m) await this.#send(m.sql, m.parameters);
  }

  async #begin(): Promise<void> {
    this.#state = 'open';
    await this.#send('begin', []);
  }

  async executeQuery<R>(cq: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#broken) throw new Error('connection was discarded after a failed rollback');
    const mark = (cq as Deferrable)[DEFERRABLE];
    if (mark && this.#state !== 'idle') {
      // Never two upserts into one table in one statement.
      if (mark.upsert && this.#queue.some((q) => q.table === mark.table)) await this.#flushInTransaction();
      this.#queue.push({ sql: cq.sql, parameters: cq.parameters, table: mark.table, upsert: mark.upsert });
      this.#record([mark.table]);
      return { rows: [] };
    }
    const tables = writtenTables(cq.query);
    const writes = tables === null || tables.length > 0;
    if (this.#state === 'owed' && (writes || NEEDS_TRANSACTION.test(cq.sql))) await this.#begin();
    if (this.#queue.length) await this.#flushInTransaction();
    if (this.#state === 'idle' && writes) return this.#autocommitWrite(cq, tables);
    if (writes) this.#record(tables);
    return this.#result(await this.#send(cq.sql, cq.parameters));
  }

  /** Queued inserts before another statement: inside the transaction (begun now if it was owed). */
  async #flushInTransaction(): Promise<void> {
    if (this.#state === 'owed') await this.#begin();
    await this.#flush();
  }

  async #autocommitWrite<R>(cq: CompiledQuery, tables: readonly string[] | null): Promise<QueryResult<R>> {
    const notice = this.#notice(tables === null ? null : new Set(tables));
    if (notice === null) {
      const r = this.#result<R>(await this.#send(cq.sql, cq.parameters));
      this.hooks.committed?.(tables);
      return r;
    }
    // Others must hear of it exactly when it commits.
    await this.#send('begin', []);
    try {
      const r = this.#result<R>(await this.#send(cq.sql, cq.parameters));
      await this.#send('select pg_notify($1, $2)', [this.hooks.notifyChannel!, notice]);
      await this.#send('commit', []);
      this.hooks.committed?.(tables);
      return r;
    } catch (e) {
      await this.#send('rollback', []).catch(() => undefined);
      throw e;
    }
  }

  #result<R>(r: pg.QueryResult): QueryResult<R> {
    const { command, rowCount, rows } = r;
    if (command === 'ROLLBACK' || command === 'COMMIT') return { rows: [{ command } as R] };
    return {
      numAffectedRows: command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE' ? BigInt(rowCount ?? 0) : undefined,
      rows: (rows ?? []) as R[],
    };
  }

  // eslint-disable-next-line require-yield -- the desk does not stream; Kysely's interface asks for the method.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by the desk\'s PostgreSQL driver');
  }

  async begin(settings: TransactionSettings): Promise<void> {
    this.#queue = [];
    this.#written = new Set();
    if (settings.isolationLevel || settings.accessMode) {
      this.#state = 'open';
      let text = 'start transaction';
      if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) text += ` ${settings.accessMode}`;
      await this.#send(text, []);
    } else {
      this.#state = 'owed';
    }
  }

  async commit(): Promise<void> {
    const written = this.#written;
    const notice = written !== null && written.size === 0 ? null : this.#notice(written);
    try {
      if (this.#state === 'owed') {
        // Never begun: the queued inserts (with the notification) are the whole transaction.
        await this.#flush(this.#queue.length ? notice : null);
      } else if (this.#state === 'open') {
        await this.#flush(notice);
        const r = await this.#send('commit', []);
        // PostgreSQL completes COMMIT with a ROLLBACK tag if an earlier error left the transaction aborted.
        if (r.command === 'ROLLBACK') throw new Error('the transaction was aborted by an earlier error and rolled back');
      }
    } catch (e) {
      if (this.#state === 'open') await this.#send('rollback', []).catch(() => undefined);
      this.#state = 'idle';
      this.#queue = [];
      throw e;
    }
    this.#state = 'idle';
    if (written === null || written.size > 0) this.hooks.committed?.(written === null ? null : [...written]);
  }

  async rollback(): Promise<void> {
    const was = this.#state;
    this.#state = 'idle';
    this.#queue = [];
    if (was !== 'open') return;
    try {
      await this.#send('rollback', []);
    } catch (e) {
      this.#broken = true;
      throw e;
    }
  }

  async savepointCommand(text: string): Promise<void> {
    if (this.#state === 'owed') await this.#begin();
    await this.#flush();
    await this.#send(text, []);
  }
}

class HoshuPgDriver implements Driver {
  readonly #connections = new WeakMap<pg.PoolClient, HoshuPgConnection>();
  constructor(private readonly pool: pg.Pool, private readonly hooks: PgCommitHooks) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const client = await this.pool.connect();
    let c = this.#connections.get(client);
    if (!c) this.#connections.set(client, (c = new HoshuPgConnection(client, this.hooks)));
    return c;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as HoshuPgConnection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as HoshuPgConnection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as HoshuPgConnection).rollback();
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as HoshuPgConnection).savepointCommand(`savepoint "${name.replace(/"/g, '""')}"`);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as HoshuPgConnection).savepointCommand(`rollback to savepoint "${name.replace(/"/g, '""')}"`);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as HoshuPgConnection).savepointCommand(`release savepoint "${name.replace(/"/g, '""')}"`);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as HoshuPgConnection;
    // A connection whose rollback failed is in an unknown state: destroy it rather than hand it on.
    c.client.release(c.broken ? new Error('discarded after a failed rollback') : undefined);
  }

  async destroy(): Promise<void> {
    await this.pool.end();
  }
}

export class HoshuPostgresDialect implements Dialect {
  constructor(private readonly pool: pg.Pool, private readonly hooks: PgCommitHooks = {}) {}
  createDriver(): Driver {
    return new HoshuPgDriver(this.pool, this.hooks);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
