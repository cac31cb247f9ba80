/**
 * Which tables have changed since a result was read — the validity test of the
 * exact read caches (read-cache.ts). SQLite only: a Kysely plugin counts the
 * statements that wrote each table on our own connection (counted after the
 * statement ran), and SQLite's `PRAGMA data_version` changes whenever ANOTHER
 * connection (a CLI beside the server, a second process) commits anything. A raw
 * statement whose target table cannot be read off its text, and any statement that
 * is not a select, insert, update or delete (schema changes), counts as a write to
 * every table. Not seen, so not allowed: writes through the raw better-sqlite3
 * handle (`Database.sqlite` is for the online backup, which only reads) and
 * `executeQuery` of a hand-made CompiledQuery that writes. PostgreSQL: the driver
 * counts a transaction's tables when its COMMIT has returned (pg-driver.ts), and
 * other processes' commits arrive by LISTEN/NOTIFY (pg-listener.ts).
 */
import {
  DeleteQueryNode, InsertQueryNode, RawNode, SelectQueryNode, TableNode, UpdateQueryNode, ValueNode,
  type KyselyPlugin, type OperationNode, type PluginTransformQueryArgs, type PluginTransformResultArgs,
  type QueryId, type QueryResult, type RootOperationNode, type UnknownRow,
} from 'kysely';

/**
 * The tables whose changes every process hears of on PostgreSQL (pg_notify at commit,
 * pg-driver.ts): those the caches read. The same list in every process (a CLI that never
 * caches still announces its writes); a cache of other tables must add them here.
 */
export const WATCHED_TABLES: ReadonlySet<string> = new Set([
  'incidents', 'incident_targets', 'incident_pauses', 'incident_list_items', 'calendars', 'calendar_versions', 'users', 'sessions', 'api_tokens',
  'contracts', 'contract_contacts',
  // The queue's search reads mail subjects (incident_search, kept by triggers).
  'mail_messages',
]);

export class TableVersions {
  readonly #byTable = new Map<string, number>();
  #everything = 0;
  readonly #external: () => number;
  readonly #sync: (() => Promise<void>) | null;

  /**
   * `external`: a counter that moves when another connection commits (SQLite: PRAGMA
   * data_version; PostgreSQL: the listener's epoch, new on every call while it is not
   * listening). `sync` (PostgreSQL): resolves once every change committed before the
   * call has been counted (pg-listener.ts).
   */
  constructor(external: () => number, sync: (() => Promise<void>) | null = null) {
    this.#external = external;
    this.#sync = sync;
  }

  /** null: a write whose tables are unknown, so every table counts as changed. */
  bump(tables: readonly string[] | null): void {
    if (tables === null) {
      this.#everything++;
      return;
    }
    for (const t of tables) this.#byTable.set(t, (this.#byTable.get(t) ?? 0) + 1);
  }

  /** Waits until changes committed elsewhere before now are counted (no wait on SQLite). */
  sync(): Promise<void> | null {
    return this.#sync ? this.#sync() : null;
  }

  /** Equal tokens (taken before two reads) mean none of `tables` changed in between. */
  token(tables: readonly string[]): string {
    let s = `${this.#external()}:${this.#everything}`;
    for (const t of tables) s += `:${this.#byTable.get(t) ?? 0}`;
    return s;
  }
}

const WRITE_WORD = /\b(insert|update|delete|replace|drop|alter|create)\b/i;
// The target table, schema-qualified or not (`main.incidents`, "main"."incidents").
const WRITE_TARGET = /\b(?:insert\s+(?:or\s+\w+\s+)?into|update(?:\s+or\s+\w+)?|delete\s+from|replace\s+into)\s+(?:"?[A-Za-z_]\w*"?\s*\.\s*)?"?([A-Za-z_]\w*)"?/gi;

/** The SQL text of a raw node and of the raw nodes inside it; false when other nodes (identifiers, queries) are spliced in. */
function rawText(node: RawNode): { text: string; opaque: boolean } {
  let text = node.sqlFragments.join(' ? ');
  let opaque = false;
  for (const p of node.parameters) {
    if (RawNode.is(p)) {
      const inner = rawText(p);
      text += ` ${inner.text}`;
      opaque ||= inner.opaque;
    } else if (!ValueNode.is(p)) opaque = true;
  }
  return { text, opaque };
}

/** The tables a statement writes: [] for a read, null when it writes but the tables are not known. */
export function writtenTables(node: RootOperationNode | OperationNode): string[] | null {
  const name = (t: OperationNode | undefined): string | null => (t && TableNode.is(t) ? t.table.identifier.name : null);
  if (InsertQueryNode.is(node)) return known([name(node.into)]);
  if (UpdateQueryNode.is(node)) return known([name(node.table)]);
  if (DeleteQueryNode.is(node)) return known(node.from.froms.map((f) => name(f)));
  if (SelectQueryNode.is(node)) {
    // A data-modifying CTE (`with x as (delete … returning …) select …`) writes.
    const ctes = node.with?.expressions ?? [];
    return ctes.every((c) => SelectQueryNode.is(c.expression)) ? [] : null;
  }
  if (RawNode.is(node)) {
    const { text, opaque } = rawText(node);
    if (!WRITE_WORD.test(text)) return [];
    if (opaque) return null;
    const tables = [...text.matchAll(WRITE_TARGET)].map((m) => m[1]!.toLowerCase());
    return tables.length ? tables : null;
  }
  // Anything else (schema changes and other statements) may change what any read returns.
  return null;
}

function known(names: (string | null)[]): string[] | null {
  return names.every((n): n is string => n !== null) ? names : null;
}

export class TableVersionsPlugin implements KyselyPlugin {
  readonly #pending = new WeakMap<QueryId, string[] | null>();
  readonly #versions: TableVersions;

  constructor(versions: TableVersions) {
    this.#versions = versions;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const tables = writtenTables(args.node);
    if (tables === null || tables.length > 0) this.#pending.set(args.queryId, tables);
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    // Kept (not deleted): a compiled statement may run again under the same query id (insert-rows.ts).
    if (this.#pending.has(args.queryId)) this.#versions.bump(this.#pending.get(args.queryId)!);
    return args.result;
  }
}

const registry = new WeakMap<object, TableVersions>();

export function registerTableVersions(db: object, versions: TableVersions): void {
  registry.set(db, versions);
}

/** The change counters of a database opened by createDb; null where reads are not cached. */
export function tableVersionsOf(db: object): TableVersions | null {
  return registry.get(db) ?? null;
}
