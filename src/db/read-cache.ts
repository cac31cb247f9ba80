/**
 * An exact cache for reads that are a function of a few tables and of "now": an
 * entry is served only while none of its tables has changed (table-versions.ts)
 * and "now" is before the instant from which the answer would differ (an SLA
 * state changing at a stored warning or breach instant). Bounded by count and by
 * bytes; the least recently stored entries go first. Without table versions it is
 * a pass-through. On PostgreSQL every read first waits for the listener to have
 * counted what other processes committed before it (TableVersions.sync), so a
 * client that wrote through one process and reads through another never sees the
 * old answer.
 */
import { WATCHED_TABLES, type TableVersions } from './table-versions.ts';

interface Entry<V> {
  token: string;
  value: V;
  until: number;
  size: number;
}

export interface ReadCacheLimits<V> {
  /** Most entries kept (default 500). */
  entries?: number;
  /** With `sizeOf`: most bytes kept (default 32 MiB). */
  bytes?: number;
  sizeOf?: (value: V) => number;
}

export class ReadCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #versions: TableVersions | null;
  readonly #tables: readonly string[];
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #sizeOf: (value: V) => number;
  #bytes = 0;

  constructor(versions: TableVersions | null, tables: readonly string[], limits: ReadCacheLimits<V> = {}) {
    this.#versions = versions;
    this.#tables = tables;
    // Other processes announce changes of the watched tables only (pg-driver.ts).
    for (const t of tables) if (!WATCHED_TABLES.has(t)) throw new Error(`ReadCache: table ${t} is not in WATCHED_TABLES`);
    this.#maxEntries = limits.entries ?? 500;
    this.#maxBytes = limits.bytes ?? 32 * 1024 * 1024;
    this.#sizeOf = limits.sizeOf ?? (() => 0);
  }

  #drop(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#bytes -= e.size;
    this.#entries.delete(key);
  }

  /**
   * The cached value for `key`, or `compute()`'s. `until`: the first instant at
   * which the computed value may no longer hold (≤ now: do not keep it).
   */
  async read(key: string, now: number, compute: () => Promise<{ value: V; until: number }>): Promise<V> {
    if (this.#versions === null) return (await compute()).value;
    const synced = this.#versions.sync();
    if (synced) await synced;
    // Taken before the read: a change during the read makes the entry stale at once.
    const token = this.#versions.token(this.#tables);
    const hit = this.#entries.get(key);
    if (hit && hit.token === token && now < hit.until) return hit.value;
    const { value, until } = await compute();
    this.#drop(key);
    const size = this.#sizeOf(value);
    if (until > now && size <= this.#maxBytes) {
      this.#entries.set(key, { token, value, until, size });
      this.#bytes += size;
      while (this.#entries.size > this.#maxEntries || this.#bytes > this.#maxBytes) this.#drop(this.#entries.keys().next().value!);
    }
    return value;
  }
}
