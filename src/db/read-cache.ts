/**
 * An exact cache for reads that are a function of a few tables and of "now": an
 * entry is served only while none of its tables has changed (table-versions.ts)
 * and "now" is before the instant from which the answer would differ (an SLA
 * state changing at a stored warning or breach instant). Bounded; the least
 * recently stored entries go first. Without table versions (PostgreSQL) it is a
 * pass-through.
 */
import type { TableVersions } from './table-versions.ts';

interface Entry<V> {
  token: string;
  value: V;
  until: number;
}

export class ReadCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #versions: TableVersions | null;
  readonly #tables: readonly string[];
  readonly #capacity: number;

  constructor(versions: TableVersions | null, tables: readonly string[], capacity = 500) {
    this.#versions = versions;
    this.#tables = tables;
    this.#capacity = capacity;
  }

  /**
   * The cached value for `key`, or `compute()`'s. `until`: the first instant at
   * which the computed value may no longer hold (≤ now: do not keep it).
   */
  async read(key: string, now: number, compute: () => Promise<{ value: V; until: number }>): Promise<V> {
    if (this.#versions === null) return (await compute()).value;
    // Taken before the read: a change during the read makes the entry stale at once.
    const token = this.#versions.token(this.#tables);
    const hit = this.#entries.get(key);
    if (hit && hit.token === token && now < hit.until) return hit.value;
    const { value, until } = await compute();
    this.#entries.delete(key);
    if (until > now) {
      this.#entries.set(key, { token, value, until });
      if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
    }
    return value;
  }
}
